/**
 * `decodeBase64Strict`'s fast path (text that re-encodes to itself is accepted without the regular
 * expression) answers exactly as the expression-first definition, kept here as the reference: the same
 * bytes for what it accepts, a throw for what it refuses.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Strict } from '../../../src/irp/crypto.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const reference = (text: string): Buffer | 'refused' =>
  BASE64.test(text) ? Buffer.from(text, 'base64') : 'refused';
const actual = (text: string): Buffer | 'refused' => {
  try {
    return decodeBase64Strict(text);
  } catch {
    return 'refused';
  }
};

const canonical = fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('base64'));
const text = fc.oneof(
  canonical,
  // one character replaced: non-canonical final bits, url-safe, whitespace, padding in the middle
  fc
    .tuple(canonical, fc.nat(), fc.constantFrom('A', 'B', 'R', '-', '_', ' ', '\n', '=', '/', '+', '*', 'é'))
    .map(([t, at, c]) => (t.length === 0 ? c : t.slice(0, at % t.length) + c + t.slice((at % t.length) + 1))),
  // padding dropped or added, text cut
  canonical.map((t) => t.replace(/=+$/, '')),
  canonical.map((t) => `${t}=`),
  fc.tuple(canonical, fc.nat()).map(([t, n]) => t.slice(0, n % (t.length + 1))),
  fc.string({ unit: fc.constantFrom('Q', 'U', 'x', '0', '+', '/', '=', ' ', '-'), maxLength: 12 }),
);

describe('decodeBase64Strict', () => {
  it('accepts and decodes what the expression-first definition does, and refuses the rest', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(actual(t)).toEqual(reference(t));
      }),
      { numRuns: 20000 },
    );
  });
});
