/** Small measuring tools shared by the Kafka-path benchmark: CPU per call, percentiles, tables. */

/** This process's CPU time so far (user + system, every thread: GC helpers and librdkafka too), µs. */
export function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/**
 * Largest and smallest of `values` (-Infinity / Infinity for none) without spreading them into a call:
 * P4's 10-minute run has 170,000 latencies, past the stack a spread argument list may take.
 */
export function maxOf(values: readonly number[]): number {
  let m = -Infinity;
  for (const v of values) if (v > m) m = v;
  return m;
}

export function minOf(values: readonly number[]): number {
  let m = Infinity;
  for (const v of values) if (v < m) m = v;
  return m;
}

/** Nearest-rank percentile (p in 0–100) of `values`; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export interface CpuCost {
  /** Median over the batches of CPU µs per call. */
  us: number;
  /** Lowest and highest batch, µs per call: the spread on a shared machine. */
  min: number;
  max: number;
  calls: number;
}

/**
 * CPU µs per call of `fn`: warmed up (`warmMs` of CPU, so that the optimising compiler, which runs on
 * threads `process.cpuUsage` counts, has finished with it), then `batches` batches, each long enough
 * (≥ `batchMs` of CPU) for `process.cpuUsage` to resolve it; the median batch is the figure, so a
 * batch that met the scheduler or a major GC does not decide it.
 */
export function cpuPerCall(
  fn: () => unknown,
  opts: { batches?: number; batchMs?: number; warmMs?: number } = {},
): CpuCost {
  const batches = opts.batches ?? 15;
  const batchUs = (opts.batchMs ?? 20) * 1000;
  const warmed = cpuMicros() + (opts.warmMs ?? 1000) * 1000;
  while (cpuMicros() < warmed) for (let i = 0; i < 50; i++) fn();
  // Learn how many calls make one batch.
  let reps = 1;
  for (;;) {
    const t = cpuMicros();
    for (let i = 0; i < reps; i++) fn();
    const spent = cpuMicros() - t;
    if (spent >= batchUs) break;
    reps = spent <= 0 ? reps * 10 : Math.ceil((reps * batchUs) / spent) + 1;
  }
  const perCall: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t = cpuMicros();
    for (let i = 0; i < reps; i++) fn();
    perCall.push((cpuMicros() - t) / reps);
  }
  return { us: median(perCall), min: minOf(perCall), max: maxOf(perCall), calls: reps * batches };
}

/** Fixed-width table: first column left-aligned, the rest right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)]
    .map((l) => `  ${l}`)
    .join('\n');
}

export const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');
export const pct = (ratio: number): string =>
  Number.isFinite(ratio) ? `${(ratio * 100).toFixed(0)} %` : '–';
