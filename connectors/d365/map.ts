/**
 * Dynamics 365 Finance sales invoice → IRP. Money comes from the invoice lines and the tax transactions
 * D365 posted per line; D365 posts credit notes as negative invoices, so their signs are flipped here
 * (the IRP takes positive amounts with `Typ` CRN). See README.md.
 */
import { canonicalStateCode, isStateCode } from '../../src/irp/masters/index.js';
import type { ExpDtls, SupplyType } from '../../src/irp/schema/invoice.js';
import { docCurrency, toInr } from '../shared/currency.js';
import { div, mul, neg, paise, toNumber, ZERO, type Dec } from '../shared/decimal.js';
import { dateFromIso, docNumber } from '../shared/doc.js';
import { cancelEvent, documentRef, ewbEvent, isExport } from '../shared/events.js';
import {
  assembleInvoice,
  assessable,
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
import { lookup, type TablesOf } from '../shared/site-tables.js';
import { COUNTRY_ALPHA3, stateFromAbbreviation, stateFromName } from '../shared/states.js';
import type { DocType, MapResult } from '../types.js';
import type { SalesInvoiceEvent, SalesInvoiceLine, TaxTransaction } from './record.js';
import { D365_CANCEL_REASON, D365_TABLES, D365_TRANSPORT_MODE, D365_VEHICLE_TYPE } from './tables.js';

function supplyOf(
  issues: Issues,
  tables: D365Tables,
  customerType: string,
  withoutPayment: boolean,
): SupplyType | undefined {
  switch (lookup(tables.customerTypes, D365_TABLES.customerTypes, customerType)) {
    case 'B2B':
      return 'B2B';
    case 'SEZ':
      return withoutPayment ? 'SEZWOP' : 'SEZWP';
    case 'EXP':
      return withoutPayment ? 'EXPWOP' : 'EXPWP';
    case 'DEXP':
      return 'DEXP';
    default:
      return issues.add(
        'MAP_INVALID_CODE',
        'Header.GSTCustomerType',
        `GST customer type ${JSON.stringify(customerType)} is not e-invoiced (${Object.keys(tables.customerTypes).join(', ')})`,
      );
  }
}

export type D365Tables = TablesOf<typeof D365_TABLES>;

export function mapSalesInvoice(r: SalesInvoiceEvent, tables: D365Tables): MapResult {
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

  const exchRate = given(h.ExchangeRate) ? issues.amount(h.ExchangeRate, 'Header.ExchangeRate') : undefined;
  const cur = docCurrency(
    issues,
    h.CurrencyCode,
    // D365 quotes exchange rates per 100 units of the foreign currency.
    exchRate ? div(exchRate, { units: 100n, scale: 0 }, 9) : undefined,
    { code: 'Header.CurrencyCode', rate: 'Header.ExchangeRate' },
  );
  const supply = supplyOf(issues, tables, h.GSTCustomerType, h.WithoutPaymentOfTax === 'Yes');
  const exported = supply !== undefined && isExport(supply);
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
  // The GST state code D365 stores with the state, else the state id read as a code or a name.
  const stateOf = (code: string | null, id: string | null) =>
    (given(code) && isStateCode(code!.trim()) ? canonicalStateCode(code!.trim()) : undefined) ??
    lookup(tables.states, D365_TABLES.states, id) ??
    stateFromAbbreviation(id) ??
    stateFromName(id);

  const seller = sellerDtls(issues, {
    gstin: h.CompanyGSTIN,
    name: h.CompanyName,
    addr1: h.CompanyAddressStreet,
    city: h.CompanyAddressCity,
    pin: h.CompanyAddressZipCode,
    state: stateOf(h.CompanyGSTStateCode, h.CompanyAddressState),
    stateRaw: h.CompanyGSTStateCode ?? h.CompanyAddressState,
    phone: h.CompanyPhone,
    email: h.CompanyEmail,
    paths: {
      gstin: 'Header.CompanyGSTIN',
      name: 'Header.CompanyName',
      city: 'Header.CompanyAddressCity',
      pin: 'Header.CompanyAddressZipCode',
      state: given(h.CompanyGSTStateCode) ? 'Header.CompanyGSTStateCode' : 'Header.CompanyAddressState',
    },
  });
  // Place of supply: the address D365 determined the GST by (GSTPlaceOfSupply: bill-to, ship-to or the
  // location); when not said, the delivery address, else the invoice address. Exports: 96.
  const delivery = given(h.DeliveryName) ? h : undefined;
  const deliveryAbroad =
    delivery !== undefined &&
    given(h.DeliveryAddressCountryRegionId) !== undefined &&
    h.DeliveryAddressCountryRegionId!.trim().toUpperCase() !== 'IND';
  const invoicePath = given(h.InvoiceAddressGSTStateCode)
    ? 'Header.InvoiceAddressGSTStateCode'
    : 'Header.InvoiceAddressState';
  const deliveryPath = given(h.DeliveryAddressGSTStateCode)
    ? 'Header.DeliveryAddressGSTStateCode'
    : 'Header.DeliveryAddressState';
  const decidedBy = given(h.GSTPlaceOfSupply)?.toLowerCase();
  let pos: string | undefined;
  let posPath = invoicePath;
  if (exported) pos = '96';
  else if (decidedBy === 'location address') {
    posPath = given(h.CompanyGSTStateCode) ? 'Header.CompanyGSTStateCode' : 'Header.CompanyAddressState';
    pos = stateOf(h.CompanyGSTStateCode, h.CompanyAddressState);
  } else if (delivery && !deliveryAbroad && decidedBy !== 'bill-to address') {
    posPath = deliveryPath;
    pos = stateOf(h.DeliveryAddressGSTStateCode, h.DeliveryAddressState);
    if (!pos)
      issues.add(
        'MAP_UNKNOWN_STATE',
        posPath,
        `no GST state code for ${JSON.stringify(h.DeliveryAddressState)}`,
      );
  } else if (decidedBy === 'ship-to address')
    issues.add(
      'MAP_MISSING_FIELD',
      'Header.DeliveryName',
      'the GST place of supply is the ship-to address, but the invoice has none',
    );
  else pos = stateOf(h.InvoiceAddressGSTStateCode, h.InvoiceAddressState);
  const buyer = supply
    ? buyerDtls(
        issues,
        {
          gstin: h.CustomerGSTIN,
          name: h.CustomerName,
          addr1: h.InvoiceAddressStreet,
          city: h.InvoiceAddressCity,
          pin: h.InvoiceAddressZipCode,
          state: stateOf(h.InvoiceAddressGSTStateCode, h.InvoiceAddressState),
          stateRaw: h.InvoiceAddressGSTStateCode ?? h.InvoiceAddressState,
          paths: {
            gstin: 'Header.CustomerGSTIN',
            name: 'Header.CustomerName',
            city: 'Header.InvoiceAddressCity',
            pin: 'Header.InvoiceAddressZipCode',
            state: given(h.InvoiceAddressGSTStateCode)
              ? 'Header.InvoiceAddressGSTStateCode'
              : 'Header.InvoiceAddressState',
          },
        },
        { exported, ...(pos ? { pos } : {}) },
      )
    : undefined;
  const shipTo = delivery
    ? shipDtls(
        issues,
        {
          gstin: h.DeliveryGSTIN,
          name: h.DeliveryName,
          addr1: h.DeliveryAddressStreet,
          city: h.DeliveryAddressCity,
          pin: h.DeliveryAddressZipCode,
          state: stateOf(h.DeliveryAddressGSTStateCode, h.DeliveryAddressState),
          stateRaw: h.DeliveryAddressGSTStateCode ?? h.DeliveryAddressState,
          paths: {
            gstin: 'Header.DeliveryGSTIN',
            name: 'Header.DeliveryName',
            city: 'Header.DeliveryAddressCity',
            pin: 'Header.DeliveryAddressZipCode',
            state: 'Header.DeliveryAddressState',
          },
        },
        { foreign: deliveryAbroad },
      )
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
    itemLine(issues, tables, l, `Lines[${i}]`, taxes.get(l.LineNumber) ?? [], signed),
  ).filter((l): l is Line => l !== undefined);

  const header: HeaderMoney = {
    othChrg: paise(signed(h.TotalChargeAmount, 'Header.TotalChargeAmount') ?? ZERO),
    discount: paise(signed(h.TotalDiscountAmount, 'Header.TotalDiscountAmount') ?? ZERO),
    // Round-off keeps its own sign relative to the document: it may go either way.
    roundOff: paise(issues.amount(h.RoundOff, 'Header.RoundOff') ?? ZERO) * Number(sign),
  };
  if (total && issues.errors.length === 0)
    reconcile(
      issues,
      lines,
      header,
      { total: { value: paise(total) * Number(sign), path: 'Header.TotalInvoiceAmount' } },
      { reverseCharge: h.ReverseCharge === 'Yes' },
    );
  const inr = cur ? toInr(cur, lines, header) : undefined;
  const igstOnIntra = h.IGSTOnIntraState === 'Yes';
  checkTaxHeads(issues, { supply, sellerState: seller?.Stcd, pos, lines: inr?.lines, igstOnIntra, posPath });

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
      forCur: given(h.ExportCurrencyCode) ?? (cur?.foreign ? cur.code : undefined),
      cntCode: country,
    });
  }

  return issues.result(() =>
    generateEvent(
      assembleInvoice({
        supply: supply!,
        igstOnIntra,
        reverseCharge: h.ReverseCharge === 'Yes',
        docType,
        docNo: docNo!,
        docDate: docDate!,
        seller: seller!,
        buyer: buyer!,
        shipTo,
        lines: inr!.lines,
        header: inr!.header,
        preceding,
        exp,
        pay: compact({ PayTerm: text(h.PaymentTermsName, 1, 100) }),
      }),
    ),
  );
}

function itemLine(
  issues: Issues,
  tables: D365Tables,
  l: SalesInvoiceLine,
  at: string,
  taxes: readonly { t: TaxTransaction; path: string }[],
  signed: (value: string, path: string) => Dec | undefined,
): Line | undefined {
  const before = issues.errors.length;
  const qty = signed(l.InvoicedQuantity, `${at}.InvoicedQuantity`);
  const price = issues.amount(l.SalesPrice, `${at}.SalesPrice`);
  const discount = signed(l.LineDiscountAmount, `${at}.LineDiscountAmount`);
  const charge = signed(l.LineChargeAmount, `${at}.LineChargeAmount`);
  const net = signed(l.LineAmount, `${at}.LineAmount`);
  const m: LineMoney = { ...NO_MONEY };
  if (qty && price && discount && net && charge) {
    const atPrice = paise(mul(qty, price));
    if (atPrice - paise(discount) !== paise(net))
      issues.add(
        'MAP_TOTAL_MISMATCH',
        `${at}.LineAmount`,
        `line amount ${l.LineAmount} ≠ quantity × price − discount (${(atPrice - paise(discount)) / 100})`,
      );
    // Charges allocated to the line are part of its GST base: inside TotAmt, so inside AssAmt.
    m.gross = atPrice + paise(charge);
    m.discount = paise(discount);
  }
  const rates: LineRates = { gst: ZERO, cess: ZERO };
  for (const { t, path } of taxes) {
    const head = lookup(tables.taxComponents, D365_TABLES.taxComponents, t.TaxComponent);
    const v = paise(signed(t.TaxAmount, `${path}.TaxAmount`) ?? ZERO);
    const rate = issues.amount(t.TaxValue, `${path}.TaxValue`) ?? ZERO;
    if (!head) {
      issues.add(
        'MAP_UNKNOWN_TAX',
        `${path}.TaxComponent`,
        `tax component ${JSON.stringify(t.TaxComponent)} has no IRP field`,
      );
      continue;
    }
    postTax(m, rates, head, v, rate);
    const base = signed(t.TaxBaseAmount, `${path}.TaxBaseAmount`);
    if (head !== 'tcs' && head !== 'cessNonAdvl' && base && paise(base) !== assessable(m))
      issues.add(
        'MAP_TAXABLE_MISMATCH',
        `${path}.TaxBaseAmount`,
        `D365 taxed ${t.TaxBaseAmount} but the line's taxable value is ${assessable(m) / 100}`,
      );
  }
  const unit = lookup(tables.units, D365_TABLES.units, l.SalesUnitSymbol);
  if (!unit)
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
    facts: {
      SlNo: String(l.LineNumber),
      PrdDesc: text(l.ProductName, 3, 300),
      IsServc: sac ? 'Y' : 'N',
      HsnCd: hsn,
      Qty: toNumber(qty, 3),
      Unit: unit,
      UnitPrice: toNumber(price, 3),
      GstRt: toNumber(rates.gst, 3),
      CesRt: toNumber(rates.cess.units < 0n ? neg(rates.cess) : rates.cess, 3),
    },
    money: m,
  };
}
