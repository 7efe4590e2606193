/** Renders a scenario as a canonical irp-bridge event: the IRP's codes, decimal texts, Avro dates. */
import { decToString, type Paise } from '../../shared/decimal.js';
import { money } from '../render-util.js';
import { compute, type Party as ScenarioParty, type Scenario } from '../scenario.js';
import type { InvoiceEvent, Party } from '../../canonical/record.js';

const days = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const CANCEL = {
  '1': 'DUPLICATE',
  '2': 'DATA_ENTRY_MISTAKE',
  '3': 'ORDER_CANCELLED',
  '4': 'OTHERS',
} as const;
const MODE = { '1': 'ROAD', '2': 'RAIL', '3': 'AIR', '4': 'SHIP' } as const;

function party(p: ScenarioParty): Party {
  return {
    gstin: p.gstin ?? null,
    legalName: p.legalName,
    tradeName: p.tradeName ?? null,
    address1: p.addr1,
    address2: p.addr2 ?? null,
    city: p.city,
    pin: p.country === 'IN' ? p.pin : null,
    stateCode: p.stateCode,
    country: p.country,
    phone: p.phone ?? null,
    email: p.email ?? null,
  };
}

export function renderCanonical(s: Scenario): InvoiceEvent {
  const c = compute(s);
  const m = (p: Paise) => money(p);
  const t = s.ewb;
  return {
    eventId: s.id,
    eventType: s.kind === 'generate' ? 'GENERATE' : s.kind === 'cancel' ? 'CANCEL' : 'EWAYBILL',
    sourceSystem: 'irp-bridge generator',
    document: {
      type: s.docType,
      number: s.docNo,
      date: days(s.docDate),
      supplyType: s.supply,
      reverseCharge: s.reverseCharge,
      igstOnIntra: false,
      ecommerceGstin: null,
      placeOfSupply: s.pos,
      currency: 'INR',
      remarks: null,
      preceding: s.preceding
        ? [{ number: s.preceding.docNo, date: days(s.preceding.docDate), otherReference: null }]
        : [],
      irn: s.cancel?.irn ?? t?.irn ?? null,
    },
    seller: party(s.seller),
    buyer: party(s.buyer),
    dispatchFrom: s.dispatchFrom ? party(s.dispatchFrom) : null,
    shipTo: s.shipTo ? party(s.shipTo) : null,
    lines: c.lines.map((l, i) => ({
      lineNo: i + 1,
      description: l.line.product.name,
      isService: l.line.product.service,
      hsn: l.line.product.hsn,
      barcode: l.line.product.barcode ?? null,
      quantity: decToString(l.qty),
      freeQuantity: l.line.freeQty ?? null,
      unit: l.line.product.uqc,
      unitPrice: decToString(l.price),
      grossAmount: m(l.gross + l.charge),
      discount: m(l.discount),
      preTaxValue: null,
      taxableValue: m(l.taxable),
      gstRate: decToString(l.gstRate),
      igst: m(l.igst),
      cgst: m(l.cgst),
      sgst: m(l.sgst),
      cessRate: decToString(l.cessRate),
      cess: m(l.cess),
      cessNonAdvol: m(l.cessNonAdvl),
      stateCessRate: null,
      stateCess: '0',
      stateCessNonAdvol: '0',
      otherCharges: m(l.tcs),
      orderLineRef: null,
      originCountry: null,
      serialNumber: null,
      batch: l.line.batch
        ? {
            name: l.line.batch.name,
            expiryDate: l.line.batch.expiry ? days(l.line.batch.expiry) : null,
            warrantyDate: null,
          }
        : null,
      attributes: [],
    })),
    totals: {
      otherCharges: m(c.freight),
      discount: m(c.headerDiscount),
      roundOff: m(c.roundOff),
      totalInvoiceValue: m(c.total),
      totalInvoiceValueForeign: null,
    },
    payment: s.creditDays
      ? {
          payeeName: null,
          accountNumber: null,
          mode: 'Credit',
          ifsc: null,
          terms: `Net ${s.creditDays} days`,
          creditDays: s.creditDays,
          paidAmount: null,
          dueAmount: m(c.total),
        }
      : null,
    export: s.export
      ? {
          shippingBillNumber: s.export.shipBillNo ?? null,
          shippingBillDate: s.export.shipBillDate ? days(s.export.shipBillDate) : null,
          portCode: s.export.port,
          refundClaim: s.supply === 'EXPWP',
          foreignCurrency: s.export.currency,
          countryCode: s.export.country,
          exportDuty: null,
        }
      : null,
    transport: t
      ? {
          transporterId: t.transporterId ?? null,
          transporterName: t.transporterName ?? null,
          mode: MODE[t.mode],
          distanceKm: t.distance,
          docNumber: t.transDocNo ?? null,
          docDate: t.transDocDate ? days(t.transDocDate) : null,
          vehicleNumber: t.vehicleNo ?? null,
          vehicleType: t.vehicleType === 'O' ? 'ODC' : t.vehicleType === 'R' ? 'REGULAR' : null,
        }
      : null,
    cancel: s.cancel ? { reason: CANCEL[s.cancel.reason], remark: s.cancel.remark } : null,
  };
}
