import { describe, expect, it } from 'vitest';
import { isUqc } from '../../src/irp/masters/index.js';
import { allocate } from '../shared/allocate.js';
import { parseDec } from '../shared/decimal.js';
import { documentedSuite } from '../testkit/documented.js';
import { goldenSuite } from '../testkit/golden-suite.js';
import { TALLY_UNIT_TO_UQC } from './tables.js';

goldenSuite('tally');
documentedSuite('tally');

describe('tally tables', () => {
  it('translates every unit symbol to a UQC of the master', () => {
    for (const [unit, uqc] of Object.entries(TALLY_UNIT_TO_UQC)) expect(isUqc(uqc), unit).toBe(true);
  });
});

describe('allocate (voucher-level tax → lines)', () => {
  const d = (s: string) => parseDec(s)!;
  it('gives the rounding difference to the largest lines first', () => {
    // half-paisa lines each round up; the ledger, rounded once, holds fewer paise
    expect(allocate(2, [d('0.005'), d('0.005'), d('0.005')])).toEqual([0, 1, 1]);
    expect(allocate(4, [d('0.005'), d('0.025'), d('0.005')])).toEqual([1, 2, 1]);
  });
  it('returns the per-line roundings when they already add up', () => {
    expect(allocate(1161, [d('8.046'), d('3.564')])).toEqual([805, 356]);
  });
  it('refuses totals that rounding cannot explain', () => {
    expect(allocate(1200, [d('8.046'), d('3.564')])).toBeUndefined();
  });
});
