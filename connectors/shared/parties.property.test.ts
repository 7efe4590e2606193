/**
 * `text`'s fast path (clean text returned as it is, without the replacements) answers exactly as the
 * straightforward definition, kept here as the reference.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { text } from './parties.js';

const referenceText = (value: string | null | undefined, min: number, max: number) => {
  const v = (value ?? '').replace(/["\\]/g, '').replace(/\s+/g, ' ').trim().slice(0, max).trim();
  return v.length >= min ? v : undefined;
};

const erpText = fc.oneof(
  fc.string({
    unit: fc.constantFrom('a', 'B', '7', ' ', '  ', '\t', '\n', '\u00a0', '\ufeff', '"', '\\', ','),
    maxLength: 30,
  }),
  fc.string({ maxLength: 30 }),
  fc.constantFrom(null, undefined, '', ' ', 'Ganga Engineering Limited', ' padded ', 'a  b'),
);

describe('text', () => {
  it('answers as the replace-and-trim definition does', () => {
    fc.assert(
      fc.property(erpText, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 25 }), (v, min, max) => {
        expect(text(v, min, max)).toBe(referenceText(v, min, max));
      }),
      { numRuns: 20000 },
    );
  });
});
