/**
 * The portal's keyed digests: CSRF tokens, OTP hashes and the opaque owner of a browser's flows, all
 * HMAC-SHA-256 under one random key kept in the database (so a restart does not invalidate open
 * forms), and session ids stored as plain SHA-256 digests (a stolen database holds no usable session).
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { MetaRepository } from '../store/meta-repo.js';

const KEY_META = 'portal_hmac_key';

export class PortalKeys {
  private constructor(private readonly key: Buffer) {}

  static load(meta: MetaRepository): PortalKeys {
    let stored = meta.get(KEY_META);
    if (!stored) {
      stored = randomBytes(32).toString('base64');
      meta.put(KEY_META, stored);
    }
    return new PortalKeys(Buffer.from(stored, 'base64'));
  }

  private mac(purpose: string, ...parts: string[]): string {
    return createHmac('sha256', this.key)
      .update([purpose, ...parts].join('\u0000'))
      .digest('base64url');
  }

  /** The CSRF token of a binding (a session id, or the browser's anonymous id before login). */
  csrfToken(binding: string): string {
    return this.mac('csrf', binding);
  }

  csrfValid(binding: string, token: string | undefined): boolean {
    return token !== undefined && safeEqual(this.csrfToken(binding), token);
  }

  otpHash(flowId: string, channel: string, code: string): string {
    return this.mac('otp', flowId, channel, code);
  }

  /** The owner of flows and outbox messages: derived from the browser's anonymous id. */
  owner(anonymousId: string): string {
    return this.mac('owner', anonymousId);
  }
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function sessionIdHash(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url');
}

export function randomId(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

/** A six-digit one-time password, uniformly drawn. */
export function newOtpCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}
