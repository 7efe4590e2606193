/**
 * Tally Prime voucher → IRP. Tally posts GST per duty ledger for the whole voucher, not per item, so
 * the item taxes are rebuilt from each item's GST rate and the ledger totals are spread over them
 * (shared/allocate.ts) — the lines then add up to exactly what Tally posted. Ledgers included in the
 * assessable value (freight, packing, discounts) are apportioned to the items first, as Tally does;
 * an accounting invoice's income ledgers with HSN/SAC are lines; forex amounts are read at their INR
 * base; the party ledger's total is reconciled with what was mapped. See README.md.
 */
import { isUqc } from '../../src/irp/masters/index.js';
import type { ExpDtls } from '../../src/irp/schema/invoice.js';
import { allocate } from '../shared/allocate.js';
import {
  div,
  mul,
  paise,
  paiseToDec,
  parseDec,
  parsePlainDec,
  toNumber,
  ZERO,
  type Dec,
  type Paise,
} from '../shared/decimal.js';
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
import { buyerDtls, gstin, sellerDtls, shipDtls, text, type PartyInput } from '../shared/parties.js';
import { lookup, type TablesOf } from '../shared/site-tables.js';
import { COUNTRY_NAMES, stateFromName } from '../shared/states.js';
import type { MapResult } from '../types.js';
import type { InventoryEntry, LedgerEntry, TallyVoucherEvent } from './record.js';
import { TALLY_CANCEL_REASON, TALLY_TABLES, TALLY_TRANSPORT_MODE, TALLY_VEHICLE_TYPE } from './tables.js';

type Head = 'cgst' | 'sgst' | 'igst' | 'cess';

/** Address lines as Tally keeps them: first line, middle lines, and the city on the last line. */
function lines3(address: readonly string[]) {
  const l = address.map((x) => x.trim()).filter(Boolean);
  return {
    addr1: l[0],
    addr2: l.length > 2 ? l.slice(1, -1).join(', ') : undefined,
    city: l.length > 1 ? l[l.length - 1] : undefined,
  };
}

/** One invoice line: a stock item, or an income ledger of an accounting invoice (services). */
interface Item {
  name: string;
  hsn: string;
  service: boolean;
  batch: string | null;
  at: string;
  qty: Dec | undefined;
  unit: string | undefined;
  /** Price per unit; undefined where Tally gives none (income ledgers, foreign-currency rates). */
  price: Dec | undefined;
  /** Qty × rate (INR), where a price is given. */
  gross: Paise;
  /** The value Tally carries on the line (AMOUNT, INR): gross less the line's discount. */
  taxable: Paise;
  /** Charges included in the assessable value (freight, packing), apportioned to this line. */
  charged: Paise;
  rate: Dec;
  cessRate: Dec;
  cessPerUnit: Dec;
}

/**
 * A Tally amount text: `1180.00`, `-₹ 1,180.00`, or a foreign-currency amount
 * `-$100.00 @ ₹83.00/$ = -₹8300.00`, whose INR base is the figure after `=` (and the foreign figure
 * the one before `@`).
 */
export function tallyAmount(text: string): { inr: Dec; foreign?: Dec } | undefined {
  const eq = text.lastIndexOf('=');
  if (eq < 0) {
    const inr = tallyNumber(text);
    return inr ? { inr } : undefined;
  }
  const inr = tallyNumber(text.slice(eq + 1));
  const at = text.indexOf('@');
  const foreign = tallyNumber(text.slice(0, at >= 0 ? at : eq));
  return inr ? { inr, ...(foreign ? { foreign } : {}) } : undefined;
}

/** One figure of an amount text: its first number (commas dropped), negative when a `-` precedes it. */
function tallyNumber(t: string): Dec | undefined {
  // Tally's XML spells most amounts plainly (`-1180.00`): that is the decimal itself.
  const plain = parsePlainDec(t);
  if (plain) return plain;
  const neg = /-/.test(t.replace(/[0-9.,\s]+$/, '')) || /^\s*-/.test(t);
  const digits = /[0-9][0-9,]*(?:\.[0-9]+)?/.exec(t)?.[0]?.replace(/,/g, '');
  const d = digits ? parseDec(digits) : undefined;
  return d && (neg ? { units: -d.units, scale: d.scale } : d);
}

export type TallyTables = TablesOf<typeof TALLY_TABLES>;

export function mapVoucher(r: TallyVoucherEvent, tables: TallyTables): MapResult {
  const issues = new Issues();
  const v = r.VOUCHER;
  const docType =
    lookup(tables.voucherTypes, TALLY_TABLES.voucherTypes, v.VOUCHERTYPEPARENT) ??
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
    lookup(tables.natures, TALLY_TABLES.natures, v.GSTNATUREOFTRANSACTION) ??
    issues.add(
      'MAP_INVALID_CODE',
      'VOUCHER.GSTNATUREOFTRANSACTION',
      `nature of transaction ${JSON.stringify(v.GSTNATUREOFTRANSACTION)} is not e-invoiced`,
    );
  // Tally signs amounts by debit/credit; a credit note runs the other way round from a sale.
  const sign = docType === 'CRN' ? -1n : 1n;
  const read = (value: string, path: string): { inr: Dec; foreign?: Dec } | undefined => {
    const a = tallyAmount(value);
    if (!a)
      return issues.add(
        'MAP_INVALID_AMOUNT',
        path,
        `${path} is not a Tally amount: ${JSON.stringify(value)}`,
      );
    const flip = (d: Dec): Dec => ({ units: d.units * sign, scale: d.scale });
    return { inr: flip(a.inr), ...(a.foreign ? { foreign: flip(a.foreign) } : {}) };
  };
  const stateOf = (name: string | null | undefined) =>
    lookup(tables.states, TALLY_TABLES.states, name) ?? stateFromName(name);

  const co = lines3(r.COMPANY.ADDRESS);
  const seller = sellerDtls(issues, {
    gstin: r.COMPANY.GSTIN,
    name: r.COMPANY.NAME,
    ...co,
    pin: r.COMPANY.PINCODE,
    state: stateOf(r.COMPANY.STATENAME),
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
  const pos = exported ? '96' : stateOf(v.PLACEOFSUPPLY);
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
    state: stateOf(v.STATENAME),
    stateRaw: v.STATENAME,
    paths: {
      gstin: 'VOUCHER.PARTYGSTIN',
      name: 'VOUCHER.PARTYNAME',
      city: 'VOUCHER.BASICBUYERADDRESS',
      pin: 'VOUCHER.PARTYPINCODE',
      state: 'VOUCHER.STATENAME',
    },
  };
  const buyer = supply ? buyerDtls(issues, buyerInput, { exported, ...(pos ? { pos } : {}) }) : undefined;
  const c = v.CONSIGNEE;
  const shipTo = c
    ? shipDtls(
        issues,
        {
          gstin: c.GSTIN,
          name: c.NAME,
          ...lines3(c.ADDRESS),
          pin: c.PINCODE,
          state: stateOf(c.STATENAME),
          stateRaw: c.STATENAME,
          paths: {
            gstin: 'VOUCHER.CONSIGNEE.GSTIN',
            name: 'VOUCHER.CONSIGNEE.NAME',
            city: 'VOUCHER.CONSIGNEE.ADDRESS',
            pin: 'VOUCHER.CONSIGNEE.PINCODE',
            state: 'VOUCHER.CONSIGNEE.STATENAME',
          },
        },
        { foreign: c.COUNTRYNAME.trim() !== '' && c.COUNTRYNAME.trim().toLowerCase() !== 'india' },
      )
    : undefined;

  const unitMaster = new Map(
    v.UNITS.map((u) => [
      u.NAME.trim().toLowerCase(),
      given(u.GSTREPUOM)?.split('-')[0]?.trim().toUpperCase(),
    ]),
  );
  const unitOf = (symbol: string) => {
    const fromMaster = unitMaster.get(symbol.trim().toLowerCase());
    return fromMaster && isUqc(fromMaster) ? fromMaster : lookup(tables.units, TALLY_TABLES.units, symbol);
  };
  const items: (Item | undefined)[] = v.ALLINVENTORYENTRIES.map((e, i) =>
    inventoryItem(issues, e, `VOUCHER.ALLINVENTORYENTRIES[${i}]`, read, unitOf),
  );
  const header: HeaderMoney = { othChrg: 0, discount: 0, roundOff: 0 };
  const duty: Record<Head, { total: Paise; path: string } | undefined> = {
    cgst: undefined,
    sgst: undefined,
    igst: undefined,
    cess: undefined,
  };
  const assessableLedgers: { amount: Paise; to: string; byQuantity: boolean; path: string }[] = [];
  let party: { total: Paise; foreign?: Paise } | undefined;
  v.LEDGERENTRIES.forEach((l, i) => {
    const at = `VOUCHER.LEDGERENTRIES[${i}]`;
    const path = `${at}.AMOUNT`;
    const a = read(l.AMOUNT, path);
    const amount = paise(a?.inr ?? ZERO);
    const head = lookup(tables.dutyHeads, TALLY_TABLES.dutyHeads, l.TAXTYPE);
    if (l.ISPARTYLEDGER === 'Yes')
      party = { total: -amount, ...(a?.foreign ? { foreign: -paise(a.foreign) } : {}) };
    else if (head) duty[head] = { total: (duty[head]?.total ?? 0) + amount, path };
    else if (l.TAXTYPE === 'TCS') header.othChrg += amount;
    else if (given(l.TAXTYPE))
      issues.add(
        'MAP_UNKNOWN_TAX',
        `${at}.TAXTYPE`,
        `duty ledger ${JSON.stringify(l.LEDGERNAME)} of tax type ${JSON.stringify(l.TAXTYPE)} has no IRP field (dutyHeads table)`,
      );
    else if (l.LEDGERTYPE === 'Invoice Rounding') header.roundOff += amount;
    else if (given(l.HSNCODE) && given(l.GSTRATE))
      items.push(ledgerItem(issues, l, at, amount)); // an accounting invoice's income ledger
    else if (l.APPROPRIATEFOR.trim().toUpperCase() === 'GST')
      // Included in the assessable value: Tally spreads it over the items before computing GST.
      assessableLedgers.push({
        amount,
        to: l.GSTAPPROPRIATETO.trim().toLowerCase(),
        byQuantity: l.EXCISEALLOCTYPE.trim().toLowerCase() === 'based on quantity',
        path,
      });
    else if (amount < 0) header.discount -= amount;
    else header.othChrg += amount;
  });
  if (items.length === 0)
    issues.add(
      'MAP_MISSING_FIELD',
      'VOUCHER.ALLINVENTORYENTRIES',
      'the voucher has no stock items and no income ledger with HSN/SAC and GST rate (an accounting invoice needs them on its sales ledger)',
    );

  let lines: Line[] | undefined;
  if (supply && items.length > 0 && items.every((x): x is Item => x !== undefined)) {
    for (const a of assessableLedgers) appropriate(issues, items, a);
    const withoutPayment = supply === 'SEZWOP' || supply === 'EXPWOP';
    const anyDuty = Object.values(duty).some(Boolean);
    const intra = anyDuty
      ? duty.cgst !== undefined || duty.sgst !== undefined
      : (supply === 'B2B' || supply === 'DEXP') && pos === seller?.Stcd;
    if (
      !anyDuty &&
      !withoutPayment &&
      v.ISREVERSECHARGEAPPLICABLE !== 'Yes' &&
      items.some((x) => x.rate.units !== 0n && x.taxable !== 0)
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

  if (lines && party !== undefined && issues.errors.length === 0)
    reconcile(
      issues,
      lines,
      header,
      { total: { value: party.total, path: 'VOUCHER.LEDGERENTRIES[party].AMOUNT' } },
      { reverseCharge: v.ISREVERSECHARGEAPPLICABLE === 'Yes' },
    );
  if (party?.foreign !== undefined) header.totInvValFc = party.foreign / 100;
  checkTaxHeads(issues, {
    supply,
    sellerState: seller?.Stcd,
    pos,
    lines,
    posPath: 'VOUCHER.PLACEOFSUPPLY',
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
  read: (v: string, p: string) => { inr: Dec; foreign?: Dec } | undefined,
  unitOf: (symbol: string) => string | undefined,
): Item | undefined {
  const before = issues.errors.length;
  const q = /^\s*(-?[\d.,]+)\s*(.*?)\s*$/.exec(e.BILLEDQTY);
  const qtyDec = q ? parseDec(q[1]!.replace(/,/g, '')) : undefined;
  if (!qtyDec)
    issues.add(
      'MAP_INVALID_AMOUNT',
      `${at}.BILLEDQTY`,
      `quantity ${JSON.stringify(e.BILLEDQTY)} is not '<number> <unit>'`,
    );
  // Quantities carry the voucher's sign like amounts do.
  const qty = qtyDec && qtyDec.units < 0n ? { units: -qtyDec.units, scale: qtyDec.scale } : qtyDec;
  const symbol = q?.[2] || e.RATE.split('/')[1]?.trim() || '';
  const unit = unitOf(symbol);
  if (!unit) issues.add('MAP_UNKNOWN_UNIT', `${at}.BILLEDQTY`, `unit ${JSON.stringify(symbol)} has no UQC`);
  const amount = read(e.AMOUNT, `${at}.AMOUNT`);
  // A rate in a foreign currency (`$2.40/Nos`) is not an INR price: the INR value is the AMOUNT's base.
  const priceText = e.RATE.split('/')[0] ?? '';
  const price = amount?.foreign
    ? undefined
    : issues.amount(priceText.replace(/[^0-9.,-]/g, '').replace(/,/g, ''), `${at}.RATE`);
  const rate = issues.amount(e.GSTRATE, `${at}.GSTRATE`);
  const hsn = (e.HSNCODE ?? '').replace(/\D/g, '');
  if (!hsn) issues.add('MAP_MISSING_FIELD', `${at}.HSNCODE`, 'HSN/SAC of the stock item is required');
  if (issues.errors.length > before || !qty || !amount || !rate) return undefined;
  const taxable = paise(amount.inr);
  const gross = price ? paise(mul(qty, price)) : taxable;
  if (gross < taxable)
    issues.add('MAP_INVALID_AMOUNT', `${at}.AMOUNT`, `amount ${e.AMOUNT} exceeds quantity × rate`);
  return {
    name: e.STOCKITEMNAME,
    hsn,
    service: e.GSTTYPEOFSUPPLY === 'Services',
    batch: e.BATCHNAME,
    at,
    qty,
    unit,
    price,
    gross,
    taxable,
    charged: 0,
    rate,
    cessRate: (e.CESSRATE && parseDec(e.CESSRATE)) || ZERO,
    cessPerUnit: (e.CESSRATEPERUNIT && parseDec(e.CESSRATEPERUNIT)) || ZERO,
  };
}

/** An income ledger carrying HSN/SAC and a GST rate: a line of an accounting invoice (no stock item). */
function ledgerItem(issues: Issues, l: LedgerEntry, at: string, amount: Paise): Item | undefined {
  const rate = issues.amount(l.GSTRATE, `${at}.GSTRATE`);
  const hsn = (l.HSNCODE ?? '').replace(/\D/g, '');
  if (!rate) return undefined;
  return {
    name: l.LEDGERNAME,
    hsn,
    service: l.GSTTYPEOFSUPPLY === 'Services' || hsn.startsWith('99'),
    batch: null,
    at,
    qty: undefined,
    unit: undefined,
    price: undefined,
    gross: amount,
    taxable: amount,
    charged: 0,
    rate,
    cessRate: ZERO,
    cessPerUnit: ZERO,
  };
}

/**
 * Spreads a ledger included in the assessable value over the items it is appropriated to (goods,
 * services or both), by value or by quantity, as Tally does before it computes GST; the shares are
 * rounded to the paisa and the remainder goes to the largest items, so they add up to the ledger.
 */
function appropriate(
  issues: Issues,
  items: Item[],
  a: { amount: Paise; to: string; byQuantity: boolean; path: string },
): void {
  const to = items.filter((x) => (a.to === 'goods' ? !x.service : a.to === 'services' ? x.service : true));
  const weights = to.map((x) => (a.byQuantity ? (x.qty ? toNumber(x.qty, 3) : 0) : x.taxable));
  const total = weights.reduce((s, w) => s + w, 0);
  if (to.length === 0 || total === 0) {
    issues.add(
      'MAP_UNMAPPED_AMOUNT',
      a.path,
      `a ledger included in the assessable value of ${a.to || 'the items'}, but the voucher has no such item to carry it`,
    );
    return;
  }
  const exact = weights.map((w) => (a.amount * w) / total);
  const shares = exact.map((x) => Math.trunc(x));
  let rest = a.amount - shares.reduce((s, v) => s + v, 0);
  const order = exact
    .map((x, i) => ({ i, frac: Math.abs(x - Math.trunc(x)) }))
    .sort((p, q) => q.frac - p.frac);
  for (let k = 0; rest !== 0; k++) {
    const step = Math.sign(rest);
    shares[order[k % order.length]!.i]! += step;
    rest -= step;
  }
  to.forEach((x, i) => {
    // A charge raises the line's value (TotAmt); a discount ledger becomes part of its Discount.
    if (shares[i]! > 0) x.charged += shares[i]!;
    x.taxable += shares[i]!;
  });
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
  const nonAdvl = items.map((x) => (o.withoutPayment || !x.qty ? 0 : paise(mul(x.qty, x.cessPerUnit))));

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
    const gross = x.gross + x.charged;
    const discount = gross - x.taxable;
    return {
      facts: {
        SlNo: String(i + 1),
        PrdDesc: text(x.name, 3, 300),
        IsServc: x.service ? 'Y' : 'N',
        HsnCd: x.hsn,
        Qty: x.qty ? toNumber(x.qty, 3) : undefined,
        Unit: x.unit,
        UnitPrice: toNumber(
          x.price ?? (x.qty && x.qty.units !== 0n ? div(paiseToDec(x.gross), x.qty, 3) : paiseToDec(x.gross)),
          3,
        ),
        GstRt: o.withoutPayment ? 0 : toNumber(x.rate, 3),
        CesRt: o.withoutPayment ? 0 : toNumber(x.cessRate, 3),
        BchDtls: text(x.batch, 3, 20) ? { Nm: text(x.batch, 3, 20)! } : undefined,
      },
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
