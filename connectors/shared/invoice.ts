/**
 * The arithmetic half of every mapping (README §9): a connector supplies each line's money as the ERP
 * computed it (integer paise), this module derives AssAmt, TotItemVal and the header totals so the IRP's
 * equalities hold exactly, whatever the ERP's own rounding was.
 */
import type {
  BuyerDtls,
  DispDtls,
  EwbDtls,
  ExpDtls,
  Invoice,
  Item,
  PayDtls,
  PrecDocDtls,
  RefDtls,
  SellerDtls,
  ShipDtls,
  SupplyType,
  TranDtls,
  ValDtls,
} from '../../src/irp/schema/invoice.js';
import type { DocType, GenerateEvent, MapErrorCode } from '../types.js';
import { add, rupees, type Dec, type Paise } from './decimal.js';
import { docKey } from './doc.js';
import { given, type Issues } from './issues.js';
import { compact } from './parties.js';

/** One line's money as the ERP posted it. Taxes are what the ERP charged, never recomputed here. */
export interface LineMoney {
  /** Qty × UnitPrice as the ERP rounded it (TotAmt). */
  gross: Paise;
  discount: Paise;
  preTax?: Paise;
  igst: Paise;
  cgst: Paise;
  /** SGST or UTGST: the IRP has one field for both. */
  sgst: Paise;
  cess: Paise;
  cessNonAdvl: Paise;
  stateCess: Paise;
  stateCessNonAdvl: Paise;
  /** Charges outside the taxable value (e.g. TCS under s.206C). */
  othChrg: Paise;
}

export const NO_MONEY: LineMoney = {
  gross: 0,
  discount: 0,
  igst: 0,
  cgst: 0,
  sgst: 0,
  cess: 0,
  cessNonAdvl: 0,
  stateCess: 0,
  stateCessNonAdvl: 0,
  othChrg: 0,
};

type Derived =
  | 'TotAmt'
  | 'Discount'
  | 'PreTaxVal'
  | 'AssAmt'
  | 'IgstAmt'
  | 'CgstAmt'
  | 'SgstAmt'
  | 'CesAmt'
  | 'CesNonAdvlAmt'
  | 'StateCesAmt'
  | 'StateCesNonAdvlAmt'
  | 'OthChrg'
  | 'TotItemVal';

/** Item fields that are not money: description, HSN, quantity, unit, rates … */
export type ItemFacts = Omit<Item, Derived>;

export interface Line {
  /** Undefined facts are allowed: {@link toItem} leaves them out (so connectors need not compact them). */
  facts: ItemFacts;
  money: LineMoney;
}

/** Invoice-level amounts: not sums of item fields (README §9, NIC's worked example). */
export interface HeaderMoney {
  othChrg: Paise;
  discount: Paise;
  roundOff: Paise;
  totInvValFc?: number;
}

/** Where an ERP's tax line lands on the item. TCS is collected outside the taxable value: item OthChrg. */
export type TaxHead = 'cgst' | 'sgst' | 'igst' | 'cess' | 'cessNonAdvl' | 'tcs';

/** The item's GstRt and CesRt, read off the same tax lines as its money. */
export interface LineRates {
  gst: Dec;
  cess: Dec;
}

/**
 * Books one tax line of an item. The GST heads' rates add up to GstRt (CGST 9 + SGST 9 = 18); only the
 * ad valorem cess has a rate of its own (CesRt), the specific cess is per quantity.
 */
export function postTax(m: LineMoney, rates: LineRates, head: TaxHead, amount: Paise, rate: Dec): void {
  if (head === 'tcs') m.othChrg += amount;
  else if (head === 'cess') {
    m.cess += amount;
    rates.cess = rate;
  } else if (head === 'cessNonAdvl') m.cessNonAdvl += amount;
  else {
    m[head] += amount;
    rates.gst = add(rates.gst, rate);
  }
}

export const assessable = (m: LineMoney): Paise => m.gross - m.discount;

export const itemTotal = (m: LineMoney): Paise =>
  assessable(m) +
  m.igst +
  m.cgst +
  m.sgst +
  m.cess +
  m.cessNonAdvl +
  m.stateCess +
  m.stateCessNonAdvl +
  m.othChrg;

/** The schema's property order, so mapped invoices read like NIC's samples. */
export const ITEM_ORDER = [
  'SlNo',
  'PrdDesc',
  'IsServc',
  'HsnCd',
  'Barcde',
  'Qty',
  'FreeQty',
  'Unit',
  'UnitPrice',
  'TotAmt',
  'Discount',
  'PreTaxVal',
  'AssAmt',
  'GstRt',
  'IgstAmt',
  'CgstAmt',
  'SgstAmt',
  'CesRt',
  'CesAmt',
  'CesNonAdvlAmt',
  'StateCesRt',
  'StateCesAmt',
  'StateCesNonAdvlAmt',
  'OthChrg',
  'TotItemVal',
  'OrdLineRef',
  'OrgCntry',
  'PrdSlNo',
  'BchDtls',
  'AttribDtls',
] as const;

/**
 * The IRP item: the facts and the money-derived amounts (a derived amount wins over a fact of the same
 * name), in the schema's order (ITEM_ORDER), undefined left out. Written out property by property: this
 * runs for every line of every invoice.
 */
export function toItem({ facts, money: m }: Line): Item {
  const f = facts as Partial<Item>;
  const withStateCess = m.stateCess !== 0 || m.stateCessNonAdvl !== 0 || facts.StateCesRt !== undefined;
  const o = {} as Item;
  if (f.SlNo !== undefined) o.SlNo = f.SlNo;
  if (f.PrdDesc !== undefined) o.PrdDesc = f.PrdDesc;
  if (f.IsServc !== undefined) o.IsServc = f.IsServc;
  if (f.HsnCd !== undefined) o.HsnCd = f.HsnCd;
  if (f.Barcde !== undefined) o.Barcde = f.Barcde;
  if (f.Qty !== undefined) o.Qty = f.Qty;
  if (f.FreeQty !== undefined) o.FreeQty = f.FreeQty;
  if (f.Unit !== undefined) o.Unit = f.Unit;
  if (f.UnitPrice !== undefined) o.UnitPrice = f.UnitPrice;
  o.TotAmt = rupees(m.gross);
  o.Discount = rupees(m.discount);
  if (m.preTax !== undefined) o.PreTaxVal = rupees(m.preTax);
  else if (f.PreTaxVal !== undefined) o.PreTaxVal = f.PreTaxVal;
  o.AssAmt = rupees(assessable(m));
  if (f.GstRt !== undefined) o.GstRt = f.GstRt;
  o.IgstAmt = rupees(m.igst);
  o.CgstAmt = rupees(m.cgst);
  o.SgstAmt = rupees(m.sgst);
  if (f.CesRt !== undefined) o.CesRt = f.CesRt;
  o.CesAmt = rupees(m.cess);
  o.CesNonAdvlAmt = rupees(m.cessNonAdvl);
  if (f.StateCesRt !== undefined) o.StateCesRt = f.StateCesRt;
  if (withStateCess) o.StateCesAmt = rupees(m.stateCess);
  else if (f.StateCesAmt !== undefined) o.StateCesAmt = f.StateCesAmt;
  if (withStateCess) o.StateCesNonAdvlAmt = rupees(m.stateCessNonAdvl);
  else if (f.StateCesNonAdvlAmt !== undefined) o.StateCesNonAdvlAmt = f.StateCesNonAdvlAmt;
  o.OthChrg = rupees(m.othChrg);
  o.TotItemVal = rupees(itemTotal(m));
  if (f.OrdLineRef !== undefined) o.OrdLineRef = f.OrdLineRef;
  if (f.OrgCntry !== undefined) o.OrgCntry = f.OrgCntry;
  if (f.PrdSlNo !== undefined) o.PrdSlNo = f.PrdSlNo;
  if (f.BchDtls !== undefined) o.BchDtls = f.BchDtls;
  if (f.AttribDtls !== undefined) o.AttribDtls = f.AttribDtls;
  return o;
}

export function invoiceTotal(lines: readonly Line[], h: HeaderMoney): Paise {
  return lines.reduce((s, l) => s + itemTotal(l.money), 0) + h.othChrg - h.discount + h.roundOff;
}

export function toValDtls(lines: readonly Line[], h: HeaderMoney): ValDtls {
  const sum = (f: (m: LineMoney) => Paise) => rupees(lines.reduce((s, l) => s + f(l.money), 0));
  const v: ValDtls = {
    AssVal: sum(assessable),
    CgstVal: sum((m) => m.cgst),
    SgstVal: sum((m) => m.sgst),
    IgstVal: sum((m) => m.igst),
    CesVal: sum((m) => m.cess + m.cessNonAdvl),
    StCesVal: sum((m) => m.stateCess + m.stateCessNonAdvl),
    Discount: rupees(h.discount),
    OthChrg: rupees(h.othChrg),
    RndOffAmt: rupees(h.roundOff),
    TotInvVal: rupees(invoiceTotal(lines, h)),
  };
  if (h.totInvValFc !== undefined) v.TotInvValFc = h.totInvValFc;
  return v;
}

/** The IRP's tolerance for a document total (2189: ±₹1), in paise. */
export const IRP_TOLERANCE: Paise = 100;

/** One figure the ERP computed itself, and the field it came from (named in the error). */
export interface ErpFigure {
  value: Paise;
  path: string;
}

/**
 * What the ERP itself says the document adds up to. Every figure an ERP carries is given, and every
 * given figure must agree with what the mapping produced: money the mapping did not place (an
 * unmapped condition, charge line, ledger or tax row) shows up here as a difference, and the record is
 * refused rather than registered as a smaller (or larger) invoice.
 */
export interface ErpFigures {
  /** The document total: what the recipient owes (INR). */
  total?: ErpFigure;
  /** The ERP's taxable value (Σ assessable values, INR). */
  taxBase?: ErpFigure;
  /** The GST and cess the ERP charged (INR). */
  tax?: ErpFigure;
}

export interface ReconcileOptions {
  /**
   * Reverse charge, and the ERP's total may or may not include the GST the recipient pays (the ERP's
   * customising decides): the total is accepted when it matches either, since both are the same money.
   */
  reverseCharge?: boolean;
  /**
   * Reverse charge: the recipient pays the GST to the government, and most ERPs leave it out of the
   * document total. The IRP invoice still carries the tax on each item and in TotInvVal (2194: TotItemVal
   * includes the item's taxes; 2189: TotInvVal is the sum of TotItemVal), so such an ERP total is compared
   * with TotInvVal less the GST. See docs/connectors.md, "Reverse charge".
   */
  totalExcludesTax?: boolean;
}

export const lineTax = (m: LineMoney): Paise =>
  m.igst + m.cgst + m.sgst + m.cess + m.cessNonAdvl + m.stateCess + m.stateCessNonAdvl;

/** Compares the mapped invoice with the ERP's own figures; beyond ±₹1 the record is refused. */
export function reconcile(
  issues: Issues,
  lines: readonly Line[],
  h: HeaderMoney,
  erp: ErpFigures,
  opts: ReconcileOptions = {},
): void {
  const tax = lines.reduce((s, l) => s + lineTax(l.money), 0);
  const base = lines.reduce((s, l) => s + assessable(l.money), 0);
  const withTax = invoiceTotal(lines, h);
  const excludesTax =
    opts.totalExcludesTax ||
    (opts.reverseCharge === true &&
      erp.total !== undefined &&
      Math.abs(erp.total.value - (withTax - tax)) < Math.abs(erp.total.value - withTax));
  const total = withTax - (excludesTax ? tax : 0);
  const check = (code: MapErrorCode, f: ErpFigure | undefined, mapped: Paise, what: string) => {
    if (f && Math.abs(f.value - mapped) > IRP_TOLERANCE)
      issues.add(
        code,
        f.path,
        `the ERP's ${what} is ${rupees(f.value)} but the mapped invoice has ${rupees(mapped)}: ${rupees(Math.abs(f.value - mapped))} would be ${f.value > mapped ? 'lost' : 'added'}`,
      );
  };
  check(
    'MAP_TOTAL_MISMATCH',
    erp.total,
    total,
    excludesTax ? 'total (without the reverse-charge GST)' : 'document total',
  );
  check('MAP_TAXABLE_MISMATCH', erp.taxBase, base, 'taxable value');
  check('MAP_TAX_MISMATCH', erp.tax, tax, 'GST and cess');
}

/** Whole-rupee rounding of a document total, as ERPs configure it for Indian invoices. */
export function roundOffToRupee(total: Paise): Paise {
  return Math.round(total / 100) * 100 - total;
}

export interface InvoiceParts {
  supply: SupplyType;
  /** Only when the ERP says so (see {@link checkTaxHeads}); never inferred from the taxes charged. */
  igstOnIntra?: boolean;
  reverseCharge: boolean;
  ecmGstin?: string;
  docType: DocType;
  docNo: string;
  docDate: string;
  seller: SellerDtls;
  buyer: BuyerDtls;
  dispatch?: DispDtls;
  shipTo?: ShipDtls;
  lines: readonly Line[];
  header: HeaderMoney;
  preceding?: PrecDocDtls[];
  exp?: ExpDtls;
  pay?: PayDtls;
  remark?: string;
  /** E-way bill part sent with the IRN request. */
  ewb?: EwbDtls;
}

/**
 * RefDtls.PrecDocDtls from the original invoice the ERP names (its number and date already read), or
 * undefined when it names none. A credit note must name one: the IRP rejects it otherwise (2191), and
 * saying so here points at the ERP field instead.
 */
export function precedingInvoice(
  issues: Issues,
  docType: DocType | undefined,
  original: { no: string | undefined; date: string | undefined } | undefined,
  missing: { path: string; message: string },
): PrecDocDtls[] | undefined {
  if (original)
    return original.no && original.date ? [{ InvNo: original.no, InvDt: original.date }] : undefined;
  if (docType === 'CRN') issues.add('MAP_MISSING_PRECEDING_DOC', missing.path, missing.message);
  return undefined;
}

/**
 * ExpDtls from the ERP's shipping-bill fields (dates already read, country already an ISO code). Refund
 * is claimed exactly when the export paid IGST (EXPWP): that IGST is what the exporter gets back.
 */
export function exportDtls(
  supply: SupplyType,
  x: {
    shipBNo: string | null | undefined;
    shipBDt: string | undefined;
    port: string | null | undefined;
    forCur?: string | null;
    cntCode: string | undefined;
  },
): ExpDtls {
  return compact({
    ShipBNo: given(x.shipBNo),
    ShipBDt: x.shipBDt,
    Port: given(x.port),
    RefClm: supply === 'EXPWP' ? 'Y' : 'N',
    ForCur: given(x.forCur),
    CntCode: x.cntCode,
  } satisfies ExpDtls);
}

/**
 * Checks the tax heads against the place of supply, before anything is registered: an intra-state
 * supply (B2B or deemed export with the place of supply in the supplier's state) is taxed CGST + SGST,
 * an inter-state one IGST. IGST on an intra-state supply is legal only where the law says so (IGST Act
 * s.7(5)), and only the ERP can say it is such a supply (`igstOnIntra`); inferring it from the taxes
 * would turn a wrong place of supply into a registered invoice. Returns whether the supply is intra-state.
 */
export function checkTaxHeads(
  issues: Issues,
  p: {
    supply: SupplyType | undefined;
    sellerState: string | undefined;
    pos: string | undefined;
    lines: readonly Line[] | undefined;
    igstOnIntra?: boolean;
    /** The ERP field the place of supply came from. */
    posPath: string;
  },
): void {
  if (!p.supply || !p.sellerState || !p.pos || !p.lines) return;
  if (p.supply !== 'B2B' && p.supply !== 'DEXP') return;
  const intra = p.sellerState === p.pos;
  const igst = p.lines.some((l) => l.money.igst !== 0);
  const split = p.lines.some((l) => l.money.cgst !== 0 || l.money.sgst !== 0);
  if (intra && igst && !p.igstOnIntra)
    issues.add(
      'MAP_TAX_MISMATCH',
      p.posPath,
      `IGST charged, but the place of supply ${p.pos} is the supplier's own state: an intra-state supply is taxed CGST + SGST (or the ERP must flag IGST on an intra-state supply)`,
    );
  if (!intra && split)
    issues.add(
      'MAP_TAX_MISMATCH',
      p.posPath,
      `CGST/SGST charged, but the place of supply ${p.pos} is not the supplier's state ${p.sellerState}: an inter-state supply is taxed IGST`,
    );
}

/** The IRP invoice from mapped parts (already checked: see {@link checkTaxHeads} and {@link reconcile}). */
export function assembleInvoice(p: InvoiceParts): Invoice {
  const tran: TranDtls = { TaxSch: 'GST', SupTyp: p.supply, RegRev: p.reverseCharge ? 'Y' : 'N' };
  if (p.ecmGstin) tran.EcmGstin = p.ecmGstin;
  if (p.igstOnIntra) tran.IgstOnIntra = 'Y';
  const invoice: Invoice = {
    Version: '1.1',
    TranDtls: tran,
    DocDtls: { Typ: p.docType, No: p.docNo, Dt: p.docDate },
    SellerDtls: p.seller,
    BuyerDtls: p.buyer,
    ItemList: p.lines.map(toItem),
    ValDtls: toValDtls(p.lines, p.header),
  };
  if (p.dispatch) invoice.DispDtls = p.dispatch;
  if (p.shipTo) invoice.ShipDtls = p.shipTo;
  if (p.pay && Object.keys(p.pay).length > 0) invoice.PayDtls = p.pay;
  const ref: RefDtls = {};
  if (p.remark) ref.InvRm = p.remark;
  if (p.preceding && p.preceding.length > 0) ref.PrecDocDtls = p.preceding;
  if (Object.keys(ref).length > 0) invoice.RefDtls = ref;
  if (p.exp) invoice.ExpDtls = p.exp;
  if (p.ewb) invoice.EwbDtls = p.ewb;
  return invoice;
}

export function generateEvent(invoice: Invoice): GenerateEvent {
  const d = invoice.DocDtls;
  return { kind: 'generate', docKey: docKey(invoice.SellerDtls.Gstin, d.Typ, d.No, d.Dt), invoice };
}
