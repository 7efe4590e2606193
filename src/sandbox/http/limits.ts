/**
 * The sandbox's protection against load and probing, and what a client sees when it meets it.
 *
 * NIC publishes no request rate for the e-invoice APIs and blocks heavy error generators after notice
 * (RECORD.md §12); what NIC's gateway answers on excess is not on record. The sandbox answers every
 * refusal below the same way, a documented choice a client can retry on: HTTP 429 with `Retry-After`
 * (seconds) and the IRP envelope `{Status: 0, ErrorDetails: [{ErrorCode: "5002", ErrorMessage: "<NIC's
 * newer 5002 text> - <why>"}]}` — 5002 is the code NIC's clients already retry with backoff.
 */

/** Limits of one sandbox; every field has a default (`DEFAULT_LIMITS`). */
export interface SandboxLimits {
  /** Open TCP connections; more are answered 503 and closed. */
  maxConnections: number;
  /** Requests per second per client id (token bucket, `burst` deep). */
  requestsPerSecond: number;
  burst: number;
  /** Requests of one client id being processed at once. */
  maxInFlightPerClient: number;
  /** Failed logins (wrong password, or user of another client) per user name within `lockoutWindowMs`. */
  maxLoginFailures: number;
  /** Failed client-secret checks per client id within `lockoutWindowMs`. */
  maxSecretFailures: number;
  lockoutWindowMs: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  maxConnections: 512,
  requestsPerSecond: 1000,
  burst: 1000,
  maxInFlightPerClient: 64,
  maxLoginFailures: 5,
  maxSecretFailures: 10,
  lockoutWindowMs: 15 * 60 * 1000,
};

/** A token bucket per key (real time: a frozen sandbox clock must not stop refills). */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** 0 when the request may go ahead, else milliseconds until a token is there. */
  take(key: string): number {
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - b.tokens) / this.perSecond) * 1000);
  }
}

/** Failures per key within a sliding window (sandbox clock, so tests can move past a lockout). */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  private recent(key: string, nowMs: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => nowMs - t < this.windowMs);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  /** Milliseconds until the key may try again; 0 when it may now. */
  blockedFor(key: string, nowMs: number): number {
    const list = this.recent(key, nowMs);
    return list.length >= this.max ? list[0]! + this.windowMs - nowMs : 0;
  }

  fail(key: string, nowMs: number): void {
    const list = this.recent(key, nowMs);
    list.push(nowMs);
    this.failures.set(key, list);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }
}

/** What the HTTP layer sends for a refused request. */
export interface Throttled {
  retryAfterMs: number;
  reason: string;
}

/** NIC's newer wording of 5002 (the catalogue keeps the old "Request body too large"). */
export const NIC_5002_APPLICATION_ERROR =
  'Application error, issue with application while processing the request. Please try again. If error persists kindly raise a ticket along with request JSON, error details and timestamp of the error occurrence.';

export function throttledEnvelope(reason: string) {
  return {
    Status: 0 as const,
    Data: null,
    ErrorDetails: [{ ErrorCode: '5002', ErrorMessage: `${NIC_5002_APPLICATION_ERROR} - ${reason}` }],
    InfoDtls: null,
  };
}
