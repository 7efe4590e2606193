/**
 * Documents billed in a foreign currency (exports above all). The IRP takes every amount in INR and the
 * document total in the foreign currency as well (ValDtls.TotInvValFc); the ERP converts at the rate it
 * stored on the document (SAP VBRK.KURRF, Oracle ExchangeRate, ERPNext conversion_rate, D365 ExchRate),
 * and so does the mapping: each amount the ERP posted is converted once, half-up to the paisa, the way
 * the ERP converts amounts into its local currency.
 */
import { decFromNumber, mul, paise, paiseToDec, rupees, toNumber, type Dec, type Paise } from './decimal.js';
import { invoiceTotal, type HeaderMoney, type Line, type LineMoney } from './invoice.js';
import type { Issues } from './issues.js';

export interface DocCurrency {
  /** ISO code of the document currency. */
  code: string;
  /** INR per one unit of the document currency; 1 for INR. */
  rate: Dec;
  /** Converts an amount in the document currency (paise of it) to INR paise. */
  inr(p: Paise): Paise;
  foreign: boolean;
}

const ONE: Dec = { units: 1n, scale: 0 };

/**
 * The document's currency and rate, or undefined (with an issue) when a foreign-currency document
 * carries no usable rate. `rate` is INR per unit; an ERP that stores a rate per 100 units converts first.
 */
export function docCurrency(
  issues: Issues,
  code: string,
  rate: Dec | undefined,
  paths: { code: string; rate: string },
): DocCurrency | undefined {
  const c = code.trim().toUpperCase();
  if (c === 'INR' || c === '') return { code: 'INR', rate: ONE, inr: (p) => p, foreign: false };
  if (!/^[A-Z]{3}$/.test(c))
    return issues.add(
      'MAP_UNSUPPORTED_CURRENCY',
      paths.code,
      `${JSON.stringify(code)} is not a currency code`,
    );
  if (!rate || rate.units <= 0n)
    return issues.add(
      'MAP_UNSUPPORTED_CURRENCY',
      paths.rate,
      `a ${c} document needs its exchange rate to INR (${paths.rate}): the IRP takes INR amounts`,
    );
  return { code: c, rate, inr: (p) => paise(mul(paiseToDec(p), rate)), foreign: true };
}

/**
 * The invoice's lines and header money converted from the document currency to INR, each amount once
 * (see {@link DocCurrency.inr}); the foreign-currency total goes to TotInvValFc.
 */
export function toInr(
  cur: DocCurrency,
  lines: Line[],
  header: HeaderMoney,
): { lines: Line[]; header: HeaderMoney } {
  if (!cur.foreign) return { lines, header };
  const money = (m: LineMoney): LineMoney => {
    const out = { ...m };
    for (const k of MONEY_FIELDS) if (out[k] !== undefined) out[k] = cur.inr(out[k]);
    return out;
  };
  const price = (p: number | undefined) =>
    p === undefined ? undefined : toNumber(mul(decFromNumber(p) ?? { units: 0n, scale: 0 }, cur.rate), 3);
  return {
    lines: lines.map((l) => ({
      facts: { ...l.facts, UnitPrice: price(l.facts.UnitPrice)! },
      money: money(l.money),
    })),
    header: {
      othChrg: cur.inr(header.othChrg),
      discount: cur.inr(header.discount),
      roundOff: cur.inr(header.roundOff),
      totInvValFc: rupees(invoiceTotal(lines, header)),
    },
  };
}

const MONEY_FIELDS = [
  'gross',
  'discount',
  'preTax',
  'igst',
  'cgst',
  'sgst',
  'cess',
  'cessNonAdvl',
  'stateCess',
  'stateCessNonAdvl',
  'othChrg',
] as const satisfies readonly (keyof LineMoney)[];
