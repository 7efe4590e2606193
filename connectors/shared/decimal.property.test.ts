/**
 * The decimal helpers' fast paths (one BigInt for short Avro decimals, a table of powers of ten, IEEE
 * division instead of text for `toNumber`) answer exactly as the straightforward definitions do, which
 * are kept here as the reference.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decFromAvroBytes, decToString, rescale, toNumber, type Dec, type RoundingMode } from './decimal.js';

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

describe('decimal fast paths', () => {
  it('read Avro decimal bytes as the byte-by-byte definition does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), fc.integer({ min: 0, max: 6 }), (bytes, scale) => {
        expect(decFromAvroBytes(bytes, scale)).toEqual(referenceFromAvroBytes(bytes, scale));
      }),
      { numRuns: 5000 },
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
