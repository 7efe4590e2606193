import { describe, expect, it } from 'vitest';
import type { AuthResult } from '../../../src/irp/client/auth.js';
import { IrpSession, type SessionPolicy } from '../../../src/irp/client/session.js';

const MIN = 60_000;
const policy: SessionPolicy = {
  refreshBeforeExpiryMs: 5 * MIN,
  expiryMarginMs: 30_000,
  minRefreshIntervalMs: MIN,
  assumedTokenValidityMs: 60 * MIN,
  credentialsRetryAfterMs: 10 * MIN,
};

/** A scripted IRP login: records every call; resolves when the test says so. */
function fakeAuth(clock: { now: number }, validityMs = 60 * MIN) {
  const calls: { force: boolean; at: number }[] = [];
  let next = 0;
  let mode: 'ok' | 'transient' | 'credentials' = 'ok';
  let gate: Promise<void> = Promise.resolve();
  const auth = async (force: boolean): Promise<AuthResult> => {
    calls.push({ force, at: clock.now });
    await gate;
    if (mode === 'transient')
      return { ok: false, kind: 'transient', cause: { reason: 'timeout', message: 't' } };
    if (mode === 'credentials')
      return { ok: false, kind: 'credentials', code: '1019', message: 'Incorrect Password' };
    next += 1;
    return {
      ok: true,
      token: {
        token: `T${next}`,
        sek: Buffer.alloc(32, next),
        tokenExpiry: 'x',
        expiresAtMs: clock.now + validityMs,
      },
    };
  };
  return {
    auth,
    calls,
    setMode: (m: typeof mode) => (mode = m),
    hold: () => {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return () => {
        gate = Promise.resolve();
        release();
      };
    },
  };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('IrpSession', () => {
  it('single-flight: 200 concurrent acquires cause one login and share its token', async () => {
    const clock = { now: 1_000_000 };
    const f = fakeAuth(clock);
    const release = f.hold();
    const session = new IrpSession(f.auth, () => clock.now, policy);
    const all = Array.from({ length: 200 }, () => session.acquire());
    release();
    const results = await Promise.all(all);
    expect(f.calls).toHaveLength(1);
    expect(new Set(results.map((r) => (r.ok ? r.token : 'x')))).toEqual(new Set(['T1']));
  });

  it('reuses the token until the refresh window, then calls share one refresh', async () => {
    const clock = { now: 0 };
    const f = fakeAuth(clock);
    const session = new IrpSession(f.auth, () => clock.now, policy);
    expect(await session.acquire()).toMatchObject({ ok: true, token: 'T1' });

    clock.now = 54 * MIN; // 6 minutes left: outside the 5-minute refresh window
    expect(await session.acquire()).toMatchObject({ ok: true, token: 'T1' });
    expect(f.calls).toHaveLength(1);

    clock.now = 56 * MIN; // 4 minutes left: one forced refresh, every caller gets the new token
    const release = f.hold();
    const during = Promise.all([session.acquire(), session.acquire(), session.acquire()]);
    await flush();
    expect(f.calls).toHaveLength(2);
    expect(f.calls[1]).toEqual({ force: true, at: 56 * MIN });
    release();
    expect((await during).map((r) => (r.ok ? r.token : '-'))).toEqual(['T2', 'T2', 'T2']);
    expect(await session.acquire()).toMatchObject({ ok: true, token: 'T2' });
    expect(f.calls).toHaveLength(2);
  });

  it('sets ForceRefreshAccessToken only inside the last 10 minutes', async () => {
    const clock = { now: 0 };
    const f = fakeAuth(clock);
    const session = new IrpSession(f.auth, () => clock.now, { ...policy, refreshBeforeExpiryMs: 10 * MIN });
    await session.acquire();
    expect(f.calls[0]!.force).toBe(false); // first login
    clock.now = 49 * MIN;
    await session.acquire();
    expect(f.calls).toHaveLength(1); // 11 minutes left: nothing
    clock.now = 50 * MIN + 1;
    await session.acquire();
    expect(f.calls[1]).toMatchObject({ force: true });
  });

  it('waits for a new token inside the expiry margin, and after expiry', async () => {
    const clock = { now: 0 };
    const f = fakeAuth(clock);
    const session = new IrpSession(f.auth, () => clock.now, { ...policy, refreshBeforeExpiryMs: 10_000 });
    await session.acquire();
    clock.now = 60 * MIN - 20_000; // inside the 30 s margin
    expect(await session.acquire()).toMatchObject({ ok: true, token: 'T2' });
    expect(f.calls[1]!.force).toBe(true);
    clock.now = 200 * MIN; // long expired
    expect(await session.acquire()).toMatchObject({ ok: true, token: 'T3' });
  });

  it('a failed refresh falls back to the still-valid token and is not retried before minRefreshInterval', async () => {
    const clock = { now: 0 };
    const f = fakeAuth(clock);
    const session = new IrpSession(f.auth, () => clock.now, policy);
    await session.acquire();
    f.setMode('transient');
    clock.now = 56 * MIN;
    expect(await session.acquire()).toMatchObject({ ok: true, token: 'T1' });
    clock.now = 56 * MIN + 30_000;
    expect(await session.acquire()).toMatchObject({ ok: true, token: 'T1' });
    expect(f.calls).toHaveLength(2);
    clock.now = 57 * MIN + 1;
    f.setMode('ok');
    expect(await session.acquire()).toMatchObject({ token: 'T2' });
    expect(f.calls).toHaveLength(3);
  });

  it('a credentials failure at refresh keeps the valid token in use until it expires', async () => {
    const clock = { now: 0 };
    const f = fakeAuth(clock);
    const session = new IrpSession(f.auth, () => clock.now, policy);
    await session.acquire();
    f.setMode('credentials');
    clock.now = 56 * MIN;
    expect(await session.acquire()).toMatchObject({ ok: true, token: 'T1' });
    clock.now = 58 * MIN;
    expect(await session.acquire()).toMatchObject({ ok: true, token: 'T1' });
    expect(f.calls).toHaveLength(2);
    clock.now = 61 * MIN;
    expect(await session.acquire()).toMatchObject({ ok: false, kind: 'credentials' });
    expect(f.calls).toHaveLength(2);
  });

  it('invalidate drops only the token the failing call used, so stale 1005s cause one login', async () => {
    const clock = { now: 0 };
    const f = fakeAuth(clock);
    const session = new IrpSession(f.auth, () => clock.now, policy);
    await session.acquire();
    session.invalidate('T1');
    const release = f.hold();
    const first = session.acquire();
    session.invalidate('T1'); // a second 1005 for the same stale token while the login is in flight
    const second = session.acquire();
    release();
    expect(await first).toMatchObject({ token: 'T2' });
    expect(await second).toMatchObject({ token: 'T2' });
    session.invalidate('T1'); // late 1005 for the old token: the new one stays
    expect(await session.acquire()).toMatchObject({ token: 'T2' });
    expect(f.calls).toHaveLength(2);
    expect(f.calls[1]!.force).toBe(false); // after 1005 a normal login: no force outside the window
  });

  it('remembers a credentials failure: no new login until credentialsRetryAfter, or a reset', async () => {
    const clock = { now: 0 };
    const f = fakeAuth(clock);
    f.setMode('credentials');
    const session = new IrpSession(f.auth, () => clock.now, policy);
    for (let i = 0; i < 100; i += 1) {
      expect(await session.acquire()).toMatchObject({ ok: false, kind: 'credentials', code: '1019' });
    }
    expect(f.calls).toHaveLength(1);
    expect(session.state().credentialsFailure).toMatchObject({ code: '1019' });
    clock.now = 10 * MIN;
    await session.acquire();
    expect(f.calls).toHaveLength(2);
    f.setMode('ok');
    session.resetCredentialsFailure();
    expect(await session.acquire()).toMatchObject({ ok: true });
    expect(session.state()).toMatchObject({ authenticated: true, logins: 3 });
  });

  it('transient login failures are not remembered: the next call tries again', async () => {
    const clock = { now: 0 };
    const f = fakeAuth(clock);
    f.setMode('transient');
    const session = new IrpSession(f.auth, () => clock.now, policy);
    expect(await session.acquire()).toMatchObject({ ok: false, kind: 'transient' });
    f.setMode('ok');
    expect(await session.acquire()).toMatchObject({ ok: true });
  });

  it('guards against clock skew: an expiry already past on the local clock is replaced by the assumed validity', async () => {
    const clock = { now: 0 };
    const f = fakeAuth(clock, -2 * 60 * MIN); // the IRP's clock is 3 hours behind ours
    const session = new IrpSession(f.auth, () => clock.now, policy);
    await session.acquire();
    for (let i = 0; i < 50; i += 1) await session.acquire();
    expect(f.calls).toHaveLength(1);
    expect(session.state().expiresAt).toBe(60 * MIN);
  });

  it('a login that throws is a transient failure, not an unhandled rejection', async () => {
    const session = new IrpSession(
      () => Promise.reject(new Error('boom')),
      () => 0,
      policy,
    );
    expect(await session.acquire()).toMatchObject({
      ok: false,
      kind: 'transient',
      cause: { message: 'boom' },
    });
  });
});
