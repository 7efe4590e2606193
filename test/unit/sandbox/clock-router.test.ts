import { describe, expect, it } from 'vitest';
import { SandboxClock } from '../../../src/sandbox/clock.js';
import { Router } from '../../../src/sandbox/http/router.js';

describe('SandboxClock', () => {
  it('runs from an offset, freezes, and resets to real time', () => {
    let real = 1_000_000;
    const clock = new SandboxClock(() => real);
    clock.set(new Date(5_000_000));
    real += 10;
    expect(clock.nowMs()).toBe(5_000_010);
    clock.freeze();
    real += 1000;
    expect(clock.nowMs()).toBe(5_000_010);
    clock.advance(90);
    expect(clock.nowMs()).toBe(5_000_100);
    clock.unfreeze();
    real += 5;
    expect(clock.nowMs()).toBe(5_000_105);
    clock.reset();
    expect(clock.nowMs()).toBe(real);
  });
});

describe('Router', () => {
  const router = new Router([
    { method: 'GET', paths: ['/eicore/v1.03/Invoice/irn/:irn'], name: 'get' },
    { method: 'POST', paths: ['/eicore/v1.03/Invoice'], name: 'post' },
  ]);

  it('matches literal segments case-insensitively and keeps parameters as sent', () => {
    const found = router.lookup('GET', '/EICORE/v1.03/invoice/IRN/AbC/');
    expect(found).toMatchObject({ kind: 'found', route: { name: 'get' }, params: { irn: 'AbC' } });
  });

  it('tells a wrong method from an unknown path, and survives bad escapes', () => {
    expect(router.lookup('GET', '/eicore/v1.03/Invoice').kind).toBe('method-not-allowed');
    expect(router.lookup('GET', '/nope').kind).toBe('not-found');
    expect(router.lookup('GET', '/eicore/v1.03/Invoice/irn/%E0%A4%A').kind).toBe('not-found');
  });
});
