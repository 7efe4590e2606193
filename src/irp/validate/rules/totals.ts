/**
 * Document totals (README §9): each header value is the sum of its item column, and
 * `TotInvVal = Σ TotItemVal + OthChrg − Discount + RndOffAmt` within ±₹1. `ValDtls.OthChrg` and
 * `ValDtls.Discount` are invoice-level extras, not sums of item fields (NIC's sample: items 10, header 20).
 */
import { finding, type Finding } from '../../errors.js';
import { amt, num, round2, sum, within } from '../money.js';
import type { Rule } from './types.js';

export const totalRules: Rule = (inv, ctx) => {
  const out: Finding[] = [];
  const val = inv.ValDtls;
  const items = Array.isArray(inv.ItemList) ? inv.ItemList.filter((i) => i && typeof i === 'object') : [];
  if (!val || items.length === 0) return out;
  const column = (pick: (i: (typeof items)[number]) => number) => sum(items.map(pick));
  const checks: [string, keyof typeof val, number, boolean][] = [
    ['2182', 'AssVal', column((i) => amt(i?.AssAmt)), true],
    ['2183', 'SgstVal', column((i) => amt(i?.SgstAmt)), false],
    ['2184', 'CgstVal', column((i) => amt(i?.CgstAmt)), false],
    ['2185', 'IgstVal', column((i) => amt(i?.IgstAmt)), false],
    ['2186', 'CesVal', column((i) => amt(i?.CesAmt) + amt(i?.CesNonAdvlAmt)), false],
    ['2187', 'StCesVal', column((i) => amt(i?.StateCesAmt) + amt(i?.StateCesNonAdvlAmt)), false],
  ];
  for (const [code, field, expected, required] of checks) {
    const given = num(val[field]);
    if (given === undefined && !required && expected === 0) continue;
    if (given === undefined && !required) {
      out.push(finding(code, `ValDtls.${field}`, [], `missing; items sum to ${round2(expected)}`));
    } else if (given !== undefined && !within(given, expected, ctx.tolerance)) {
      out.push(finding(code, `ValDtls.${field}`, [], `${given} ≠ Σ items ${round2(expected)}`));
    }
  }
  const totInvVal = num(val.TotInvVal);
  if (totInvVal !== undefined) {
    const expected =
      column((i) => amt(i?.TotItemVal)) + amt(val.OthChrg) - amt(val.Discount) + amt(val.RndOffAmt);
    if (!within(totInvVal, expected, ctx.tolerance))
      out.push(finding('2189', 'ValDtls.TotInvVal', [], `${totInvVal} ≠ ${round2(expected)}`));
    const discount = amt(val.Discount);
    if (discount > 0 && discount >= totInvVal) out.push(finding('2220', 'ValDtls.Discount'));
  }
  return out;
};
