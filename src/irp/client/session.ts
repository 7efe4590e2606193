/**
 * One IRP session per (client id, GSTIN, user): the token and SEK, renewed before expiry.
 *
 * - Single-flight: however many calls need a token at once, one login is in flight, and they share it.
 *   NIC treats one credential set as one session (a second login elsewhere can invalidate the first),
 *   and auth is the call GSPs rate-limit hardest.
 * - Refresh: from `refreshBeforeExpiryMs` before expiry, one login with `ForceRefreshAccessToken`
 *   renews the token; calls arriving meanwhile wait for it (one round trip, once per token) and fall
 *   back to the still-valid old token if it fails. The force flag is set only inside NIC's 10-minute
 *   window, since earlier it is undocumented. Inside `expiryMarginMs` the old token is never used.
 * - Clock skew: `TokenExpiry` is the IRP's clock. A value that is already past, or absurdly far, on the
 *   local clock is replaced by an assumed validity, so a skewed host never logs in in a loop; the IRP's
 *   1005 then tells the truth.
 * - Credentials failures are remembered for `credentialsRetryAfterMs`: calls fail fast instead of
 *   hammering the login (NIC blocks GSTINs with tens of thousands of errors).
 */
import type { AuthResult, IssuedToken } from './auth.js';
import { FORCE_REFRESH_WINDOW_MS } from './config.js';
import type { TransientCause } from './outcome.js';

export interface SessionPolicy {
  refreshBeforeExpiryMs: number;
  expiryMarginMs: number;
  minRefreshIntervalMs: number;
  assumedTokenValidityMs: number;
  credentialsRetryAfterMs: number;
}

/** Performs one login; `forceRefresh` maps to `ForceRefreshAccessToken`. */
export type Authenticator = (forceRefresh: boolean) => Promise<AuthResult>;

/** A usable token, or why there is none. */
export type Acquired =
  | { ok: true; token: string; sek: Buffer }
  | { ok: false; kind: 'credentials'; code: string; message: string }
  | { ok: false; kind: 'transient'; cause: TransientCause };

interface CurrentToken {
  token: string;
  sek: Buffer;
  /** Local-clock instant after which the token is not used. */
  expiresAt: number;
}

/** What the session reports about itself; never the token or SEK. */
export interface SessionState {
  authenticated: boolean;
  expiresAt?: number;
  credentialsFailure?: { code: string; message: string; at: number };
  logins: number;
}

const MAX_PLAUSIBLE_VALIDITY_MS = 24 * 60 * 60 * 1000;

export class IrpSession {
  private current: CurrentToken | undefined;
  private inflight: Promise<Acquired> | undefined;
  private credentialsFailure: { code: string; message: string; at: number } | undefined;
  private lastRefreshAttempt = Number.NEGATIVE_INFINITY;
  private logins = 0;

  constructor(
    private readonly authenticator: Authenticator,
    private readonly now: () => number,
    private readonly policy: SessionPolicy,
  ) {}

  /** A token to call with: the cached one when valid, otherwise the result of one shared login. */
  async acquire(): Promise<Acquired> {
    const now = this.now();
    const cur = this.current;
    if (cur && now < cur.expiresAt - this.policy.expiryMarginMs) {
      if (now < cur.expiresAt - this.policy.refreshBeforeExpiryMs)
        return { ok: true, token: cur.token, sek: cur.sek };
      // Refresh window: calls wait for one shared refresh rather than race it with the old token (NIC's
      // force refresh ends the old token, so racing calls would meet 1005). If the refresh fails, or
      // one was tried too recently, the old token is still valid and is used.
      const refresh = this.inflight ?? this.startRefresh(now);
      if (refresh) {
        const renewed = await refresh;
        if (renewed.ok) return renewed;
      }
      const still = this.current ?? cur;
      return { ok: true, token: still.token, sek: still.sek };
    }
    if (this.inflight) return this.inflight;
    const failure = this.credentialsFailure;
    if (failure && now - failure.at < this.policy.credentialsRetryAfterMs) {
      return { ok: false, kind: 'credentials', code: failure.code, message: failure.message };
    }
    return this.login(cur !== undefined && now >= cur.expiresAt - FORCE_REFRESH_WINDOW_MS);
  }

  /**
   * Drops `token` after the IRP answered 1005 for it. Only the token the call used is dropped, so
   * two hundred calls failing with the same stale token cause one login, not two hundred.
   */
  invalidate(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }

  /** Forgets a remembered credentials failure (after an operator fixed the credentials). */
  resetCredentialsFailure(): void {
    this.credentialsFailure = undefined;
  }

  state(): SessionState {
    const s: SessionState = { authenticated: this.current !== undefined, logins: this.logins };
    if (this.current) s.expiresAt = this.current.expiresAt;
    if (this.credentialsFailure) s.credentialsFailure = { ...this.credentialsFailure };
    return s;
  }

  /** Starts a proactive refresh unless one was tried recently or the credentials are known bad. */
  private startRefresh(now: number): Promise<Acquired> | undefined {
    if (now - this.lastRefreshAttempt < this.policy.minRefreshIntervalMs) return undefined;
    const failure = this.credentialsFailure;
    if (failure && now - failure.at < this.policy.credentialsRetryAfterMs) return undefined;
    this.lastRefreshAttempt = now;
    return this.login(now >= (this.current?.expiresAt ?? 0) - FORCE_REFRESH_WINDOW_MS);
  }

  private login(forceRefresh: boolean): Promise<Acquired> {
    this.logins += 1;
    const flight = this.authenticator(forceRefresh)
      .catch((error: unknown): AuthResult => ({
        ok: false,
        kind: 'transient',
        cause: { reason: 'network', message: error instanceof Error ? error.message : String(error) },
      }))
      .then((result) => this.apply(result))
      .finally(() => {
        if (this.inflight === flight) this.inflight = undefined;
      });
    this.inflight = flight;
    return flight;
  }

  private apply(result: AuthResult): Acquired {
    if (!result.ok) {
      if (result.kind === 'credentials') {
        this.credentialsFailure = { code: result.code, message: result.message, at: this.now() };
        return { ok: false, kind: 'credentials', code: result.code, message: result.message };
      }
      return { ok: false, kind: 'transient', cause: result.cause };
    }
    this.credentialsFailure = undefined;
    const { token, sek } = result.token;
    this.current = { token, sek, expiresAt: this.localExpiry(result.token) };
    return { ok: true, token, sek };
  }

  private localExpiry(issued: IssuedToken): number {
    const now = this.now();
    const expiresAt = issued.expiresAtMs;
    const remaining = expiresAt === undefined ? Number.NaN : expiresAt - now;
    const plausible = remaining > 2 * this.policy.expiryMarginMs && remaining <= MAX_PLAUSIBLE_VALIDITY_MS;
    return plausible ? expiresAt! : now + this.policy.assumedTokenValidityMs;
  }
}
