/**
 * Renders a scenario as D365 would publish it: OData decimal texts, credit notes as negative invoices,
 * one tax transaction per component and line, header charges, total discount and round-off.
 */
import { decToString, type Dec, type Paise } from '../../shared/decimal.js';
import { fixed, lookup, money, reverse } from '../render-util.js';
import { compute, dec, type Party, type Scenario } from '../scenario.js';
import { COUNTRY_ALPHA3, STATE_ABBREVIATIONS } from '../../shared/states.js';
import type { SalesInvoiceEvent, TaxTransaction } from '../../d365/record.js';
import { D365_CANCEL_REASON, D365_TRANSPORT_MODE, D365_UNIT_TO_UQC } from '../../d365/tables.js';

const UNIT = reverse(D365_UNIT_TO_UQC, { OTH: 'ct' });
const STATE = reverse(STATE_ABBREVIATIONS);
const ALPHA3 = reverse(COUNTRY_ALPHA3);
const odataDate = (iso: string) => `${iso}T00:00:00Z`;

function customerType(s: Scenario): string {
  if (s.supply === 'SEZWP' || s.supply === 'SEZWOP') return 'SEZ Unit';
  if (s.supply === 'EXPWP' || s.supply === 'EXPWOP') return 'Export';
  return s.supply === 'DEXP' ? 'Deemed export' : 'Regular';
}

const stateId = (p: Party) => (p.country === 'IN' ? lookup(STATE, p.stateCode, 'state id') : '');

export function renderD365(s: Scenario): SalesInvoiceEvent {
  const c = compute(s);
  const sign = s.docType === 'CRN' ? -1 : 1;
  const amt = (p: Paise) => money(p * sign);
  const qtyText = (d: Dec) => decToString({ units: d.units * BigInt(sign), scale: d.scale });
  const rate = (d: Dec, halve = false) => fixed(halve ? { units: d.units * 5n, scale: d.scale + 1 } : d, 3);
  const taxes: TaxTransaction[] = [];
  const lines = c.lines.map((l, i) => {
    const n = i + 1;
    const p = l.line.product;
    const tax = (TaxComponent: string, value: string, base: Paise, amount: Paise) =>
      taxes.push({
        SourceLineNumber: n,
        TaxComponent,
        TaxCode: `${TaxComponent}-${Number(value)}`,
        TaxValue: value,
        TaxBaseAmount: amt(base),
        TaxAmount: amt(amount),
      });
    if (c.intra) {
      tax('CGST', rate(l.gstRate, true), l.taxable, l.cgst);
      tax(c.utgst ? 'UTGST' : 'SGST', rate(l.gstRate, true), l.taxable, l.sgst);
    } else tax('IGST', rate(l.gstRate), l.taxable, l.igst);
    if (l.cess) tax('Cess', rate(l.cessRate), l.taxable, l.cess);
    if (l.cessNonAdvl) tax('CessQty', rate(dec(p.cessPerUnit!)), l.taxable, l.cessNonAdvl);
    if (l.tcs) tax('TCS', rate(dec(l.line.tcsPct!)), l.taxable, l.tcs);
    return {
      LineNumber: n,
      ItemNumber: p.code,
      ProductName: p.name,
      HSNCode: p.service ? null : p.hsn,
      SACCode: p.service ? p.hsn : null,
      InvoicedQuantity: qtyText(l.qty),
      SalesUnitSymbol: p.service && p.uqc === 'OTH' ? 'h' : lookup(UNIT, p.uqc, 'D365 unit'),
      SalesPrice: decToString(l.price),
      LineDiscountAmount: amt(l.discount),
      LineChargeAmount: amt(l.charge),
      LineAmount: amt(l.taxable - l.charge),
    };
  });
  const tax = c.lines.reduce((t, l) => t + l.igst + l.cgst + l.sgst + l.cess + l.cessNonAdvl + l.tcs, 0);
  const ship = s.shipTo;
  return {
    EventType:
      s.kind === 'generate' ? 'INVOICE_POSTED' : s.kind === 'cancel' ? 'EINVOICE_CANCEL' : 'EWAYBILL_REQUEST',
    EventId: s.id,
    Header: {
      dataAreaId: 'INMF',
      InvoiceNumber: s.docNo,
      InvoiceDate: odataDate(s.docDate),
      IsDebitNote: s.docType === 'DBN' ? 'Yes' : 'No',
      SalesOrderNumber: `SO-${s.docNo.replace(/\D/g, '').slice(-6)}`,
      CurrencyCode: s.currency?.code ?? 'INR',
      // D365 quotes the exchange rate per 100 units.
      ExchangeRate: s.currency
        ? decToString({ units: dec(s.currency.rate).units * 100n, scale: dec(s.currency.rate).scale })
        : null,
      CompanyName: s.seller.legalName,
      CompanyGSTIN: s.seller.gstin ?? null,
      CompanyAddressStreet: s.seller.addr1,
      CompanyAddressCity: s.seller.city,
      CompanyAddressState: stateId(s.seller),
      CompanyGSTStateCode: null,
      CompanyAddressZipCode: String(s.seller.pin),
      CompanyPhone: s.seller.phone ?? null,
      CompanyEmail: s.seller.email ?? null,
      InvoiceCustomerAccountNumber: `C-${String(s.buyer.legalName.length * 37 + (s.buyer.pin % 1000)).padStart(6, '0')}`,
      CustomerName: s.buyer.legalName,
      CustomerGSTIN: s.buyer.gstin ?? null,
      GSTCustomerType: customerType(s),
      WithoutPaymentOfTax: s.supply === 'SEZWOP' || s.supply === 'EXPWOP' ? 'Yes' : 'No',
      ReverseCharge: s.reverseCharge ? 'Yes' : 'No',
      IGSTOnIntraState: 'No',
      GSTPlaceOfSupply: null,
      InvoiceAddressStreet: s.buyer.addr1,
      InvoiceAddressCity: s.buyer.city,
      InvoiceAddressState: stateId(s.buyer),
      InvoiceAddressGSTStateCode: null,
      InvoiceAddressZipCode: s.buyer.country === 'IN' ? String(s.buyer.pin) : '',
      InvoiceAddressCountryRegionId: lookup(ALPHA3, s.buyer.country, 'alpha-3 country'),
      DeliveryName: ship?.legalName ?? null,
      DeliveryGSTIN: ship?.gstin ?? null,
      DeliveryAddressStreet: ship?.addr1 ?? null,
      DeliveryAddressCity: ship?.city ?? null,
      DeliveryAddressState: ship ? stateId(ship) : null,
      DeliveryAddressGSTStateCode: null,
      DeliveryAddressZipCode: ship ? String(ship.pin) : null,
      DeliveryAddressCountryRegionId: ship ? lookup(ALPHA3, ship.country, 'alpha-3 country') : null,
      TotalDiscountAmount: amt(c.headerDiscount),
      TotalChargeAmount: amt(c.freight),
      RoundOff: amt(c.roundOff),
      TotalTaxAmount: amt(tax),
      // Under reverse charge D365 does not bill the tax to the customer.
      TotalInvoiceAmount: amt(s.reverseCharge ? c.total - tax : c.total),
      PaymentTermsName: s.creditDays ? `Net${s.creditDays}` : 'COD',
      OriginalInvoiceNumber: s.preceding?.docNo ?? null,
      OriginalInvoiceDate: s.preceding ? odataDate(s.preceding.docDate) : null,
      ShippingBillNumber: s.export?.shipBillNo ?? null,
      ShippingBillDate: s.export?.shipBillDate ? odataDate(s.export.shipBillDate) : null,
      PortCode: s.export?.port ?? null,
      ExportCurrencyCode: s.export?.currency ?? null,
      IRN: s.cancel?.irn ?? s.ewb?.irn ?? null,
    },
    Lines: lines,
    TaxTransactions: taxes,
    Cancel: s.cancel
      ? {
          CancelReason: lookup(reverse(D365_CANCEL_REASON), s.cancel.reason, 'cancel reason'),
          CancelRemarks: s.cancel.remark,
        }
      : null,
    EWayBill: s.ewb
      ? {
          TransporterId: s.ewb.transporterId ?? null,
          TransporterName: s.ewb.transporterName ?? null,
          ModeOfTransport: lookup(reverse(D365_TRANSPORT_MODE), s.ewb.mode, 'transport mode'),
          DistanceKm: s.ewb.distance,
          TransportDocNumber: s.ewb.transDocNo ?? null,
          TransportDocDate: s.ewb.transDocDate ? odataDate(s.ewb.transDocDate) : null,
          VehicleNumber: s.ewb.vehicleNo ?? null,
          VehicleType:
            s.ewb.vehicleType === 'O' ? 'OverDimensionalCargo' : s.ewb.vehicleType === 'R' ? 'Regular' : null,
        }
      : null,
  };
}
