/**
 * `tallyAmount`'s fast path (a plainly spelled figure read as the decimal it is) answers exactly as the
 * regular-expression definition, kept here as the reference.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDec, type Dec } from '../shared/decimal.js';
import { tallyAmount } from './map.js';

function referenceTallyAmount(text: string): { inr: Dec; foreign?: Dec } | undefined {
  const number = (t: string): Dec | undefined => {
    const neg = /-/.test(t.replace(/[0-9.,\s]+$/, '')) || /^\s*-/.test(t);
    const digits = /[0-9][0-9,]*(?:\.[0-9]+)?/.exec(t)?.[0]?.replace(/,/g, '');
    const d = digits ? parseDec(digits) : undefined;
    return d && (neg ? { units: -d.units, scale: d.scale } : d);
  };
  const eq = text.lastIndexOf('=');
  if (eq < 0) return (number(text) && { inr: number(text)! }) || undefined;
  const inr = number(text.slice(eq + 1));
  const foreign = number(text.slice(0, text.indexOf('@') >= 0 ? text.indexOf('@') : eq));
  return inr ? { inr, ...(foreign ? { foreign } : {}) } : undefined;
}

const figure = fc
  .tuple(
    fc.constantFrom('', '-', ' ', ' -', '-₹ ', '₹', '$', '-$'),
    fc.stringMatching(/^[0-9]{0,18}$/),
    fc.constantFrom('', ',000', '.'),
    fc.stringMatching(/^[0-9]{0,4}$/),
    fc.constantFrom('', ' ', '/Nos', '-'),
  )
  .map((parts) => parts.join(''));
const amountText = fc.oneof(
  figure,
  fc.tuple(figure, figure, figure).map(([f, r, inr]) => `${f} @ ${r}/$ = ${inr}`),
  fc.tuple(figure, figure).map(([f, inr]) => `${f} = ${inr}`),
  fc.string({ unit: fc.constantFrom('0', '5', '.', '-', ',', ' ', '=', '@', '₹'), maxLength: 14 }),
);

describe('tallyAmount', () => {
  it('reads amount texts as the regular-expression definition does', () => {
    fc.assert(
      fc.property(amountText, (text) => {
        expect(tallyAmount(text)).toEqual(referenceTallyAmount(text));
      }),
      { numRuns: 20000 },
    );
  });
});
