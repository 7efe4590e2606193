import { describe, expect, it } from 'vitest';
import { SandboxClock } from '../../../src/sandbox/clock.js';
import { FaultEngine } from '../../../src/sandbox/faults/fault-engine.js';
import { decodeFaultProfile, decodeFaultRule } from '../../../src/sandbox/faults/fault-profile.js';

const request = { api: 'generate-irn' as const, method: 'POST', path: '/eicore/v1.03/Invoice' };

function pattern(seed: number, probability: number, n = 200): string {
  const engine = new FaultEngine(new SandboxClock());
  engine.load({ seed, rules: [{ probability, failure: { kind: 'envelope-5002' } }] });
  return Array.from({ length: n }, () => (engine.decide(request).failure ? 'x' : '.')).join('');
}

describe('FaultEngine', () => {
  it('is deterministic per seed and roughly honours the probability', () => {
    expect(pattern(1, 0.25)).toBe(pattern(1, 0.25));
    expect(pattern(1, 0.25)).not.toBe(pattern(2, 0.25));
    const hits = pattern(3, 0.25, 2000).split('x').length - 1;
    expect(hits).toBeGreaterThan(400);
    expect(hits).toBeLessThan(600);
  });

  it('scopes by API, path prefix and method; stops after maxHits', () => {
    const engine = new FaultEngine(new SandboxClock());
    engine.add({ scope: { apis: ['cancel-irn'] }, failure: { kind: 'http-5xx' } });
    engine.add({ scope: { paths: ['/EICORE/'], methods: ['post'] }, latency: { fixedMs: 50 }, maxHits: 2 });
    const first = engine.decide(request);
    expect(first.delayMs).toBe(50);
    expect(first.failure).toBeUndefined();
    expect(engine.decide({ ...request, api: 'cancel-irn' }).failure).toMatchObject({
      kind: 'http-5xx',
      status: 503,
      phase: 'before',
    });
    expect(engine.decide(request).delayMs).toBe(0);
    expect(engine.snapshot().rules.map((r) => r.hits)).toEqual([1, 2]);
  });

  it('windows follow the sandbox clock; forMs is anchored when the rule is installed', () => {
    const clock = new SandboxClock();
    clock.freeze();
    const engine = new FaultEngine(clock);
    engine.add({ window: { forMs: 60_000 }, failure: { kind: 'no-response' } });
    expect(engine.decide(request).failure?.kind).toBe('no-response');
    clock.advance(60_000);
    expect(engine.decide(request).failure).toBeUndefined();
  });

  it('samples latency distributions within sane bounds', () => {
    const engine = new FaultEngine(new SandboxClock());
    engine.load({ seed: 9, rules: [{ latency: { uniformMs: [10, 20] } }] });
    for (let i = 0; i < 50; i++) {
      const d = engine.decide(request).delayMs;
      expect(d).toBeGreaterThanOrEqual(10);
      expect(d).toBeLessThanOrEqual(20);
    }
    engine.load({ rules: [{ latency: { normalMs: { mean: 100, stdDev: 500 } } }] });
    for (let i = 0; i < 50; i++) expect(engine.decide(request).delayMs).toBeGreaterThanOrEqual(0);
  });
});

describe('fault profile decoding', () => {
  it('rejects unknown members, impossible probabilities and rules that do nothing', () => {
    expect(decodeFaultProfile({ rules: [{ failure: { kind: 'http-5xx', stauts: 500 } }] })).toMatchObject({
      ok: false,
    });
    expect(decodeFaultRule({ probability: 2, latency: { fixedMs: 1 } })).toMatchObject({ ok: false });
    expect(decodeFaultRule({ name: 'idle' })).toMatchObject({ ok: false });
    expect(decodeFaultRule({ failure: { kind: 'http-5xx', status: 404 } })).toMatchObject({ ok: false });
    expect(decodeFaultRule({ scope: { apis: ['no-such-api'] }, latency: { fixedMs: 1 } })).toMatchObject({
      ok: false,
    });
    expect(
      decodeFaultRule({ scope: { apis: ['auth'] }, failure: { kind: 'connection-reset', phase: 'after' } }),
    ).toMatchObject({
      ok: true,
    });
  });

  it('an envelope-error needs a code, and a message unless the catalogue knows the code', () => {
    expect(decodeFaultRule({ failure: { kind: 'envelope-error', code: '2148' } })).toMatchObject({
      ok: true,
    });
    expect(decodeFaultRule({ failure: { kind: 'envelope-error' } })).toMatchObject({ ok: false });
    expect(decodeFaultRule({ failure: { kind: 'envelope-error', code: '7777' } })).toMatchObject({
      ok: false,
    });
    expect(
      decodeFaultRule({ failure: { kind: 'envelope-error', code: '7777', message: 'New rule' } }),
    ).toMatchObject({ ok: true });
    expect(decodeFaultRule({ failure: { kind: 'http-5xx', code: '2148' } })).toMatchObject({ ok: false });
  });
});
