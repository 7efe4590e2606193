/**
 * ERPNext Sales Invoice → IRP. india-compliance already stores each item's taxable value and GST/cess
 * amounts (in INR), so lines map one to one; the taxes table is used to cross-check them (reverse-charge
 * *_rcm rows included) and for the charges that are not GST; a cash or non-trade discount is the
 * invoice-level discount; the rounded (or grand) total is reconciled with what was mapped. ERPNext
 * returns carry negative quantities and amounts; signs are flipped for CRN.
 */
import type { ExpDtls, SupplyType } from '../../src/irp/schema/invoice.js';
import { docCurrency } from '../shared/currency.js';
import {
  decFromNumber,
  mul,
  paise,
  rupees,
  toNumber,
  ZERO,
  type Dec,
  type Paise,
} from '../shared/decimal.js';
import { dateFromIso, docNumber } from '../shared/doc.js';
import { cancelEvent, documentRef, ewbEvent, isExport } from '../shared/events.js';
import {
  assembleInvoice,
  checkTaxHeads,
  reconcile,
  exportDtls,
  generateEvent,
  NO_MONEY,
  precedingInvoice,
  type HeaderMoney,
  type Line,
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
import { lookup, type TablesOf } from '../shared/site-tables.js';
import { COUNTRY_NAMES, stateFromName } from '../shared/states.js';
import type { DocType, MapResult } from '../types.js';
import type { Address, SalesInvoice, SalesInvoiceEvent, SalesInvoiceItem } from './record.js';
import {
  ERPNEXT_CANCEL_REASON,
  ERPNEXT_TABLES,
  ERPNEXT_TRANSPORT_MODE,
  ERPNEXT_VEHICLE_TYPE,
} from './tables.js';

const dec = (n: number): Dec => decFromNumber(n) ?? ZERO;

export type ErpnextTables = TablesOf<typeof ERPNEXT_TABLES>;

function supplyOf(issues: Issues, tables: ErpnextTables, d: SalesInvoice): SupplyType | undefined {
  switch (lookup(tables.categories, ERPNEXT_TABLES.categories, d.gst_category)) {
    case 'B2B':
      return 'B2B';
    case 'SEZ':
      return d.is_export_with_gst ? 'SEZWP' : 'SEZWOP';
    case 'EXP':
      return d.is_export_with_gst ? 'EXPWP' : 'EXPWOP';
    case 'DEXP':
      return 'DEXP';
    default:
      return issues.add(
        'MAP_INVALID_CODE',
        'doc.gst_category',
        `GST category ${JSON.stringify(d.gst_category)} is not e-invoiced (${Object.keys(tables.categories).join(', ')})`,
      );
  }
}

/** india-compliance fills gst_state_number; older addresses only have the state name. */
function address(
  tables: ErpnextTables,
  a: Address,
  path: string,
  name: string,
  gstinValue: string | null,
  gstinPath: string,
): PartyInput {
  return {
    gstin: gstinValue,
    name,
    addr1: a.address_line1,
    addr2: a.address_line2,
    city: a.city,
    pin: a.pincode,
    state:
      given(a.gst_state_number) ??
      lookup(tables.states, ERPNEXT_TABLES.states, a.gst_state ?? a.state) ??
      stateFromName(a.gst_state ?? a.state),
    stateRaw: a.gst_state_number ?? a.gst_state ?? a.state,
    phone: a.phone,
    email: a.email_id,
    paths: {
      gstin: gstinPath,
      name: `${path}.address_title`,
      city: `${path}.city`,
      pin: `${path}.pincode`,
      state: `${path}.gst_state_number`,
    },
  };
}

export function mapSalesInvoice(r: SalesInvoiceEvent, tables: ErpnextTables): MapResult {
  const issues = new Issues();
  const d = r.doc;
  const docType: DocType = d.is_debit_note ? 'DBN' : d.is_return ? 'CRN' : 'INV';
  const docNo = docNumber(issues, d.name, 'doc.name');
  const docDate = dateFromIso(issues, d.posting_date, 'doc.posting_date');
  const sellerGstin = gstin(issues, d.company_gstin, 'doc.company_gstin', 'supplier');
  const ref = () => documentRef(sellerGstin!, docType, docNo!, docDate!, d.irn);

  if (r.event === 'on_cancel') {
    const c = r.cancel;
    return cancelEvent(
      issues,
      ref,
      c && { reason: ERPNEXT_CANCEL_REASON[c.reason] ?? c.reason, remark: c.remark },
      {
        request: 'cancel',
        missing: 'a cancellation needs the e-invoice cancel reason and remark',
        reason: 'cancel.reason',
        remark: 'cancel.remark',
      },
    );
  }
  if (r.event === 'e_waybill') {
    const e = r.e_waybill;
    return ewbEvent(
      issues,
      ref,
      e && {
        distance: e.distance,
        mode: ERPNEXT_TRANSPORT_MODE[e.mode_of_transport] ?? e.mode_of_transport,
        transId: e.gst_transporter_id,
        transName: e.transporter_name,
        transDocNo: e.lr_no,
        transDocDt: e.lr_date ? dateFromIso(issues, e.lr_date, 'e_waybill.lr_date') : undefined,
        vehNo: e.vehicle_no,
        vehType: e.gst_vehicle_type ? (ERPNEXT_VEHICLE_TYPE[e.gst_vehicle_type] ?? e.gst_vehicle_type) : null,
      },
      {
        request: 'e_waybill',
        missing: 'an e-waybill request needs the transporter details',
        distance: 'e_waybill.distance',
        mode: 'e_waybill.mode_of_transport',
        transId: 'e_waybill.gst_transporter_id',
        vehType: 'e_waybill.gst_vehicle_type',
      },
    );
  }

  const cur = docCurrency(
    issues,
    d.currency,
    d.conversion_rate > 0 ? decFromNumber(d.conversion_rate) : undefined,
    { code: 'doc.currency', rate: 'doc.conversion_rate' },
  );
  const supply = supplyOf(issues, tables, d);
  const sign = d.is_return ? -1 : 1;
  // india-compliance keeps each item's taxable value and GST amounts in the company currency (INR);
  // the document's totals are in its own currency, with base_* twins in INR.
  const money = (n: number): Paise => paise(dec(n * sign));
  const base = (value: number, baseValue: number | null): Paise =>
    baseValue !== null && baseValue !== undefined
      ? money(baseValue)
      : cur?.foreign
        ? cur.inr(money(value))
        : money(value);

  const seller = sellerDtls(
    issues,
    address(
      tables,
      d.company_address,
      'doc.company_address',
      d.company,
      d.company_gstin,
      'doc.company_gstin',
    ),
  );
  const exported = supply !== undefined && isExport(supply);
  const pos = /^(\d{2})-/.exec(d.place_of_supply)?.[1];
  if (!pos && !exported)
    issues.add(
      'MAP_UNKNOWN_STATE',
      'doc.place_of_supply',
      `place of supply ${JSON.stringify(d.place_of_supply)} is not 'NN-State'`,
    );
  const buyer = supply
    ? buyerDtls(
        issues,
        address(
          tables,
          d.customer_address,
          'doc.customer_address',
          d.customer_name,
          d.billing_address_gstin,
          'doc.billing_address_gstin',
        ),
        { exported, ...(pos ? { pos } : {}) },
      )
    : undefined;
  // Exports ship to the port of export when india-compliance has its address; otherwise to the
  // shipping address, which abroad is state 96, PIN 999999.
  const port = exported && d.port_address ? d.port_address : undefined;
  const ship =
    port ??
    (d.shipping_address && d.shipping_address.name !== d.customer_address.name
      ? d.shipping_address
      : undefined);
  const shipPath = port ? 'doc.port_address' : 'doc.shipping_address';
  const shipTo = ship
    ? shipDtls(issues, address(tables, ship, shipPath, ship.address_title, ship.gstin, `${shipPath}.gstin`), {
        foreign: given(ship.country) !== undefined && ship.country.trim().toLowerCase() !== 'india',
      })
    : undefined;
  const disp =
    d.dispatch_address && d.dispatch_address.name !== d.company_address.name ? d.dispatch_address : undefined;
  const dispatch = disp
    ? dispDtls(issues, address(tables, disp, 'doc.dispatch_address', disp.address_title, null, ''))
    : undefined;

  const lines = d.items
    .map((it, i) => itemLine(issues, tables, it, `doc.items[${i}]`, money, cur?.rate))
    .filter((l): l is Line => l !== undefined);

  const header: HeaderMoney = {
    othChrg: 0,
    // A cash or non-trade discount is given after tax: outside every item's taxable value.
    discount: d.is_cash_or_non_trade_discount ? base(d.discount_amount, d.base_discount_amount) : 0,
    roundOff: base(d.rounding_adjustment, d.base_rounding_adjustment),
  };
  const byType = new Map<string, { total: Paise; path: string }>();
  d.taxes.forEach((t, i) => {
    const v = base(t.tax_amount, t.base_tax_amount);
    const type = given(t.gst_tax_type);
    if (type)
      byType.set(type, { total: (byType.get(type)?.total ?? 0) + v, path: `doc.taxes[${i}].tax_amount` });
    else if (v < 0) header.discount -= v;
    else header.othChrg += v;
  });
  const field = {
    igst: 'igst',
    cgst: 'cgst',
    sgst: 'sgst',
    cess: 'cess',
    cess_non_advol: 'cessNonAdvl',
  } as const;
  // Cross-check only complete documents: a line that failed to map would make every head differ.
  for (const [type, { total, path }] of lines.length === d.items.length ? byType : []) {
    // A reverse-charge row (igst_rcm …) deducts the tax the recipient pays: it mirrors the head's row.
    const rcm = type.endsWith('_rcm');
    const key = field[(rcm ? type.slice(0, -4) : type) as keyof typeof field];
    if (!key || (rcm && !d.is_reverse_charge)) {
      issues.add(
        'MAP_UNKNOWN_TAX',
        path.replace('.tax_amount', '.gst_tax_type'),
        key
          ? `${type} row on a document that is not under reverse charge`
          : `GST tax type ${JSON.stringify(type)} has no IRP field`,
      );
      continue;
    }
    const items = lines.reduce((s, l) => s + l.money[key], 0) * (rcm ? -1 : 1);
    if (Math.abs(items - total) > lines.length)
      issues.add(
        'MAP_TAX_MISMATCH',
        path,
        `${type} row ${total / 100} ≠ items' ${type.replace('_rcm', '')}_amount ${(rcm ? -items : items) / 100}${rcm ? ' (with its sign turned)' : ''}`,
      );
  }
  if (issues.errors.length === 0 && cur) {
    const rounded = !d.disable_rounded_total;
    reconcile(
      issues,
      lines,
      header,
      {
        total: {
          value: rounded
            ? base(d.rounded_total, d.base_rounded_total)
            : base(d.grand_total, d.base_grand_total),
          path: rounded ? 'doc.rounded_total' : 'doc.grand_total',
        },
      },
      { reverseCharge: d.is_reverse_charge === 1 },
    );
    if (cur.foreign) header.totInvValFc = rupees(money(rounded ? d.rounded_total : d.grand_total));
  }
  checkTaxHeads(issues, { supply, sellerState: seller?.Stcd, pos, lines, posPath: 'doc.place_of_supply' });

  const preceding = precedingInvoice(
    issues,
    docType,
    given(d.return_against)
      ? {
          no: docNumber(issues, d.return_against, 'doc.return_against'),
          date: dateFromIso(issues, d.return_against_posting_date, 'doc.return_against_posting_date'),
        }
      : undefined,
    { path: 'doc.return_against', message: 'a return (credit note) must be made against an invoice' },
  );

  let exp: ExpDtls | undefined;
  if (exported) {
    const country =
      COUNTRY_NAMES[d.customer_address.country] ??
      issues.add(
        'MAP_MISSING_EXPORT_DETAILS',
        'doc.customer_address.country',
        `no ISO code for country ${JSON.stringify(d.customer_address.country)}`,
      );
    exp = exportDtls(supply!, {
      shipBNo: d.shipping_bill_number,
      shipBDt: d.shipping_bill_date
        ? dateFromIso(issues, d.shipping_bill_date, 'doc.shipping_bill_date')
        : undefined,
      port: d.port_code,
      forCur: cur?.foreign ? cur.code : undefined,
      cntCode: country,
    });
  }

  return issues.result(() =>
    generateEvent(
      assembleInvoice({
        supply: supply!,
        reverseCharge: d.is_reverse_charge === 1,
        ecmGstin: given(d.ecommerce_gstin),
        docType,
        docNo: docNo!,
        docDate: docDate!,
        seller: seller!,
        buyer: buyer!,
        dispatch,
        shipTo,
        lines,
        header,
        preceding,
        exp,
        pay: compact({ PayTerm: text(d.payment_terms_template, 1, 100) }),
      }),
    ),
  );
}

function itemLine(
  issues: Issues,
  tables: ErpnextTables,
  it: SalesInvoiceItem,
  at: string,
  money: (n: number) => Paise,
  rate: Dec | undefined,
): Line | undefined {
  const before = issues.errors.length;
  const qty = dec(Math.abs(it.qty));
  // india-compliance sends OTH for a UOM its UQC map does not know, and so does the mapping.
  const unit = lookup(tables.units, ERPNEXT_TABLES.units, it.uom) ?? 'OTH';
  const hsn = (it.gst_hsn_code ?? '').replace(/\D/g, '');
  if (!hsn) issues.add('MAP_MISSING_FIELD', `${at}.gst_hsn_code`, 'HSN/SAC code is required');
  const treatment = given(it.gst_treatment)?.toLowerCase();
  if (
    (treatment === 'nil-rated' || treatment === 'exempted') &&
    it.igst_amount + it.cgst_amount + it.sgst_amount !== 0
  )
    issues.add(
      'MAP_TAX_MISMATCH',
      `${at}.gst_treatment`,
      `GST charged on an item whose GST treatment is ${it.gst_treatment}`,
    );
  if (treatment === 'non-gst')
    issues.add(
      'MAP_INVALID_CODE',
      `${at}.gst_treatment`,
      'a Non-GST item cannot be e-invoiced (india-compliance refuses it too)',
    );
  const taxable = money(it.taxable_value);
  // ERPNext folds item discounts into `rate`; the price-list rate is the pre-discount price, in the
  // document's currency (taxable_value is INR). Sold above the price list (or without one) there is no
  // discount to show: the rate is the unit price.
  const toInr = (d: Dec) => (rate ? mul(d, rate) : d);
  const listPrice = it.price_list_rate > 0 ? toInr(dec(it.price_list_rate)) : undefined;
  const atList = listPrice ? paise(mul(qty, listPrice)) : undefined;
  const discounted = atList !== undefined && atList >= taxable;
  const gross = discounted ? atList : taxable;
  if (issues.errors.length > before) return undefined;
  return {
    facts: {
      SlNo: String(it.idx),
      PrdDesc: text(it.item_name, 3, 300),
      IsServc: hsn.startsWith('99') ? 'Y' : 'N',
      HsnCd: hsn,
      Barcde: text(it.barcode, 3, 30),
      Qty: toNumber(qty, 3),
      Unit: unit,
      UnitPrice: toNumber(discounted ? listPrice! : toInr(dec(it.rate)), 3),
      GstRt: toNumber(dec(it.igst_rate + it.cgst_rate + it.sgst_rate), 3),
      CesRt: toNumber(dec(it.cess_rate), 3),
      OrdLineRef: text(it.sales_order, 1, 50),
      BchDtls: text(it.batch_no, 3, 20) ? { Nm: text(it.batch_no, 3, 20)! } : undefined,
    },
    money: {
      ...NO_MONEY,
      gross,
      discount: gross - taxable,
      igst: money(it.igst_amount),
      cgst: money(it.cgst_amount),
      sgst: money(it.sgst_amount),
      cess: money(it.cess_amount),
      cessNonAdvl: money(it.cess_non_advol_amount),
    },
  };
}
