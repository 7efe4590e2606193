/**
 * Retry, circuit breaker and per-GSTIN concurrency around every IRP call, built from cockatiel:
 *
 *   call ─► retry (exponential backoff, decorrelated jitter, capped by the call's deadline)
 *             └► bulkhead per GSTIN (bounded in-flight requests, FIFO queue)
 *                  └► rate limit (optional token bucket, client-wide)
 *                       └► circuit breaker (opens on consecutive transient attempts)
 *                            └► one attempt (login if needed + one HTTP exchange)
 *
 * Only transient attempts are retried and only they count against the breaker: an IRP that answers
 * "rejected" (or with a code nobody catalogued, or HTTP 429 "too many") is a healthy IRP. While the
 * breaker is open no request is sent; after the half-open delay a probe (supplied by the client) tests
 * the IRP, so a pipeline that paused on "open" hears "closed" without having to send a record itself.
 */
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  IsolatedCircuitError,
  bulkhead,
  circuitBreaker,
  decorrelatedJitterGenerator,
  handleWhenResult,
  retry,
  type BulkheadPolicy,
  type CircuitBreakerPolicy,
  type IBackoff,
  type IBackoffFactory,
} from 'cockatiel';
import type { ResolvedIrpClientConfig } from './config.js';
import type { TransientCause } from './outcome.js';

/** The result of one attempt: final (whatever it says) or transient (worth another attempt). */
export type Attempt<T> = { kind: 'final'; value: T } | { kind: 'transient'; cause: TransientCause };

/** The result of a whole resilient call. */
export type Ran<T> =
  | { kind: 'final'; value: T; attempts: number }
  | { kind: 'exhausted'; cause: TransientCause; attempts: number }
  | { kind: 'circuit-open'; cause?: TransientCause };

export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

const STATE_NAMES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/** A backoff whose every delay is cut to what is left of the deadline. */
function cappedBackoff<C>(factory: IBackoffFactory<C>, remainingMs: () => number): IBackoffFactory<C> {
  const wrap = (b: IBackoff<C>): IBackoff<C> => ({
    duration: Math.max(0, Math.min(b.duration, remainingMs())),
    next: (ctx: C) => wrap(b.next(ctx)),
  });
  return { next: (ctx: C) => wrap(factory.next(ctx)) };
}

/** A backoff factory that tells `record` every delay it hands out (to time the half-open probe). */
function recordingBackoff<C>(factory: IBackoffFactory<C>, record: (ms: number) => void): IBackoffFactory<C> {
  const wrap = (b: IBackoff<C>): IBackoff<C> => {
    record(b.duration);
    return { duration: b.duration, next: (ctx: C) => wrap(b.next(ctx)) };
  };
  return { next: (ctx: C) => wrap(factory.next(ctx)) };
}

/** Client-wide token bucket; waiters are served in arrival order. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Resolves when a request may be sent. */
  take(): Promise<void> {
    const turn = this.tail.then(() => this.waitForToken());
    this.tail = turn;
    return turn;
  }

  private async waitForToken(): Promise<void> {
    for (;;) {
      const now = this.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const waitMs = Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

export interface ResilienceEvents {
  onRetry?: (gstin: string, attempt: number, cause: TransientCause, delayMs: number) => void;
}

export class Resilience {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly bulkheads = new Map<string, BulkheadPolicy>();
  private readonly limiter: TokenBucket | undefined;
  private readonly listeners = new Set<(state: BreakerState) => void>();
  private readonly retryBackoff: IBackoffFactory<unknown>;
  private halfOpenDelayMs = 0;
  private probeTimer: NodeJS.Timeout | undefined;
  private probe: (() => Promise<Attempt<unknown>>) | undefined;
  private closed = false;

  constructor(
    private readonly config: ResolvedIrpClientConfig,
    private readonly now: () => number,
    private readonly events: ResilienceEvents = {},
  ) {
    const { breaker, retry: r, rateLimit } = config;
    // An unknown code is an answer: the IRP is up, so it does not count towards opening the circuit.
    // Neither does HTTP 429: an IRP saying "too many at once" is up too, and opening the circuit would
    // pause every partition for seconds where backing off (the retry below) is what it asks for. Counted,
    // a connector with more in flight than the IRP allows for one client id (the sandbox's default is 64)
    // tripped its own breaker over and over and ran at a few per cent of what the IRP would take.
    this.breaker = circuitBreaker(
      handleWhenResult((value) => {
        const a = value as Attempt<unknown>;
        return a.kind === 'transient' && a.cause.reason !== 'unknown-code' && !isThrottled(a.cause);
      }),
      {
        breaker: new ConsecutiveBreaker(breaker.consecutiveFailures),
        halfOpenAfter: recordingBackoff(
          new ExponentialBackoff({
            initialDelay: breaker.halfOpenAfterMs,
            maxDelay: breaker.maxHalfOpenAfterMs,
            generator: decorrelatedJitterGenerator,
          }),
          (ms) => (this.halfOpenDelayMs = ms),
        ),
      },
    );
    this.breaker.onStateChange((state) => this.stateChanged(STATE_NAMES[state]));
    this.retryBackoff = new ExponentialBackoff({
      initialDelay: r.initialDelayMs,
      maxDelay: r.maxDelayMs,
      generator: decorrelatedJitterGenerator,
    });
    this.limiter = rateLimit ? new TokenBucket(rateLimit.requestsPerSecond, rateLimit.burst) : undefined;
  }

  /** The request the breaker sends on its own to test a recovering IRP (one attempt, no retry). */
  setProbe(probe: () => Promise<Attempt<unknown>>): void {
    this.probe = probe;
  }

  breakerState(): BreakerState {
    return STATE_NAMES[this.breaker.state];
  }

  /** Subscribes to breaker state changes; returns the unsubscribe function. */
  onBreakerChange(listener: (state: BreakerState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs `attempt` with retries, the GSTIN's concurrency bound, the rate limit and the breaker. An
   * aborted `signal` stops retrying (the last cause is reported).
   */
  async run<T>(
    gstin: string,
    deadlineMs: number,
    attempt: (attemptNo: number, remainingMs: number) => Promise<Attempt<T>>,
    signal?: AbortSignal,
  ): Promise<Ran<T>> {
    const deadline = this.now() + deadlineMs;
    const remaining = () => deadline - this.now();
    let attempts = 0;
    let lastCause: TransientCause | undefined;
    let circuitOpen = false;

    const policy = retry(
      handleWhenResult((value) => (value as Attempt<T>).kind === 'transient' && remaining() > 0),
      { maxAttempts: this.config.retry.maxRetries, backoff: cappedBackoff(this.retryBackoff, remaining) },
    );
    policy.onRetry((event) => {
      if ('value' in event && lastCause) this.events.onRetry?.(gstin, event.attempt, lastCause, event.delay);
    });

    const result = await policy.execute(async (): Promise<Attempt<T>> => {
      if (signal?.aborted) {
        return {
          kind: 'transient',
          cause: lastCause ?? { reason: 'aborted', message: 'call aborted by the caller' },
        };
      }
      if (remaining() <= 0) {
        return {
          kind: 'transient',
          cause: lastCause ?? { reason: 'deadline', message: 'call deadline passed' },
        };
      }
      try {
        const outcome = await this.bulkheadFor(gstin).execute(async () => {
          if (this.limiter) await this.limiter.take();
          attempts += 1;
          return this.breaker.execute(() => attempt(attempts, remaining()));
        });
        if (outcome.kind === 'transient') lastCause = outcome.cause;
        return outcome;
      } catch (error) {
        if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
          circuitOpen = true;
          return { kind: 'final', value: undefined as T };
        }
        if (error instanceof BulkheadRejectedError) {
          lastCause = {
            reason: 'overloaded',
            message: `more than ${this.config.concurrency.queuePerGstin} calls waiting for ${gstin}`,
          };
          return { kind: 'transient', cause: lastCause };
        }
        throw error;
      }
    }, signal);

    if (circuitOpen) return lastCause ? { kind: 'circuit-open', cause: lastCause } : { kind: 'circuit-open' };
    if (result.kind === 'final') return { kind: 'final', value: result.value, attempts };
    return { kind: 'exhausted', cause: result.cause, attempts };
  }

  close(): void {
    this.closed = true;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.listeners.clear();
  }

  private bulkheadFor(gstin: string): BulkheadPolicy {
    let b = this.bulkheads.get(gstin);
    if (!b) {
      b = bulkhead(this.config.concurrency.perGstin, this.config.concurrency.queuePerGstin);
      this.bulkheads.set(gstin, b);
    }
    return b;
  }

  private stateChanged(state: BreakerState): void {
    if (state === 'open') this.scheduleProbe();
    for (const listener of this.listeners) {
      try {
        listener(state);
      } catch {
        // A listener's failure must not break the call that changed the state.
      }
    }
  }

  private scheduleProbe(): void {
    if (this.closed || !this.probe) return;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    // cockatiel compares with Date.now(); a few ms of slack make sure the probe finds it half-open.
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      if (this.closed || this.breaker.state !== CircuitState.Open) return;
      void this.breaker.execute(() => this.probe!()).catch(() => undefined);
    }, this.halfOpenDelayMs + 5);
    this.probeTimer.unref();
  }
}

/** The IRP (or its gateway) answered "too many requests": up, and asking the caller to slow down. */
function isThrottled(cause: TransientCause): boolean {
  return cause.reason === 'http-status' && cause.status === 429;
}
