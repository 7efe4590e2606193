/**
 * `toItem` is written out field by field for speed; it must make exactly the item that the plain
 * definition makes — the facts spread, the derived amounts over them, then the schema's order
 * (ITEM_ORDER) with undefined left out — key order included, since that is the JSON the IRP receives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Item } from '../../src/irp/schema/invoice.js';
import { assessable, ITEM_ORDER, itemTotal, toItem, type Line } from './invoice.js';
import { rupees } from './decimal.js';

function reference({ facts, money: m }: Line): Item {
  const item: Item = {
    ...facts,
    TotAmt: rupees(m.gross),
    Discount: rupees(m.discount),
    AssAmt: rupees(assessable(m)),
    IgstAmt: rupees(m.igst),
    CgstAmt: rupees(m.cgst),
    SgstAmt: rupees(m.sgst),
    CesAmt: rupees(m.cess),
    CesNonAdvlAmt: rupees(m.cessNonAdvl),
    OthChrg: rupees(m.othChrg),
    TotItemVal: rupees(itemTotal(m)),
  };
  if (m.preTax !== undefined) item.PreTaxVal = rupees(m.preTax);
  if (m.stateCess !== 0 || m.stateCessNonAdvl !== 0 || facts.StateCesRt !== undefined) {
    item.StateCesAmt = rupees(m.stateCess);
    item.StateCesNonAdvlAmt = rupees(m.stateCessNonAdvl);
  }
  const rec = item as Record<string, unknown>;
  return Object.fromEntries(ITEM_ORDER.filter((k) => rec[k] !== undefined).map((k) => [k, rec[k]])) as Item;
}

const paise = fc.integer({ min: -10_000_000, max: 10_000_000 });
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
// Any facts, in any order, including (against the type) names the money derives, and unknown names.
const facts = fc
  .array(
    fc.tuple(
      fc.constantFrom(...ITEM_ORDER, 'Extra', 'PreTaxVal', 'StateCesAmt'),
      fc.oneof(fc.string(), fc.double({ noNaN: true }), fc.constant(undefined)),
    ),
    { maxLength: 30 },
  )
  .map((entries) => Object.fromEntries(entries) as unknown as Line['facts']);
const money = fc.record({
  gross: paise,
  discount: paise,
  preTax: maybe(paise),
  igst: paise,
  cgst: paise,
  sgst: paise,
  cess: paise,
  cessNonAdvl: paise,
  stateCess: fc.oneof(fc.constant(0), paise),
  stateCessNonAdvl: fc.oneof(fc.constant(0), paise),
  othChrg: paise,
});

describe('toItem', () => {
  it('makes the item the plain definition makes, key order included', () => {
    fc.assert(
      fc.property(facts, money, (f, m) => {
        const line = { facts: f, money: m } as Line;
        const got = toItem(line);
        const want = reference(line);
        expect(Object.keys(got)).toEqual(Object.keys(want));
        expect(got).toStrictEqual(want);
      }),
      { numRuns: 5000 },
    );
  });
});
