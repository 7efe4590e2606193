import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PartitionOffsets } from '../../../src/pipeline/offset-tracker.js';

describe('PartitionOffsets', () => {
  it('commits the highest contiguous completed offset, waiting for gaps to close', () => {
    const t = new PartitionOffsets();
    for (const o of ['10', '11', '12', '13']) t.begin(o);
    expect(t.complete('12')).toBeUndefined();
    expect(t.complete('11')).toBeUndefined();
    expect(t.complete('10')).toBe('13');
    expect(t.complete('13')).toBe('14');
    expect(t.pending).toBe(0);
  });

  it('steps over offsets that never arrive (compaction, transaction markers)', () => {
    const t = new PartitionOffsets();
    for (const o of ['5', '8', '9']) t.begin(o);
    expect(t.complete('8')).toBeUndefined();
    expect(t.complete('5')).toBe('9');
    expect(t.complete('9')).toBe('10');
  });

  it('handles int64 offsets beyond 2^53', () => {
    const t = new PartitionOffsets();
    t.begin('9007199254740993');
    expect(t.complete('9007199254740993')).toBe('9007199254740994');
  });

  it('refuses to complete an offset that was not in flight', () => {
    expect(() => new PartitionOffsets().complete('1')).toThrow();
  });

  it('never passes an unfinished offset, whatever the completion order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(50), { minLength: 1, maxLength: 30 }), fc.nat(), (raw, seed) => {
        const offsets = [...raw].sort((a, b) => a - b);
        const t = new PartitionOffsets();
        offsets.forEach((o) => t.begin(String(o)));
        const order = [...offsets].sort((a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101));
        const done = new Set<number>();
        for (const o of order) {
          t.complete(String(o));
          done.add(o);
          const c = Number(t.committable());
          // every offset below the committable one is done (or was never begun)
          for (const x of offsets) if (x < c) expect(done.has(x)).toBe(true);
        }
        expect(t.committable()).toBe(String(offsets[offsets.length - 1]! + 1));
      }),
    );
  });
});
