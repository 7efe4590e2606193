/**
 * Spreads a document-level tax total over the lines that produced it. ERPs that post tax per ledger
 * (Tally) round once per document; the IRP wants an amount per line. Each line gets its own tax
 * rounded half-up, and the few paise of difference go to the largest lines first, so the lines add up to
 * exactly what the ERP posted.
 */
import { paise, pow10, type Dec, type Paise } from './decimal.js';

/**
 * `exact[i]` is line i's unrounded tax. Returns undefined when the total is further from the lines'
 * own sum than rounding could explain (more than half a paisa per line): the ledger does not belong
 * to these lines' rates.
 */
export function allocate(total: Paise, exact: readonly Dec[]): Paise[] | undefined {
  const rounded = exact.map((d) => paise(d));
  let residual = total - rounded.reduce((s, v) => s + v, 0);
  const taxed = exact.map((d, i) => ({ d, i })).filter(({ d }) => d.units !== 0n);
  if (Math.abs(residual) * 2 > Math.max(1, taxed.length)) return undefined;
  const order = taxed.sort((a, b) => compareDec(b.d, a.d)).map(({ i }) => i);
  for (let k = 0; residual !== 0; k++) {
    const step = Math.sign(residual);
    rounded[order[k % order.length]!]! += step;
    residual -= step;
  }
  return rounded;
}

function compareDec(a: Dec, b: Dec): number {
  const scale = Math.max(a.scale, b.scale);
  const x = a.scale === scale ? a.units : a.units * pow10(scale - a.scale);
  const y = b.scale === scale ? b.units : b.units * pow10(scale - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
}
