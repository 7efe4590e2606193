/**
 * Odoo 17 account.move → IRP, following l10n_in_edi's own `_l10n_in_edi_generate_invoice_json`
 * (addons/l10n_in_edi/models/account_edi_format.py): amounts in company currency from each line's
 * `balance`, taxes from the line's tax details resolved to GST heads by their repartition tags, global
 * discount lines as the invoice discount, rounding lines as RndOffAmt, negative lines folded into the
 * positive lines of the same HSN and rate. Unlike Odoo's JSON, nothing is dropped: what does not fit is a
 * coded error, and the result is reconciled with the move's own amount_total_signed, amount_untaxed_signed
 * and posted tax lines.
 */
import { isUqc } from '../../src/irp/masters/index.js';
import type { ExpDtls, SupplyType } from '../../src/irp/schema/invoice.js';
import { decFromNumber, pow10, rupees, toNumber, ZERO, type Dec, type Paise } from '../shared/decimal.js';
import { dateFromIso, docNumber } from '../shared/doc.js';
import { cancelEvent, documentRef, ewbEvent, isExport, type EwbInput } from '../shared/events.js';
import {
  assembleInvoice,
  checkTaxHeads,
  exportDtls,
  generateEvent,
  NO_MONEY,
  postTax,
  precedingInvoice,
  reconcile,
  type HeaderMoney,
  type Line,
  type LineMoney,
  type LineRates,
} from '../shared/invoice.js';
import { given, Issues } from '../shared/issues.js';
import {
  buyerDtls,
  compact,
  dispDtls,
  gstin,
  sellerDtls,
  shipDtls,
  text,
  type PartyInput,
} from '../shared/parties.js';
import type { DocType, MapResult } from '../types.js';
import type { AccountMove, AccountMoveEvent, AccountMoveLine, MoveRef, ResPartner } from './record.js';
import { defaultTables, lookup } from '../shared/site-tables.js';
import { EINVOICED_TREATMENTS, ODOO_TABLES, type GstHead, type OdooTables } from './tables.js';

const dec = (n: number): Dec => decFromNumber(n) ?? ZERO;

/** `a / b` at `scale` decimals, rounded half away from zero. */
export function quotient(a: Dec, b: Dec, scale: number): bigint {
  const num = a.units * pow10(b.scale + scale);
  const den = b.units * pow10(a.scale);
  if (den === 0n) return 0n;
  const neg = num < 0n !== den < 0n;
  const n = num < 0n ? -num : num;
  const d = den < 0n ? -den : den;
  const q = (n * 2n + d) / (d * 2n);
  return neg ? -q : q;
}

/** Company-currency amount in the IRP's sign: Odoo books an invoice's income as credit (negative balance). */
const money = (n: number, sign: 1 | -1): Paise => sign * Number(quotient(dec(n), { units: 1n, scale: 0 }, 2));

function docTypeOf(issues: Issues, m: AccountMove): DocType | undefined {
  if (m.move_type === 'out_refund') return 'CRN';
  if (m.move_type === 'out_invoice' || m.move_type === 'out_receipt')
    return m.debit_origin_id ? 'DBN' : 'INV';
  return issues.add(
    'MAP_UNKNOWN_DOC_TYPE',
    'move.move_type',
    `move_type ${JSON.stringify(m.move_type)} is not a customer invoice, receipt or credit note`,
  );
}

function supplyOf(issues: Issues, treatment: string | null, igst: boolean): SupplyType | undefined {
  switch (treatment) {
    case 'regular':
    case 'composition':
      return 'B2B';
    case 'special_economic_zone':
      return igst ? 'SEZWP' : 'SEZWOP';
    case 'overseas':
      return igst ? 'EXPWP' : 'EXPWOP';
    case 'deemed_export':
      return 'DEXP';
    default:
      return issues.add(
        'MAP_INVALID_CODE',
        'move.l10n_in_gst_treatment',
        `GST treatment ${JSON.stringify(treatment)} is not e-invoiced (l10n_in_edi e-invoices ${EINVOICED_TREATMENTS.join(', ')})`,
      );
  }
}

const digits = (s: string | null | undefined): string => (s ?? '').replace(/\D/g, '');
const isForeign = (p: ResPartner): boolean => !!p.country_id && p.country_id.code.toUpperCase() !== 'IN';

/** A partner as l10n_in_edi's `_get_l10n_in_edi_partner_details` reads it. */
function party(
  p: ResPartner,
  path: string,
  opts: { vat?: string | null; ownName?: boolean } = {},
): PartyInput {
  const tin = given(p.state_id?.l10n_in_tin);
  return {
    gstin: opts.vat === undefined ? p.vat : opts.vat,
    // LglNm is the legal entity's name; a dispatch address (DispDtls.Nm) is named by itself.
    name: opts.ownName ? p.name : p.commercial_partner_id.name,
    addr1: p.street,
    addr2: p.street2,
    city: p.city,
    pin: digits(p.zip),
    state: tin,
    stateRaw: p.state_id ? (p.state_id.l10n_in_tin ?? p.state_id.name) : null,
    phone: p.phone,
    email: p.email,
    paths: {
      gstin: `${path}.vat`,
      name: `${path}.commercial_partner_id.name`,
      city: `${path}.city`,
      pin: `${path}.zip`,
      state: `${path}.state_id.l10n_in_tin`,
    },
  };
}

function original(issues: Issues, ref: MoveRef | null, path: string) {
  if (!ref) return undefined;
  return {
    no: docNumber(issues, ref.name, `${path}.name`),
    date: dateFromIso(issues, ref.invoice_date, `${path}.invoice_date`),
  };
}

const DEFAULT_TABLES: OdooTables = defaultTables(ODOO_TABLES);

export function mapAccountMove(r: AccountMoveEvent, tables: OdooTables = DEFAULT_TABLES): MapResult {
  const issues = new Issues();
  const m = r.move;
  const docType = docTypeOf(issues, m);
  const docNo = docNumber(issues, m.name, 'move.name');
  const docDate = dateFromIso(issues, m.invoice_date, 'move.invoice_date');
  const seller = m.company_id.partner_id;
  const sellerGstin = gstin(issues, seller.vat, 'move.company_id.partner_id.vat', 'supplier');
  const ref = () => documentRef(sellerGstin!, docType!, docNo!, docDate!, r.irn);

  if (r.event === 'cancel') {
    const c = r.cancel;
    return cancelEvent(
      issues,
      ref,
      c && { reason: c.l10n_in_edi_cancel_reason, remark: c.l10n_in_edi_cancel_remarks },
      {
        request: 'cancel',
        missing: 'a cancellation needs l10n_in_edi_cancel_reason and l10n_in_edi_cancel_remarks',
        reason: 'cancel.l10n_in_edi_cancel_reason',
        remark: 'cancel.l10n_in_edi_cancel_remarks',
      },
    );
  }
  if (r.event === 'ewaybill') {
    const e = r.ewaybill;
    return ewbEvent(issues, ref, e && ewbInput(issues, e), {
      request: 'ewaybill',
      missing: 'an e-way bill request needs the l10n_in_edi_ewaybill transport fields',
      distance: 'ewaybill.l10n_in_distance',
      mode: 'ewaybill.l10n_in_mode',
      transId: 'ewaybill.l10n_in_transporter_id.vat',
      vehType: 'ewaybill.l10n_in_vehicle_type',
    });
  }
  return mapPosted(issues, r, tables, { docType, docNo, docDate });
}

/** `_l10n_in_edi_irn_ewaybill_generate_json`: what is sent depends on the mode. */
function ewbInput(issues: Issues, e: NonNullable<AccountMoveEvent['ewaybill']>): EwbInput {
  const base: EwbInput = { distance: e.l10n_in_distance };
  switch (e.l10n_in_mode) {
    case '0':
      return { ...base, transId: e.l10n_in_transporter_id?.vat, transName: e.l10n_in_transporter_id?.name };
    case '1':
      return { ...base, mode: '1', vehNo: e.l10n_in_vehicle_no, vehType: e.l10n_in_vehicle_type };
    case '2':
    case '3':
    case '4':
      return {
        ...base,
        mode: e.l10n_in_mode,
        transDocNo: e.l10n_in_transportation_doc_no,
        transDocDt: e.l10n_in_transportation_doc_date
          ? dateFromIso(issues, e.l10n_in_transportation_doc_date, 'ewaybill.l10n_in_transportation_doc_date')
          : undefined,
      };
    default:
      return { ...base, mode: e.l10n_in_mode };
  }
}

/** One product line on its way to an IRP item; `key` groups negative lines as l10n_in_edi does. */
interface Item {
  line: Line;
  key: string;
  path: string;
  hsn: string;
  rate: string;
}

interface LineTaxes {
  money: LineMoney;
  rates: LineRates;
  stateCesRt?: Dec;
  /** The reverse-charge counterparts (−100 % repartition lines) in document currency: not on the item. */
  reverseChargeCurrency: Paise;
}

/** The GST head of a repartition line or tax line, by the first of its tags the site table knows. */
function headOf(tables: OdooTables, tags: readonly string[]): GstHead | undefined {
  for (const tag of tags) {
    const head = lookup(tables.taxTags, ODOO_TABLES.taxTags, tag);
    if (head) return head;
  }
  return undefined;
}

const isReverseChargeHead = (h: GstHead): h is Extract<GstHead, `${string}_rc`> => h.endsWith('_rc');

/** The line's tax details resolved to GST heads by their repartition tags (l10n_in_grouping_key_generator). */
function lineTaxes(line: AccountMoveLine, tables: OdooTables): LineTaxes {
  const t: LineTaxes = {
    money: { ...NO_MONEY },
    rates: { gst: ZERO, cess: ZERO },
    reverseChargeCurrency: 0,
  };
  const seen = new Set<number>();
  for (const d of line.tax_details) {
    const amount = money(d.tax_amount, 1);
    const rep = d.tax_repartition_line_id;
    const head = headOf(tables, rep.tag_ids);
    if (!head) {
      // l10n_in_edi's line_code "other": a non-GST tax (TCS) travels as the item's other charges.
      if (amount !== 0) postTax(t.money, t.rates, 'tcs', amount, ZERO);
      continue;
    }
    if (isReverseChargeHead(head) || rep.factor_percent < 0) {
      t.reverseChargeCurrency += money(d.tax_amount_currency, 1);
      continue;
    }
    const tax = d.tax_id;
    const rate = dec(tax.amount);
    const once = !seen.has(tax.id);
    seen.add(tax.id);
    const advalorem = tax.amount_type === 'percent';
    if (head === 'state_cess') {
      if (advalorem) {
        t.money.stateCess += amount;
        t.stateCesRt = rate;
      } else t.money.stateCessNonAdvl += amount;
    } else if (head === 'cess') {
      postTax(t.money, t.rates, advalorem ? 'cess' : 'cessNonAdvl', amount, rate);
    } else {
      postTax(t.money, t.rates, head, amount, once ? rate : ZERO);
    }
  }
  return t;
}

/**
 * TotAmt and UnitPrice before the line's discount, derived from the booked balance as l10n_in_edi does
 * (`balance / (1 − discount/100) / quantity`); a fully discounted or zero-quantity line has no balance
 * to derive from, so its price_unit is converted at the line's rate.
 */
function grossOf(line: AccountMoveLine, assessable: Paise): { gross: Paise; unit: Dec; qty: Dec } {
  let qty = dec(line.quantity);
  const discount = dec(line.discount);
  const full = line.discount === 100 || line.quantity === 0;
  const rate = line.currency_rate > 0 ? dec(line.currency_rate) : { units: 1n, scale: 0 };
  let unit: Dec;
  let gross: Paise;
  if (full) {
    unit = { units: quotient(dec(line.price_unit), rate, 3), scale: 3 };
    gross = Number(
      quotient(
        { units: dec(line.price_unit).units * qty.units, scale: dec(line.price_unit).scale + qty.scale },
        rate,
        2,
      ),
    );
  } else {
    const keep: Dec = {
      units: 100n * 10n ** BigInt(discount.scale) - discount.units,
      scale: discount.scale + 2,
    };
    const ass: Dec = { units: BigInt(assessable), scale: 2 };
    gross = Number(quotient(ass, keep, 2));
    unit = {
      units: quotient(ass, { units: keep.units * qty.units, scale: keep.scale + qty.scale }, 3),
      scale: 3,
    };
  }
  // Odoo: a negative price on a negative quantity is a positive line.
  if (unit.units < 0n && qty.units < 0n) {
    unit = { units: -unit.units, scale: unit.scale };
    qty = { units: -qty.units, scale: qty.scale };
  }
  return { gross, unit, qty };
}

function productItem(
  issues: Issues,
  line: AccountMoveLine,
  at: string,
  slNo: number,
  sign: 1 | -1,
  tables: OdooTables,
): (Item & { taxes: LineTaxes }) | undefined {
  const before = issues.errors.length;
  if (!line.tax_tag_ids.some((t) => lookup(tables.baseTags, ODOO_TABLES.baseTags, t)))
    issues.add(
      'MAP_UNKNOWN_TAX',
      `${at}.tax_ids`,
      `line ${JSON.stringify(line.name ?? line.product_id?.display_name)} has no GST tax (set a GST, zero-rated, nil-rated or exempt tax, as l10n_in_edi requires)`,
    );
  if (line.discount < 0)
    issues.add('MAP_INVALID_AMOUNT', `${at}.discount`, `negative discount ${line.discount} % is not allowed`);
  const hsn = digits(line.l10n_in_hsn_code);
  if (!hsn) issues.add('MAP_MISSING_FIELD', `${at}.l10n_in_hsn_code`, 'HSN/SAC code is required');
  else if (!/^(\d{4}|\d{6}|\d{8})$/.test(hsn))
    issues.add(
      'MAP_INVALID_CODE',
      `${at}.l10n_in_hsn_code`,
      `HSN code ${JSON.stringify(hsn)} is not 4, 6 or 8 digits`,
    );
  // l10n_in's UQC is "<code>-<description>"; a unit without one is the site table's, else OTH (as
  // l10n_in_edi sends it).
  const unit = (
    given(line.product_uom_id?.l10n_in_code)?.split('-')[0] ??
    lookup(tables.units, ODOO_TABLES.units, line.product_uom_id?.name) ??
    'OTH'
  )
    .trim()
    .toUpperCase();
  if (!isUqc(unit))
    issues.add(
      'MAP_UNKNOWN_UNIT',
      `${at}.product_uom_id.l10n_in_code`,
      `${JSON.stringify(line.product_uom_id?.l10n_in_code)} is not a UQC`,
    );
  if (issues.errors.length > before) return undefined;

  const taxes = lineTaxes(line, tables);
  const assessable = money(line.balance, sign);
  const { gross, unit: price, qty } = grossOf(line, assessable);
  const gst = toNumber(taxes.rates.gst, 3);
  const description = (line.product_id?.display_name ?? line.name ?? '').replace(/\n/g, '');
  return {
    taxes,
    path: at,
    hsn,
    rate: String(gst),
    key: `${hsn}-${gst}`,
    line: {
      facts: {
        SlNo: String(slNo),
        PrdDesc: text(description, 3, 300),
        IsServc: line.product_id?.type === 'service' || hsn.startsWith('99') ? 'Y' : 'N',
        HsnCd: hsn,
        Barcde: text(line.product_id?.barcode, 3, 30),
        Qty: toNumber(qty, 3),
        Unit: unit,
        UnitPrice: toNumber(price, 3),
        GstRt: gst,
        CesRt: toNumber(taxes.rates.cess, 3),
        StateCesRt: taxes.stateCesRt ? toNumber(taxes.stateCesRt, 3) : undefined,
      },
      money: { ...taxes.money, gross, discount: gross - assessable },
    },
  };
}

const HEADS = [
  'igst',
  'cgst',
  'sgst',
  'cess',
  'cessNonAdvl',
  'stateCess',
  'stateCessNonAdvl',
  'othChrg',
] as const;

/**
 * l10n_in_edi's `_l10n_in_edi_generate_invoice_json_managing_negative_lines`: a negative line becomes a
 * discount on the positive lines with the same HSN code and GST rate, largest first. Odoo drops what no
 * line can absorb; here that remainder is an error, because the invoice would shrink.
 */
function foldNegativeLines(issues: Issues, items: Item[]): Item[] {
  const negatives = items.filter((i) => i.line.money.gross - i.line.money.discount < 0);
  if (negatives.length === 0) return items;
  const positives = items.filter((i) => !negatives.includes(i));
  const groups = new Map<string, Item[]>();
  const ass = (m: LineMoney) => m.gross - m.discount;
  for (const i of [...positives].sort((a, b) => ass(b.line.money) - ass(a.line.money)))
    groups.set(i.key, [...(groups.get(i.key) ?? []), i]);
  for (const neg of negatives) {
    const d = neg.line.money;
    let remaining = -ass(d);
    for (const target of groups.get(neg.key) ?? []) {
      if (remaining === 0) break;
      const t = target.line.money;
      const room = ass(t);
      if (room <= 0) continue;
      const share = Math.min(room, remaining);
      if (share === remaining) {
        // the whole remaining discount fits: its taxes go with it
        t.discount += share;
        for (const h of HEADS) t[h] += d[h];
        for (const h of HEADS) d[h] = 0;
      } else {
        // the line is used up: discounted to zero, its taxes cancel against the negative line's
        t.discount += share;
        for (const h of HEADS) {
          d[h] += t[h];
          t[h] = 0;
        }
      }
      remaining -= share;
    }
    if (remaining > 0)
      issues.add(
        'MAP_INVALID_AMOUNT',
        `${neg.path}.price_subtotal`,
        `negative line of ₹${rupees(-ass(d))} (HSN ${neg.hsn}, GST ${neg.rate} %) exceeds the positive lines with the same HSN and rate by ₹${rupees(remaining)}: Odoo's e-invoice would drop it`,
      );
  }
  return positives;
}

function mapPosted(
  issues: Issues,
  r: AccountMoveEvent,
  tables: OdooTables,
  doc: { docType?: DocType; docNo?: string; docDate?: string },
): MapResult {
  const m = r.move;
  if (m.state !== 'posted')
    issues.add(
      'MAP_INVALID_CODE',
      'move.state',
      `only posted moves are e-invoiced, not ${JSON.stringify(m.state)}`,
    );
  if (m.company_currency_id.name.toUpperCase() !== 'INR')
    issues.add(
      'MAP_UNSUPPORTED_CURRENCY',
      'move.company_currency_id',
      `company currency ${m.company_currency_id.name}: the IRP takes INR amounts`,
    );
  // Odoo: sign = -1 when the move is inbound (invoice, receipt), +1 for a credit note.
  const sign: 1 | -1 = m.move_type === 'out_refund' ? 1 : -1;

  const items: Item[] = [];
  const header: HeaderMoney = { othChrg: 0, discount: 0, roundOff: 0 };
  let reverseChargeCurrency = 0;
  let taxLines = 0; // the posted GST tax lines: Odoo's own figure for the GST and cess charged
  let slNo = 0;
  m.line_ids.forEach((line, i) => {
    const at = `move.line_ids[${i}]`;
    if (line.display_type === 'rounding') header.roundOff += money(line.balance, sign);
    if (line.display_type === 'tax') {
      const head = headOf(tables, line.tax_tag_ids);
      if (head && !isReverseChargeHead(head)) taxLines += money(line.balance, sign);
    }
    if (line.display_type !== 'product') return; // sections, notes, payment-term lines
    // `_l10n_in_is_global_discount`: an untaxed negative line is the invoice's discount, not an item.
    if (line.tax_ids.length === 0 && line.price_subtotal < 0) {
      header.discount -= money(line.balance, sign);
      return;
    }
    slNo += 1;
    const item = productItem(issues, line, at, slNo, sign, tables);
    if (!item) return;
    reverseChargeCurrency += item.taxes.reverseChargeCurrency;
    items.push(item);
  });
  const lines = foldNegativeLines(issues, items).map((i) => i.line);
  const igst = lines.some((l) => l.money.igst !== 0);
  const supply = supplyOf(issues, m.l10n_in_gst_treatment, igst);
  const exported = supply !== undefined && isExport(supply);
  const reverseCharge = hasReverseChargeTax(m);

  const sellerParty = sellerDtls(issues, party(m.company_id.partner_id, 'move.company_id.partner_id'));
  const pos = given(m.l10n_in_state_id?.l10n_in_tin);
  if (!pos && !exported)
    issues.add(
      'MAP_UNKNOWN_STATE',
      'move.l10n_in_state_id',
      'the place of supply (l10n_in_state_id) has no l10n_in_tin',
    );
  const buyer = supply
    ? buyerDtls(
        issues,
        party(m.partner_id, 'move.partner_id', { vat: given(m.l10n_in_gstin) ?? m.partner_id.vat }),
        { exported, pos },
      )
    : undefined;
  const ship =
    m.partner_shipping_id && m.partner_shipping_id.id !== m.partner_id.id ? m.partner_shipping_id : undefined;
  const shipTo = ship
    ? shipDtls(issues, party(ship, 'move.partner_shipping_id'), { foreign: isForeign(ship) })
    : undefined;
  const wh = m.l10n_in_warehouse_address;
  const dispatch =
    wh && wh.id !== m.company_id.partner_id.id
      ? dispDtls(issues, party(wh, 'move.l10n_in_warehouse_address', { vat: null, ownName: true }))
      : undefined;
  // Odoo has no "IGST on an intra-state supply" flag of its own: IGST charged with the place of supply in
  // the company's state is refused rather than registered with IgstOnIntra (see README).
  checkTaxHeads(issues, {
    supply,
    sellerState: sellerParty?.Stcd,
    pos,
    lines,
    posPath: 'move.l10n_in_state_id',
  });

  const preceding = precedingInvoice(
    issues,
    doc.docType,
    doc.docType === 'CRN'
      ? original(issues, m.reversed_entry_id, 'move.reversed_entry_id')
      : doc.docType === 'DBN'
        ? original(issues, m.debit_origin_id, 'move.debit_origin_id')
        : undefined,
    { path: 'move.reversed_entry_id', message: 'a credit note must reverse an invoice (reversed_entry_id)' },
  );

  let exp: ExpDtls | undefined;
  if (exported) {
    const country =
      given(m.partner_id.country_id?.code)?.toUpperCase() ??
      issues.add(
        'MAP_MISSING_EXPORT_DETAILS',
        'move.partner_id.country_id',
        'an export needs the customer country',
      );
    exp = exportDtls(supply!, {
      shipBNo: m.l10n_in_shipping_bill_number,
      shipBDt: m.l10n_in_shipping_bill_date
        ? dateFromIso(issues, m.l10n_in_shipping_bill_date, 'move.l10n_in_shipping_bill_date')
        : undefined,
      port: m.l10n_in_shipping_port_code_id?.code,
      forCur: m.currency_id.name,
      cntCode: country,
    });
  }

  // Money is conserved or the record is refused: Odoo's own totals, in company currency and the IRP's
  // sign (amount_*_signed are negative on credit notes).
  const booked = (n: number) => money(n, sign === 1 ? -1 : 1);
  if (issues.errors.length === 0)
    reconcile(
      issues,
      lines,
      header,
      {
        total: { value: booked(m.amount_total_signed), path: 'move.amount_total_signed' },
        // amount_untaxed also holds the untaxed discount lines and the rounding lines the IRP carries apart
        taxBase: {
          value: booked(m.amount_untaxed_signed) + header.discount - header.roundOff,
          path: 'move.amount_untaxed_signed',
        },
        tax: { value: taxLines, path: 'move.line_ids[display_type=tax].balance' },
      },
      { totalExcludesTax: reverseCharge },
    );
  // The document total in its currency, with the reverse-charged GST the IRP total carries (2189).
  if (m.currency_id.name !== m.company_currency_id.name)
    header.totInvValFc = rupees(money(m.amount_total, 1) - reverseChargeCurrency);

  return issues.result(() =>
    generateEvent(
      assembleInvoice({
        supply: supply!,
        reverseCharge,
        docType: doc.docType!,
        docNo: doc.docNo!,
        docDate: doc.docDate!,
        seller: sellerParty!,
        buyer: buyer!,
        dispatch,
        shipTo,
        lines,
        header,
        preceding,
        exp,
        pay: compact({ PayTerm: text(m.invoice_payment_term_id?.name, 1, 100) }),
      }),
    ),
  );
}

/** RegRev as l10n_in_edi sets it: any tax of the move marked l10n_in_reverse_charge. */
function hasReverseChargeTax(m: AccountMove): boolean {
  return m.line_ids.some((l) => l.tax_details.some((d) => d.tax_id.l10n_in_reverse_charge));
}
