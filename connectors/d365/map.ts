/**
 * Dynamics 365 Finance sales invoice → IRP. Money comes from the invoice lines and the tax transactions
 * D365 posted per line; D365 posts credit notes as negative invoices, so their signs are flipped here
 * (the IRP takes positive amounts with `Typ` CRN). See README.md.
 */
import { isUqc } from '../../src/irp/masters/index.js';
import type { ExpDtls, SupplyType } from '../../src/irp/schema/invoice.js';
import { mul, neg, paise, toNumber, ZERO, type Dec } from '../shared/decimal.js';
import { dateFromIso, docNumber } from '../shared/doc.js';
import { cancelEvent, documentRef, ewbEvent, isExport } from '../shared/events.js';
import {
  assembleInvoice,
  checkTaxHeads,
  reconcile,
  exportDtls,
  generateEvent,
  NO_MONEY,
  postTax,
  precedingInvoice,
  type HeaderMoney,
  type Line,
  type LineMoney,
  type LineRates,
} from '../shared/invoice.js';
import { given, Issues } from '../shared/issues.js';
import { buyerDtls, compact, gstin, sellerDtls, shipDtls, text } from '../shared/parties.js';
import { COUNTRY_ALPHA3, stateFromAbbreviation } from '../shared/states.js';
import type { DocType, MapResult } from '../types.js';
import type { SalesInvoiceEvent, SalesInvoiceLine, TaxTransaction } from './record.js';
import {
  D365_CANCEL_REASON,
  D365_TAX_COMPONENTS,
  D365_TRANSPORT_MODE,
  D365_UNIT_TO_UQC,
  D365_VEHICLE_TYPE,
} from './tables.js';

function supplyOf(issues: Issues, customerType: string, withoutPayment: boolean): SupplyType | undefined {
  switch (customerType) {
    case 'Regular':
      return 'B2B';
    case 'SEZ Unit':
    case 'SEZ Development':
      return withoutPayment ? 'SEZWOP' : 'SEZWP';
    case 'Export':
      return withoutPayment ? 'EXPWOP' : 'EXPWP';
    case 'Deemed export':
      return 'DEXP';
    default:
      return issues.add(
        'MAP_INVALID_CODE',
        'Header.GSTCustomerType',
        `GST customer type ${JSON.stringify(customerType)} is not e-invoiced (Regular, SEZ Unit, SEZ Development, Export, Deemed export)`,
      );
  }
}

export function mapSalesInvoice(r: SalesInvoiceEvent): MapResult {
  const issues = new Issues();
  const h = r.Header;
  const total = issues.amount(h.TotalInvoiceAmount, 'Header.TotalInvoiceAmount');
  const docType: DocType = h.IsDebitNote === 'Yes' ? 'DBN' : total && total.units < 0n ? 'CRN' : 'INV';
  const docNo = docNumber(issues, h.InvoiceNumber, 'Header.InvoiceNumber');
  const docDate = dateFromIso(issues, h.InvoiceDate, 'Header.InvoiceDate');
  const sellerGstin = gstin(issues, h.CompanyGSTIN, 'Header.CompanyGSTIN', 'supplier');
  const ref = () => documentRef(sellerGstin!, docType, docNo!, docDate!, h.IRN);

  if (r.EventType === 'EINVOICE_CANCEL') {
    const c = r.Cancel;
    return cancelEvent(
      issues,
      ref,
      c && { reason: D365_CANCEL_REASON[c.CancelReason] ?? c.CancelReason, remark: c.CancelRemarks },
      {
        request: 'Cancel',
        missing: 'a cancellation needs CancelReason and CancelRemarks',
        reason: 'Cancel.CancelReason',
        remark: 'Cancel.CancelRemarks',
      },
    );
  }
  if (r.EventType === 'EWAYBILL_REQUEST') {
    const e = r.EWayBill;
    return ewbEvent(
      issues,
      ref,
      e && {
        distance: e.DistanceKm,
        mode: D365_TRANSPORT_MODE[e.ModeOfTransport] ?? e.ModeOfTransport,
        transId: e.TransporterId,
        transName: e.TransporterName,
        transDocNo: e.TransportDocNumber,
        transDocDt: e.TransportDocDate
          ? dateFromIso(issues, e.TransportDocDate, 'EWayBill.TransportDocDate')
          : undefined,
        vehNo: e.VehicleNumber,
        vehType: e.VehicleType ? (D365_VEHICLE_TYPE[e.VehicleType] ?? e.VehicleType) : null,
      },
      {
        request: 'EWayBill',
        missing: 'an e-way bill request needs the transport details',
        distance: 'EWayBill.DistanceKm',
        mode: 'EWayBill.ModeOfTransport',
        transId: 'EWayBill.TransporterId',
        vehType: 'EWayBill.VehicleType',
      },
    );
  }

  if (h.CurrencyCode !== 'INR')
    issues.add(
      'MAP_UNSUPPORTED_CURRENCY',
      'Header.CurrencyCode',
      `invoice currency ${h.CurrencyCode}: the IRP takes INR amounts`,
    );
  const supply = supplyOf(issues, h.GSTCustomerType, h.WithoutPaymentOfTax === 'Yes');
  // Credit notes are negative in D365; every amount is read with this sign so the IRP sees positives.
  const sign = docType === 'CRN' ? -1n : 1n;
  const signed = (value: string, path: string): Dec | undefined => {
    const d = issues.amount(value, path);
    if (d === undefined) return undefined;
    const v = { units: d.units * sign, scale: d.scale };
    if (v.units < 0n)
      return issues.add(
        'MAP_INVALID_AMOUNT',
        path,
        `${value} has the wrong sign for a ${docType}: mixed invoice and return lines cannot be e-invoiced`,
      );
    return v;
  };

  const seller = sellerDtls(issues, {
    gstin: h.CompanyGSTIN,
    name: h.CompanyName,
    addr1: h.CompanyAddressStreet,
    city: h.CompanyAddressCity,
    pin: h.CompanyAddressZipCode,
    state: stateFromAbbreviation(h.CompanyAddressState),
    stateRaw: h.CompanyAddressState,
    phone: h.CompanyPhone,
    email: h.CompanyEmail,
    paths: {
      gstin: 'Header.CompanyGSTIN',
      name: 'Header.CompanyName',
      city: 'Header.CompanyAddressCity',
      pin: 'Header.CompanyAddressZipCode',
      state: 'Header.CompanyAddressState',
    },
  });
  const buyer = supply
    ? buyerDtls(
        issues,
        {
          gstin: h.CustomerGSTIN,
          name: h.CustomerName,
          addr1: h.InvoiceAddressStreet,
          city: h.InvoiceAddressCity,
          pin: h.InvoiceAddressZipCode,
          state: stateFromAbbreviation(h.InvoiceAddressState),
          stateRaw: h.InvoiceAddressState,
          paths: {
            gstin: 'Header.CustomerGSTIN',
            name: 'Header.CustomerName',
            city: 'Header.InvoiceAddressCity',
            pin: 'Header.InvoiceAddressZipCode',
            state: 'Header.InvoiceAddressState',
          },
        },
        { exported: isExport(supply) },
      )
    : undefined;
  const shipTo = given(h.DeliveryName)
    ? shipDtls(issues, {
        gstin: h.DeliveryGSTIN,
        name: h.DeliveryName,
        addr1: h.DeliveryAddressStreet,
        city: h.DeliveryAddressCity,
        pin: h.DeliveryAddressZipCode,
        state: stateFromAbbreviation(h.DeliveryAddressState),
        stateRaw: h.DeliveryAddressState,
        paths: {
          gstin: 'Header.DeliveryGSTIN',
          name: 'Header.DeliveryName',
          city: 'Header.DeliveryAddressCity',
          pin: 'Header.DeliveryAddressZipCode',
          state: 'Header.DeliveryAddressState',
        },
      })
    : undefined;

  const taxes = new Map<number, { t: TaxTransaction; path: string }[]>();
  r.TaxTransactions.forEach((t, i) => {
    const path = `TaxTransactions[${i}]`;
    if (!r.Lines.some((l) => l.LineNumber === t.SourceLineNumber))
      issues.add(
        'MAP_UNKNOWN_TAX',
        `${path}.SourceLineNumber`,
        `tax transaction for line ${t.SourceLineNumber}, which the invoice does not have`,
      );
    taxes.set(t.SourceLineNumber, [...(taxes.get(t.SourceLineNumber) ?? []), { t, path }]);
  });
  const lines = r.Lines.map((l, i) =>
    itemLine(issues, l, `Lines[${i}]`, taxes.get(l.LineNumber) ?? [], signed),
  ).filter((l): l is Line => l !== undefined);

  const header: HeaderMoney = {
    othChrg: paise(signed(h.TotalChargeAmount, 'Header.TotalChargeAmount') ?? ZERO),
    discount: paise(signed(h.TotalDiscountAmount, 'Header.TotalDiscountAmount') ?? ZERO),
    // Round-off keeps its own sign relative to the document: it may go either way.
    roundOff: paise(issues.amount(h.RoundOff, 'Header.RoundOff') ?? ZERO) * Number(sign),
  };
  // Under reverse charge the customer pays the tax to the government, so D365's total leaves it out.
  if (total && h.ReverseCharge !== 'Yes' && issues.errors.length === 0)
    reconcile(issues, lines, header, {
      total: { value: paise(total) * Number(sign), path: 'Header.TotalInvoiceAmount' },
    });

  const preceding = precedingInvoice(
    issues,
    docType,
    given(h.OriginalInvoiceNumber)
      ? {
          no: docNumber(issues, h.OriginalInvoiceNumber, 'Header.OriginalInvoiceNumber'),
          date: dateFromIso(issues, h.OriginalInvoiceDate, 'Header.OriginalInvoiceDate'),
        }
      : undefined,
    { path: 'Header.OriginalInvoiceNumber', message: 'a credit note must name the invoice it credits' },
  );

  let exp: ExpDtls | undefined;
  if (supply && isExport(supply)) {
    const country =
      COUNTRY_ALPHA3[h.InvoiceAddressCountryRegionId] ??
      issues.add(
        'MAP_MISSING_EXPORT_DETAILS',
        'Header.InvoiceAddressCountryRegionId',
        `no ISO alpha-2 code for country ${h.InvoiceAddressCountryRegionId}`,
      );
    exp = exportDtls(supply, {
      shipBNo: h.ShippingBillNumber,
      shipBDt: h.ShippingBillDate
        ? dateFromIso(issues, h.ShippingBillDate, 'Header.ShippingBillDate')
        : undefined,
      port: h.PortCode,
      forCur: h.ExportCurrencyCode,
      cntCode: country,
    });
  }

  checkTaxHeads(issues, {
    supply,
    sellerState: seller?.Stcd,
    pos: buyer?.Pos,
    lines,
    posPath: 'Header.InvoiceAddressState',
  });
  return issues.result(() =>
    generateEvent(
      assembleInvoice({
        supply: supply!,
        reverseCharge: h.ReverseCharge === 'Yes',
        docType,
        docNo: docNo!,
        docDate: docDate!,
        seller: seller!,
        buyer: buyer!,
        shipTo,
        lines,
        header,
        preceding,
        exp,
        pay: compact({ PayTerm: text(h.PaymentTermsName, 1, 100) }),
      }),
    ),
  );
}

function itemLine(
  issues: Issues,
  l: SalesInvoiceLine,
  at: string,
  taxes: readonly { t: TaxTransaction; path: string }[],
  signed: (value: string, path: string) => Dec | undefined,
): Line | undefined {
  const before = issues.errors.length;
  const qty = signed(l.InvoicedQuantity, `${at}.InvoicedQuantity`);
  const price = issues.amount(l.SalesPrice, `${at}.SalesPrice`);
  const discount = signed(l.LineDiscountAmount, `${at}.LineDiscountAmount`);
  const net = signed(l.LineAmount, `${at}.LineAmount`);
  const m: LineMoney = { ...NO_MONEY };
  if (qty && price && discount && net) {
    m.gross = paise(mul(qty, price));
    m.discount = paise(discount);
    if (m.gross - m.discount !== paise(net))
      issues.add(
        'MAP_TOTAL_MISMATCH',
        `${at}.LineAmount`,
        `line amount ${l.LineAmount} ≠ quantity × price − discount (${(m.gross - m.discount) / 100})`,
      );
  }
  const rates: LineRates = { gst: ZERO, cess: ZERO };
  for (const { t, path } of taxes) {
    const head = D365_TAX_COMPONENTS[t.TaxComponent];
    const v = paise(signed(t.TaxAmount, `${path}.TaxAmount`) ?? ZERO);
    const rate = issues.amount(t.TaxValue, `${path}.TaxValue`) ?? ZERO;
    if (!head)
      issues.add(
        'MAP_UNKNOWN_TAX',
        `${path}.TaxComponent`,
        `tax component ${JSON.stringify(t.TaxComponent)} has no IRP field`,
      );
    else postTax(m, rates, head, v, rate);
  }
  const unit = D365_UNIT_TO_UQC[l.SalesUnitSymbol.trim().toLowerCase()];
  if (!unit || !isUqc(unit))
    issues.add(
      'MAP_UNKNOWN_UNIT',
      `${at}.SalesUnitSymbol`,
      `unit ${JSON.stringify(l.SalesUnitSymbol)} has no UQC`,
    );
  const sac = given(l.SACCode);
  const hsn = (sac ?? l.HSNCode ?? '').replace(/\D/g, '');
  if (!hsn)
    issues.add('MAP_MISSING_FIELD', `${at}.HSNCode`, 'HSN code (or SAC code for services) is required');
  if (issues.errors.length > before || !qty || !price) return undefined;
  return {
    facts: compact({
      SlNo: String(l.LineNumber),
      PrdDesc: text(l.ProductName, 3, 300),
      IsServc: sac ? 'Y' : 'N',
      HsnCd: hsn,
      Qty: toNumber(qty, 3),
      Unit: unit,
      UnitPrice: toNumber(price, 3),
      GstRt: toNumber(rates.gst, 3),
      CesRt: toNumber(rates.cess.units < 0n ? neg(rates.cess) : rates.cess, 3),
    }),
    money: m,
  };
}
