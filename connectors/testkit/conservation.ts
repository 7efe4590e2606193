/**
 * Money is conserved or the record is refused — as properties over generated documents.
 *
 * `scenarioArb` draws business documents with every kind of charge, discount and rounding placement a
 * connector's ERP can carry (item discounts up to 100 %, taxable charges inside an item's value,
 * invoice-level freight and discounts after tax, round-off at the header or on an item, cess, TCS,
 * reverse charge, SEZ, exports billed in a foreign currency). Each connector's generator renders them
 * as its ERP would, and `conservationSuite` checks:
 *
 * 1. conserved: the record maps, the IRP core validator accepts it, and the invoice carries exactly the
 *    money the ERP computed — TotInvVal, AssVal and every tax head to the paisa (a foreign-currency
 *    document: TotInvValFc exactly, TotInvVal at the document's rate within the rounding of its amounts);
 * 2. or refused: the same record with one amount the mapping cannot place (the connector's `hide`
 *    mutation: an unknown condition type, charge line, ledger or tax row) is refused with a MAP_ code,
 *    never registered as a smaller invoice.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateInvoice } from '../../src/irp/validate/index.js';
import type { Invoice } from '../../src/irp/schema/invoice.js';
import { mul, paise, paiseToDec, rupees } from '../shared/decimal.js';
import { connectors, type ConnectorId } from '../registry.js';
import { decode, encode } from './avro-codec.js';
import { PRODUCTS, type Product } from './catalog.js';
import { BUYER_INTER, BUYER_INTRA, FOREIGN_BUYER, SELLER, SEZ_BUYER } from './fixture-cases.js';
import { generators } from './generators.js';
import { portParty } from './random-scenario.js';
import { compute, dec, type Scenario, type ScenarioLine } from './scenario.js';

/** What a connector's ERP (and its generator) can express. */
export interface Features {
  /** Taxable charges booked on an item (freight/packing inside the taxable value). */
  lineCharges: boolean;
  /** Round-off posted on an item rather than once for the document (SAP's distributed DIFF). */
  itemRoundOff: boolean;
  /** Documents billed in a foreign currency. */
  foreignCurrency: boolean;
  /** Invoice-level discount after tax. */
  headerDiscount: boolean;
  /** TCS collected on the invoice. */
  tcs: boolean;
  /**
   * Invoice-level charges are items of their own (Odoo has no header charge: freight is a delivery line,
   * an item without GST), so the assessable value includes them.
   */
  chargesAsItems?: boolean;
}

const goods = PRODUCTS.filter((p) => !p.service);
const services = PRODUCTS.filter((p) => p.service);

const money = (lo: number, hi: number) =>
  fc.integer({ min: lo * 100, max: hi * 100 }).map((p) => (p / 100).toFixed(2));

function lineArb(f: Features, pool: readonly Product[]): fc.Arbitrary<ScenarioLine> {
  return fc
    .record({
      product: fc.constantFrom(...pool),
      qty: fc.integer({ min: 1, max: 500 }),
      price: fc.integer({ min: 100, max: 2_500_000 }),
      discount: fc.oneof(
        { weight: 5, arbitrary: fc.constant(undefined) },
        { weight: 3, arbitrary: fc.constantFrom('2.5', '5', '7.5', '10', '12', '33.33') },
        { weight: 1, arbitrary: fc.constant('100') },
      ),
      charge: f.lineCharges ? fc.option(money(1, 2500), { nil: undefined }) : fc.constant(undefined),
    })
    .map(({ product, qty, price, discount, charge }) => {
      const l: ScenarioLine = { product, qty: String(qty), unitPrice: (price / 100).toFixed(2) };
      if (discount) l.discountPct = discount;
      if (charge) l.charge = charge;
      return l;
    });
}

type Kind = 'intra' | 'inter' | 'sez' | 'export' | 'rcm';

export function scenarioArb(f: Features): fc.Arbitrary<Scenario> {
  return fc
    .record({
      kind: fc.constantFrom<Kind>('intra', 'inter', 'inter', 'sez', 'export', 'rcm'),
      withoutPayment: fc.boolean(),
      goodsLines: fc.array(lineArb(f, goods), { minLength: 1, maxLength: 6 }),
      serviceLines: fc.array(lineArb(f, services), { minLength: 1, maxLength: 2 }),
      freight: fc.option(money(1, 5000), { nil: undefined }),
      headerDiscount: f.headerDiscount
        ? fc.option(money(1, 400), { nil: undefined })
        : fc.constant(undefined),
      roundToRupee: fc.boolean(),
      roundOffAt: f.itemRoundOff
        ? fc.constantFrom<'header' | 'item'>('header', 'item')
        : fc.constant('header' as const),
      currency: f.foreignCurrency
        ? fc.option(fc.constantFrom({ code: 'USD', rate: '83.25' }, { code: 'AED', rate: '22.6525' }), {
            nil: undefined,
          })
        : fc.constant(undefined),
      tcs: f.tcs ? fc.boolean() : fc.constant(false),
      n: fc.integer({ min: 1, max: 99999 }),
    })
    .map((d): Scenario => {
      const rcm = d.kind === 'rcm';
      const lines = rcm
        ? d.serviceLines.map((l) => ({
            ...l,
            product: services.find((p) => p.hsn === '996511') ?? l.product,
          }))
        : d.goodsLines;
      if (d.tcs && !rcm && d.kind !== 'export') for (const l of lines) l.tcsPct = '0.1';
      const s: Scenario = {
        id: `property-${d.n}`,
        kind: 'generate',
        docType: 'INV',
        docNo: `PT/2425/${d.n}`,
        docDate: '2025-02-14',
        supply: 'B2B',
        reverseCharge: rcm,
        seller: SELLER,
        buyer: BUYER_INTER,
        pos: BUYER_INTER.stateCode,
        lines,
        roundToRupee: d.roundToRupee,
        roundOffAt: d.roundOffAt,
        creditDays: 30,
      };
      if (d.kind === 'intra') Object.assign(s, { buyer: BUYER_INTRA, pos: BUYER_INTRA.stateCode });
      if (d.kind === 'sez')
        Object.assign(s, {
          supply: d.withoutPayment ? 'SEZWOP' : 'SEZWP',
          buyer: SEZ_BUYER,
          pos: SEZ_BUYER.stateCode,
        });
      if (d.kind === 'export') {
        Object.assign(s, {
          supply: d.withoutPayment ? 'EXPWOP' : 'EXPWP',
          buyer: FOREIGN_BUYER,
          pos: '96',
          shipTo: portParty('INMAA1', SELLER),
          export: {
            country: 'AE',
            currency: d.currency?.code ?? 'AED',
            port: 'INMAA1',
            shipBillNo: '4412786',
            shipBillDate: '2025-02-14',
            exchangeRate: d.currency?.rate ?? '22.6525',
          },
        });
        if (d.currency) s.currency = d.currency;
      }
      if (d.freight) s.freight = d.freight;
      if (d.headerDiscount) s.headerDiscount = d.headerDiscount;
      // An invoice-level discount must stay below the invoice total (IRP 2220).
      if (s.headerDiscount && paise(dec(s.headerDiscount)) >= compute(s).total) delete s.headerDiscount;
      return s;
    });
}

/** What the ERP computed for the scenario, in INR where the document is in INR. */
function expected(s: Scenario, f?: Features) {
  const c = compute(s);
  const sum = (g: (l: (typeof c.lines)[number]) => number) => c.lines.reduce((t, l) => t + g(l), 0);
  return {
    total: c.total,
    assVal: sum((l) => l.taxable) + (f?.chargesAsItems ? c.freight : 0),
    igst: sum((l) => l.igst),
    cgst: sum((l) => l.cgst),
    sgst: sum((l) => l.sgst),
    cess: sum((l) => l.cess + l.cessNonAdvl),
  };
}

const paiseOf = (rupeeValue: number | undefined) => Math.round((rupeeValue ?? 0) * 100);

/** The checks of property 1 for one scenario and its mapped invoice. */
export function assertConserved(s: Scenario, inv: Invoice, f?: Features, erp?: ErpFigures): void {
  const e = expected(s, f);
  const v = inv.ValDtls;
  if (erp) {
    // The ERP rounds differently from the scenario's per-line model (Tally: once per duty ledger):
    // its own figures are the truth.
    expect(paiseOf(v.TotInvVal), 'TotInvVal').toBe(erp.total);
    expect(paiseOf(v.AssVal), 'AssVal').toBe(e.assVal);
    const tax = paiseOf(v.IgstVal) + paiseOf(v.CgstVal) + paiseOf(v.SgstVal) + paiseOf(v.CesVal);
    expect(tax, 'GST + cess').toBe(erp.tax);
  } else if (!s.currency) {
    expect(paiseOf(v.TotInvVal), 'TotInvVal').toBe(e.total);
    expect(paiseOf(v.AssVal), 'AssVal').toBe(e.assVal);
    expect(paiseOf(v.IgstVal), 'IgstVal').toBe(e.igst);
    expect(paiseOf(v.CgstVal), 'CgstVal').toBe(e.cgst);
    expect(paiseOf(v.SgstVal), 'SgstVal').toBe(e.sgst);
    expect(paiseOf(v.CesVal), 'CesVal').toBe(e.cess);
  } else {
    expect(paiseOf(v.TotInvValFc), 'TotInvValFc').toBe(e.total);
    // Each amount is converted once (half a paisa at most off), so the INR total is within a paisa
    // per converted amount of the document total at the rate.
    const atRate = paise(mul(paiseToDec(e.total), dec(s.currency.rate)));
    const amounts = inv.ItemList.length * 4 + 3;
    expect(
      Math.abs(paiseOf(v.TotInvVal) - atRate),
      `TotInvVal ${v.TotInvVal} vs ${rupees(atRate)}`,
    ).toBeLessThanOrEqual(amounts);
  }
}

/** The ERP's own document total and tax (INR paise), where they differ from the scenario's model. */
export interface ErpFigures {
  total: number;
  tax: number;
}

export interface ConservationOptions {
  features: Features;
  /** The ERP's own figures in a rendered record, when its rounding differs from the scenario model. */
  erpFigures?: (record: unknown) => ErpFigures | undefined;
  /**
   * Hides one amount from the mapping in a rendered record (the ERP's own totals untouched): an amount
   * the ERP carries under a code the connector's tables do not know. Returns false when the record has
   * no amount to hide.
   */
  hide: (record: unknown, pick: number) => boolean;
  runs?: number;
}

export function conservationSuite(id: ConnectorId, o: ConservationOptions): void {
  const c = connectors[id];
  const g = generators[id];
  const runs = o.runs ?? 150;
  const mapScenario = (s: Scenario, mutate?: (r: unknown) => boolean) => {
    const record = decode(c.avroSchema, encode(c.avroSchema, g.render(s)));
    if (mutate && !mutate(record)) return undefined;
    return c.map(decode(c.avroSchema, encode(c.avroSchema, record)));
  };
  describe(`${id}: money is conserved or the record is refused`, () => {
    it('conserves: every generated document maps to the ERP’s totals and passes the IRP validator', () => {
      fc.assert(
        fc.property(scenarioArb(o.features), (s) => {
          const r = mapScenario(s)!;
          expect(r.ok ? [] : r.errors).toEqual([]);
          if (!r.ok || r.event.kind !== 'generate') return;
          assertConserved(s, r.event.invoice, o.features, o.erpFigures?.(g.render(s)));
          expect(validateInvoice(r.event.invoice, { now: new Date('2025-02-15T06:00:00Z') }).errors).toEqual(
            [],
          );
        }),
        { numRuns: runs, seed: 13 },
      );
    });
    it('refuses: an amount the mapping cannot place is a MAP_ error, never a smaller invoice', () => {
      fc.assert(
        fc.property(scenarioArb(o.features), fc.nat(), (s, pick) => {
          const r = mapScenario(s, (rec) => o.hide(rec, pick));
          if (r === undefined) return;
          expect(r.ok, 'a record with a hidden amount was registered').toBe(false);
          if (!r.ok) expect(r.errors.every((e) => e.code.startsWith('MAP_'))).toBe(true);
        }),
        { numRuns: runs, seed: 31 },
      );
    });
  });
}
