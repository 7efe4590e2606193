import { describe, expect, it } from 'vitest';
import { KeyScheduler } from '../../../src/pipeline/key-scheduler.js';

const tick = (ms = 1) => new Promise((r) => setTimeout(r, ms));

describe('KeyScheduler', () => {
  it('runs one key in order and different keys concurrently', async () => {
    const s = new KeyScheduler(10);
    const log: string[] = [];
    let concurrent = 0;
    let peak = 0;
    const task = (name: string, ms: number) => async () => {
      concurrent++;
      peak = Math.max(peak, concurrent);
      log.push(`start ${name}`);
      await tick(ms);
      log.push(`end ${name}`);
      concurrent--;
    };
    const a1 = s.run('a', task('a1', 20));
    const a2 = s.run('a', task('a2', 1));
    const b1 = s.run('b', task('b1', 5));
    await Promise.all([a1, a2, b1]);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
    expect(peak).toBe(2);
  });

  it('bounds running tasks', async () => {
    const s = new KeyScheduler(3);
    let running = 0;
    let peak = 0;
    const dones: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) {
      dones.push(
        s.run(`k${i}`, async () => {
          running++;
          peak = Math.max(peak, running);
          expect(s.inFlight).toBeLessThanOrEqual(3);
          await tick(2);
          running--;
        }),
      );
    }
    expect(s.pending).toBe(20);
    await Promise.all(dones);
    await s.drain();
    await tick(); // bookkeeping settles just after the tasks
    expect(peak).toBe(3);
    expect(s.inFlight).toBe(0);
    expect(s.pending).toBe(0);
    expect(s.activeKeys).toBe(0);
  });

  it('records queued behind a slow key hold no slot: other keys keep running', async () => {
    const s = new KeyScheduler(2);
    let release!: () => void;
    const slow = s.run('slow', () => new Promise<void>((r) => (release = r)));
    const behind = Array.from({ length: 5 }, () => s.run('slow', async () => undefined));
    const others: string[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) => s.run(`k${i}`, async () => void others.push(`k${i}`))),
    );
    expect(others).toHaveLength(6);
    release();
    await Promise.all([slow, ...behind]);
  });

  it('a task can give its slot back while it waits', async () => {
    const s = new KeyScheduler(1);
    let wake!: () => void;
    const order: string[] = [];
    const held = s.run('a', async (slot) => {
      await slot.outside(new Promise<void>((r) => (wake = r)));
      order.push('a');
    });
    await s.run('b', async () => void order.push('b'));
    wake();
    await held;
    expect(order).toEqual(['b', 'a']);
  });

  it('a failing task rejects its own promise but does not block its key', async () => {
    const s = new KeyScheduler(2);
    const bad = s.run('k', async () => {
      throw new Error('boom');
    });
    const good = s.run('k', async () => 'ok');
    await expect(bad).rejects.toThrow('boom');
    await expect(good).resolves.toBe('ok');
  });
});
