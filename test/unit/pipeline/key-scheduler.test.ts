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
    const a1 = await s.submit('a', task('a1', 20));
    const a2 = await s.submit('a', task('a2', 1));
    const b1 = await s.submit('b', task('b1', 5));
    await Promise.all([a1.done, a2.done, b1.done]);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
    expect(peak).toBe(2);
  });

  it('bounds in-flight tasks and makes the feeder wait (back-pressure)', async () => {
    const s = new KeyScheduler(3);
    let running = 0;
    let peak = 0;
    const dones: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) {
      const { done } = await s.submit(`k${i}`, async () => {
        running++;
        peak = Math.max(peak, running);
        await tick(2);
        running--;
      });
      expect(s.inFlight).toBeLessThanOrEqual(3);
      dones.push(done);
    }
    await Promise.all(dones);
    expect(peak).toBe(3);
    expect(s.inFlight).toBe(0);
    expect(s.activeKeys).toBe(0);
  });

  it('a failing task rejects its own promise but does not block its key', async () => {
    const s = new KeyScheduler(2);
    const bad = await s.submit('k', async () => {
      throw new Error('boom');
    });
    const good = await s.submit('k', async () => 'ok');
    await expect(bad.done).rejects.toThrow('boom');
    await expect(good.done).resolves.toBe('ok');
  });
});
