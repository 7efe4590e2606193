/**
 * An ERP-neutral description of one business event, from which each connector's generator renders a
 * record in its ERP's shape. Golden fixtures and random events both start here, so every connector is
 * exercised with the same business cases.
 */
import type { SupplyType } from '../../src/irp/schema/invoice.js';
import type { CancelReason, DocType, EventKind } from '../types.js';
import type { Product } from './catalog.js';
import { parseDec, percentOf, paise, mul, type Dec, type Paise } from '../shared/decimal.js';
import { roundOffToRupee } from '../shared/invoice.js';

export interface Party {
  /** Absent for foreign buyers (the IRP gets `URP`). */
  gstin?: string;
  legalName: string;
  tradeName?: string;
  addr1: string;
  addr2?: string;
  city: string;
  /** 999999 for foreign buyers. */
  pin: number;
  /** GST state code; '96' abroad. */
  stateCode: string;
  /** ISO 3166 alpha-2. */
  country: string;
  phone?: string;
  email?: string;
}

export interface ScenarioLine {
  product: Product;
  /** Decimal texts, as an ERP user keys them. */
  qty: string;
  unitPrice: string;
  discountPct?: string;
  /** TCS under s.206C(1H), percent of the line's value including GST (until 31-03-2025). */
  tcsPct?: string;
  freeQty?: string;
  batch?: { name: string; expiry?: string };
  /**
   * A charge the ERP books on this line inside the taxable value (freight or packing allocated to the
   * item, a surcharge): taxed with the line. Decimal text in the document currency.
   */
  charge?: string;
}

export interface Scenario {
  /** Fixture name or generated event id. */
  id: string;
  kind: EventKind;
  docType: DocType;
  docNo: string;
  /** ISO yyyy-MM-dd */
  docDate: string;
  supply: SupplyType;
  reverseCharge: boolean;
  seller: Party;
  buyer: Party;
  shipTo?: Party;
  dispatchFrom?: Party;
  /** Place of supply: GST state code, '96' for exports. */
  pos: string;
  lines: ScenarioLine[];
  /** Invoice-level charge outside the taxable value (₹). */
  freight?: string;
  /** Invoice-level discount after tax (₹). */
  headerDiscount?: string;
  roundToRupee: boolean;
  /** Where the ERP posts the round-off: once for the document (default) or on an item (SAP's DIFF). */
  roundOffAt?: 'header' | 'item';
  /** Billed in a foreign currency: every amount above is in it, and `rate` is INR per unit. */
  currency?: { code: string; rate: string };
  preceding?: { docNo: string; docDate: string };
  export?: {
    country: string;
    currency: string;
    port: string;
    shipBillNo?: string;
    shipBillDate?: string;
    exchangeRate: string;
  };
  cancel?: { reason: CancelReason; remark: string; irn?: string };
  ewb?: {
    distance: number;
    mode: '1' | '2' | '3' | '4';
    vehicleNo?: string;
    vehicleType?: 'R' | 'O';
    transporterId?: string;
    transporterName?: string;
    transDocNo?: string;
    transDocDate?: string;
    irn?: string;
  };
  creditDays?: number;
}

export interface ComputedLine {
  line: ScenarioLine;
  qty: Dec;
  price: Dec;
  gross: Paise;
  discount: Paise;
  /** The line's taxable charge (see {@link ScenarioLine.charge}). */
  charge: Paise;
  taxable: Paise;
  /** Effective GST rate: 0 for supplies without payment (LUT/bond). */
  gstRate: Dec;
  cessRate: Dec;
  igst: Paise;
  cgst: Paise;
  sgst: Paise;
  cess: Paise;
  cessNonAdvl: Paise;
  tcs: Paise;
}

export interface Computed {
  lines: ComputedLine[];
  intra: boolean;
  /** Intra-state in a union territory without legislature: UTGST instead of SGST. */
  utgst: boolean;
  freight: Paise;
  headerDiscount: Paise;
  roundOff: Paise;
  total: Paise;
}

const UT_WITHOUT_LEGISLATURE = new Set(['04', '26', '31', '35', '38']);
const ZERO_DEC: Dec = { units: 0n, scale: 0 };

export const dec = (text: string): Dec => {
  const d = parseDec(text);
  if (!d) throw new Error(`bad decimal in scenario: ${text}`);
  return d;
};

export function withoutPayment(s: Scenario): boolean {
  return s.supply === 'SEZWOP' || s.supply === 'EXPWOP';
}

export function isIntra(s: Scenario): boolean {
  return (s.supply === 'B2B' || s.supply === 'DEXP') && s.pos === s.seller.stateCode;
}

/**
 * The amounts a typical ERP computes: each tax per line, rounded half-up to the paisa, all in the
 * document currency (INR unless {@link Scenario.currency}).
 */
export function compute(s: Scenario): Computed {
  const intra = isIntra(s);
  const lines = s.lines.map((line): ComputedLine => {
    const qty = dec(line.qty);
    const price = dec(line.unitPrice);
    const gross = paise(mul(qty, price));
    const discount = line.discountPct ? percentOf(gross, dec(line.discountPct)) : 0;
    const charge = line.charge ? paise(dec(line.charge)) : 0;
    const taxable = gross - discount + charge;
    const gstRate = withoutPayment(s) ? ZERO_DEC : dec(line.product.gstRate);
    const cessRate = withoutPayment(s) || !line.product.cessRate ? ZERO_DEC : dec(line.product.cessRate);
    const half = { units: gstRate.units * 5n, scale: gstRate.scale + 1 };
    const cgst = intra ? percentOf(taxable, half) : 0;
    const igst = intra ? 0 : percentOf(taxable, gstRate);
    const cess = percentOf(taxable, cessRate);
    const cessNonAdvl =
      withoutPayment(s) || !line.product.cessPerUnit ? 0 : paise(mul(qty, dec(line.product.cessPerUnit)));
    const withTax = taxable + 2 * cgst + igst + cess + cessNonAdvl;
    const tcs = line.tcsPct ? percentOf(withTax, dec(line.tcsPct)) : 0;
    return {
      line,
      qty,
      price,
      gross,
      discount,
      charge,
      taxable,
      gstRate,
      cessRate,
      igst,
      cgst,
      sgst: cgst,
      cess,
      cessNonAdvl,
      tcs,
    };
  });
  const freight = s.freight ? paise(dec(s.freight)) : 0;
  const headerDiscount = s.headerDiscount ? paise(dec(s.headerDiscount)) : 0;
  const before =
    lines.reduce((t, l) => t + l.taxable + l.igst + l.cgst + l.sgst + l.cess + l.cessNonAdvl + l.tcs, 0) +
    freight -
    headerDiscount;
  // The ERP rounds what the recipient pays it: under reverse charge, the amount without the GST.
  const gst = lines.reduce((t, l) => t + l.igst + l.cgst + l.sgst + l.cess + l.cessNonAdvl, 0);
  const roundOff = s.roundToRupee ? roundOffToRupee(s.reverseCharge ? before - gst : before) : 0;
  return {
    lines,
    intra,
    utgst: intra && UT_WITHOUT_LEGISLATURE.has(s.seller.stateCode),
    freight,
    headerDiscount,
    roundOff,
    total: before + roundOff,
  };
}
