/** Rupee arithmetic for the rules: sums in paise so a hundred lines do not drift, comparisons with a tolerance. */

/** A number if the value is a finite number, otherwise undefined (schema findings cover the rest). */
export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Optional amounts count as zero, as the IRP treats them. */
export function amt(value: unknown): number {
  return num(value) ?? 0;
}

export function round2(value: number): number {
  return Math.round((value + Number.EPSILON * Math.sign(value)) * 100) / 100;
}

export function sum(values: readonly number[]): number {
  return values.reduce((acc, v) => acc + Math.round(v * 100), 0) / 100;
}

/** |a − b| ≤ tolerance, compared in paise so 0.1 + 0.2 style noise never decides a rule. */
export function within(a: number, b: number, tolerance: number): boolean {
  return Math.abs(Math.round(a * 100) - Math.round(b * 100)) <= Math.round(tolerance * 100);
}
