/**
 * Renders a scenario as Oracle Fusion Receivables would publish it: list and net unit prices per line,
 * one tax line per tax (rounded NEAREST at line level, E-Business Tax's default for India), FREIGHT and
 * CHARGES lines for invoice-level amounts, and the ROUND OFF memo line.
 */
import { rupees, type Dec, type Paise } from '../../shared/decimal.js';
import { lookup, numericId, reverse } from '../render-util.js';
import { compute, dec, type Party, type Scenario } from '../scenario.js';
import { STATE_ABBREVIATIONS } from '../../shared/states.js';
import type {
  ReceivablesTransactionEvent,
  SiteAddress,
  TaxLine,
  TransactionLine,
} from '../../oracle/record.js';
import { ORACLE_CANCEL_REASON, ORACLE_TRANSPORT_MODE, ORACLE_UOM_TO_UQC } from '../../oracle/tables.js';

const UOM = reverse(ORACLE_UOM_TO_UQC, { NOS: 'Ea', OTH: 'CT' });
const STATE = reverse(STATE_ABBREVIATIONS);
const CLASS = { INV: 'INV', CRN: 'CM', DBN: 'DM' } as const;
const TYPE = { INV: 'Domestic Invoice', CRN: 'Credit Memo', DBN: 'Debit Memo' } as const;
const days = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const num = (d: Dec) => Number(d.units) / 10 ** d.scale;

function site(p: Party): SiteAddress {
  return {
    Address1: p.addr1,
    Address2: p.addr2 ?? null,
    City: p.city,
    State: p.country === 'IN' ? lookup(STATE, p.stateCode, 'state abbreviation') : '',
    PostalCode: p.country === 'IN' ? String(p.pin) : '00000',
    Country: p.country,
  };
}

export function renderOracle(s: Scenario): ReceivablesTransactionEvent {
  const c = compute(s);
  // Receivables stores a credit memo negative: lines, taxes, quantities credited and the total.
  const sg = s.docType === 'CRN' ? -1 : 1;
  const half = (d: Dec) => num(d) / 2;
  let lineId = Number(numericId(s.docNo, 8, '1'));
  const tax = (Tax: string, rate: number, base: Paise, amount: Paise, regime = 'IN GST'): TaxLine => ({
    TaxRegimeCode: regime,
    Tax,
    TaxRateCode: `${Tax} ${rate}%`,
    TaxRate: rate,
    TaxableAmount: rupees(base) * sg,
    TaxAmount: rupees(amount) * sg,
  });
  const lines: TransactionLine[] = c.lines.map((l, i) => {
    const p = l.line.product;
    const taxes: TaxLine[] = c.intra
      ? [
          tax('CGST', half(l.gstRate), l.taxable, l.cgst),
          tax(c.utgst ? 'UTGST' : 'SGST', half(l.gstRate), l.taxable, l.sgst),
        ]
      : [tax('IGST', num(l.gstRate), l.taxable, l.igst)];
    if (l.cess) taxes.push(tax('COMPENSATION CESS', num(l.cessRate), l.taxable, l.cess));
    if (l.cessNonAdvl)
      taxes.push(tax('COMPENSATION CESS SPECIFIC', num(dec(p.cessPerUnit!)), l.taxable, l.cessNonAdvl));
    if (l.tcs) taxes.push(tax('TCS', num(dec(l.line.tcsPct!)), l.taxable, l.tcs, 'IN TCS'));
    return {
      CustomerTransactionLineId: lineId++,
      LineNumber: i + 1,
      LineType: 'LINE',
      MemoLineName: null,
      ItemNumber: p.code,
      Description: p.name,
      ProductType: p.service ? 'SERVICES' : 'GOODS',
      ProductFiscalClassification: p.hsn,
      Quantity: num(l.qty) * sg,
      UnitOfMeasure: lookup(UOM, p.uqc, 'Oracle UOM'),
      UnitStandardPrice: num(l.price),
      UnitSellingPrice: Number((rupees(l.taxable) / num(l.qty)).toFixed(4)),
      LineAmount: rupees(l.taxable) * sg,
      SalesOrder: numericId(s.docNo, 8, '5'),
      TaxLines: taxes,
    };
  });
  const other = (LineType: string, memo: string, amount: Paise) =>
    lines.push({
      CustomerTransactionLineId: lineId++,
      LineNumber: lines.length + 1,
      LineType,
      MemoLineName: memo,
      ItemNumber: null,
      Description: memo,
      ProductType: null,
      ProductFiscalClassification: null,
      Quantity: null,
      UnitOfMeasure: null,
      UnitStandardPrice: null,
      UnitSellingPrice: null,
      LineAmount: rupees(amount) * sg,
      SalesOrder: null,
      TaxLines: [],
    });
  if (c.freight) other('FREIGHT', 'FREIGHT OUTWARD', c.freight);
  if (c.headerDiscount) other('CHARGES', 'TRADE DISCOUNT', -c.headerDiscount);
  if (c.roundOff) other('CHARGES', 'ROUND OFF', c.roundOff);

  const irn = s.cancel?.irn ?? s.ewb?.irn ?? null;
  return {
    EventType:
      s.kind === 'generate'
        ? 'TRANSACTION_COMPLETED'
        : s.kind === 'cancel'
          ? 'EINVOICE_CANCEL_REQUESTED'
          : 'EWAYBILL_REQUESTED',
    EventId: s.id,
    Transaction: {
      CustomerTransactionId: Number(numericId(s.docNo, 9, '3')),
      TransactionNumber: s.docNo,
      TransactionDate: days(s.docDate),
      TransactionClass: CLASS[s.docType],
      TransactionType: s.export ? 'Export Invoice' : TYPE[s.docType],
      TransactionSource: 'Order Management',
      BusinessUnit: `IN ${s.seller.city} BU`,
      LegalEntityName: s.seller.legalName,
      InvoiceCurrencyCode: s.currency?.code ?? 'INR',
      ConversionRate: s.currency ? Number(s.currency.rate) : null,
      FirstPartyTaxRegistrationNumber: s.seller.gstin ?? null,
      FirstPartyAddress: site(s.seller),
      FirstPartyPhone: s.seller.phone ?? null,
      FirstPartyEmail: s.seller.email ?? null,
      BillToCustomerNumber: numericId(s.buyer.legalName.length + s.buyer.city, 6, '1'),
      BillToCustomerName: s.buyer.legalName,
      ThirdPartyTaxRegistrationNumber: s.buyer.gstin ?? null,
      BillToAddress: site(s.buyer),
      ShipToCustomerName: s.shipTo?.legalName ?? null,
      ShipToTaxRegistrationNumber: s.shipTo?.gstin ?? null,
      ShipToAddress: s.shipTo ? site(s.shipTo) : null,
      PaymentTermsName: s.creditDays ? `${s.creditDays} NET` : 'IMMEDIATE',
      DueDate: days(s.docDate) + (s.creditDays ?? 0),
      PreviousTransactionNumber: s.preceding?.docNo ?? null,
      PreviousTransactionDate: s.preceding ? days(s.preceding.docDate) : null,
      AmountDueOriginal: rupees(c.total) * sg,
      IndiaGst: {
        SupplyType: s.supply,
        ReverseCharge: s.reverseCharge ? 'Y' : 'N',
        PlaceOfSupply: null,
        IgstOnIntraState: 'N',
        EcommerceGstin: null,
        PortCode: s.export?.port ?? null,
        ShippingBillNumber: s.export?.shipBillNo ?? null,
        ShippingBillDate: s.export?.shipBillDate ? days(s.export.shipBillDate) : null,
        ExportCountry: s.export?.country ?? null,
        ExportCurrency: s.export?.currency ?? null,
        Irn: irn,
      },
    },
    Lines: lines,
    CancelRequest: s.cancel
      ? {
          ReasonCode: lookup(reverse(ORACLE_CANCEL_REASON), s.cancel.reason, 'cancel reason'),
          Comments: s.cancel.remark,
        }
      : null,
    Transport: s.ewb
      ? {
          TransporterId: s.ewb.transporterId ?? null,
          TransporterName: s.ewb.transporterName ?? null,
          TransportMode: lookup(reverse(ORACLE_TRANSPORT_MODE), s.ewb.mode, 'transport mode'),
          DistanceKm: s.ewb.distance,
          TransportDocNumber: s.ewb.transDocNo ?? null,
          TransportDocDate: s.ewb.transDocDate ? days(s.ewb.transDocDate) : null,
          VehicleNumber: s.ewb.vehicleNo ?? null,
          VehicleType: s.ewb.vehicleType === 'O' ? 'ODC' : s.ewb.vehicleType === 'R' ? 'REGULAR' : null,
        }
      : null,
  };
}
