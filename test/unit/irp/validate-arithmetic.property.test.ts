/**
 * Property-based tests of the arithmetic rules (README §9): any invoice whose figures are built the way
 * the rules say is valid, and moving a total by more than the ±₹1 tolerance is always caught with the
 * right code, by no more than the tolerance never.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { round2 } from '../../../src/irp/validate/money.js';
import { validateInvoice } from '../../../src/irp/validate/index.js';
import { dayAfter, invoiceSample, type Json } from '../../support/irp-samples.js';

const SLABS = [0, 0.25, 3, 5, 12, 18, 28];
const paise = (max: number) => fc.integer({ min: 0, max: max * 100 }).map((p) => p / 100);

const itemArb = fc.record({
  qty: fc.integer({ min: 1, max: 100_000 }).map((q) => q / 100),
  price: paise(50_000),
  discountShare: fc.double({ min: 0, max: 0.5, noNaN: true }),
  rate: fc.constantFrom(...SLABS),
  cesRt: fc.constantFrom<number>(0, 1, 12),
  othChrg: paise(100),
});

const invoiceArb = fc.record({
  intra: fc.boolean(),
  items: fc.array(itemArb, { minLength: 1, maxLength: 40 }),
  othChrg: paise(500),
  discount: paise(50),
  rndOff: fc.integer({ min: -99, max: 99 }).map((p) => p / 100),
});

type Built = { inv: Json; now: Date };

type Spec = typeof invoiceArb extends fc.Arbitrary<infer T> ? T : never;

function build(spec: Spec): Built {
  const inv = invoiceSample(
    spec.intra ? 'b2b-intra-state.fixture.request.json' : 'b2b-inter-state.request.json',
  );
  const items = spec.items.map((s, i) => {
    const totAmt = round2(s.qty * s.price);
    const discount = round2(totAmt * s.discountShare);
    const assAmt = round2(totAmt - discount);
    const half = round2((assAmt * s.rate) / 200);
    const igst = round2((assAmt * s.rate) / 100);
    const [cgst, sgst, igstAmt] = spec.intra ? [half, half, 0] : [0, 0, igst];
    const cesAmt = round2((assAmt * s.cesRt) / 100);
    const totItemVal = round2(assAmt + cgst + sgst + igstAmt + cesAmt + s.othChrg);
    return {
      SlNo: String(i + 1),
      IsServc: 'N',
      PrdDesc: 'Generated goods',
      HsnCd: '61149090',
      Qty: s.qty,
      Unit: 'NOS',
      UnitPrice: s.price,
      TotAmt: totAmt,
      Discount: discount,
      AssAmt: assAmt,
      GstRt: s.rate,
      IgstAmt: igstAmt,
      CgstAmt: cgst,
      SgstAmt: sgst,
      CesRt: s.cesRt,
      CesAmt: cesAmt,
      OthChrg: s.othChrg,
      TotItemVal: totItemVal,
    };
  });
  const col = (k: string) => items.reduce((a, it) => a + Math.round((it as Json)[k] * 100), 0) / 100;
  const gross = col('TotItemVal') + spec.othChrg;
  // Strictly below half of what remains after a negative round-off, so the invoice discount stays under
  // the invoice value (rule 2220) even for tiny invoices (qty 3.9 × 0.05 with round-off −0.24 did not).
  const room = Math.floor(((gross + Math.min(0, spec.rndOff)) * 100 - 1) / 2) / 100;
  const discount = Math.max(0, Math.min(spec.discount, room));
  inv.ItemList = items;
  inv.ValDtls = {
    AssVal: col('AssAmt'),
    CgstVal: col('CgstAmt'),
    SgstVal: col('SgstAmt'),
    IgstVal: col('IgstAmt'),
    CesVal: col('CesAmt'),
    OthChrg: spec.othChrg,
    Discount: discount,
    RndOffAmt: spec.rndOff,
    TotInvVal: Math.max(0, round2(gross - discount + spec.rndOff)),
  };
  return { inv, now: dayAfter(inv) };
}

const codes = ({ inv, now }: Built) => validateInvoice(inv, { now }).errors.map((e) => e.code);

describe('arithmetic rules (property-based)', () => {
  it('invoices built by the rules are valid', () => {
    fc.assert(
      fc.property(invoiceArb, (spec) => {
        const built = build(spec);
        fc.pre(built.inv.ValDtls.TotInvVal > 0);
        expect(codes(built)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('TotInvVal off by more than ₹1 is 2189; by ₹1 or less it passes', () => {
    fc.assert(
      fc.property(
        invoiceArb,
        fc.integer({ min: -500, max: 500 }).filter((d) => d !== 0),
        (spec, deltaPaise) => {
          const built = build(spec);
          fc.pre(built.inv.ValDtls.TotInvVal + deltaPaise / 100 >= 0 && built.inv.ValDtls.TotInvVal > 0);
          built.inv.ValDtls.TotInvVal = round2(built.inv.ValDtls.TotInvVal + deltaPaise / 100);
          expect(codes(built).includes('2189')).toBe(Math.abs(deltaPaise) > 100);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('an item total moved by more than ₹1 is 2194 on that item', () => {
    fc.assert(
      fc.property(invoiceArb, fc.nat(), fc.integer({ min: 101, max: 10_000 }), (spec, pick, deltaPaise) => {
        const built = build(spec);
        const index = pick % built.inv.ItemList.length;
        built.inv.ItemList[index].TotItemVal = round2(
          built.inv.ItemList[index].TotItemVal + deltaPaise / 100,
        );
        const errors = validateInvoice(built.inv, { now: built.now }).errors;
        expect(errors).toContainEqual(
          expect.objectContaining({ code: '2194', path: `ItemList[${index}].TotItemVal` }),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('header sums tolerate per-line rounding over many lines (paise arithmetic, no float drift)', () => {
    fc.assert(
      fc.property(fc.array(paise(1000), { minLength: 100, maxLength: 300 }), (amounts) => {
        const spec = {
          intra: false,
          items: amounts.map((p) => ({ qty: 1, price: p, discountShare: 0, rate: 18, cesRt: 0, othChrg: 0 })),
          othChrg: 0,
          discount: 0,
          rndOff: 0,
        };
        const built = build(spec);
        fc.pre(built.inv.ValDtls.TotInvVal > 0);
        expect(codes(built)).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });
});
