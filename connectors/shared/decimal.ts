/**
 * Exact decimals as scaled bigints. ERPs hand amounts over as packed decimals, decimal strings or
 * doubles; converting each once to an exact value and rounding with the ERP's own rule keeps the IRP's
 * sums (README §9) exact to the paisa, which float arithmetic does not.
 */

/** `units × 10^-scale`. */
export interface Dec {
  readonly units: bigint;
  readonly scale: number;
}

export type RoundingMode = 'half-up' | 'half-even' | 'up' | 'down';

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** A decimal text (`-12.50`, `1e3`); undefined when it is not one. */
export function parseDec(text: string): Dec | undefined {
  return parsePlainDec(text) ?? parseDecText(text);
}

/**
 * The common spelling — optional minus, 1–15 digits in all, a point with digits after it — read
 * without the regular expression and with one BigInt (fifteen digits are an exact double); anything
 * else (blanks around it, `+`, exponent, `12.`, `.5`, longer) is left to {@link parseDecText}.
 */
export function parsePlainDec(t: string): Dec | undefined {
  const n = t.length;
  let i = t.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  const neg = i === 1;
  let v = 0;
  let digits = 0;
  let point = -1;
  for (; i < n; i++) {
    const c = t.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      digits++;
    } else if (c === 46 /* . */ && point < 0 && digits > 0) point = i;
    else return undefined;
  }
  if (digits === 0 || digits > 15 || point === n - 1) return undefined;
  return { units: BigInt(neg ? -v : v), scale: point < 0 ? 0 : n - 1 - point };
}

function parseDecText(text: string): Dec | undefined {
  const m = DECIMAL_TEXT.exec(text.trim());
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

/** A double's shortest decimal spelling, which is what the ERP meant (0.1 stays 0.1). */
export function decFromNumber(n: number): Dec | undefined {
  // A safe integer's shortest spelling is its digits: no text needed.
  if (Number.isSafeInteger(n)) return { units: BigInt(n), scale: 0 };
  return Number.isFinite(n) ? parseDec(String(n)) : undefined;
}

/** Avro `bytes` with logicalType decimal: big-endian two's-complement unscaled value. */
export function decFromAvroBytes(bytes: Uint8Array, scale: number): Dec {
  // Up to six bytes (every amount an ERP sends) the value is an exact double: one BigInt, not one per byte.
  if (bytes.length <= 6) {
    let v = 0;
    for (let i = 0; i < bytes.length; i++) v = v * 256 + bytes[i]!;
    if (bytes.length > 0 && (bytes[0]! & 0x80) !== 0) v -= 2 ** (bytes.length * 8);
    return { units: BigInt(v), scale };
  }
  let units = 0n;
  for (const b of bytes) units = (units << 8n) | BigInt(b);
  if ((bytes[0]! & 0x80) !== 0) units -= 1n << BigInt(bytes.length * 8);
  return { units, scale };
}

/** The inverse of {@link decFromAvroBytes}, for generators and fixtures. */
export function decToAvroBytes(d: Dec, scale: number): Buffer {
  let v = rescale(d, scale);
  const out: number[] = [];
  for (;;) {
    out.unshift(Number(v & 0xffn));
    v >>= 8n;
    const signBitSet = (out[0]! & 0x80) !== 0;
    if ((v === 0n && !signBitSet) || (v === -1n && signBitSet)) break;
  }
  return Buffer.from(out);
}

/** 10^0 … 10^38 as bigints, so rescaling does not compute a power each time. */
const POW10: readonly bigint[] = Array.from({ length: 39 }, (_, i) => 10n ** BigInt(i));
export const pow10 = (n: number): bigint => POW10[n] ?? 10n ** BigInt(n);

/** The value's units at `scale`, rounded with `mode` (ties and direction measured away from zero). */
export function rescale(d: Dec, scale: number, mode: RoundingMode = 'half-up'): bigint {
  if (scale === d.scale) return d.units;
  if (scale > d.scale) return d.units * pow10(scale - d.scale);
  const div = pow10(d.scale - scale);
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

export function decToString(d: Dec): string {
  const neg = d.units < 0n;
  const digits = (neg ? -d.units : d.units).toString().padStart(d.scale + 1, '0');
  const int = digits.slice(0, digits.length - d.scale);
  const frac = d.scale > 0 ? `.${digits.slice(-d.scale)}` : '';
  return `${neg ? '-' : ''}${int}${frac}`;
}

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);
/** 10^0 … 10^22: every one an exact double (parsed, never computed). */
const POW10_DOUBLE: readonly number[] = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/** Rounded to `scale` places and returned as a JS number (exact for money and quantities). */
export function toNumber(d: Dec, scale: number, mode: RoundingMode = 'half-up'): number {
  const units = rescale(d, scale, mode);
  // Both operands exact doubles: IEEE division rounds the true quotient once, to the double nearest the
  // decimal — what parsing its text gives. Past 2^53 or 10^22, through the text.
  if (scale >= 0 && scale <= 22 && units <= MAX_EXACT && units >= -MAX_EXACT)
    return Number(units) / POW10_DOUBLE[scale]!;
  return Number(decToString({ units, scale }));
}

export function mul(a: Dec, b: Dec): Dec {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

export function add(a: Dec, b: Dec): Dec {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale) + rescale(b, scale), scale };
}

export function neg(d: Dec): Dec {
  return { units: -d.units, scale: d.scale };
}

export function isZero(d: Dec): boolean {
  return d.units === 0n;
}

export const ZERO: Dec = { units: 0n, scale: 0 };

/** Money is handled as integer paise (safe JS integers up to ₹90 trillion). */
export type Paise = number;

export function paise(d: Dec, mode: RoundingMode = 'half-up'): Paise {
  return Number(rescale(d, 2, mode));
}

/**
 * `paise(decFromAvroBytes(bytes, scale))` without a BigInt where doubles are exact: up to six bytes
 * (below 2^48) at a scale of 2 to 22, the remainder and quotient by a power of ten are exact.
 */
export function avroPaise(bytes: Uint8Array, scale: number): Paise {
  if (bytes.length > 6 || scale < 2 || scale > 22) return paise(decFromAvroBytes(bytes, scale));
  let v = 0;
  for (let i = 0; i < bytes.length; i++) v = v * 256 + bytes[i]!;
  if (bytes.length > 0 && (bytes[0]! & 0x80) !== 0) v -= 2 ** (bytes.length * 8);
  const div = POW10_DOUBLE[scale - 2]!;
  const abs = Math.abs(v);
  const r = abs % div;
  const q = (abs - r) / div + (r * 2 >= div && r !== 0 ? 1 : 0);
  return q === 0 ? 0 : v < 0 ? -q : q;
}

export function paiseToDec(p: Paise): Dec {
  return { units: BigInt(p), scale: 2 };
}

/** Paise as the IRP's JSON number (two decimals at most). */
export function rupees(p: Paise): number {
  return p / 100;
}

/** `base × percent / 100`, rounded to paise with `mode` — how every ERP here computes a tax line. */
export function percentOf(base: Paise, percent: Dec, mode: RoundingMode = 'half-up'): Paise {
  return paise({ units: BigInt(base) * percent.units, scale: 2 + percent.scale + 2 }, mode);
}

/** `a / b` rounded to `scale` places with `mode` (b must not be zero). */
export function div(a: Dec, b: Dec, scale: number, mode: RoundingMode = 'half-up'): Dec {
  // a/b = (a.units × 10^(b.scale + scale + 1 − a.scale)) / b.units × 10^-(scale + 1), then rounded once.
  const shift = b.scale + scale + 1 - a.scale;
  const num = shift >= 0 ? a.units * 10n ** BigInt(shift) : a.units / 10n ** BigInt(-shift);
  const q = num / b.units; // truncated toward zero, one extra digit kept for the rounding
  return { units: rescale({ units: q, scale: scale + 1 }, scale, mode), scale };
}
