/**
 * Tally Prime voucher → IRP. Tally posts GST per duty ledger for the whole voucher, not per item, so
 * the item taxes are rebuilt from each item's GST rate and the ledger totals are spread over them
 * (shared/allocate.ts) — the lines then add up to exactly what Tally posted. See README.md.
 */
import { isUqc } from '../../src/irp/masters/index.js';
import type { ExpDtls } from '../../src/irp/schema/invoice.js';
import { allocate } from '../shared/allocate.js';
import { mul, paise, parseDec, toNumber, ZERO, type Dec, type Paise } from '../shared/decimal.js';
import { dateFromCompact, docNumber } from '../shared/doc.js';
import { cancelEvent, documentRef, ewbEvent, isExport } from '../shared/events.js';
import {
  assembleInvoice,
  checkTaxHeads,
  reconcile,
  exportDtls,
  generateEvent,
  NO_MONEY,
  precedingInvoice,
  type HeaderMoney,
  type Line,
} from '../shared/invoice.js';
import { given, Issues } from '../shared/issues.js';
import { buyerDtls, compact, gstin, sellerDtls, shipDtls, text, type PartyInput } from '../shared/parties.js';
import { COUNTRY_NAMES, stateFromName } from '../shared/states.js';
import type { MapResult } from '../types.js';
import type { InventoryEntry, TallyVoucherEvent } from './record.js';
import {
  TALLY_CANCEL_REASON,
  TALLY_NATURE_TO_SUPPLY,
  TALLY_PARENT_TO_DOC_TYPE,
  TALLY_TRANSPORT_MODE,
  TALLY_UNIT_TO_UQC,
  TALLY_VEHICLE_TYPE,
} from './tables.js';

type Head = 'cgst' | 'sgst' | 'igst' | 'cess';
const DUTY_HEAD: Readonly<Record<string, Head>> = {
  'Central Tax': 'cgst',
  'State Tax': 'sgst',
  'UT Tax': 'sgst',
  'Integrated Tax': 'igst',
  Cess: 'cess',
};

/** Address lines as Tally keeps them: first line, middle lines, and the city on the last line. */
function lines3(address: readonly string[]) {
  const l = address.map((x) => x.trim()).filter(Boolean);
  return {
    addr1: l[0],
    addr2: l.length > 2 ? l.slice(1, -1).join(', ') : undefined,
    city: l.length > 1 ? l[l.length - 1] : undefined,
  };
}

interface Item {
  entry: InventoryEntry;
  at: string;
  qty: Dec;
  unit: string | undefined;
  price: Dec;
  taxable: Paise;
  rate: Dec;
  cessRate: Dec;
  cessPerUnit: Dec;
}

export function mapVoucher(r: TallyVoucherEvent): MapResult {
  const issues = new Issues();
  const v = r.VOUCHER;
  const docType =
    TALLY_PARENT_TO_DOC_TYPE[v.VOUCHERTYPEPARENT] ??
    issues.add(
      'MAP_UNKNOWN_DOC_TYPE',
      'VOUCHER.VOUCHERTYPEPARENT',
      `voucher type ${JSON.stringify(v.VOUCHERTYPENAME)} (parent ${v.VOUCHERTYPEPARENT}) is not Sales, Credit Note or Debit Note`,
    );
  const docNo = docNumber(issues, v.VOUCHERNUMBER, 'VOUCHER.VOUCHERNUMBER');
  const docDate = dateFromCompact(issues, v.DATE, 'VOUCHER.DATE');
  const sellerGstin = gstin(issues, r.COMPANY.GSTIN, 'COMPANY.GSTIN', 'supplier');
  const ref = () => documentRef(sellerGstin!, docType!, docNo!, docDate!, v.IRN);

  if (r.REQUEST === 'CANCEL_IRN') {
    const c = r.CANCEL;
    return cancelEvent(
      issues,
      ref,
      c && { reason: TALLY_CANCEL_REASON[c.REASON] ?? c.REASON, remark: c.REMARKS },
      {
        request: 'CANCEL',
        missing: 'a cancellation needs REASON and REMARKS',
        reason: 'CANCEL.REASON',
        remark: 'CANCEL.REMARKS',
      },
    );
  }
  if (r.REQUEST === 'GENERATE_EWB') {
    const e = r.EWAYBILL;
    return ewbEvent(
      issues,
      ref,
      e && {
        distance: /^\s*\d+\s*$/.test(e.DISTANCE) ? Number(e.DISTANCE) : Number.NaN,
        mode: TALLY_TRANSPORT_MODE[e.MODE] ?? e.MODE,
        transId: e.TRANSPORTERID,
        transName: e.TRANSPORTERNAME,
        transDocNo: e.DOCNO,
        transDocDt: e.DOCDATE ? dateFromCompact(issues, e.DOCDATE, 'EWAYBILL.DOCDATE') : undefined,
        vehNo: e.VEHICLENUMBER,
        vehType: e.VEHICLETYPE ? (TALLY_VEHICLE_TYPE[e.VEHICLETYPE] ?? e.VEHICLETYPE) : null,
      },
      {
        request: 'EWAYBILL',
        missing: 'an e-way bill request needs the transport details',
        distance: 'EWAYBILL.DISTANCE',
        mode: 'EWAYBILL.MODE',
        transId: 'EWAYBILL.TRANSPORTERID',
        vehType: 'EWAYBILL.VEHICLETYPE',
      },
    );
  }

  const supply =
    TALLY_NATURE_TO_SUPPLY[v.GSTNATUREOFTRANSACTION] ??
    issues.add(
      'MAP_INVALID_CODE',
      'VOUCHER.GSTNATUREOFTRANSACTION',
      `nature of transaction ${JSON.stringify(v.GSTNATUREOFTRANSACTION)} is not e-invoiced`,
    );
  // Tally signs amounts by debit/credit; a credit note runs the other way round from a sale.
  const sign = docType === 'CRN' ? -1n : 1n;
  const signed = (value: string, path: string): Dec | undefined => {
    const d = issues.amount(value, path);
    return d && { units: d.units * sign, scale: d.scale };
  };

  const co = lines3(r.COMPANY.ADDRESS);
  const seller = sellerDtls(issues, {
    gstin: r.COMPANY.GSTIN,
    name: r.COMPANY.NAME,
    ...co,
    pin: r.COMPANY.PINCODE,
    state: stateFromName(r.COMPANY.STATENAME),
    stateRaw: r.COMPANY.STATENAME,
    phone: r.COMPANY.PHONE,
    email: r.COMPANY.EMAIL,
    paths: {
      gstin: 'COMPANY.GSTIN',
      name: 'COMPANY.NAME',
      city: 'COMPANY.ADDRESS',
      pin: 'COMPANY.PINCODE',
      state: 'COMPANY.STATENAME',
    },
  });
  const exported = supply !== undefined && isExport(supply);
  const pos = exported ? '96' : stateFromName(v.PLACEOFSUPPLY);
  if (!pos)
    issues.add(
      'MAP_UNKNOWN_STATE',
      'VOUCHER.PLACEOFSUPPLY',
      `no GST state code for place of supply ${JSON.stringify(v.PLACEOFSUPPLY)}`,
    );
  const buyerInput: PartyInput = {
    gstin: v.PARTYGSTIN,
    name: v.PARTYNAME,
    ...lines3(v.BASICBUYERADDRESS),
    pin: v.PARTYPINCODE,
    state: stateFromName(v.STATENAME),
    stateRaw: v.STATENAME,
    paths: {
      gstin: 'VOUCHER.PARTYGSTIN',
      name: 'VOUCHER.PARTYNAME',
      city: 'VOUCHER.BASICBUYERADDRESS',
      pin: 'VOUCHER.PARTYPINCODE',
      state: 'VOUCHER.STATENAME',
    },
  };
  const buyer = supply ? buyerDtls(issues, buyerInput, { exported, pos }) : undefined;
  const c = v.CONSIGNEE;
  const shipTo = c
    ? shipDtls(issues, {
        gstin: c.GSTIN,
        name: c.NAME,
        ...lines3(c.ADDRESS),
        pin: c.PINCODE,
        state: stateFromName(c.STATENAME),
        stateRaw: c.STATENAME,
        paths: {
          gstin: 'VOUCHER.CONSIGNEE.GSTIN',
          name: 'VOUCHER.CONSIGNEE.NAME',
          city: 'VOUCHER.CONSIGNEE.ADDRESS',
          pin: 'VOUCHER.CONSIGNEE.PINCODE',
          state: 'VOUCHER.CONSIGNEE.STATENAME',
        },
      })
    : undefined;

  const items = v.ALLINVENTORYENTRIES.map((e, i) =>
    inventoryItem(issues, e, `VOUCHER.ALLINVENTORYENTRIES[${i}]`, signed),
  );
  const header: HeaderMoney = { othChrg: 0, discount: 0, roundOff: 0 };
  const duty: Record<Head, { total: Paise; path: string } | undefined> = {
    cgst: undefined,
    sgst: undefined,
    igst: undefined,
    cess: undefined,
  };
  let partyTotal: Paise | undefined;
  v.LEDGERENTRIES.forEach((l, i) => {
    const path = `VOUCHER.LEDGERENTRIES[${i}].AMOUNT`;
    const amount = paise(signed(l.AMOUNT, path) ?? ZERO);
    const head = DUTY_HEAD[l.TAXTYPE];
    if (l.ISPARTYLEDGER === 'Yes') partyTotal = -amount;
    else if (head) duty[head] = { total: (duty[head]?.total ?? 0) + amount, path };
    else if (l.TAXTYPE === 'TCS') header.othChrg += amount;
    else if (l.LEDGERTYPE === 'Invoice Rounding') header.roundOff += amount;
    else if (amount < 0) header.discount -= amount;
    else header.othChrg += amount;
  });

  let lines: Line[] | undefined;
  if (supply && items.every((x): x is Item => x !== undefined)) {
    const withoutPayment = supply === 'SEZWOP' || supply === 'EXPWOP';
    const anyDuty = Object.values(duty).some(Boolean);
    const intra = anyDuty
      ? duty.cgst !== undefined || duty.sgst !== undefined
      : (supply === 'B2B' || supply === 'DEXP') && pos === seller?.Stcd;
    if (
      !anyDuty &&
      !withoutPayment &&
      v.ISREVERSECHARGEAPPLICABLE !== 'Yes' &&
      items.some((x) => x.rate.units !== 0n)
    )
      issues.add(
        'MAP_TAX_MISMATCH',
        'VOUCHER.LEDGERENTRIES',
        'taxable items but no GST duty ledger on the voucher',
      );
    if (duty.cgst?.total !== duty.sgst?.total)
      issues.add(
        'MAP_TAX_MISMATCH',
        duty.sgst?.path ?? duty.cgst!.path,
        `Central Tax ${(duty.cgst?.total ?? 0) / 100} ≠ State/UT Tax ${(duty.sgst?.total ?? 0) / 100}`,
      );
    lines = buildLines(issues, items, { withoutPayment, intra, duty });
  }

  if (
    lines &&
    partyTotal !== undefined &&
    v.ISREVERSECHARGEAPPLICABLE !== 'Yes' &&
    issues.errors.length === 0
  )
    reconcile(issues, lines, header, {
      total: { value: partyTotal, path: 'VOUCHER.LEDGERENTRIES[party].AMOUNT' },
    });

  const preceding = precedingInvoice(
    issues,
    docType,
    given(v.ORIGINALINVOICENO)
      ? {
          no: docNumber(issues, v.ORIGINALINVOICENO, 'VOUCHER.ORIGINALINVOICENO'),
          date: dateFromCompact(issues, v.ORIGINALINVOICEDATE, 'VOUCHER.ORIGINALINVOICEDATE'),
        }
      : undefined,
    { path: 'VOUCHER.ORIGINALINVOICENO', message: 'a credit note must name the original invoice' },
  );

  let exp: ExpDtls | undefined;
  if (exported) {
    const country =
      COUNTRY_NAMES[v.COUNTRYOFRESIDENCE] ??
      issues.add(
        'MAP_MISSING_EXPORT_DETAILS',
        'VOUCHER.COUNTRYOFRESIDENCE',
        `no ISO code for country ${JSON.stringify(v.COUNTRYOFRESIDENCE)}`,
      );
    exp = exportDtls(supply!, {
      shipBNo: v.SHIPPINGBILLNO,
      shipBDt: v.SHIPPINGBILLDATE
        ? dateFromCompact(issues, v.SHIPPINGBILLDATE, 'VOUCHER.SHIPPINGBILLDATE')
        : undefined,
      port: v.PORTCODE,
      forCur: v.FOREIGNCURRENCY,
      cntCode: country,
    });
  }

  checkTaxHeads(issues, {
    supply,
    sellerState: seller?.Stcd,
    pos: buyer?.Pos,
    lines,
    posPath: 'VOUCHER.PLACEOFSUPPLY',
  });
  return issues.result(() =>
    generateEvent(
      assembleInvoice({
        supply: supply!,
        reverseCharge: v.ISREVERSECHARGEAPPLICABLE === 'Yes',
        docType: docType!,
        docNo: docNo!,
        docDate: docDate!,
        seller: seller!,
        buyer: buyer!,
        shipTo,
        lines: lines!,
        header,
        preceding,
        exp,
      }),
    ),
  );
}

function inventoryItem(
  issues: Issues,
  e: InventoryEntry,
  at: string,
  signed: (v: string, p: string) => Dec | undefined,
): Item | undefined {
  const before = issues.errors.length;
  const q = /^\s*(-?[\d.]+)\s*(.*?)\s*$/.exec(e.BILLEDQTY);
  const qtyDec = q ? parseDec(q[1]!) : undefined;
  if (!qtyDec)
    issues.add(
      'MAP_INVALID_AMOUNT',
      `${at}.BILLEDQTY`,
      `quantity ${JSON.stringify(e.BILLEDQTY)} is not '<number> <unit>'`,
    );
  // Quantities carry the voucher's sign like amounts do.
  const qty = qtyDec && qtyDec.units < 0n ? { units: -qtyDec.units, scale: qtyDec.scale } : qtyDec;
  const symbol = q?.[2] || e.RATE.split('/')[1]?.trim() || '';
  const unit = TALLY_UNIT_TO_UQC[symbol.toLowerCase().replace(/\./g, '')];
  if (!unit || !isUqc(unit))
    issues.add('MAP_UNKNOWN_UNIT', `${at}.BILLEDQTY`, `unit ${JSON.stringify(symbol)} has no UQC`);
  const price = issues.amount(e.RATE.split('/')[0], `${at}.RATE`);
  const taxable = signed(e.AMOUNT, `${at}.AMOUNT`);
  const rate = issues.amount(e.GSTRATE, `${at}.GSTRATE`);
  const hsn = (e.HSNCODE ?? '').replace(/\D/g, '');
  if (!hsn) issues.add('MAP_MISSING_FIELD', `${at}.HSNCODE`, 'HSN/SAC of the stock item is required');
  if (issues.errors.length > before || !qty || !price || !taxable || !rate) return undefined;
  return {
    entry: e,
    at,
    qty,
    unit,
    price,
    taxable: paise(taxable),
    rate,
    cessRate: (e.CESSRATE && parseDec(e.CESSRATE)) || ZERO,
    cessPerUnit: (e.CESSRATEPERUNIT && parseDec(e.CESSRATEPERUNIT)) || ZERO,
  };
}

function buildLines(
  issues: Issues,
  items: readonly Item[],
  o: {
    withoutPayment: boolean;
    intra: boolean;
    duty: Record<Head, { total: Paise; path: string } | undefined>;
  },
): Line[] | undefined {
  // base (paise) × rate (percent) / 100, exact; halved for the central and state shares.
  const pct = (base: Paise, rate: Dec, halve = false): Dec =>
    halve
      ? { units: BigInt(base) * rate.units * 5n, scale: rate.scale + 5 }
      : { units: BigInt(base) * rate.units, scale: rate.scale + 4 };
  const none = items.map(() => ZERO);
  const exactIgst = o.withoutPayment || o.intra ? none : items.map((x) => pct(x.taxable, x.rate));
  const exactHalf = o.withoutPayment || !o.intra ? none : items.map((x) => pct(x.taxable, x.rate, true));
  const exactCess = o.withoutPayment ? none : items.map((x) => pct(x.taxable, x.cessRate));
  const nonAdvl = items.map((x) => (o.withoutPayment ? 0 : paise(mul(x.qty, x.cessPerUnit))));

  const spread = (head: Head, exact: readonly Dec[], reserved = 0): Paise[] | undefined => {
    const d = o.duty[head];
    if (!d) return exact.map((x) => paise(x)); // no ledger: reverse charge, or nothing to charge
    const split = allocate(d.total - reserved, exact);
    if (!split)
      issues.add(
        'MAP_TAX_MISMATCH',
        d.path,
        `ledger total ${d.total / 100} does not match the items' ${head.toUpperCase()} at their GST rates`,
      );
    return split;
  };
  const igst = spread('igst', exactIgst);
  const cgst = spread('cgst', exactHalf);
  const sgst = spread('sgst', exactHalf);
  const cess = spread(
    'cess',
    exactCess,
    nonAdvl.reduce((s, x) => s + x, 0),
  );
  if (!igst || !cgst || !sgst || !cess) return undefined;

  return items.map((x, i) => {
    const gross = paise(mul(x.qty, x.price));
    const discount = gross - x.taxable;
    if (discount < 0)
      issues.add('MAP_INVALID_AMOUNT', `${x.at}.AMOUNT`, `amount ${x.entry.AMOUNT} exceeds quantity × rate`);
    return {
      facts: compact({
        SlNo: String(i + 1),
        PrdDesc: text(x.entry.STOCKITEMNAME, 3, 300),
        IsServc: x.entry.GSTTYPEOFSUPPLY === 'Services' ? 'Y' : 'N',
        HsnCd: (x.entry.HSNCODE ?? '').replace(/\D/g, ''),
        Qty: toNumber(x.qty, 3),
        Unit: x.unit,
        UnitPrice: toNumber(x.price, 3),
        GstRt: o.withoutPayment ? 0 : toNumber(x.rate, 3),
        CesRt: o.withoutPayment ? 0 : toNumber(x.cessRate, 3),
        BchDtls: text(x.entry.BATCHNAME, 3, 20) ? { Nm: text(x.entry.BATCHNAME, 3, 20)! } : undefined,
      }),
      money: {
        ...NO_MONEY,
        gross,
        discount,
        igst: igst[i]!,
        cgst: cgst[i]!,
        sgst: sgst[i]!,
        cess: cess[i]!,
        cessNonAdvl: nonAdvl[i]!,
      },
    };
  });
}
