import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { invoice, startHarness, type Harness } from './harness.js';
import type { SpecClient } from './spec-client.js';

let h: Harness;
let c: SpecClient;
beforeAll(async () => {
  h = await startHarness();
  c = await h.loggedIn();
});
afterEach(async () => {
  await h.admin.clearFaults();
  await h.admin.clock({ reset: true });
});
afterAll(() => h.close());

const gstinPath = () => `/eivital/v1.03/Master/gstin/${h.creds.gstin}`;

describe('fault injection', () => {
  it('adds latency to the scoped API only', async () => {
    await h.admin.addFault({ scope: { apis: ['gstin-details'] }, latency: { fixedMs: 300 } });
    let t = Date.now();
    expect((await c.get(gstinPath())).envelope.Status).toBe(1);
    expect(Date.now() - t).toBeGreaterThanOrEqual(290);
    t = Date.now();
    await c.get(`/eicore/v1.03/Invoice/irn/${'0'.repeat(64)}`);
    expect(Date.now() - t).toBeLessThan(250);
  });

  it('many requests held by latency at once: all answered, and no listener-leak warning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      await h.admin.addFault({ scope: { apis: ['gstin-details'] }, latency: { fixedMs: 200 } });
      // More than node's default of ten listeners on the sandbox's one shutdown signal.
      const answers = await Promise.all(Array.from({ length: 24 }, () => c.get(gstinPath())));
      expect(answers.map((a) => a.envelope.Status)).toEqual(Array(24).fill(1));
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('HTTP 5xx from a gateway: HTML, no envelope', async () => {
    await h.admin.addFault({ scope: { paths: ['/eivital/'] }, failure: { kind: 'http-5xx', status: 502 } });
    const res = await c.raw('GET', gstinPath(), { headers: c.sessionHeaders() });
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.json).toBeUndefined();
  });

  it('a 5002 envelope', async () => {
    await h.admin.addFault({ failure: { kind: 'envelope-5002' }, maxHits: 1 });
    const res = await c.get(gstinPath());
    expect(res.httpStatus).toBe(200);
    expect(res.codes).toEqual(['5002']);
    expect((await c.get(gstinPath())).envelope.Status).toBe(1);
  });

  it("an IRP error of the test's choosing: a catalogued code with NIC's message, or any code with its own", async () => {
    await h.admin.addFault({
      scope: { apis: ['gstin-details'] },
      failure: { kind: 'envelope-error', code: '2148' },
      maxHits: 1,
    });
    const res = await c.get(gstinPath());
    expect(res.httpStatus).toBe(200);
    expect(res.codes).toEqual(['2148']);
    expect(res.envelope.ErrorDetails).toEqual([
      { ErrorCode: '2148', ErrorMessage: 'Requested IRN data is not available' },
    ]);
    await h.admin.addFault({
      failure: { kind: 'envelope-error', code: '7777', message: 'New rule' },
      maxHits: 1,
    });
    expect((await c.get(gstinPath())).envelope.ErrorDetails).toEqual([
      { ErrorCode: '7777', ErrorMessage: 'New rule' },
    ]);
    expect((await c.get(gstinPath())).envelope.Status).toBe(1);
  });

  it('a connection reset makes the client fail fast', async () => {
    await h.admin.addFault({ failure: { kind: 'connection-reset' }, maxHits: 1 });
    await expect(c.get(gstinPath())).rejects.toThrow();
    expect((await c.get(gstinPath())).envelope.Status).toBe(1);
  });

  it('no response: the client has to time out', async () => {
    await h.admin.addFault({ failure: { kind: 'no-response' }, maxHits: 1 });
    const t = Date.now();
    await expect(
      c.raw('GET', gstinPath(), { headers: c.sessionHeaders(), timeoutMs: 500 }),
    ).rejects.toThrow();
    expect(Date.now() - t).toBeGreaterThanOrEqual(450);
  });

  it('an outage window on the sandbox clock', async () => {
    const now = Date.now();
    await h.admin.addFault({
      name: 'maintenance',
      scope: { paths: ['/eivital/v1.03/Master/'] },
      window: {
        from: new Date(now + 3_600_000).toISOString(),
        until: new Date(now + 7_200_000).toISOString(),
      },
      failure: { kind: 'http-5xx', status: 503 },
    });
    expect((await c.get(gstinPath())).envelope.Status).toBe(1);
    await h.admin.clock({ advanceMs: 5_400_000 });
    await c.authV104();
    expect((await c.raw('GET', gstinPath(), { headers: c.sessionHeaders() })).status).toBe(503);
    await h.admin.clock({ advanceMs: 3_600_000 });
    await c.authV104();
    expect((await c.get(gstinPath())).envelope.Status).toBe(1);
  });

  it('forced token invalidation: 1005 once, then a re-login works', async () => {
    await h.admin.addFault({ invalidateToken: true, maxHits: 1 });
    const before = c.authToken;
    expect((await c.get(gstinPath())).codes).toEqual(['1005']);
    await c.authV104();
    expect(c.authToken).not.toBe(before);
    expect((await c.get(gstinPath())).envelope.Status).toBe(1);
  });

  it('the admin endpoint also revokes tokens outright', async () => {
    const { revoked } = await h.admin.invalidateTokens({ gstin: h.creds.gstin });
    expect(revoked).toBeGreaterThanOrEqual(1);
    expect((await c.get(gstinPath())).codes).toEqual(['1005']);
    await c.authV104();
  });

  it('a response lost after processing: the retry meets 2150 with the IRN to recover', async () => {
    await h.admin.addFault({
      scope: { apis: ['generate-irn'] },
      failure: { kind: 'http-5xx', status: 504, phase: 'after' },
      maxHits: 1,
    });
    const inv = invoice({ seller: h.creds.gstin });
    const lost = await c.post('/eicore/v1.03/Invoice', inv);
    expect(lost.httpStatus).toBe(504);
    expect(lost.envelope).toBeUndefined();
    const retry = await c.post('/eicore/v1.03/Invoice', inv);
    expect(retry.codes).toEqual(['2150']);
    const irn = (retry.envelope.InfoDtls![0]!.Desc as { Irn: string }).Irn;
    expect((await c.get(`/eicore/v1.03/Invoice/irn/${irn}`)).envelope.Status).toBe(1);
  });

  it('is deterministic with a seed (faults given as start-up config)', async () => {
    const profile = { seed: 42, rules: [{ probability: 0.3, failure: { kind: 'envelope-5002' } }] };
    const pattern = async (seed: number) => {
      const s = await startHarness({ faults: { ...profile, seed } as never });
      try {
        const sc = await s.loggedIn();
        const out: number[] = [];
        for (let i = 0; i < 30; i++)
          out.push((await sc.get(`/eivital/v1.03/Master/gstin/${s.creds.gstin}`)).envelope.Status);
        return out.join('');
      } finally {
        await s.close();
      }
    };
    const [a, b, other] = [await pattern(42), await pattern(42), await pattern(7)];
    expect(a).toBe(b);
    expect(a).not.toBe(other);
    expect(a).toContain('0');
    expect(a).toContain('1');
  });

  it('counts what reached the IRP and which faults fired', async () => {
    await fetch(`${h.creds.baseUrl}/sandbox/admin/stats`, {
      method: 'DELETE',
      headers: { 'x-admin-secret': h.creds.adminSecret },
    });
    await h.admin.addFault({
      name: 'slow',
      scope: { apis: ['gstin-details'] },
      latency: { uniformMs: [1, 5] },
    });
    await c.get(gstinPath());
    await c.get(gstinPath());
    const stats = await h.admin.stats();
    expect(stats['gstin-details']).toMatchObject({ requests: 2, succeeded: 2, faults: { slow: 2 } });
  });
});
