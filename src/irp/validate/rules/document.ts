/**
 * Document rules: a real, not future document date; the 30-day reporting window for large taxpayers
 * (README §8: reject when today − document date ≥ 30 days, AATO ≥ ₹10 crore from 1 April 2025; code
 * 2305 is ClearTax's, UNCONFIRMED on an NIC page); credit and debit notes name their preceding invoice;
 * export details from the masters.
 */
import { finding, type Finding } from '../../errors.js';
import { istDaysBetween, parseIrpDate } from '../../dates.js';
import { isCurrency, isPort } from '../../masters/index.js';
import type { LooseInvoice, Rule } from './types.js';

export const REPORTING_WINDOW_DAYS = 30;

export const documentDateRules: Rule = (inv, ctx) => {
  const out: Finding[] = [];
  const text = inv.DocDtls?.Dt;
  if (typeof text !== 'string' || !/^\d{2}\/\d{2}\/\d{4}$/.test(text)) return out; // schema reports the format
  const date = parseIrpDate(text);
  if (!date) return [finding('2144', 'DocDtls.Dt', [], `${text} is not a calendar date`)];
  const age = istDaysBetween(date, ctx.now);
  if (age < 0) out.push(finding('2218', 'DocDtls.Dt', [], `${text} is after today`));
  const seller = inv.SellerDtls?.Gstin;
  if (age >= REPORTING_WINDOW_DAYS && typeof seller === 'string' && ctx.isLargeTaxpayer?.(seller))
    out.push(
      finding('2305', 'DocDtls.Dt', [], `${text} is ${age} days old; the limit is ${REPORTING_WINDOW_DAYS}`),
    );
  return out;
};

/**
 * 2191 for a credit note without its preceding invoice. NIC's rule text names debit notes too, but the
 * NIC sandbox registered a debit note without RefDtls (samples/debit-note.request.json), so for DBN the
 * validator only warns (see warnings.ts) — the lenient reading of a contradicted rule.
 */
export const precedingDocumentRule: Rule = (inv) => {
  if (inv.DocDtls?.Typ === 'CRN' && !hasPrecedingDocument(inv))
    return [finding('2191', 'RefDtls.PrecDocDtls')];
  return [];
};

export function hasPrecedingDocument(inv: LooseInvoice): boolean {
  const preceding = inv.RefDtls?.PrecDocDtls;
  return Array.isArray(preceding) && preceding.length > 0;
}

export const exportDetailRules: Rule = (inv) => {
  const out: Finding[] = [];
  const exp = inv.ExpDtls;
  if (!exp) return out;
  if (typeof exp.Port === 'string' && !isPort(exp.Port))
    out.push(finding('2201', 'ExpDtls.Port', [], `${exp.Port} is not in the port master`));
  if (typeof exp.ForCur === 'string' && !isCurrency(exp.ForCur))
    out.push(finding('2203', 'ExpDtls.ForCur', [], `${exp.ForCur} is not in the currency master`));
  return out;
};
