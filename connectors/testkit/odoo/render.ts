/**
 * Renders a scenario as an Odoo 17 account.move event (l10n_in / l10n_in_edi), in the shape the publisher
 * of docs/odoo.md emits: every journal item in `line_ids` (product, tax, rounding and payment-term lines),
 * each product line with the tax details Odoo computes for it per repartition line, balances in company
 * currency with Odoo's signs (income is credit), and the move's own amount_* totals. A document in a
 * foreign currency (the scenario's `currency`) carries its amounts in it, converted per line at the rate.
 */
import { stateName } from '../../../src/irp/masters/index.js';
import { mul, paise, paiseToDec, rupees, type Dec, type Paise } from '../../shared/decimal.js';
import { STATE_ABBREVIATIONS } from '../../shared/states.js';
import type {
  AccountMoveEvent,
  AccountMoveLine,
  AccountTax,
  LineTaxDetail,
  ResPartner,
} from '../../odoo/record.js';
import { reverse } from '../render-util.js';
import { compute, dec, withoutPayment, type Party, type Scenario } from '../scenario.js';

const ABBREVIATION = reverse(STATE_ABBREVIATIONS);
const UQC_NAMES: Readonly<Record<string, [string, string]>> = {
  NOS: ['Units', 'NOS-NUMBERS'],
  PCS: ['Pieces', 'PCS-PIECES'],
  BAG: ['Bag', 'BAG-BAGS'],
  BTL: ['Bottle', 'BTL-BOTTLES'],
  MTR: ['m', 'MTR-METERS'],
  KGS: ['kg', 'KGS-KILOGRAMS'],
  LTR: ['L', 'LTR-LITRES'],
  THD: ['Thousand', 'THD-THOUSANDS'],
  BOX: ['Box', 'BOX-BOX'],
  OTH: ['Hours', 'OTH-OTHERS'],
};
const num = (d: Dec) => Number(d.units) / 10 ** d.scale;
const half = (d: Dec): Dec => ({ units: d.units * 5n, scale: d.scale + 1 });

/** A stable id for a name, so the same partner or tax keeps its id across events. */
function idOf(text: string): number {
  let h = 7;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) % 1_000_003;
  return h + 100;
}

function partner(p: Party, commercial?: Party): ResPartner {
  const india = p.country === 'IN';
  const owner = commercial ?? p;
  return {
    id: idOf(`partner/${p.legalName}/${p.addr1}`),
    name: p.legalName,
    commercial_partner_id: { id: idOf(`partner/${owner.legalName}/${owner.addr1}`), name: owner.legalName },
    vat: p.gstin ?? null,
    street: p.addr1,
    street2: p.addr2 ?? null,
    city: p.city,
    zip: india ? String(p.pin) : null,
    state_id: india
      ? {
          id: idOf(`state/${p.stateCode}`),
          name: stateName(p.stateCode) ?? p.stateCode,
          code: ABBREVIATION[p.stateCode] ?? p.stateCode,
          l10n_in_tin: p.stateCode,
        }
      : null,
    country_id: { id: idOf(`country/${p.country}`), name: p.country, code: p.country },
    phone: p.phone ?? null,
    email: p.email ?? null,
  };
}

const tax = (name: string, amount: number, type = 'percent', rc = false): AccountTax => ({
  id: idOf(`tax/${name}`),
  name,
  amount,
  amount_type: type,
  l10n_in_reverse_charge: rc,
});

interface Detail {
  tax: AccountTax;
  tags: string[];
  factor: number;
  /** Document currency. */
  amount: Paise;
}

export function renderOdoo(s: Scenario): AccountMoveEvent {
  // The scenario's amounts are in the document currency (INR unless s.currency); Odoo converts each
  // line's amount to the company currency at the document's rate, half-up to the paisa.
  const c = compute(s);
  const refund = s.docType === 'CRN';
  // Odoo books income as credit: an invoice's product, tax and rounding lines have negative balances.
  const bsign = refund ? 1 : -1;
  const rate = s.currency ? dec(s.currency.rate) : undefined;
  const inr = (p: Paise): Paise => (rate ? paise(mul(paiseToDec(p), rate)) : p);
  const currencyRate = rate ? 1 / num(rate) : 1;
  const rc = s.reverseCharge;

  const lines: AccountMoveLine[] = [];
  const taxTotals = new Map<string, { tax: AccountTax; tags: string[]; amount: Paise }>();
  let seq = 10;
  const base = (id: number): AccountMoveLine => ({
    id,
    sequence: seq++,
    display_type: 'product',
    name: null,
    product_id: null,
    product_uom_id: null,
    l10n_in_hsn_code: null,
    quantity: 0,
    price_unit: 0,
    discount: 0,
    price_subtotal: 0,
    price_total: 0,
    balance: 0,
    amount_currency: 0,
    currency_rate: currencyRate,
    tax_ids: [],
    tax_tag_ids: [],
    tax_line_id: null,
    tax_details: [],
  });
  const lineId = (n: number) => idOf(`line/${s.docNo}`) * 1000 + n;
  /** A line's money: document currency as entered, company currency as booked. */
  const booked = (line: AccountMoveLine, doc: Paise) =>
    Object.assign(line, { balance: rupees(bsign * inr(doc)), amount_currency: rupees(bsign * doc) });
  let untaxed = 0; // company currency, as Odoo sums the booked balances
  let untaxedDoc = 0;

  c.lines.forEach((l, i) => {
    const p = l.line.product;
    const gst = num(l.gstRate);
    const details: Detail[] = [];
    const taxIds: AccountTax[] = [];
    const baseTags: string[] = [];
    const sfx = rc ? ' RC S' : ' S';
    const push = (t: AccountTax, tags: string[], amount: Paise) => {
      details.push({ tax: t, tags, factor: 100, amount });
      if (rc && t.l10n_in_reverse_charge)
        details.push({ tax: t, tags: tags.map((g) => `${g} (RC)`), factor: -100, amount: -amount });
    };
    if (withoutPayment(s)) {
      const t = tax('0% IGST S', 0);
      taxIds.push(t);
      baseTags.push('ZERO-RATED');
      details.push({ tax: t, tags: [], factor: 100, amount: 0 });
    } else if (c.intra) {
      taxIds.push(tax(`${gst}% GST${sfx}`, gst, 'group', rc));
      baseTags.push('BASE SGST', 'BASE CGST');
      const h = num(half(l.gstRate));
      push(tax(`${h}% SGST${sfx}`, h, 'percent', rc), ['SGST'], l.sgst);
      push(tax(`${h}% CGST${sfx}`, h, 'percent', rc), ['CGST'], l.cgst);
    } else {
      const t = tax(`${gst}% IGST${sfx}`, gst, 'percent', rc);
      taxIds.push(t);
      baseTags.push('BASE IGST');
      push(t, ['IGST'], l.igst);
    }
    if (l.cess || l.cessNonAdvl) baseTags.push('BASE CESS');
    if (l.cess) {
      const t = tax(`${num(l.cessRate)}% CESS S`, num(l.cessRate));
      taxIds.push(t);
      push(t, ['CESS'], l.cess);
    }
    if (l.cessNonAdvl) {
      const perUnit = num(dec(p.cessPerUnit!));
      const t = tax(`${perUnit} PER UNIT CESS S`, perUnit, 'fixed');
      taxIds.push(t);
      push(t, ['CESS'], l.cessNonAdvl);
    }
    if (l.tcs) {
      // TCS is not GST: no l10n_in GST tag, so l10n_in_edi sends it as the item's other charges.
      const t = tax(`${l.line.tcsPct}% TCS 206C(1H)`, Number(l.line.tcsPct));
      taxIds.push(t);
      details.push({ tax: t, tags: ['TCS 206C(1H)'], factor: 100, amount: l.tcs });
    }
    const taxOfLine = details.reduce((t, d) => t + d.amount, 0);
    const [uomName, uqcCode] =
      UQC_NAMES[p.uqc] ?? (p.service ? ['Hours', 'OTH-OTHERS'] : ['Units', 'UNT-UNITS']);
    const line = base(lineId(i + 1));
    Object.assign(line, {
      name: `[${p.code}] ${p.name}`,
      product_id: {
        id: idOf(`product/${p.code}`),
        display_name: `[${p.code}] ${p.name}`,
        type: p.service ? 'service' : 'consu',
        default_code: p.code,
        barcode: p.barcode ?? null,
      },
      product_uom_id: { id: idOf(`uom/${uomName}`), name: uomName, l10n_in_code: uqcCode },
      l10n_in_hsn_code: p.hsn,
      quantity: num(l.qty),
      price_unit: num(l.price),
      discount: Number(l.line.discountPct ?? 0),
      price_subtotal: rupees(l.taxable),
      price_total: rupees(l.taxable + taxOfLine),
      tax_ids: taxIds,
      tax_tag_ids: baseTags,
      tax_details: details.map((d): LineTaxDetail => ({
        tax_id: d.tax,
        tax_repartition_line_id: {
          id: d.tax.id * 10 + (d.factor < 0 ? 2 : 1),
          factor_percent: d.factor,
          repartition_type: 'tax',
          tag_ids: d.tags,
        },
        base_amount: rupees(inr(l.taxable)),
        base_amount_currency: rupees(l.taxable),
        tax_amount: rupees(inr(d.amount)),
        tax_amount_currency: rupees(d.amount),
      })),
    });
    booked(line, l.taxable);
    lines.push(line);
    untaxed += inr(l.taxable);
    untaxedDoc += l.taxable;
    for (const d of details) {
      const key = `${d.tax.id}/${d.factor}`;
      const t = taxTotals.get(key) ?? { tax: d.tax, tags: d.tags, amount: 0 };
      t.amount += d.amount;
      taxTotals.set(key, t);
    }
  });

  const untaxedProduct = (
    id: number,
    name: string,
    amount: Paise,
    hsn: string | null,
    tags: string[],
    taxIds: AccountTax[],
  ) => {
    const line = base(lineId(id));
    Object.assign(line, {
      name,
      product_id: {
        id: idOf(`product/${name}`),
        display_name: name,
        type: 'service',
        default_code: null,
        barcode: null,
      },
      product_uom_id: { id: idOf('uom/Units'), name: 'Units', l10n_in_code: 'UNT-UNITS' },
      l10n_in_hsn_code: hsn,
      quantity: 1,
      price_unit: rupees(amount),
      price_subtotal: rupees(amount),
      price_total: rupees(amount),
      tax_ids: taxIds,
      tax_tag_ids: tags,
      tax_details: taxIds.map((t): LineTaxDetail => ({
        tax_id: t,
        tax_repartition_line_id: {
          id: t.id * 10 + 1,
          factor_percent: 100,
          repartition_type: 'tax',
          tag_ids: [],
        },
        base_amount: rupees(inr(amount)),
        base_amount_currency: rupees(amount),
        tax_amount: 0,
        tax_amount_currency: 0,
      })),
    });
    booked(line, amount);
    lines.push(line);
    untaxed += inr(amount);
    untaxedDoc += amount;
  };
  // Odoo has no charge outside the items: freight is a delivery line, here with Odoo's 0 % non-GST tax.
  // A discount after tax is l10n_in_edi's "global discount", an untaxed negative line.
  if (c.freight)
    untaxedProduct(
      900,
      'Freight and forwarding',
      c.freight,
      '996511',
      ['NON GST SUPPLIES'],
      [tax('0% NGST', 0)],
    );
  if (c.headerDiscount) untaxedProduct(901, 'Discount', -c.headerDiscount, null, [], []);

  // One tax line per tax and repartition line, converted once from its document-currency total.
  let taxNet = 0;
  let taxNetDoc = 0;
  for (const [key, t] of taxTotals) {
    taxNet += inr(t.amount);
    taxNetDoc += t.amount;
    if (t.amount === 0) continue;
    const line = base(idOf(`taxline/${s.docNo}/${key}`));
    Object.assign(line, { display_type: 'tax', name: t.tax.name, tax_tag_ids: t.tags, tax_line_id: t.tax });
    booked(line, t.amount);
    lines.push(line);
  }
  // Cash rounding (strategy add_invoice_line): a rounding line, in amount_untaxed.
  if (c.roundOff) {
    const line = base(lineId(998));
    Object.assign(line, {
      display_type: 'rounding',
      name: 'Rounding (HALF-UP)',
      quantity: 1,
      price_unit: rupees(c.roundOff),
      price_subtotal: rupees(c.roundOff),
      price_total: rupees(c.roundOff),
    });
    booked(line, c.roundOff);
    lines.push(line);
    untaxed += inr(c.roundOff);
    untaxedDoc += c.roundOff;
  }
  const total = untaxed + taxNet;
  const totalDoc = untaxedDoc + taxNetDoc;
  const term = base(lineId(999));
  Object.assign(term, {
    display_type: 'payment_term',
    name: s.docNo,
    balance: rupees(-bsign * total),
    amount_currency: rupees(-bsign * totalDoc),
  });
  lines.push(term);

  const dsign = refund ? -1 : 1;
  const buyer = partner(s.buyer);
  const company = partner(s.seller);
  const original = s.preceding
    ? { id: idOf(`move/${s.preceding.docNo}`), name: s.preceding.docNo, invoice_date: s.preceding.docDate }
    : null;
  const treatment =
    s.supply === 'SEZWP' || s.supply === 'SEZWOP'
      ? 'special_economic_zone'
      : s.supply === 'EXPWP' || s.supply === 'EXPWOP'
        ? 'overseas'
        : s.supply === 'DEXP'
          ? 'deemed_export'
          : 'regular';
  const pos =
    s.pos === '96'
      ? { id: idOf('state/96'), name: 'Other Country', code: 'OC', l10n_in_tin: '96' }
      : {
          id: idOf(`state/${s.pos}`),
          name: stateName(s.pos) ?? s.pos,
          code: ABBREVIATION[s.pos] ?? s.pos,
          l10n_in_tin: s.pos,
        };
  const inrCurrency = { id: 20, name: 'INR' };
  const event: AccountMoveEvent['event'] =
    s.kind === 'generate' ? 'post' : s.kind === 'cancel' ? 'cancel' : 'ewaybill';
  const ewb = s.ewb;
  return {
    event,
    event_id: s.id,
    irn: s.cancel?.irn ?? s.ewb?.irn ?? null,
    move: {
      id: idOf(`move/${s.docNo}`),
      name: s.docNo,
      move_type: refund ? 'out_refund' : 'out_invoice',
      state: 'posted',
      invoice_date: s.docDate,
      company_id: {
        id: idOf(`company/${s.seller.legalName}`),
        name: s.seller.legalName,
        partner_id: company,
      },
      partner_id: buyer,
      partner_shipping_id: s.shipTo ? partner(s.shipTo) : buyer,
      l10n_in_warehouse_address: s.dispatchFrom ? partner(s.dispatchFrom, s.seller) : null,
      l10n_in_gst_treatment: treatment,
      l10n_in_state_id: pos,
      l10n_in_gstin: s.buyer.gstin ?? null,
      l10n_in_shipping_bill_number: s.export?.shipBillNo ?? null,
      l10n_in_shipping_bill_date: s.export?.shipBillDate ?? null,
      l10n_in_shipping_port_code_id: s.export ? { code: s.export.port, name: s.export.port } : null,
      currency_id: s.currency
        ? { id: idOf(`currency/${s.currency.code}`), name: s.currency.code }
        : inrCurrency,
      company_currency_id: inrCurrency,
      debit_origin_id: s.docType === 'DBN' ? original : null,
      reversed_entry_id: s.docType === 'CRN' ? original : null,
      invoice_payment_term_id: s.creditDays ? { id: s.creditDays, name: `${s.creditDays} Days` } : null,
      amount_untaxed: rupees(untaxedDoc),
      amount_tax: rupees(taxNetDoc),
      amount_total: rupees(totalDoc),
      amount_untaxed_signed: rupees(dsign * untaxed),
      amount_tax_signed: rupees(dsign * taxNet),
      amount_total_signed: rupees(dsign * total),
      line_ids: lines,
    },
    cancel: s.cancel
      ? { l10n_in_edi_cancel_reason: s.cancel.reason, l10n_in_edi_cancel_remarks: s.cancel.remark }
      : null,
    ewaybill: ewb
      ? {
          l10n_in_distance: ewb.distance,
          l10n_in_mode: ewb.mode,
          l10n_in_transporter_id: ewb.transporterName
            ? { name: ewb.transporterName, vat: ewb.transporterId ?? null }
            : null,
          l10n_in_vehicle_no: ewb.vehicleNo ?? null,
          l10n_in_vehicle_type: ewb.vehicleType ?? null,
          l10n_in_transportation_doc_no: ewb.transDocNo ?? null,
          l10n_in_transportation_doc_date: ewb.transDocDate ?? null,
        }
      : null,
  };
}
