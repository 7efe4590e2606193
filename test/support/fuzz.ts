/**
 * What the fuzz suites share (docs/testing.md "Fuzz"): a seed and a number of inputs per target (small
 * inside `npm test`, FUZZ_RUNS=10000 under `npm run test:fuzz`), the "clear message" check every error
 * text must pass, and a memory bound.
 */
import { expect } from 'vitest';

/** Inputs per target: FUZZ_RUNS, else `small`. */
export function fuzzRuns(small: number): number {
  const n = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(n) && n > 0 ? n : small;
}

/** One seed for the whole run (FUZZ_SEED), printed with every failure by fast-check. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261202);

/** The longest message a finding, dead letter or CLI line may carry. */
export const MAX_MESSAGE = 600;

/** C0/C1 controls (ESC among them): a message passing them on can drive the reader's terminal. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/**
 * Why a message is unclear, or undefined when it is fine: holes in a template ("-undefined", "NaN",
 * "[object Object]"), longer than MAX_MESSAGE (a value echoed back whole), or terminal control codes.
 */
export function unclear(message: unknown): string | undefined {
  if (typeof message !== 'string') return `not a string: ${typeof message}`;
  if (message.trim() === '') return 'empty';
  if (/\bundefined\b|-undefined|\bNaN\b|\[object Object\]/.test(message)) return 'a hole in a template';
  if (message.length > MAX_MESSAGE) return `${message.length} characters`;
  if (CONTROL.test(message)) return 'control characters';
  return undefined;
}

export function expectClear(message: unknown, what = 'message'): void {
  const why = unclear(message);
  if (why) expect.fail(`${what} is unclear (${why}): ${JSON.stringify(String(message).slice(0, 300))}`);
}

/** Fails when the resident set grew more than `mb` since `baseline` (a bound, not a benchmark). */
export function expectMemoryBounded(baseline: number, mb = 512): void {
  const grown = (process.memoryUsage().rss - baseline) / 1024 / 1024;
  expect(grown, `RSS grew ${grown.toFixed(0)} MB`).toBeLessThan(mb);
}

/** Hostile strings: control and escape codes, invalid surrogates, template-looking text, big ones. */
export const HOSTILE_STRINGS = [
  '\u001b[31mred\u001b[0m',
  '\u001b]0;title\u0007',
  '\u0000\u0001\u0002',
  '\r\nX-Injected: 1',
  '\ud800',
  '\u202e\u2066reversed',
  '{0}{1}',
  '%s%n%x',
  'a'.repeat(100_000),
];

/** Every path into a JSON value, as key lists (the root first). */
export function jsonPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...jsonPaths(v, [...prefix, i])));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...jsonPaths(v, [...prefix, k]));
  return out;
}

/** A copy of `root` with `value` at `path` (missing parents created). */
export function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = JSON.parse(JSON.stringify(root)) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = typeof key === 'number' ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  }
  node[path[path.length - 1]!] = value;
  return copy;
}
