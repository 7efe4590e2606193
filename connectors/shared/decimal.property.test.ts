/**
 * The decimal helpers' fast paths (one BigInt for short Avro decimals, a table of powers of ten, IEEE
 * division instead of text for `toNumber`) answer exactly as the straightforward definitions do, which
 * are kept here as the reference.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  avroPaise,
  decFromAvroBytes,
  decFromNumber,
  paise,
  decToString,
  parseDec,
  rescale,
  toNumber,
  type Dec,
  type RoundingMode,
} from './decimal.js';

function referenceParseDec(text: string): Dec | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const frac = m[3] ?? '';
  const exp = Number(m[4] ?? 0);
  let units = BigInt(`${m[2] || '0'}${frac}`);
  let scale = frac.length - exp;
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units: m[1] === '-' ? -units : units, scale };
}

function referenceFromAvroBytes(bytes: Uint8Array, scale: number): Dec {
  let units = 0n;
  for (const b of bytes) units = (units << 8n) | BigInt(b);
  if (bytes.length > 0 && (bytes[0]! & 0x80) !== 0) units -= 1n << BigInt(bytes.length * 8);
  return { units, scale };
}

function referenceRescale(d: Dec, scale: number, mode: RoundingMode): bigint {
  if (scale >= d.scale) return d.units * 10n ** BigInt(scale - d.scale);
  const div = 10n ** BigInt(d.scale - scale);
  const neg = d.units < 0n;
  const abs = neg ? -d.units : d.units;
  let q = abs / div;
  const r = abs % div;
  if (r !== 0n) {
    const twice = r * 2n;
    if (mode === 'up') q += 1n;
    else if (mode === 'half-up' && twice >= div) q += 1n;
    else if (mode === 'half-even' && (twice > div || (twice === div && q % 2n === 1n))) q += 1n;
  }
  return neg ? -q : q;
}

const referenceToNumber = (d: Dec, scale: number, mode: RoundingMode) =>
  Number(decToString({ units: referenceRescale(d, scale, mode), scale }));

const modes = fc.constantFrom<RoundingMode>('half-up', 'half-even', 'up', 'down');
const units = fc.oneof(
  fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
  fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
  fc.constantFrom(0n, 1n, -1n, 2n ** 53n - 1n, -(2n ** 53n) + 1n, 2n ** 53n, 2n ** 53n + 1n),
);
const dec = fc.record({ units, scale: fc.integer({ min: 0, max: 30 }) });

/** Decimal-looking texts: plain ones of every length around the fast path's 15 digits, and near misses. */
const decimalText = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('', '-', '+', ' ', ' -'),
      fc.stringMatching(/^[0-9]{0,18}$/),
      fc.constantFrom('', '.'),
      fc.stringMatching(/^[0-9]{0,8}$/),
      fc.constantFrom('', '', 'e3', 'E-2', ' ', '.', '-'),
    )
    .map((parts) => parts.join('')),
  fc.double().map(String),
  fc.string({ unit: fc.constantFrom('0', '1', '9', '.', '-', '+', 'e', ' ', ','), maxLength: 12 }),
);

describe('decimal fast paths', () => {
  it('parse decimal texts as the regular-expression definition does', () => {
    fc.assert(
      fc.property(decimalText, (text) => {
        expect(parseDec(text)).toEqual(referenceParseDec(text));
      }),
      { numRuns: 20000 },
    );
  });

  it('read Avro decimal bytes as the byte-by-byte definition does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), fc.integer({ min: 0, max: 6 }), (bytes, scale) => {
        expect(decFromAvroBytes(bytes, scale)).toEqual(referenceFromAvroBytes(bytes, scale));
      }),
      { numRuns: 5000 },
    );
  });

  it('avroPaise as paise of the byte-by-byte decimal', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 9 }), fc.integer({ min: 0, max: 24 }), (bytes, scale) => {
        const expected = paise(referenceFromAvroBytes(bytes, scale));
        expect(Object.is(avroPaise(bytes, scale), expected)).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });

  it('decFromNumber as through the shortest text', () => {
    const number = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.constantFrom(0, -0, 2 ** 53 - 1, 2 ** 53, -(2 ** 53) + 1, 1e21, 123.45, -0.5),
    );
    fc.assert(
      fc.property(number, (n) => {
        const expected = Number.isFinite(n) ? parseDec(String(n)) : undefined;
        expect(decFromNumber(n)).toEqual(expected);
      }),
      { numRuns: 20000 },
    );
  });

  it('rescale and toNumber as through the text', () => {
    fc.assert(
      fc.property(dec, fc.integer({ min: 0, max: 30 }), modes, (d, scale, mode) => {
        expect(rescale(d, scale, mode)).toBe(referenceRescale(d, scale, mode));
        expect(Object.is(toNumber(d, scale, mode), referenceToNumber(d, scale, mode))).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });
});
