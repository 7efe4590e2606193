/**
 * `irp-bridge backfill`: a source's pipeline over ERP exports in files — for a migration, or an ERP that
 * cannot publish to Kafka yet — to the source's configured outputs.
 *
 * The inputs are checked before anything is sent: each file is readable, its format parses (an Avro
 * container has a header, a JSON array is one), and its records are counted (the progress bar's total).
 * Each file then runs through the file source (src/adapters/file/file-source.ts), which keeps its
 * committed offset in a side file of the state directory and resumes there on the next run — so a
 * backfill stopped by a signal, a crash or `kill -9` is resumed by running the same command again. Records
 * between the last commit and a crash are processed again; their IRNs come back from the IRP as 2150 and
 * the client recovers them (marked `recovered`), so no document is registered twice.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, relative, resolve, sep } from 'node:path';
import { createInterface } from 'node:readline';
import avro from 'avsc';
import { HEADER } from '../pipeline/outputs.js';
import type { OutputRecord, OutputSink } from '../pipeline/ports.js';

export type ExportFormat = 'ndjson' | 'avro' | 'json';

export const EXTENSIONS: Record<string, ExportFormat> = {
  '.avro': 'avro',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.json': 'json',
};

export interface ExportFile {
  path: string;
  /** Relative to the `--from` folder (the file name for a single file). */
  name: string;
  format: ExportFormat;
  records: number;
  /** The file source's side-file name: readable, and unique per path. */
  stateName: string;
}

export class InputError extends Error {}

/** The export files under `from` (a file, or a folder searched recursively), in name order. */
export async function findExports(
  from: string,
  options: { format?: ExportFormat; skip?: string[] } = {},
): Promise<{ files: { path: string; name: string; format: ExportFormat }[]; ignored: string[] }> {
  let info;
  try {
    info = await stat(from);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${from}: ${code === 'ENOENT' ? 'no such file or directory' : code}`);
  }
  if (info.isFile()) {
    const format = options.format ?? EXTENSIONS[extname(from).toLowerCase()];
    if (!format)
      throw new InputError(
        `${from}: unknown format (name it .avro, .ndjson, .jsonl or .json, or give --format)`,
      );
    return { files: [{ path: resolve(from), name: basename(from), format }], ignored: [] };
  }
  const root = resolve(from);
  const skip = (options.skip ?? []).map((s) => resolve(s));
  const found: string[] = [];
  const walk = async (dir: string) => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      throw new InputError(`cannot read ${dir}: ${(err as NodeJS.ErrnoException).code}`);
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.name.startsWith('.') || skip.some((s) => p === s || p.startsWith(`${s}${sep}`))) continue;
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) found.push(p);
    }
  };
  await walk(root);
  found.sort();
  const files = [];
  const ignored = [];
  for (const p of found) {
    const format = options.format ?? EXTENSIONS[extname(p).toLowerCase()];
    if (format) files.push({ path: p, name: relative(root, p), format });
    else ignored.push(relative(root, p));
  }
  if (files.length === 0)
    throw new InputError(`${from}: no export files (.avro, .ndjson, .jsonl, .json) in it`);
  return { files, ignored };
}

async function countLines(path: string): Promise<number> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) if (line.trim() !== '' && line.trim() !== '\uFEFF') n++;
  return n;
}

/**
 * The number of records of an export file, checking that it is what its format says. Throws an
 * InputError naming the file otherwise (unreadable, not an Avro container, a broken JSON array).
 */
export async function countRecords(path: string, format: ExportFormat): Promise<number> {
  try {
    if (format === 'avro') {
      let n = 0;
      const decoder = avro.createFileDecoder(path);
      for await (const _record of decoder as AsyncIterable<unknown>) n++;
      return n;
    }
    if (format === 'json') {
      const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
      const first = /\S/.exec(text)?.[0];
      if (first === '[') {
        const items: unknown = JSON.parse(text);
        if (!Array.isArray(items)) throw new Error('not a JSON array');
        return items.length;
      }
    }
    return await countLines(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.message;
    throw new InputError(
      `${path}: ${format === 'avro' ? 'not a readable Avro container file' : 'unreadable'} (${why})`,
    );
  }
}

/** A side-file name for `name`: readable, unique per path (a short hash), no folder separators. */
export function stateNameOf(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(-80);
  return `${safe}-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

/** Counts of what answered the inputs, by output and code. */
export interface OutputTally {
  result: number;
  recovered: number;
  error: number;
  'dead-letter': number;
  rejections: Record<string, number>;
  deadLetters: Record<string, number>;
}

export function emptyTally(): OutputTally {
  return { result: 0, recovered: 0, error: 0, 'dead-letter': 0, rejections: {}, deadLetters: {} };
}

/** `sink`, counting the outputs it got acknowledged into `tally`. */
export function tallyingSink(sink: OutputSink, tally: () => OutputTally): OutputSink {
  const count = (records: OutputRecord[]) => {
    const t = tally();
    for (const r of records) {
      const kind = String(r.headers[HEADER.kind] ?? '');
      const code = String(r.headers[HEADER.code] ?? 'UNKNOWN');
      if (kind === 'result') {
        t.result++;
        if (/"recovered":true/.test(String(r.value))) t.recovered++;
      } else if (kind === 'error') {
        t.error++;
        t.rejections[code] = (t.rejections[code] ?? 0) + 1;
      } else if (kind === 'dead-letter') {
        t['dead-letter']++;
        t.deadLetters[code] = (t.deadLetters[code] ?? 0) + 1;
      }
    }
  };
  return {
    name: sink.name,
    transactional: false,
    send: async (records) => {
      await sink.send(records);
      count(records);
    },
    close: () => sink.close(),
  };
}

export interface FileReport {
  name: string;
  format: ExportFormat;
  records: number;
  /** Records a previous run had finished (skipped now). */
  resumedFrom: number;
  /** Records processed by this run. */
  processed: number;
  tally: OutputTally;
  /** Set when the run stopped inside this file. */
  stopped?: string;
}

export interface BackfillReport {
  source: string;
  stateDir: string;
  files: FileReport[];
  ignored: string[];
  seconds: number;
  /** Why the backfill did not finish (a signal, a halt). */
  stopped?: string;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function merge(into: Record<string, number>, from: Record<string, number>) {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

export function totals(r: BackfillReport): {
  records: number;
  resumedFrom: number;
  processed: number;
  tally: OutputTally;
} {
  const tally = emptyTally();
  for (const f of r.files) {
    tally.result += f.tally.result;
    tally.recovered += f.tally.recovered;
    tally.error += f.tally.error;
    tally['dead-letter'] += f.tally['dead-letter'];
    merge(tally.rejections, f.tally.rejections);
    merge(tally.deadLetters, f.tally.deadLetters);
  }
  return {
    records: sum(r.files.map((f) => f.records)),
    resumedFrom: sum(r.files.map((f) => f.resumedFrom)),
    processed: sum(r.files.map((f) => f.processed)),
    tally,
  };
}

const codes = (c: Record<string, number>) =>
  Object.entries(c)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k}×${v}`)
    .join(' ');

const n = (x: number) => x.toLocaleString('en-IN');

/** The summary printed at the end (or on a stop). */
export function formatBackfill(r: BackfillReport): string {
  const t = totals(r);
  const rate = r.seconds > 0 ? Math.round(t.processed / r.seconds) : 0;
  const lines = [
    `backfill of source ${r.source}: ${r.files.length} file(s), ${n(t.records)} records — ${r.stopped ? `STOPPED (${r.stopped})` : 'done'}`,
    `  this run: ${n(t.processed)} records in ${r.seconds.toFixed(1)} s (${n(rate)}/s)${t.resumedFrom > 0 ? `, resumed after ${n(t.resumedFrom)} finished earlier` : ''}`,
    `  results ${n(t.tally.result)}${t.tally.recovered ? ` (${n(t.tally.recovered)} recovered: registered before)` : ''}, rejected ${n(t.tally.error)}${t.tally.error ? ` (${codes(t.tally.rejections)})` : ''}, dead letters ${n(t.tally['dead-letter'])}${t.tally['dead-letter'] ? ` (${codes(t.tally.deadLetters)})` : ''}`,
    '',
    '  file                                      format  records  earlier  this run  results  rejected  dead',
  ];
  for (const f of r.files)
    lines.push(
      `  ${f.name.length > 40 ? `…${f.name.slice(-39)}` : f.name.padEnd(40)}  ${f.format.padEnd(6)}  ${String(f.records).padStart(7)}  ${String(f.resumedFrom).padStart(7)}  ${String(f.processed).padStart(8)}  ${String(f.tally.result).padStart(7)}  ${String(f.tally.error).padStart(8)}  ${String(f.tally['dead-letter']).padStart(4)}${f.stopped ? `  stopped: ${f.stopped}` : ''}`,
    );
  if (r.ignored.length > 0)
    lines.push(
      '',
      `  ignored (not .avro, .ndjson, .jsonl, .json): ${r.ignored.slice(0, 5).join(', ')}${r.ignored.length > 5 ? ` and ${r.ignored.length - 5} more` : ''}`,
    );
  lines.push('', `  state: ${r.stateDir}${r.stopped ? ' — run the same command again to resume' : ''}`);
  return `${lines.join('\n')}\n`;
}

/** One progress line: a bar, the counts, the rate and the time left. */
export function progressLine(p: {
  /** Records finished, by earlier runs included. */
  done: number;
  total: number;
  /** Records this run finished (the rate's numerator). */
  processed: number;
  seconds: number;
  tally: OutputTally;
  file: string;
  width?: number;
}): string {
  const width = p.width ?? 24;
  const share = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
  const filled = Math.round(share * width);
  const rate = p.seconds > 0 ? p.processed / p.seconds : 0;
  const left = rate > 0 ? Math.max(0, (p.total - p.done) / rate) : undefined;
  const eta =
    left === undefined ? '–' : left >= 90 ? `${Math.round(left / 60)} min` : `${Math.round(left)} s`;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${n(p.done)}/${n(p.total)}  ${n(Math.round(rate))}/s  ETA ${eta}  results ${n(p.tally.result)} rejected ${n(p.tally.error)} dead ${n(p.tally['dead-letter'])}  ${p.file}`;
}
