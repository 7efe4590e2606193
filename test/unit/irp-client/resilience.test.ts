import { describe, expect, it } from 'vitest';
import {
  resolveIrpClientConfig,
  type IrpClientConfigInput,
  type ResolvedIrpClientConfig,
} from '../../../src/irp/client/config.js';
import {
  Resilience,
  TokenBucket,
  type Attempt,
  type BreakerState,
} from '../../../src/irp/client/resilience.js';

function config(over: Partial<IrpClientConfigInput> = {}): ResolvedIrpClientConfig {
  const r = resolveIrpClientConfig({
    baseUrl: 'http://127.0.0.1:1',
    publicKeyPem: 'pem',
    credentials: [],
    retry: { maxRetries: 4, initialDelayMs: 1, maxDelayMs: 5, deadlineMs: 5_000 },
    breaker: { consecutiveFailures: 3, halfOpenAfterMs: 50, maxHalfOpenAfterMs: 50 },
    ...over,
  });
  if (!r.ok) throw new Error(r.errors.join());
  return r.config;
}

const transient: Attempt<string> = { kind: 'transient', cause: { reason: 'timeout', message: 't' } };
const final = (value: string): Attempt<string> => ({ kind: 'final', value });

describe('Resilience.run', () => {
  it('retries transient attempts with backoff until one is final', async () => {
    const r = new Resilience(config(), Date.now);
    let n = 0;
    const out = await r.run('G', 5_000, async () => (++n < 3 ? transient : final('ok')));
    expect(out).toEqual({ kind: 'final', value: 'ok', attempts: 3 });
  });

  it('never retries a final answer (a rejection is not worth a second error)', async () => {
    const r = new Resilience(config(), Date.now);
    let n = 0;
    const out = await r.run('G', 5_000, async () => {
      n += 1;
      return final('rejected');
    });
    expect(out).toMatchObject({ kind: 'final', attempts: 1 });
    expect(n).toBe(1);
  });

  it('gives up after maxRetries with the last cause', async () => {
    const r = new Resilience(config({ breaker: { consecutiveFailures: 100 } }), Date.now);
    const out = await r.run('G', 5_000, async () => transient);
    expect(out).toEqual({ kind: 'exhausted', cause: transient.cause, attempts: 5 });
  });

  it('stops at the deadline even with retries left, and caps backoff to the remaining time', async () => {
    const r = new Resilience(
      config({
        retry: { maxRetries: 1000, initialDelayMs: 30, maxDelayMs: 30 },
        breaker: { consecutiveFailures: 10_000 },
      }),
      Date.now,
    );
    const started = Date.now();
    const out = await r.run('G', 200, async () => transient);
    const elapsed = Date.now() - started;
    expect(out.kind).toBe('exhausted');
    expect(elapsed).toBeLessThan(1_000);
    expect((out as { attempts: number }).attempts).toBeLessThan(20);
  });

  it('stops retrying once the caller aborts', async () => {
    const r = new Resilience(config({ breaker: { consecutiveFailures: 100 } }), Date.now);
    const controller = new AbortController();
    let n = 0;
    const out = await r.run(
      'G',
      5_000,
      async () => {
        n += 1;
        controller.abort();
        return transient;
      },
      controller.signal,
    );
    expect(out).toMatchObject({ kind: 'exhausted', attempts: 1 });
    expect(n).toBe(1);
  });

  it('passes the remaining deadline to each attempt', async () => {
    // A clock the attempts move (each takes 5 ms of it): with Date.now and a backoff whose jitter can be
    // 0 ms, two attempts could start in the same millisecond and see the same remaining time.
    let now = 0;
    const r = new Resilience(config(), () => now);
    const seen: number[] = [];
    await r.run('G', 1_000, async (_n, remaining) => {
      seen.push(remaining);
      now += 5;
      return seen.length < 2 ? transient : final('x');
    });
    expect(seen[0]).toBeLessThanOrEqual(1_000);
    expect(seen[1]).toBeLessThan(seen[0]!);
  });

  it('opens the breaker on consecutive transient attempts, fails fast while open, and a probe closes it', async () => {
    const r = new Resilience(config({ retry: { maxRetries: 0 } }), Date.now);
    const states: BreakerState[] = [];
    r.onBreakerChange((s) => states.push(s));
    let healthy = false;
    let probes = 0;
    r.setProbe(async () => {
      probes += 1;
      return healthy ? final('up') : transient;
    });
    for (let i = 0; i < 3; i += 1) await r.run('G', 1_000, async () => transient);
    expect(r.breakerState()).toBe('open');

    let sent = 0;
    const blocked = await r.run('G', 1_000, async () => {
      sent += 1;
      return final('x');
    });
    expect(blocked).toMatchObject({ kind: 'circuit-open' });
    expect(sent).toBe(0);

    healthy = true;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(probes).toBeGreaterThanOrEqual(1);
    expect(r.breakerState()).toBe('closed');
    expect(states).toEqual(['open', 'half-open', 'closed']);
    r.close();
  });

  it('a failed probe re-opens and schedules the next one', async () => {
    const r = new Resilience(config({ retry: { maxRetries: 0 } }), Date.now);
    let probes = 0;
    r.setProbe(async () => {
      probes += 1;
      return probes >= 2 ? final('up') : transient;
    });
    for (let i = 0; i < 3; i += 1) await r.run('G', 1_000, async () => transient);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(probes).toBe(2);
    expect(r.breakerState()).toBe('closed');
    r.close();
  });

  it('rejections and successes keep the breaker closed', async () => {
    const r = new Resilience(config({ retry: { maxRetries: 0 } }), Date.now);
    for (let i = 0; i < 20; i += 1) {
      await r.run('G', 1_000, async () => transient);
      await r.run('G', 1_000, async () => final('rejected'));
    }
    expect(r.breakerState()).toBe('closed');
  });

  it('HTTP 429 (the IRP asking for less at once) is retried but never opens the breaker', async () => {
    const r = new Resilience(config({ retry: { maxRetries: 0 } }), Date.now);
    const throttled: Attempt<string> = {
      kind: 'transient',
      cause: { reason: 'http-status', status: 429, message: 'HTTP 429 from the IRP' },
    };
    for (let i = 0; i < 20; i += 1)
      expect(await r.run('G', 1_000, async () => throttled)).toMatchObject({ kind: 'exhausted' });
    expect(r.breakerState()).toBe('closed');
    // Any other HTTP status still counts: three 503s in a row open it.
    const unavailable: Attempt<string> = {
      kind: 'transient',
      cause: { reason: 'http-status', status: 503, message: 'HTTP 503 from the IRP' },
    };
    for (let i = 0; i < 3; i += 1) await r.run('G', 1_000, async () => unavailable);
    expect(r.breakerState()).toBe('open');
    r.close();
  });

  it('bounds in-flight attempts per GSTIN, not across GSTINs', async () => {
    const r = new Resilience(config({ concurrency: { perGstin: 2 } }), Date.now);
    const inFlight = new Map<string, number>();
    const max = new Map<string, number>();
    const work = (g: string) =>
      r.run(g, 5_000, async () => {
        inFlight.set(g, (inFlight.get(g) ?? 0) + 1);
        max.set(g, Math.max(max.get(g) ?? 0, inFlight.get(g)!));
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight.set(g, inFlight.get(g)! - 1);
        return final(g);
      });
    await Promise.all([
      ...Array.from({ length: 10 }, () => work('A')),
      ...Array.from({ length: 10 }, () => work('B')),
    ]);
    expect(max.get('A')).toBe(2);
    expect(max.get('B')).toBe(2);
  });

  it('a full per-GSTIN queue fails fast as transient "overloaded"', async () => {
    const r = new Resilience(
      config({ concurrency: { perGstin: 1, queuePerGstin: 0 }, retry: { maxRetries: 0 } }),
      Date.now,
    );
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = r.run('G', 5_000, async () => {
      await gate;
      return final('a');
    });
    const second = await r.run('G', 5_000, async () => final('b'));
    expect(second).toMatchObject({ kind: 'exhausted', cause: { reason: 'overloaded' } });
    release();
    expect(await first).toMatchObject({ kind: 'final', value: 'a' });
  });
});

describe('TokenBucket', () => {
  it('lets a burst through, then paces at the rate', async () => {
    const bucket = new TokenBucket(50, 5);
    const started = Date.now();
    await Promise.all(Array.from({ length: 15 }, () => bucket.take()));
    const elapsed = Date.now() - started;
    // 5 immediately, 10 more at 50/s ≈ 200 ms.
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(1_000);
  });
});
