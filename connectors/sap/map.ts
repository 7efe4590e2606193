/**
 * SAP billing document → IRP. Money comes from the pricing conditions (PRCD_ELEMENTS), where SAP
 * computes and rounds it; every active, non-statistical condition with a value must have a role
 * (`conditions` table) or the document is refused, and the result is reconciled with SAP's own figures:
 * VBRP.NETWR/MWSBP per item, the GST conditions' tax base KAWRT per item, and VBRK.NETWR + MWSBK (what
 * the customer owes) for the document. See README.md for the field map.
 */
import type { ExpDtls, PrecDocDtls } from '../../src/irp/schema/invoice.js';
import { docCurrency, toInr } from '../shared/currency.js';
import { avroPaise, decFromAvroBytes, div, toNumber, ZERO, type Dec, type Paise } from '../shared/decimal.js';
import { dateFromCompact, docNumber } from '../shared/doc.js';
import { cancelEvent, documentRef, ewbEvent, isExport, supplyType } from '../shared/events.js';
import {
  assembleInvoice,
  assessable,
  checkTaxHeads,
  exportDtls,
  generateEvent,
  NO_MONEY,
  postTax,
  reconcile,
  type HeaderMoney,
  type Line,
  type LineMoney,
  type LineRates,
} from '../shared/invoice.js';
import { given, Issues } from '../shared/issues.js';
import { buyerDtls, compact, gstin, sellerDtls, shipDtls, text, type PartyInput } from '../shared/parties.js';
import { lookup, type TablesOf } from '../shared/site-tables.js';
import type { DocType, MapResult } from '../types.js';
import {
  SCALE,
  type Address,
  type BillingDocumentEvent,
  type BillingItem,
  type Partner,
  type PricingElement,
} from './record.js';
import { SAP_TABLES, type ConditionRole } from './tables.js';

export type SapTables = TablesOf<typeof SAP_TABLES>;

const amountPaise = (b: Buffer): Paise => avroPaise(b, SCALE.amount);
const HEADER_ITEM = '000000';
const GST_ROLES: readonly ConditionRole[] = ['cgst', 'sgst', 'igst'];
const TAX_ROLES: readonly ConditionRole[] = ['cgst', 'sgst', 'igst', 'cess', 'cessNonAdvl', 'tcs'];

export function mapBillingDocument(r: BillingDocumentEvent, tables: SapTables): MapResult {
  const issues = new Issues();
  const docType =
    lookup(tables.documentCategories, SAP_TABLES.documentCategories, r.VBRK.VBTYP) ??
    issues.add(
      'MAP_UNKNOWN_DOC_TYPE',
      'VBRK.VBTYP',
      `SD document category ${JSON.stringify(r.VBRK.VBTYP)} (FKART ${r.VBRK.FKART}) is not an invoice, credit or debit memo`,
    );
  const docNo = docNumber(issues, r.VBRK.XBLNR, 'VBRK.XBLNR');
  const docDate = dateFromCompact(issues, r.VBRK.FKDAT, 'VBRK.FKDAT');
  const sellerGstin = gstin(issues, r.SELLER.GSTIN, 'SELLER.GSTIN', 'supplier');
  const ref = () => documentRef(sellerGstin!, docType!, docNo!, docDate!, r.IRN?.IRN);

  if (r.EVENT === 'CANCELED') {
    const c = r.CANCEL;
    return cancelEvent(issues, ref, c && { reason: c.REASON, remark: c.REMARK }, {
      request: 'CANCEL',
      missing: 'a cancellation needs CANCEL.REASON and CANCEL.REMARK',
      reason: 'CANCEL.REASON',
      remark: 'CANCEL.REMARK',
    });
  }
  if (r.EVENT === 'EWB_REQUESTED') {
    const e = r.EWB;
    return ewbEvent(
      issues,
      ref,
      e && {
        distance: e.DISTANCE,
        mode: e.TRANS_MODE,
        transId: e.TRANSPORTER_GSTIN,
        transName: e.TRANSPORTER_NAME,
        transDocNo: e.TRANS_DOC_NO,
        transDocDt: e.TRANS_DOC_DATE
          ? dateFromCompact(issues, e.TRANS_DOC_DATE, 'EWB.TRANS_DOC_DATE')
          : undefined,
        vehNo: e.VEHICLE_NO,
        vehType: e.VEHICLE_TYPE,
      },
      {
        request: 'EWB',
        missing: 'an e-way bill request needs the EWB transport data',
        distance: 'EWB.DISTANCE',
        mode: 'EWB.TRANS_MODE',
        transId: 'EWB.TRANSPORTER_GSTIN',
        vehType: 'EWB.VEHICLE_TYPE',
      },
    );
  }
  return generate(r, tables, issues, docType, docNo, docDate, sellerGstin);
}

/** VBRK.KURRF as INR per unit: SAP keeps an indirectly quoted rate as a negative number. */
function exchangeRate(kurrf: Buffer | null): Dec | undefined {
  if (!kurrf) return undefined;
  const d = decFromAvroBytes(kurrf, SCALE.exchangeRate);
  if (d.units === 0n) return undefined;
  return d.units > 0n ? d : div({ units: 1n, scale: 0 }, { units: -d.units, scale: d.scale }, 9);
}

function generate(
  r: BillingDocumentEvent,
  tables: SapTables,
  issues: Issues,
  docType: DocType | undefined,
  docNo: string | undefined,
  docDate: string | undefined,
  sellerGstin: string | undefined,
): MapResult {
  const k = r.VBRK;
  const cur = docCurrency(issues, k.WAERK, exchangeRate(k.KURRF), { code: 'VBRK.WAERK', rate: 'VBRK.KURRF' });
  const supply = supplyType(issues, k.ZZSUPTYP, 'VBRK.ZZSUPTYP');
  const exported = supply !== undefined && isExport(supply);
  const seller = sellerGstin
    ? sellerDtls(issues, party(tables, r.SELLER, 'SELLER', 'SELLER.GSTIN', r.SELLER.GSTIN))
    : undefined;
  const buyerIdx = findPartner(r.PARTNERS, 'RE') ?? findPartner(r.PARTNERS, 'AG');
  if (buyerIdx === undefined)
    issues.add('MAP_MISSING_FIELD', 'PARTNERS', 'no bill-to (RE) or sold-to (AG) partner');
  const shipIdx = findPartner(r.PARTNERS, 'WE');
  const at = (i: number) => `PARTNERS[${i}]`;
  // SAP determines the tax by the ship-to party's region (its tax classification and region drive the
  // JOCG/JOSG vs JOIG condition records), so the place of supply is the ship-to state; without a WE
  // partner it is the bill-to state. Exports: 96.
  const posIdx = shipIdx ?? buyerIdx;
  const posPartner = posIdx !== undefined ? r.PARTNERS[posIdx] : undefined;
  const posPath = posIdx !== undefined ? `${at(posIdx)}.REGION` : 'PARTNERS';
  let pos: string | undefined;
  if (exported) pos = '96';
  else if (posPartner) {
    pos = lookup(tables.regions, SAP_TABLES.regions, posPartner.REGION);
    if (!pos)
      issues.add(
        'MAP_UNKNOWN_STATE',
        posPath,
        `no GST state code for region ${JSON.stringify(posPartner.REGION)}`,
      );
  }
  const buyer =
    buyerIdx !== undefined && supply
      ? buyerDtls(issues, party(tables, r.PARTNERS[buyerIdx]!, at(buyerIdx), `${at(buyerIdx)}.STCD3`), {
          exported,
          pos,
        })
      : undefined;
  const shipPartner = shipIdx !== undefined ? r.PARTNERS[shipIdx]! : undefined;
  const shipTo =
    shipPartner && buyerIdx !== undefined && shipPartner.KUNNR !== r.PARTNERS[buyerIdx]!.KUNNR
      ? shipDtls(issues, party(tables, shipPartner, at(shipIdx!), `${at(shipIdx!)}.STCD3`), {
          foreign: shipPartner.LAND1.trim() !== '' && shipPartner.LAND1.trim() !== 'IN',
        })
      : undefined;

  const header: HeaderMoney = { othChrg: 0, discount: 0, roundOff: 0 };
  const items = cur ? itemLines(issues, r, tables, header) : undefined;
  const docLines = items?.lines;
  if (items && issues.errors.length === 0) {
    const total = amountPaise(k.NETWR) + amountPaise(k.MWSBK);
    reconcile(
      issues,
      items.lines,
      header,
      { total: { value: total, path: 'VBRK.NETWR+VBRK.MWSBK' } },
      { totalExcludesTax: items.statisticalTax },
    );
  }
  const inr = cur && docLines ? toInr(cur, docLines, header) : undefined;
  checkTaxHeads(issues, {
    supply,
    sellerState: seller?.Stcd,
    pos,
    lines: inr?.lines,
    igstOnIntra: k.ZZIGSTONINTRA.trim() === 'X',
    posPath,
  });

  const preceding: PrecDocDtls[] = [];
  r.PRECEDING.forEach((p, i) => {
    const no = docNumber(issues, p.XBLNR, `PRECEDING[${i}].XBLNR`);
    const dt = dateFromCompact(issues, p.FKDAT, `PRECEDING[${i}].FKDAT`);
    if (no && dt) preceding.push({ InvNo: no, InvDt: dt });
  });
  if (docType === 'CRN' && r.PRECEDING.length === 0)
    issues.add(
      'MAP_MISSING_PRECEDING_DOC',
      'PRECEDING',
      'a credit memo must reference the invoice it corrects',
    );

  let exp: ExpDtls | undefined;
  if (supply && exported) {
    const x = r.EXPORT;
    if (!x)
      issues.add(
        'MAP_MISSING_EXPORT_DETAILS',
        'EXPORT',
        'an export billing document needs the foreign trade data',
      );
    else
      exp = exportDtls(supply, {
        shipBNo: x.SHIPBILL_NO,
        shipBDt: x.SHIPBILL_DATE
          ? dateFromCompact(issues, x.SHIPBILL_DATE, 'EXPORT.SHIPBILL_DATE')
          : undefined,
        port: x.PORT_CODE,
        forCur: given(x.FOREIGN_CURRENCY) ?? (cur?.foreign ? cur.code : undefined),
        cntCode: given(x.LAND1),
      });
  }

  return issues.result(() =>
    generateEvent(
      assembleInvoice({
        supply: supply!,
        igstOnIntra: k.ZZIGSTONINTRA.trim() === 'X',
        reverseCharge: k.ZZRCM.trim() === 'X',
        ecmGstin: given(k.ZZECMGSTIN),
        docType: docType!,
        docNo: docNo!,
        docDate: docDate!,
        seller: seller!,
        buyer: buyer!,
        shipTo,
        lines: inr!.lines,
        header: inr!.header,
        preceding,
        exp,
        pay: compact({ PayTerm: given(k.ZTERM) }),
      }),
    ),
  );
}

function findPartner(partners: readonly Partner[], role: string): number | undefined {
  const i = partners.findIndex((p) => p.PARVW === role);
  return i < 0 ? undefined : i;
}

function party(
  tables: SapTables,
  a: Address & { STCD3?: string | null; NAME2?: string | null },
  path: string,
  gstinPath: string,
  gstinValue?: string | null,
): PartyInput {
  return {
    gstin: gstinValue ?? a.STCD3,
    name: [a.NAME1, a.NAME2].filter(Boolean).join(' '),
    addr1: a.STREET,
    addr2: a.STR_SUPPL1,
    city: a.CITY1,
    pin: a.POST_CODE1,
    state: lookup(tables.regions, SAP_TABLES.regions, a.REGION),
    stateRaw: a.REGION,
    phone: a.TEL_NUMBER,
    email: a.SMTP_ADDR,
    paths: {
      gstin: gstinPath,
      name: `${path}.NAME1`,
      city: `${path}.CITY1`,
      pin: `${path}.POST_CODE1`,
      state: `${path}.REGION`,
    },
  };
}

interface Cond {
  c: PricingElement;
  path: string;
  role: ConditionRole;
  value: Paise;
  /** A statistical GST condition of a reverse-charge document: the tax the recipient pays. */
  statistical: boolean;
}

/**
 * The conditions that make up the document's value, by item: active (KINAK blank), not statistical
 * (KSTAT blank), with a role. A condition with a value and no role refuses the document. A header
 * record (KPOSN 000000) that SAP distributed over the items (their records of that type add up to it)
 * is the same money twice and counts only once, at the items.
 */
function conditionsByItem(
  issues: Issues,
  r: BillingDocumentEvent,
  tables: SapTables,
  reverseCharge: boolean,
  unmapped: Set<string>,
): Map<string, Cond[]> {
  const m = new Map<string, Cond[]>();
  // A header record whose value the items' records of the same type add up to is SAP's distribution
  // of that header condition: the same money, counted at the items.
  const itemSum = new Map<string, Paise>();
  for (const c of r.PRCD_ELEMENTS)
    if (c.KPOSN !== HEADER_ITEM && c.KINAK.trim() === '')
      itemSum.set(c.KSCHL, (itemSum.get(c.KSCHL) ?? 0) + amountPaise(c.KWERT));
  const distributed = (c: PricingElement) =>
    c.KPOSN === HEADER_ITEM && itemSum.has(c.KSCHL) && itemSum.get(c.KSCHL) === amountPaise(c.KWERT);
  r.PRCD_ELEMENTS.forEach((c, i) => {
    if (c.KINAK.trim() !== '') return;
    if (distributed(c)) return;
    const path = `PRCD_ELEMENTS[${i}]`;
    const value = amountPaise(c.KWERT);
    const role = lookup(tables.conditions, SAP_TABLES.conditions, c.KSCHL);
    // Under reverse charge the GST is printed on the invoice but not charged: SAP carries it in
    // statistical tax conditions, and the IRP invoice still reports it (docs/connectors.md).
    const statistical = c.KSTAT.trim() !== '';
    if (statistical && !(reverseCharge && role && TAX_ROLES.includes(role) && role !== 'tcs')) return;
    if (!role) {
      if (value !== 0) unmapped.add(c.KPOSN);
      if (value !== 0)
        issues.add(
          c.KOAID.trim() === 'D' ? 'MAP_UNKNOWN_TAX' : 'MAP_UNMAPPED_AMOUNT',
          `${path}.KSCHL`,
          `condition type ${c.KSCHL} (item ${c.KPOSN}${c.KOAID ? `, class ${c.KOAID}` : ''}) carries ${value / 100} but has no role in the conditions table: it would be dropped from the invoice`,
        );
      return;
    }
    const list = m.get(c.KPOSN) ?? [];
    list.push({ c, path, role, value, statistical });
    m.set(c.KPOSN, list);
  });
  return m;
}

/** The item's price per sales unit: KBETR per KPEIN KMEIN; another condition unit needs SAP's conversion. */
function unitPrice(price: PricingElement, item: BillingItem, gross: Paise, qty: Dec): Dec {
  const kmein = price.KMEIN.trim();
  if (kmein === '' || kmein === item.VRKME.trim()) {
    const kbetr = decFromAvroBytes(price.KBETR, SCALE.rate);
    return price.KPEIN > 1 ? div(kbetr, { units: BigInt(price.KPEIN), scale: 0 }, 3) : kbetr;
  }
  return qty.units === 0n ? ZERO : div({ units: BigInt(gross), scale: 2 }, qty, 3);
}

function itemLines(
  issues: Issues,
  r: BillingDocumentEvent,
  tables: SapTables,
  header: HeaderMoney,
): { lines: Line[]; statisticalTax: boolean } | undefined {
  let statisticalTax = false;
  // Items with an unmapped condition are already refused; their cross-checks would repeat the same money.
  const unmapped = new Set<string>();
  const byItem = conditionsByItem(issues, r, tables, r.VBRK.ZZRCM.trim() === 'X', unmapped);
  const gstStep = (list: readonly Cond[]) =>
    Math.min(...list.filter((x) => GST_ROLES.includes(x.role)).map((x) => x.c.STUNR));

  // Header records (KPOSN 000000) that SAP did not distribute: no tax base, so after tax.
  for (const x of byItem.get(HEADER_ITEM) ?? []) {
    if (x.role === 'roundOff') header.roundOff += x.value;
    else if (x.role === 'discount') header.discount -= x.value;
    else if (x.role === 'charge') header.othChrg += x.value;
    else
      issues.add(
        'MAP_UNMAPPED_AMOUNT',
        `${x.path}.KPOSN`,
        `${x.c.KSCHL} (${x.role}) at header level: a ${x.role} belongs to an item`,
      );
  }
  const itemPositions = new Set(r.VBRP.map((i) => i.POSNR));
  for (const [posnr, list] of byItem)
    if (posnr !== HEADER_ITEM && !itemPositions.has(posnr))
      issues.add(
        'MAP_UNMAPPED_AMOUNT',
        `${list[0]!.path}.KPOSN`,
        `conditions for item ${posnr}, which VBRP does not have`,
      );

  const before = issues.errors.length;
  const lines = r.VBRP.map((item, i): Line | undefined => {
    const at = `VBRP[${i}]`;
    const list = byItem.get(item.POSNR) ?? [];
    const taxStep = gstStep(list); // Infinity when the item carries no GST condition
    const money: LineMoney = { ...NO_MONEY };
    const rates: LineRates = { gst: ZERO, cess: ZERO };
    let price: PricingElement | undefined;
    let nonTax = 0;
    let tax = 0;
    for (const x of list) {
      const v = x.value;
      const preTax = x.c.STUNR < taxStep;
      if (x.statistical) statisticalTax = true;
      else if (TAX_ROLES.includes(x.role)) tax += v;
      else nonTax += v;
      switch (x.role) {
        case 'price':
          money.gross += v;
          price = x.c;
          break;
        case 'discount':
          if (preTax) money.discount -= v;
          else header.discount -= v;
          break;
        case 'charge':
          // Freight or packing before the tax conditions is inside the taxable value: TotAmt carries it
          // (the IRP no longer checks TotAmt = Qty × UnitPrice). After them it is outside: OthChrg.
          if (preTax) money.gross += v;
          else money.othChrg += v;
          break;
        case 'roundOff':
          header.roundOff += v;
          break;
        default:
          postTax(money, rates, x.role, v, decFromAvroBytes(x.c.KBETR, SCALE.rate));
      }
    }
    const net = amountPaise(item.NETWR);
    const unpriced = price === undefined && list.length === 0 && net === 0 && amountPaise(item.MWSBP) === 0;
    if (price === undefined && !unpriced)
      return issues.add(
        'MAP_MISSING_FIELD',
        `${at}.POSNR`,
        `no active price condition (PR00/PPR0) for item ${item.POSNR}, which carries a value`,
      );
    const checked = !unmapped.has(item.POSNR);
    if (checked && net !== nonTax)
      issues.add(
        'MAP_TOTAL_MISMATCH',
        `${at}.NETWR`,
        `item net value ${net / 100} ≠ its mapped conditions ${nonTax / 100}`,
      );
    if (checked && amountPaise(item.MWSBP) !== tax)
      issues.add(
        'MAP_TAX_MISMATCH',
        `${at}.MWSBP`,
        `item tax ${amountPaise(item.MWSBP) / 100} ≠ its mapped tax conditions ${tax / 100}`,
      );
    const gst = list.find((x) => GST_ROLES.includes(x.role));
    if (checked && gst && amountPaise(gst.c.KAWRT) !== assessable(money))
      issues.add(
        'MAP_TAXABLE_MISMATCH',
        `${gst.path}.KAWRT`,
        `SAP taxed ${amountPaise(gst.c.KAWRT) / 100} for item ${item.POSNR}, the mapped taxable value is ${assessable(money) / 100}`,
      );
    const unit = lookup(tables.units, SAP_TABLES.units, item.VRKME);
    if (!unit)
      issues.add('MAP_UNKNOWN_UNIT', `${at}.VRKME`, `sales unit ${JSON.stringify(item.VRKME)} has no UQC`);
    const hsn = item.STEUC.replace(/[.\s]/g, '');
    if (!hsn) issues.add('MAP_MISSING_FIELD', `${at}.STEUC`, 'HSN/SAC control code is required');
    const qty = decFromAvroBytes(item.FKIMG, SCALE.quantity);
    return {
      facts: {
        SlNo: String(Number(item.POSNR)),
        PrdDesc: text(item.ARKTX, 3, 300),
        IsServc: hsn.startsWith('99') ? 'Y' : 'N',
        HsnCd: hsn,
        Barcde: text(item.EAN11, 3, 30),
        Qty: toNumber(qty, 3),
        Unit: unit,
        UnitPrice: price ? toNumber(unitPrice(price, item, money.gross, qty), 3) : 0,
        GstRt: toNumber(rates.gst, 3),
        CesRt: toNumber(rates.cess, 3),
        OrdLineRef: text(item.AUBEL, 1, 50),
        OrgCntry: given(item.HERKL),
        BchDtls: text(item.CHARG, 3, 20) ? { Nm: text(item.CHARG, 3, 20)! } : undefined,
      },
      money,
    };
  });
  return issues.errors.length > before ? undefined : { lines: lines as Line[], statisticalTax };
}
