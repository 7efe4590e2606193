/**
 * Renders a scenario as ERPNext (with india-compliance) would send a Sales Invoice: item rows carrying
 * their taxable value and GST amounts, the taxes table with one row per GST head plus "Actual" rows for
 * other charges, ERPNext's rounding adjustment, and returns as negative documents.
 */
import { stateName } from '../../../src/irp/masters/index.js';
import { mul, paise, paiseToDec, rupees, type Dec, type Paise } from '../../shared/decimal.js';
import { lookup, reverse } from '../render-util.js';
import { compute, dec, withoutPayment, type Party, type Scenario } from '../scenario.js';
import { COUNTRY_NAMES } from '../../shared/states.js';
import type { Address, SalesInvoiceEvent, SalesTaxesAndCharges } from '../../erpnext/record.js';
import { ERPNEXT_CANCEL_REASON, ERPNEXT_TRANSPORT_MODE, ERPNEXT_UOM_TO_UQC } from '../../erpnext/tables.js';

const UOM: Record<string, string> = {
  ...reverse(ERPNEXT_UOM_TO_UQC),
  NOS: 'Nos',
  PCS: 'Piece',
  KGS: 'Kg',
  LTR: 'Litre',
  MTR: 'Meter',
  SQM: 'Square Meter',
  BOX: 'Box',
  BAG: 'Bag',
  BTL: 'Bottle',
  CTN: 'Carton',
  PAC: 'Pack',
  DRM: 'Drum',
  QTL: 'Quintal',
  MTS: 'Metric Ton',
  THD: 'Thousand',
  PRS: 'Pair',
  GMS: 'Gram',
  OTH: 'Carat',
};
const COUNTRY = reverse(COUNTRY_NAMES);
const num = (d: Dec) => Number(d.units) / 10 ** d.scale;
/** Frappe document names cannot hold `/`; naming series use `-`. */
export const frappeName = (docNo: string) => docNo.replaceAll('/', '-');

function category(s: Scenario): string {
  if (s.supply === 'SEZWP' || s.supply === 'SEZWOP') return 'SEZ';
  if (s.supply === 'EXPWP' || s.supply === 'EXPWOP') return 'Overseas';
  return s.supply === 'DEXP' ? 'Deemed Export' : 'Registered Regular';
}

function address(p: Party, title: string, kind: string): Address {
  return {
    name: `${title}-${kind}`,
    address_title: title,
    address_line1: p.addr1,
    address_line2: p.addr2 ?? null,
    city: p.city,
    state: p.country === 'IN' ? stateName(p.stateCode)! : p.city,
    pincode: p.country === 'IN' ? String(p.pin) : null,
    country: lookup(COUNTRY, p.country, 'country name'),
    gstin: p.gstin ?? null,
    gst_state: p.country === 'IN' ? stateName(p.stateCode)! : 'Other Countries',
    gst_state_number: p.country === 'IN' ? p.stateCode : '96',
    phone: p.phone ?? null,
    email_id: p.email ?? null,
  };
}

export function renderErpnext(s: Scenario): SalesInvoiceEvent {
  const c = compute(s);
  const sign = s.docType === 'CRN' ? -1 : 1;
  const m = (p: Paise) => rupees(p * sign);
  // Billed in a foreign currency: the document's totals and rates in it, each item's taxable value and
  // GST (and every base_* field) converted to INR once, as india-compliance keeps them.
  const fx = s.currency ? dec(s.currency.rate) : undefined;
  const inr = (p: Paise) => (fx ? paise(mul(paiseToDec(p), fx)) : p);
  const mi = (p: Paise) => m(inr(p));
  const sum = (f: (l: (typeof c.lines)[number]) => Paise) => c.lines.reduce((t, l) => t + f(l), 0);
  const items = c.lines.map((l, i) => {
    const p = l.line.product;
    const gst = num(l.gstRate);
    return {
      idx: i + 1,
      item_code: p.code,
      item_name: p.name,
      description: p.name,
      gst_hsn_code: p.hsn,
      gst_treatment: withoutPayment(s) ? 'Zero-Rated' : 'Taxable',
      qty: num(l.qty) * sign,
      uom: p.service && p.uqc === 'OTH' ? 'Hour' : lookup(UOM, p.uqc, 'ERPNext UOM'),
      price_list_rate: num(l.price),
      discount_percentage: Number(l.line.discountPct ?? 0),
      rate: Math.round(l.taxable / num(l.qty)) / 100,
      amount: m(l.taxable),
      net_amount: m(l.taxable),
      taxable_value: mi(l.taxable),
      igst_rate: c.intra ? 0 : gst,
      cgst_rate: c.intra ? gst / 2 : 0,
      sgst_rate: c.intra ? gst / 2 : 0,
      cess_rate: num(l.cessRate),
      cess_non_advol_rate: p.cessPerUnit && l.cessNonAdvl ? num(dec(p.cessPerUnit)) : 0,
      igst_amount: mi(l.igst),
      cgst_amount: mi(l.cgst),
      sgst_amount: mi(l.sgst),
      cess_amount: mi(l.cess),
      cess_non_advol_amount: mi(l.cessNonAdvl),
      batch_no: l.line.batch?.name ?? null,
      barcode: p.barcode ?? null,
      sales_order: `SO-${s.docNo.replace(/\D/g, '').slice(-5)}`,
    };
  });
  const taxes: SalesTaxesAndCharges[] = [];
  const row = (
    charge_type: string,
    account_head: string,
    amount: Paise,
    gst_tax_type: string | null,
    rate = 0,
    baseAmount?: Paise,
  ) =>
    taxes.push({
      idx: taxes.length + 1,
      charge_type,
      account_head,
      description: account_head.replace(/ - .*$/, ''),
      rate,
      tax_amount: m(amount),
      base_tax_amount: fx ? m(baseAmount ?? inr(amount)) : null,
      gst_tax_type,
    });
  // One row per GST head; under reverse charge india-compliance adds each head's *_rcm counterpart,
  // deducting the tax the recipient pays from the total.
  const gstRow = (
    head: string,
    type: string,
    f: (l: (typeof c.lines)[number]) => Paise,
    chargeType = 'On Net Total',
  ) => {
    const total = sum(f);
    if (!total) return;
    const baseTotal = sum((l) => inr(f(l)));
    row(chargeType, `Output Tax ${head} - DP`, total, type, 0, baseTotal);
    if (s.reverseCharge) row(chargeType, `Output Tax ${head} RCM - DP`, -total, `${type}_rcm`, 0, -baseTotal);
  };
  gstRow('CGST', 'cgst', (l) => l.cgst);
  gstRow('SGST', 'sgst', (l) => l.sgst);
  gstRow('IGST', 'igst', (l) => l.igst);
  gstRow('Cess', 'cess', (l) => l.cess);
  gstRow('Cess Non-Advol', 'cess_non_advol', (l) => l.cessNonAdvl, 'On Item Quantity');
  if (sum((l) => l.tcs))
    row(
      'Actual',
      'TCS Payable - DP',
      sum((l) => l.tcs),
      null,
    );
  if (c.freight) row('Actual', 'Freight and Forwarding Charges - DP', c.freight, null);

  const tax = sum((l) => l.igst + l.cgst + l.sgst + l.cess + l.cessNonAdvl);
  const grand = c.total - c.roundOff - (s.reverseCharge ? tax : 0);
  const ship = s.shipTo;
  return {
    event: s.kind === 'generate' ? 'on_submit' : s.kind === 'cancel' ? 'on_cancel' : 'e_waybill',
    event_id: s.id,
    doc: {
      name: frappeName(s.docNo),
      posting_date: s.docDate,
      company: s.seller.legalName,
      company_gstin: s.seller.gstin ?? null,
      company_address: address(s.seller, s.seller.tradeName ?? s.seller.legalName, 'Billing'),
      customer: s.buyer.legalName,
      customer_name: s.buyer.legalName,
      billing_address_gstin: s.buyer.gstin ?? null,
      customer_address: address(s.buyer, s.buyer.legalName, 'Billing'),
      shipping_address: ship ? address(ship, ship.legalName, 'Shipping') : null,
      dispatch_address: null,
      port_address: null,
      place_of_supply: `${s.pos}-${stateName(s.pos)}`,
      gst_category: category(s),
      is_export_with_gst: s.supply === 'EXPWP' || s.supply === 'SEZWP' ? 1 : 0,
      is_reverse_charge: s.reverseCharge ? 1 : 0,
      ecommerce_gstin: null,
      is_return: s.docType === 'CRN' ? 1 : 0,
      return_against: s.preceding ? frappeName(s.preceding.docNo) : null,
      return_against_posting_date: s.preceding?.docDate ?? null,
      is_debit_note: s.docType === 'DBN' ? 1 : 0,
      currency: s.currency?.code ?? 'INR',
      conversion_rate: fx ? Number(s.currency!.rate) : 1,
      port_code: s.export?.port ?? null,
      shipping_bill_number: s.export?.shipBillNo ?? null,
      shipping_bill_date: s.export?.shipBillDate ?? null,
      items,
      taxes,
      net_total: m(sum((l) => l.taxable)),
      // An invoice-level discount after tax: ERPNext's cash or non-trade discount on the grand total.
      discount_amount: rupees(c.headerDiscount),
      is_cash_or_non_trade_discount: c.headerDiscount ? 1 : 0,
      base_discount_amount: fx ? rupees(inr(c.headerDiscount)) : null,
      apply_discount_on: 'Grand Total',
      grand_total: m(grand),
      base_grand_total: fx ? mi(grand) : null,
      rounding_adjustment: m(c.roundOff),
      base_rounding_adjustment: fx ? mi(c.roundOff) : null,
      rounded_total: m(grand + c.roundOff),
      base_rounded_total: fx ? mi(grand + c.roundOff) : null,
      disable_rounded_total: s.roundToRupee ? 0 : 1,
      payment_terms_template: s.creditDays ? `Net ${s.creditDays}` : null,
      due_date: s.docDate,
      irn: s.cancel?.irn ?? s.ewb?.irn ?? null,
    },
    cancel: s.cancel
      ? {
          reason: lookup(reverse(ERPNEXT_CANCEL_REASON), s.cancel.reason, 'cancel reason'),
          remark: s.cancel.remark,
        }
      : null,
    e_waybill: s.ewb
      ? {
          gst_transporter_id: s.ewb.transporterId ?? null,
          transporter_name: s.ewb.transporterName ?? null,
          mode_of_transport: lookup(reverse(ERPNEXT_TRANSPORT_MODE), s.ewb.mode, 'transport mode'),
          distance: s.ewb.distance,
          lr_no: s.ewb.transDocNo ?? null,
          lr_date: s.ewb.transDocDate ?? null,
          vehicle_no: s.ewb.vehicleNo ?? null,
          gst_vehicle_type:
            s.ewb.vehicleType === 'O'
              ? 'Over Dimensional Cargo (ODC)'
              : s.ewb.vehicleType === 'R'
                ? 'Regular'
                : null,
        }
      : null,
  };
}
