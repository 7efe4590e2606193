/**
 * Canonical irp-bridge event → IRP. The event already speaks the IRP's codes, so this mapping only
 * converts representations (decimal texts → numbers, day numbers → dd/MM/yyyy, enums → IRP codes) and
 * checks what the producer promised: known state codes and units, taxable = gross − discount, and a
 * total that adds up.
 */
import { isUqc } from '../../src/irp/masters/index.js';
import type { AttribDtls, BchDtls, ExpDtls, PayDtls } from '../../src/irp/schema/invoice.js';
import { paise, rupees, toNumber, type Dec } from '../shared/decimal.js';
import { dateFromEpochDays, docNumber } from '../shared/doc.js';
import { cancelEvent, documentRef, ewbEvent, ewbFields, isExport, type EwbInput } from '../shared/events.js';
import {
  assembleInvoice,
  checkTaxHeads,
  reconcile,
  generateEvent,
  type HeaderMoney,
  type Line as IrpLine,
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
import type { MapResult } from '../types.js';
import type { InvoiceEvent, Line, Party } from './record.js';

const CANCEL = { DUPLICATE: '1', DATA_ENTRY_MISTAKE: '2', ORDER_CANCELLED: '3', OTHERS: '4' } as const;
const MODE = { ROAD: '1', RAIL: '2', AIR: '3', SHIP: '4' } as const;
const TRANSPORT_AT = {
  request: 'transport',
  missing: 'an EWAYBILL event needs the transport record',
  distance: 'transport.distanceKm',
  mode: 'transport.mode',
  transId: 'transport.transporterId',
  vehType: 'transport.vehicleType',
};

function party(p: Party, path: string): PartyInput {
  return {
    gstin: p.gstin,
    name: p.legalName,
    addr1: p.address1,
    addr2: p.address2,
    city: p.city,
    pin: p.pin,
    state: p.stateCode,
    stateRaw: p.stateCode,
    phone: p.phone,
    email: p.email,
    paths: {
      gstin: `${path}.gstin`,
      name: `${path}.legalName`,
      city: `${path}.city`,
      pin: `${path}.pin`,
      state: `${path}.stateCode`,
    },
  };
}

export function mapInvoiceEvent(r: InvoiceEvent): MapResult {
  const issues = new Issues();
  const d = r.document;
  const docNo = docNumber(issues, d.number, 'document.number');
  const docDate = dateFromEpochDays(issues, d.date, 'document.date');
  const sellerGstin = gstin(issues, r.seller.gstin, 'seller.gstin', 'supplier');
  const ref = () => documentRef(sellerGstin!, d.type, docNo!, docDate!, d.irn);
  // Read only where it is used: a cancel event does not answer for its transport record.
  const transport = (): EwbInput | null => {
    const t = r.transport;
    return (
      t && {
        distance: t.distanceKm,
        mode: t.mode ? MODE[t.mode] : null,
        transId: t.transporterId,
        transName: t.transporterName,
        transDocNo: t.docNumber,
        transDocDt: t.docDate != null ? dateFromEpochDays(issues, t.docDate, 'transport.docDate') : undefined,
        vehNo: t.vehicleNumber,
        vehType: t.vehicleType === 'ODC' ? 'O' : t.vehicleType === 'REGULAR' ? 'R' : null,
      }
    );
  };

  if (r.eventType === 'CANCEL') {
    const c = r.cancel;
    return cancelEvent(issues, ref, c && { reason: CANCEL[c.reason], remark: c.remark }, {
      request: 'cancel',
      missing: 'a CANCEL event needs cancel.reason and cancel.remark',
      reason: 'cancel.reason',
      remark: 'cancel.remark',
    });
  }
  if (r.eventType === 'EWAYBILL') return ewbEvent(issues, ref, transport(), TRANSPORT_AT);

  if (d.currency !== 'INR')
    issues.add(
      'MAP_UNSUPPORTED_CURRENCY',
      'document.currency',
      `currency ${d.currency}: amounts must be INR`,
    );
  const exported = isExport(d.supplyType);
  const seller = sellerDtls(issues, party(r.seller, 'seller'));
  const buyer = buyerDtls(issues, party(r.buyer, 'buyer'), { exported, pos: d.placeOfSupply });
  const dispatch = r.dispatchFrom ? dispDtls(issues, party(r.dispatchFrom, 'dispatchFrom')) : undefined;
  // A consignee abroad: state 96 and PIN 999999 whatever the producer put there.
  const shipTo = r.shipTo
    ? shipDtls(issues, party(r.shipTo, 'shipTo'), {
        foreign: r.shipTo.country.trim().toUpperCase() !== 'IN' || r.shipTo.stateCode === '96',
      })
    : undefined;
  const lines = r.lines
    .map((l, i) => line(issues, l, `lines[${i}]`))
    .filter((l): l is IrpLine => l !== undefined);
  const amount = (v: string | null, path: string) => paise(issues.amount(v, path) ?? { units: 0n, scale: 0 });
  const header: HeaderMoney = {
    othChrg: amount(r.totals.otherCharges, 'totals.otherCharges'),
    discount: amount(r.totals.discount, 'totals.discount'),
    roundOff: amount(r.totals.roundOff, 'totals.roundOff'),
  };
  if (r.totals.totalInvoiceValueForeign)
    header.totInvValFc = rupees(amount(r.totals.totalInvoiceValueForeign, 'totals.totalInvoiceValueForeign'));
  const total = amount(r.totals.totalInvoiceValue, 'totals.totalInvoiceValue');
  checkTaxHeads(issues, {
    supply: d.supplyType,
    sellerState: seller?.Stcd,
    pos: exported ? '96' : d.placeOfSupply,
    lines,
    igstOnIntra: d.igstOnIntra,
    posPath: 'document.placeOfSupply',
  });
  if (issues.errors.length === 0)
    reconcile(
      issues,
      lines,
      header,
      { total: { value: total, path: 'totals.totalInvoiceValue' } },
      { reverseCharge: d.reverseCharge },
    );
  if (d.type === 'CRN' && d.preceding.length === 0)
    issues.add(
      'MAP_MISSING_PRECEDING_DOC',
      'document.preceding',
      'a credit note must name the invoice it corrects',
    );
  const preceding = d.preceding.map((p, i) =>
    compact({
      InvNo: docNumber(issues, p.number, `document.preceding[${i}].number`)!,
      InvDt: dateFromEpochDays(issues, p.date, `document.preceding[${i}].date`)!,
      OthRefNo: text(p.otherReference, 1, 20),
    }),
  );

  let exp: ExpDtls | undefined;
  if (exported && !r.export)
    issues.add(
      'MAP_MISSING_EXPORT_DETAILS',
      'export',
      'exports need the export record (countryCode at least)',
    );
  if (r.export) {
    const x = r.export;
    exp = compact({
      ShipBNo: given(x.shippingBillNumber),
      ShipBDt:
        x.shippingBillDate != null
          ? dateFromEpochDays(issues, x.shippingBillDate, 'export.shippingBillDate')
          : undefined,
      Port: given(x.portCode),
      RefClm: x.refundClaim ? 'Y' : 'N',
      ForCur: given(x.foreignCurrency),
      CntCode: x.countryCode,
      ExpDuty: x.exportDuty ? rupees(amount(x.exportDuty, 'export.exportDuty')) : undefined,
    } satisfies ExpDtls);
  }
  const p = r.payment;
  const pay: PayDtls | undefined = p
    ? compact({
        Nm: text(p.payeeName, 1, 100),
        AccDet: text(p.accountNumber, 1, 18),
        Mode: text(p.mode, 1, 18),
        FinInsBr: text(p.ifsc, 1, 11),
        PayTerm: text(p.terms, 1, 100),
        CrDay: p.creditDays ?? undefined,
        PaidAmt: p.paidAmount ? rupees(amount(p.paidAmount, 'payment.paidAmount')) : undefined,
        PaymtDue: p.dueAmount ? rupees(amount(p.dueAmount, 'payment.dueAmount')) : undefined,
      })
    : undefined;
  const t = transport();
  const ewb = t ? ewbFields(issues, t, TRANSPORT_AT) : undefined;

  return issues.result(() =>
    generateEvent(
      assembleInvoice({
        supply: d.supplyType,
        igstOnIntra: d.igstOnIntra,
        reverseCharge: d.reverseCharge,
        ecmGstin: given(d.ecommerceGstin),
        docType: d.type,
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
        pay,
        remark: text(d.remarks, 3, 100),
        ewb,
      }),
    ),
  );
}

function line(issues: Issues, l: Line, at: string): IrpLine | undefined {
  const before = issues.errors.length;
  const dec = (v: string | null, field: string): Dec | undefined =>
    v === null ? undefined : issues.amount(v, `${at}.${field}`);
  const money = (v: string, field: string) => paise(dec(v, field) ?? { units: 0n, scale: 0 });
  if (l.unit !== null && !isUqc(l.unit))
    issues.add('MAP_UNKNOWN_UNIT', `${at}.unit`, `${JSON.stringify(l.unit)} is not a UQC`);
  const m = {
    gross: money(l.grossAmount, 'grossAmount'),
    discount: money(l.discount, 'discount'),
    igst: money(l.igst, 'igst'),
    cgst: money(l.cgst, 'cgst'),
    sgst: money(l.sgst, 'sgst'),
    cess: money(l.cess, 'cess'),
    cessNonAdvl: money(l.cessNonAdvol, 'cessNonAdvol'),
    stateCess: money(l.stateCess, 'stateCess'),
    stateCessNonAdvl: money(l.stateCessNonAdvol, 'stateCessNonAdvol'),
    othChrg: money(l.otherCharges, 'otherCharges'),
    ...(l.preTaxValue !== null ? { preTax: money(l.preTaxValue, 'preTaxValue') } : {}),
  };
  if (money(l.taxableValue, 'taxableValue') !== m.gross - m.discount)
    issues.add(
      'MAP_TOTAL_MISMATCH',
      `${at}.taxableValue`,
      `taxableValue ${l.taxableValue} ≠ grossAmount − discount`,
    );
  const qty = dec(l.quantity, 'quantity');
  const freeQty = dec(l.freeQuantity, 'freeQuantity');
  const price = dec(l.unitPrice, 'unitPrice');
  const rate = dec(l.gstRate, 'gstRate');
  const cesRt = dec(l.cessRate, 'cessRate');
  const stRt = dec(l.stateCessRate, 'stateCessRate');
  if (issues.errors.length > before || !price || !rate) return undefined;
  const batch: BchDtls | undefined = l.batch
    ? compact({
        Nm: l.batch.name,
        ExpDt:
          l.batch.expiryDate != null
            ? dateFromEpochDays(issues, l.batch.expiryDate, `${at}.batch.expiryDate`)
            : undefined,
        WrDt:
          l.batch.warrantyDate != null
            ? dateFromEpochDays(issues, l.batch.warrantyDate, `${at}.batch.warrantyDate`)
            : undefined,
      })
    : undefined;
  const attributes: AttribDtls[] = l.attributes.map((a) =>
    compact({ Nm: text(a.name, 1, 100), Val: text(a.value, 1, 100) }),
  );
  return {
    facts: {
      SlNo: String(l.lineNo),
      PrdDesc: text(l.description, 3, 300),
      IsServc: l.isService ? 'Y' : 'N',
      HsnCd: l.hsn,
      Barcde: text(l.barcode, 3, 30),
      Qty: qty ? toNumber(qty, 3) : undefined,
      FreeQty: freeQty ? toNumber(freeQty, 3) : undefined,
      Unit: l.unit ?? undefined,
      UnitPrice: toNumber(price, 3),
      GstRt: toNumber(rate, 3),
      CesRt: cesRt ? toNumber(cesRt, 3) : 0,
      StateCesRt: stRt ? toNumber(stRt, 3) : undefined,
      OrdLineRef: text(l.orderLineRef, 1, 50),
      OrgCntry: given(l.originCountry),
      PrdSlNo: text(l.serialNumber, 1, 20),
      BchDtls: batch,
      AttribDtls: attributes.length > 0 ? attributes : undefined,
    },
    money: m,
  };
}
