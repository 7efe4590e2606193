/**
 * Item rules: unique serial numbers, the item limit, rate slabs, units, and each line's arithmetic
 * (README §9 worked example: AssAmt = TotAmt − Discount; TotItemVal = AssAmt + every tax and cess +
 * OthChrg; taxes = AssAmt × rate). Arithmetic compares within the context tolerance (±₹1 by default:
 * NIC documents ±1 for the invoice total and publishes no tighter figure for lines — lenient).
 */
import { finding, type Finding } from '../../errors.js';
import { isGstRate, isUqc } from '../../masters/index.js';
import { amt, num, round2, within } from '../money.js';
import type { Rule } from './types.js';
import { isIntraState } from './supply.js';

export const itemListRules: Rule = (inv, ctx) => {
  const out: Finding[] = [];
  const items = Array.isArray(inv.ItemList) ? inv.ItemList : [];
  if (items.length > ctx.maxItems)
    out.push(finding('2173', 'ItemList', [], `${items.length} items; limit ${ctx.maxItems}`));
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const sl = item?.SlNo;
    if (typeof sl !== 'string') return;
    const key = String(Number(sl)); // "01" and "1" are the same serial number
    if (seen.has(key))
      out.push(finding('2233', `ItemList[${i}].SlNo`, [], `SlNo ${sl} repeats item ${seen.get(key)! + 1}`));
    else seen.set(key, i);
  });
  return out;
};

export const itemRules: Rule = (inv, ctx) => {
  const out: Finding[] = [];
  const items = Array.isArray(inv.ItemList) ? inv.ItemList : [];
  const intra = isIntraState(inv) && inv.TranDtls?.IgstOnIntra !== 'Y';
  const tol = ctx.tolerance;
  items.forEach((item, i) => {
    if (!item) return;
    const at = `ItemList[${i}]`;
    const hsn = String(item.HsnCd ?? '');
    const rate = num(item.GstRt);
    if (rate !== undefined && !isGstRate(rate))
      out.push(finding('2240', `${at}.GstRt`, [hsn], `${rate} is not a GST slab`));
    if (typeof item.Unit === 'string' && !isUqc(item.Unit))
      out.push(finding('2177', `${at}.Unit`, [item.Unit]));
    if (item.IsServc === 'N') {
      if (item.Qty === undefined) out.push(finding('2238', `${at}.Qty`, [hsn]));
      if (item.Unit === undefined) out.push(finding('2239', `${at}.Unit`, [hsn]));
    }

    const totAmt = num(item.TotAmt);
    const assAmt = num(item.AssAmt);
    if (totAmt !== undefined && assAmt !== undefined && !within(assAmt, totAmt - amt(item.Discount), tol))
      out.push(finding('2193', `${at}.AssAmt`, [hsn], `${assAmt} ≠ ${totAmt} − ${amt(item.Discount)}`));

    const totItemVal = num(item.TotItemVal);
    if (assAmt !== undefined && totItemVal !== undefined) {
      const expected =
        assAmt +
        amt(item.IgstAmt) +
        amt(item.CgstAmt) +
        amt(item.SgstAmt) +
        amt(item.CesAmt) +
        amt(item.CesNonAdvlAmt) +
        amt(item.StateCesAmt) +
        amt(item.StateCesNonAdvlAmt) +
        amt(item.OthChrg);
      if (!within(totItemVal, expected, tol))
        out.push(finding('2194', `${at}.TotItemVal`, [hsn], `${totItemVal} ≠ ${round2(expected)}`));
    }

    if (assAmt !== undefined && rate !== undefined) {
      const full = (assAmt * rate) / 100;
      const igst = amt(item.IgstAmt);
      const [cgst, sgst] = [amt(item.CgstAmt), amt(item.SgstAmt)];
      if (intra) {
        if (
          (cgst > 0 || sgst > 0 || rate > 0) &&
          (!within(cgst, full / 2, tol) || !within(sgst, full / 2, tol))
        ) {
          out.push(
            cgst === 0 && sgst === 0 && rate > 0
              ? finding('2241', `${at}.CgstAmt`, [hsn])
              : finding('2234', `${at}.CgstAmt`, [hsn], `expected ${round2(full / 2)} each`),
          );
        }
      } else if (igst > 0 && !within(igst, full, tol)) {
        out.push(finding('2235', `${at}.IgstAmt`, [hsn], `expected ${round2(full)}`));
      }
    }

    const cesRt = num(item.CesRt);
    if (assAmt !== undefined && cesRt !== undefined && !within(amt(item.CesAmt), (assAmt * cesRt) / 100, tol))
      out.push(finding('2266', `${at}.CesAmt`, [hsn], `expected ${round2((assAmt * cesRt) / 100)}`));
    const stRt = num(item.StateCesRt);
    if (
      assAmt !== undefined &&
      stRt !== undefined &&
      !within(amt(item.StateCesAmt), (assAmt * stRt) / 100, tol)
    )
      out.push(finding('2267', `${at}.StateCesAmt`, [hsn], `expected ${round2((assAmt * stRt) / 100)}`));
  });
  return out;
};
