/**
 * What the client tells an observer as it works, for metrics (src/ops/metrics.ts exports them to
 * Prometheus) and tests. Never given a secret: GSTINs, API names, HTTP statuses, IRP codes and reasons.
 * Every callback is optional and must not throw (a throwing observer is ignored).
 */
import type { ExchangeEvent } from './call.js';
import type { BreakerState } from './resilience.js';

export type { ExchangeEvent } from './call.js';

/** Why a login was sent: the first of a session, a renewal near expiry, or the re-login after a 1005. */
export type LoginReason = 'initial' | 'renewal' | 'invalid-token';

export interface LoginEvent {
  gstin: string;
  reason: LoginReason;
  result: 'ok' | 'credentials' | 'transient';
  /** The IRP code of a refused login (credentials) or the transient reason. */
  code?: string;
}

export interface RetryEvent {
  gstin: string;
  attempt: number;
  /** The transient cause's reason (`network`, `timeout`, `http-status`, `irp-system`, `token`, …). */
  reason: string;
  code?: string;
}

export interface IrpClientObserver {
  login?(event: LoginEvent): void;
  /** Every HTTP exchange of an API call (logins excluded): result and IRP codes. */
  exchange?(event: ExchangeEvent): void;
  retry?(event: RetryEvent): void;
  breaker?(state: BreakerState): void;
}

/** Calls `fn` on the observer, ignoring a missing callback and any error it throws. */
export function notify<K extends keyof IrpClientObserver>(
  observer: IrpClientObserver | undefined,
  key: K,
  event: Parameters<NonNullable<IrpClientObserver[K]>>[0],
): void {
  try {
    (observer?.[key] as ((e: typeof event) => void) | undefined)?.(event);
  } catch {
    // Metrics must never break a call.
  }
}
