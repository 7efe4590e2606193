/**
 * Oracle Fusion Receivables transaction → IRP. Item money comes from the transaction lines (list price
 * × quantity as gross, the net extended amount as taxable value) and the tax lines E-Business Tax
 * calculated and rounded; FREIGHT and CHARGES lines become invoice-level amounts. See README.md.
 */
import { isUqc } from '../../src/irp/masters/index.js';
import type { ExpDtls } from '../../src/irp/schema/invoice.js';
import { decFromNumber, mul, paise, toNumber, ZERO } from '../shared/decimal.js';
import { dateFromEpochDays, docNumber } from '../shared/doc.js';
import { cancelEvent, documentRef, ewbEvent, isExport, supplyType } from '../shared/events.js';
import {
  assembleInvoice,
  checkTaxHeads,
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
import { buyerDtls, compact, gstin, sellerDtls, shipDtls, text, type PartyInput } from '../shared/parties.js';
import { stateFromAbbreviation } from '../shared/states.js';
import type { MapResult } from '../types.js';
import type { ReceivablesTransactionEvent, SiteAddress, TransactionLine } from './record.js';
import {
  ORACLE_CANCEL_REASON,
  ORACLE_CLASS_TO_DOC_TYPE,
  ORACLE_TAX_HEADS,
  ORACLE_TRANSPORT_MODE,
  ORACLE_UOM_TO_UQC,
  ORACLE_VEHICLE_TYPE,
} from './tables.js';

const ROUND_OFF_MEMO = 'ROUND OFF';

/** A REST double as the decimal the ERP meant; its shortest spelling is never more precise than 2 dp here. */
const money = (n: number): number => paise(decFromNumber(n) ?? ZERO);

export function mapReceivablesTransaction(r: ReceivablesTransactionEvent): MapResult {
  const issues = new Issues();
  const t = r.Transaction;
  const docType =
    ORACLE_CLASS_TO_DOC_TYPE[t.TransactionClass] ??
    issues.add(
      'MAP_UNKNOWN_DOC_TYPE',
      'Transaction.TransactionClass',
      `transaction class ${JSON.stringify(t.TransactionClass)} (${t.TransactionType}) is not INV, CM or DM`,
    );
  const docNo = docNumber(issues, t.TransactionNumber, 'Transaction.TransactionNumber');
  const docDate = dateFromEpochDays(issues, t.TransactionDate, 'Transaction.TransactionDate');
  const sellerGstin = gstin(
    issues,
    t.FirstPartyTaxRegistrationNumber,
    'Transaction.FirstPartyTaxRegistrationNumber',
    'supplier',
  );
  const ref = () => documentRef(sellerGstin!, docType!, docNo!, docDate!, t.IndiaGst.Irn);

  if (r.EventType === 'EINVOICE_CANCEL_REQUESTED') {
    const c = r.CancelRequest;
    return cancelEvent(
      issues,
      ref,
      c && { reason: ORACLE_CANCEL_REASON[c.ReasonCode] ?? c.ReasonCode, remark: c.Comments },
      {
        request: 'CancelRequest',
        missing: 'a cancel request needs ReasonCode and Comments',
        reason: 'CancelRequest.ReasonCode',
        remark: 'CancelRequest.Comments',
      },
    );
  }
  if (r.EventType === 'EWAYBILL_REQUESTED') {
    const x = r.Transport;
    return ewbEvent(
      issues,
      ref,
      x && {
        distance: x.DistanceKm,
        mode: ORACLE_TRANSPORT_MODE[x.TransportMode] ?? x.TransportMode,
        transId: x.TransporterId,
        transName: x.TransporterName,
        transDocNo: x.TransportDocNumber,
        transDocDt:
          x.TransportDocDate != null
            ? dateFromEpochDays(issues, x.TransportDocDate, 'Transport.TransportDocDate')
            : undefined,
        vehNo: x.VehicleNumber,
        vehType: x.VehicleType ? (ORACLE_VEHICLE_TYPE[x.VehicleType] ?? x.VehicleType) : null,
      },
      {
        request: 'Transport',
        missing: 'an e-way bill request needs the transport details',
        distance: 'Transport.DistanceKm',
        mode: 'Transport.TransportMode',
        transId: 'Transport.TransporterId',
        vehType: 'Transport.VehicleType',
      },
    );
  }

  if (t.InvoiceCurrencyCode !== 'INR')
    issues.add(
      'MAP_UNSUPPORTED_CURRENCY',
      'Transaction.InvoiceCurrencyCode',
      `transaction currency ${t.InvoiceCurrencyCode}: the IRP takes INR amounts`,
    );
  const supply = supplyType(issues, t.IndiaGst.SupplyType, 'Transaction.IndiaGst.SupplyType');
  const party = (
    a: SiteAddress,
    path: string,
    name: string,
    gstinValue: string | null,
    gstinPath: string,
  ): PartyInput => ({
    gstin: gstinValue,
    name,
    addr1: a.Address1,
    addr2: a.Address2,
    city: a.City,
    pin: a.PostalCode,
    state: stateFromAbbreviation(a.State),
    stateRaw: a.State,
    paths: {
      gstin: gstinPath,
      name: path,
      city: `${path}.City`,
      pin: `${path}.PostalCode`,
      state: `${path}.State`,
    },
  });
  const seller = sellerDtls(issues, {
    ...party(
      t.FirstPartyAddress,
      'Transaction.FirstPartyAddress',
      t.LegalEntityName,
      t.FirstPartyTaxRegistrationNumber,
      'Transaction.FirstPartyTaxRegistrationNumber',
    ),
    phone: t.FirstPartyPhone,
    email: t.FirstPartyEmail,
  });
  const buyer = supply
    ? buyerDtls(
        issues,
        party(
          t.BillToAddress,
          'Transaction.BillToAddress',
          t.BillToCustomerName,
          t.ThirdPartyTaxRegistrationNumber,
          'Transaction.ThirdPartyTaxRegistrationNumber',
        ),
        { exported: isExport(supply) },
      )
    : undefined;
  const shipTo = t.ShipToAddress
    ? shipDtls(
        issues,
        party(
          t.ShipToAddress,
          'Transaction.ShipToAddress',
          t.ShipToCustomerName ?? t.BillToCustomerName,
          t.ShipToTaxRegistrationNumber,
          'Transaction.ShipToTaxRegistrationNumber',
        ),
      )
    : undefined;

  const header: HeaderMoney = { othChrg: 0, discount: 0, roundOff: 0 };
  const lines: Line[] = [];
  r.Lines.forEach((l, i) => {
    const amount = money(l.LineAmount);
    if (l.LineType === 'LINE') {
      const line = itemLine(issues, l, `Lines[${i}]`);
      if (line) lines.push(line);
    } else if (l.LineType === 'FREIGHT') header.othChrg += amount;
    else if (l.LineType === 'CHARGES' && given(l.MemoLineName)?.toUpperCase() === ROUND_OFF_MEMO)
      header.roundOff += amount;
    else if (l.LineType === 'CHARGES' && amount < 0) header.discount -= amount;
    else if (l.LineType === 'CHARGES') header.othChrg += amount;
    else
      issues.add(
        'MAP_INVALID_CODE',
        `Lines[${i}].LineType`,
        `line type ${JSON.stringify(l.LineType)} is not LINE, FREIGHT or CHARGES`,
      );
  });
  if (r.Lines.every((l) => l.LineType !== 'LINE'))
    issues.add('MAP_MISSING_FIELD', 'Lines', 'the transaction has no item lines');

  const preceding = precedingInvoice(
    issues,
    docType,
    given(t.PreviousTransactionNumber)
      ? {
          no: docNumber(issues, t.PreviousTransactionNumber, 'Transaction.PreviousTransactionNumber'),
          date: dateFromEpochDays(issues, t.PreviousTransactionDate, 'Transaction.PreviousTransactionDate'),
        }
      : undefined,
    {
      path: 'Transaction.PreviousTransactionNumber',
      message: 'a credit memo must reference the invoice it credits',
    },
  );

  let exp: ExpDtls | undefined;
  if (supply && isExport(supply)) {
    const g = t.IndiaGst;
    if (!given(g.ExportCountry))
      issues.add(
        'MAP_MISSING_EXPORT_DETAILS',
        'Transaction.IndiaGst.ExportCountry',
        'exports need the destination country',
      );
    exp = exportDtls(supply, {
      shipBNo: g.ShippingBillNumber,
      shipBDt:
        g.ShippingBillDate != null
          ? dateFromEpochDays(issues, g.ShippingBillDate, 'Transaction.IndiaGst.ShippingBillDate')
          : undefined,
      port: g.PortCode,
      forCur: g.ExportCurrency,
      cntCode: given(g.ExportCountry),
    });
  }

  checkTaxHeads(issues, {
    supply,
    sellerState: seller?.Stcd,
    pos: buyer?.Pos,
    lines,
    posPath: 'Transaction.BillToAddress.State',
  });
  return issues.result(() =>
    generateEvent(
      assembleInvoice({
        supply: supply!,
        reverseCharge: t.IndiaGst.ReverseCharge === 'Y',
        ecmGstin: given(t.IndiaGst.EcommerceGstin),
        docType: docType!,
        docNo: docNo!,
        docDate: docDate!,
        seller: seller!,
        buyer: buyer!,
        shipTo,
        lines,
        header,
        preceding,
        exp,
        pay: compact({ PayTerm: text(t.PaymentTermsName, 1, 100) }),
      }),
    ),
  );
}

function itemLine(issues: Issues, l: TransactionLine, at: string): Line | undefined {
  const before = issues.errors.length;
  const m: LineMoney = { ...NO_MONEY };
  const taxable = money(l.LineAmount);
  const qty = l.Quantity != null ? decFromNumber(l.Quantity) : undefined;
  const listPrice = l.UnitStandardPrice != null ? decFromNumber(l.UnitStandardPrice) : undefined;
  const netPrice = l.UnitSellingPrice != null ? decFromNumber(l.UnitSellingPrice) : undefined;
  // Oracle keeps the list price beside the net one; their difference over the quantity is the discount.
  m.gross = qty && listPrice ? paise(mul(qty, listPrice)) : taxable;
  m.discount = m.gross - taxable;
  if (m.discount < 0)
    issues.add(
      'MAP_INVALID_AMOUNT',
      `${at}.LineAmount`,
      `line amount ${l.LineAmount} exceeds quantity × list price`,
    );

  const rates: LineRates = { gst: ZERO, cess: ZERO };
  l.TaxLines.forEach((x, j) => {
    const head = ORACLE_TAX_HEADS[x.Tax.toUpperCase()];
    const v = money(x.TaxAmount);
    const rate = decFromNumber(x.TaxRate) ?? ZERO;
    if (!head)
      issues.add(
        'MAP_UNKNOWN_TAX',
        `${at}.TaxLines[${j}].Tax`,
        `tax ${JSON.stringify(x.Tax)} (${x.TaxRegimeCode}) has no IRP field`,
      );
    else postTax(m, rates, head, v, rate);
  });

  const uom = given(l.UnitOfMeasure)?.toUpperCase();
  const unit = uom ? ORACLE_UOM_TO_UQC[uom] : undefined;
  if (uom && (!unit || !isUqc(unit)))
    issues.add(
      'MAP_UNKNOWN_UNIT',
      `${at}.UnitOfMeasure`,
      `UOM ${JSON.stringify(l.UnitOfMeasure)} has no UQC`,
    );
  const hsn = (l.ProductFiscalClassification ?? '').replace(/\D/g, '');
  if (!hsn)
    issues.add(
      'MAP_MISSING_FIELD',
      `${at}.ProductFiscalClassification`,
      'HSN/SAC (product fiscal classification) is required',
    );
  if (issues.errors.length > before) return undefined;
  const unitPrice = listPrice ?? netPrice ?? (qty ? undefined : decFromNumber(l.LineAmount));
  return {
    facts: compact({
      SlNo: String(l.LineNumber),
      PrdDesc: text(l.Description, 3, 300),
      IsServc: l.ProductType === 'SERVICES' || hsn.startsWith('99') ? 'Y' : 'N',
      HsnCd: hsn,
      Qty: qty ? toNumber(qty, 3) : undefined,
      Unit: unit,
      UnitPrice: toNumber(unitPrice ?? ZERO, 3),
      GstRt: toNumber(rates.gst, 3),
      CesRt: toNumber(rates.cess, 3),
      OrdLineRef: text(l.SalesOrder, 1, 50),
    }),
    money: m,
  };
}
