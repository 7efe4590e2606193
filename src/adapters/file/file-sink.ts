/**
 * output-sink into local files, for the embedded demo: each output record becomes one NDJSON line of
 * `<dir>/<topic>.ndjson`, so results, rejections and dead letters can be read (or `jq`-ed) directly.
 *
 * A line is `{topic, key, headers, value, valueEncoding}` (see {@link FileSinkLine}): a JSON string
 * value is embedded as JSON, other text kept as a string, bytes (dead letters) as base64 — each
 * flagged, so {@link parseFileSinkLine} gives back the exact record.
 *
 * Not transactional. `send` resolves once the lines are written to the file (the OS has them: they
 * survive a crash of this process); they are fsync'ed to disk on `close`, or on every `send` with
 * `fsync: 'send'`.
 */
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { OutputRecord, OutputSink } from '../../pipeline/ports.js';

export interface FileSinkOptions {
  /** Output folder (created when missing). */
  dir: string;
  /** When lines are forced to disk. Default `close`. */
  fsync?: 'close' | 'send';
}

/** One line of a sink file. */
export interface FileSinkLine {
  topic: string;
  key: string | null;
  /** Present when `key` is base64 of a binary key. */
  keyEncoding?: 'base64';
  headers: Record<string, string>;
  /** Header names whose values are base64 of binary values. */
  binaryHeaders?: string[];
  value: unknown;
  /** `json`: the record's string value parsed; `utf8`: a string that is not JSON; `base64`: bytes. */
  valueEncoding: 'json' | 'utf8' | 'base64';
}

/**
 * The file name of a topic's records. Characters outside Kafka's topic alphabet become `_`, so a
 * topic can never name a path outside the folder.
 */
export function topicFileName(topic: string): string {
  const safe = topic.replace(/[^A-Za-z0-9._-]/g, '_');
  return `${/^\.+$/.test(safe) || safe === '' ? `_${safe}` : safe}.ndjson`;
}

/** The NDJSON line (without newline) of one output record. */
export function fileSinkLine(record: OutputRecord): string {
  const line: FileSinkLine = {
    topic: record.topic,
    key: null,
    headers: {},
    value: null,
    valueEncoding: 'utf8',
  };
  if (Buffer.isBuffer(record.key)) {
    line.key = record.key.toString('base64');
    line.keyEncoding = 'base64';
  } else line.key = record.key;
  const binary: string[] = [];
  for (const [name, value] of Object.entries(record.headers)) {
    if (Buffer.isBuffer(value)) {
      line.headers[name] = value.toString('base64');
      binary.push(name);
    } else line.headers[name] = value;
  }
  if (binary.length > 0) line.binaryHeaders = binary;
  if (Buffer.isBuffer(record.value)) {
    line.value = record.value.toString('base64');
    line.valueEncoding = 'base64';
  } else {
    const parsed = parseJson(record.value);
    if (parsed.ok) {
      line.value = parsed.value;
      line.valueEncoding = 'json';
    } else line.value = record.value;
  }
  return JSON.stringify(line);
}

/**
 * The output record a line was written from. A `json` value comes back as compact JSON text (the
 * same document, not necessarily the same spacing). Throws on a line this sink did not write.
 */
export function parseFileSinkLine(text: string): OutputRecord {
  const line = JSON.parse(text) as FileSinkLine;
  if (typeof line?.topic !== 'string' || typeof line.headers !== 'object' || !('value' in line))
    throw new Error('not a file-sink line');
  const binary = new Set(line.binaryHeaders ?? []);
  const headers: Record<string, string | Buffer> = {};
  for (const [name, value] of Object.entries(line.headers))
    headers[name] = binary.has(name) ? Buffer.from(value, 'base64') : value;
  const key =
    line.key === null ? null : line.keyEncoding === 'base64' ? Buffer.from(line.key, 'base64') : line.key;
  const value =
    line.valueEncoding === 'base64'
      ? Buffer.from(String(line.value), 'base64')
      : line.valueEncoding === 'json'
        ? JSON.stringify(line.value)
        : String(line.value);
  return { topic: line.topic, key, headers, value };
}

/** The file {@link OutputSink}; see the module comment. */
export class FileSink implements OutputSink {
  readonly name = 'file';
  readonly transactional = false;
  private readonly files = new Map<string, Promise<FileHandle>>();
  /** One write at a time: lines of concurrent sends never interleave, and keep their order. */
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: FileSinkOptions) {}

  /** The file a topic's records go to. */
  fileOf(topic: string): string {
    return join(this.options.dir, topicFileName(topic));
  }

  send(records: OutputRecord[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('FileSink is closed'));
    if (records.length === 0) return Promise.resolve();
    const byFile = new Map<string, string[]>();
    for (const r of records) {
      const file = this.fileOf(r.topic);
      byFile.set(file, [...(byFile.get(file) ?? []), `${fileSinkLine(r)}\n`]);
    }
    const write = async () => {
      for (const [file, lines] of byFile) {
        const handle = await this.handle(file);
        await handle.appendFile(lines.join(''));
        if (this.options.fsync === 'send') await handle.sync();
      }
    };
    const result = this.chain.then(write);
    this.chain = result.catch(() => undefined);
    return result;
  }

  /** Finishes pending writes, fsyncs and closes every file. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.chain;
    const handles = await Promise.allSettled(this.files.values());
    this.files.clear();
    for (const h of handles) {
      if (h.status !== 'fulfilled') continue;
      await h.value.sync();
      await h.value.close();
    }
  }

  private handle(file: string): Promise<FileHandle> {
    let pending = this.files.get(file);
    if (!pending) {
      pending = mkdir(this.options.dir, { recursive: true }).then(() => open(file, 'a'));
      // A failed open is not remembered: the next send tries again.
      pending.catch(() => this.files.delete(file));
      this.files.set(file, pending);
    }
    return pending;
  }
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
