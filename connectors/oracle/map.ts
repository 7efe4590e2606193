/**
 * Oracle Fusion Receivables transaction → IRP. Item money comes from the transaction lines (list price
 * × quantity as gross, the net extended amount as taxable value) and the tax lines E-Business Tax
 * calculated and rounded; untaxed FREIGHT and CHARGES lines become invoice-level amounts, taxed ones
 * items of their own. Credit memos are stored negative and read with their sign flipped; the document
 * total Receivables booked (AmountDueOriginal) and each tax line's TaxableAmount are reconciled with
 * what was mapped. See README.md.
 */
import { isStateCode } from '../../src/irp/masters/index.js';
import type { ExpDtls } from '../../src/irp/schema/invoice.js';
import { docCurrency, toInr } from '../shared/currency.js';
import { decFromNumber, div, mul, paise, paiseToDec, rupees, toNumber, ZERO } from '../shared/decimal.js';
import { dateFromEpochDays, docNumber } from '../shared/doc.js';
import { cancelEvent, documentRef, ewbEvent, isExport, supplyType } from '../shared/events.js';
import {
  assembleInvoice,
  assessable,
  checkTaxHeads,
  exportDtls,
  generateEvent,
  NO_MONEY,
  postTax,
  precedingInvoice,
  reconcile,
  type HeaderMoney,
  type Line,
  type LineMoney,
  type LineRates,
} from '../shared/invoice.js';
import { given, Issues } from '../shared/issues.js';
import { buyerDtls, compact, gstin, sellerDtls, shipDtls, text, type PartyInput } from '../shared/parties.js';
import { lookup, type TablesOf } from '../shared/site-tables.js';
import { stateFromAbbreviation, stateFromName } from '../shared/states.js';
import type { MapResult } from '../types.js';
import type { ReceivablesTransactionEvent, SiteAddress, TransactionLine } from './record.js';
import { ORACLE_CANCEL_REASON, ORACLE_TABLES, ORACLE_TRANSPORT_MODE, ORACLE_VEHICLE_TYPE } from './tables.js';

const ROUND_OFF_MEMO = 'ROUND OFF';

/** A REST double as the decimal the ERP meant; its shortest spelling is never more precise than 2 dp here. */
const money = (n: number): number => paise(decFromNumber(n) ?? ZERO);

export type OracleTables = TablesOf<typeof ORACLE_TABLES>;

export function mapReceivablesTransaction(r: ReceivablesTransactionEvent, tables: OracleTables): MapResult {
  const issues = new Issues();
  const t = r.Transaction;
  const docType =
    lookup(tables.transactionClasses, ORACLE_TABLES.transactionClasses, t.TransactionClass) ??
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

  const cur = docCurrency(
    issues,
    t.InvoiceCurrencyCode,
    t.ConversionRate != null ? decFromNumber(t.ConversionRate) : undefined,
    { code: 'Transaction.InvoiceCurrencyCode', rate: 'Transaction.ConversionRate' },
  );
  const supply = supplyType(issues, t.IndiaGst.SupplyType, 'Transaction.IndiaGst.SupplyType');
  const exported = supply !== undefined && isExport(supply);
  // Receivables stores a credit memo's lines, taxes and total negative; the IRP takes a CRN positive.
  const sign = docType === 'CRN' ? -1 : 1;
  const stateOf = (a: SiteAddress) =>
    lookup(tables.states, ORACLE_TABLES.states, a.State) ??
    stateFromAbbreviation(a.State) ??
    stateFromName(a.State);
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
    state: stateOf(a),
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
  // Place of supply: as the transaction's tax determination recorded it; else the ship-to site, which
  // E-Business Tax uses for goods; else the bill-to site. Exports: 96.
  const ship = t.ShipToAddress;
  const shipAbroad =
    ship !== null && given(ship.Country) !== undefined && ship.Country.trim().toUpperCase() !== 'IN';
  let pos: string | undefined;
  let posPath = 'Transaction.BillToAddress.State';
  if (exported) pos = '96';
  else if (given(t.IndiaGst.PlaceOfSupply)) {
    posPath = 'Transaction.IndiaGst.PlaceOfSupply';
    const v = t.IndiaGst.PlaceOfSupply!.trim();
    pos = /^[0-9]{2}$/.test(v) && isStateCode(v) ? v : stateOf({ ...t.BillToAddress, State: v });
    if (!pos)
      issues.add('MAP_UNKNOWN_STATE', posPath, `no GST state code for place of supply ${JSON.stringify(v)}`);
  } else if (ship && !shipAbroad) {
    posPath = 'Transaction.ShipToAddress.State';
    pos = stateOf(ship);
    if (!pos) issues.add('MAP_UNKNOWN_STATE', posPath, `no GST state code for ${JSON.stringify(ship.State)}`);
  } else pos = stateOf(t.BillToAddress);
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
        { exported, ...(pos ? { pos } : {}) },
      )
    : undefined;
  const shipTo = ship
    ? shipDtls(
        issues,
        party(
          ship,
          'Transaction.ShipToAddress',
          t.ShipToCustomerName ?? t.BillToCustomerName,
          t.ShipToTaxRegistrationNumber,
          'Transaction.ShipToTaxRegistrationNumber',
        ),
        { foreign: shipAbroad },
      )
    : undefined;

  const header: HeaderMoney = { othChrg: 0, discount: 0, roundOff: 0 };
  const lines: Line[] = [];
  r.Lines.forEach((l, i) => {
    const at = `Lines[${i}]`;
    const amount = money(l.LineAmount) * sign;
    const taxed = l.TaxLines.some((x) => lookup(tables.taxes, ORACLE_TABLES.taxes, x.Tax) !== 'tcs');
    if (l.LineType === 'LINE') {
      const line = itemLine(issues, tables, l, at, sign);
      if (line) lines.push(line);
    } else if ((l.LineType === 'FREIGHT' || l.LineType === 'CHARGES') && taxed) {
      // GST charged on the freight or charge: a taxable supply of its own, so an item of its own.
      const line = chargeLine(issues, tables, l, at, sign);
      if (line) lines.push(line);
    } else if (l.LineType === 'FREIGHT') header.othChrg += amount;
    else if (l.LineType === 'CHARGES' && given(l.MemoLineName)?.toUpperCase() === ROUND_OFF_MEMO)
      header.roundOff += amount;
    else if (l.LineType === 'CHARGES' && amount < 0) header.discount -= amount;
    else if (l.LineType === 'CHARGES') header.othChrg += amount;
    else
      issues.add(
        'MAP_INVALID_CODE',
        `${at}.LineType`,
        `line type ${JSON.stringify(l.LineType)} is not LINE, FREIGHT or CHARGES`,
      );
  });
  if (r.Lines.every((l) => l.LineType !== 'LINE'))
    issues.add('MAP_MISSING_FIELD', 'Lines', 'the transaction has no item lines');
  if (cur && issues.errors.length === 0 && t.AmountDueOriginal != null)
    reconcile(
      issues,
      lines,
      header,
      { total: { value: money(t.AmountDueOriginal) * sign, path: 'Transaction.AmountDueOriginal' } },
      { reverseCharge: t.IndiaGst.ReverseCharge === 'Y' },
    );
  const inr = cur ? toInr(cur, lines, header) : undefined;
  const igstOnIntra = t.IndiaGst.IgstOnIntraState === 'Y';
  checkTaxHeads(issues, { supply, sellerState: seller?.Stcd, pos, lines: inr?.lines, igstOnIntra, posPath });

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
  if (supply && exported) {
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
      forCur: given(g.ExportCurrency) ?? (cur?.foreign ? cur.code : undefined),
      cntCode: given(g.ExportCountry),
    });
  }

  return issues.result(() =>
    generateEvent(
      assembleInvoice({
        supply: supply!,
        igstOnIntra,
        reverseCharge: t.IndiaGst.ReverseCharge === 'Y',
        ecmGstin: given(t.IndiaGst.EcommerceGstin),
        docType: docType!,
        docNo: docNo!,
        docDate: docDate!,
        seller: seller!,
        buyer: buyer!,
        shipTo,
        lines: inr!.lines,
        header: inr!.header,
        preceding,
        exp,
        pay: compact({ PayTerm: text(t.PaymentTermsName, 1, 100) }),
      }),
    ),
  );
}

/** Books a line's tax lines; each GST or ad valorem cess line's taxable base must be the line's value. */
function postTaxLines(
  issues: Issues,
  tables: OracleTables,
  l: TransactionLine,
  at: string,
  sign: number,
  m: LineMoney,
  rates: LineRates,
): void {
  l.TaxLines.forEach((x, j) => {
    const head = lookup(tables.taxes, ORACLE_TABLES.taxes, x.Tax);
    const rate = decFromNumber(Math.abs(x.TaxRate)) ?? ZERO;
    if (!head) {
      issues.add(
        'MAP_UNKNOWN_TAX',
        `${at}.TaxLines[${j}].Tax`,
        `tax ${JSON.stringify(x.Tax)} (${x.TaxRegimeCode}) has no IRP field`,
      );
      return;
    }
    postTax(m, rates, head, money(x.TaxAmount) * sign, rate);
    if (head !== 'tcs' && head !== 'cessNonAdvl' && money(x.TaxableAmount) * sign !== assessable(m))
      issues.add(
        'MAP_TAXABLE_MISMATCH',
        `${at}.TaxLines[${j}].TaxableAmount`,
        `Oracle taxed ${x.TaxableAmount} but the line's taxable value is ${rupees(assessable(m))}`,
      );
  });
}

/** A FREIGHT or CHARGES line that carries GST: an IRP item of its own (a service). */
function chargeLine(
  issues: Issues,
  tables: OracleTables,
  l: TransactionLine,
  at: string,
  sign: number,
): Line | undefined {
  const before = issues.errors.length;
  const m: LineMoney = { ...NO_MONEY, gross: money(l.LineAmount) * sign };
  const rates: LineRates = { gst: ZERO, cess: ZERO };
  postTaxLines(issues, tables, l, at, sign, m, rates);
  const sac =
    (l.ProductFiscalClassification ?? '').replace(/\D/g, '') ||
    lookup(tables.chargeSac, ORACLE_TABLES.chargeSac, l.MemoLineName) ||
    lookup(tables.chargeSac, ORACLE_TABLES.chargeSac, l.LineType);
  if (!sac)
    issues.add(
      'MAP_MISSING_FIELD',
      `${at}.ProductFiscalClassification`,
      `the taxable ${l.LineType} line ${JSON.stringify(l.MemoLineName ?? l.Description)} needs its SAC (fiscal classification, or the chargeSac table)`,
    );
  if (m.gross < 0)
    issues.add(
      'MAP_INVALID_AMOUNT',
      `${at}.LineAmount`,
      `a taxed ${l.LineType} line cannot reduce the invoice`,
    );
  if (issues.errors.length > before) return undefined;
  return {
    facts: {
      SlNo: String(l.LineNumber),
      PrdDesc: text(l.Description, 3, 300) ?? text(l.MemoLineName, 3, 300),
      IsServc: 'Y',
      HsnCd: sac!,
      Qty: 1,
      Unit: 'OTH',
      UnitPrice: rupees(m.gross),
      GstRt: toNumber(rates.gst, 3),
      CesRt: toNumber(rates.cess, 3),
    },
    money: m,
  };
}

function itemLine(
  issues: Issues,
  tables: OracleTables,
  l: TransactionLine,
  at: string,
  sign: number,
): Line | undefined {
  const before = issues.errors.length;
  const m: LineMoney = { ...NO_MONEY };
  const taxable = money(l.LineAmount) * sign;
  if (taxable < 0)
    issues.add(
      'MAP_INVALID_AMOUNT',
      `${at}.LineAmount`,
      `${l.LineAmount} has the wrong sign for this transaction class: mixed invoice and credit lines cannot be e-invoiced`,
    );
  // Credit memos carry negative quantities; prices stay positive.
  const qty = l.Quantity != null ? decFromNumber(Math.abs(l.Quantity)) : undefined;
  const listPrice = l.UnitStandardPrice != null ? decFromNumber(Math.abs(l.UnitStandardPrice)) : undefined;
  const netPrice = l.UnitSellingPrice != null ? decFromNumber(Math.abs(l.UnitSellingPrice)) : undefined;
  // Oracle keeps the list (standard) price beside the selling price: below list, their difference over
  // the quantity is the discount; at or above list (a premium), there is no discount to show and the
  // selling price is the unit price.
  const atList = qty && listPrice ? paise(mul(qty, listPrice)) : undefined;
  const discounted = atList !== undefined && atList >= taxable;
  m.gross = discounted ? atList : taxable;
  m.discount = m.gross - taxable;

  const rates: LineRates = { gst: ZERO, cess: ZERO };
  postTaxLines(issues, tables, l, at, sign, m, rates);

  const uom = given(l.UnitOfMeasure);
  const unit = uom ? lookup(tables.units, ORACLE_TABLES.units, uom) : undefined;
  if (uom && !unit)
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
  const unitPrice = discounted
    ? listPrice
    : (netPrice ?? (qty && qty.units !== 0n ? div(paiseToDec(taxable), qty, 3) : paiseToDec(taxable)));
  return {
    facts: {
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
    },
    money: m,
  };
}
