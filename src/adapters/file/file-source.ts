/**
 * invoice-source over a local file, for the embedded demo and for replaying an export: no broker, one
 * partition, and a side file that remembers how far the pipeline got so a re-run resumes there.
 *
 * Three formats:
 * - `ndjson` (`.ndjson`, `.jsonl`, anything not `.avro` or `.json`): one record per line in the Avro JSON
 *   encoding; a message's value is the line's bytes, for {@link JsonEventDecoder}. Blank lines are not
 *   records. Each message carries the header `irp-bridge.source.line` (1-based), so a dead letter
 *   points at the line to fix.
 * - `json` (`.json`): the connector's JSON (natural JSON, for {@link NaturalJsonEventDecoder}) — a file
 *   holding one JSON array of records (read whole; each message is one element, with the header
 *   `irp-bridge.source.index`, 1-based), or one record per line as in `ndjson`.
 * - `avro` (`.avro`): an Avro object container file (any codec avsc reads: null, deflate); a
 *   message's value is one record's Avro body (decoded from its block and encoded again with the
 *   file's schema), for the raw {@link AvroEventDecoder} with that schema as writer schema
 *   ({@link readContainerSchema}) — the same decode and resolution path as Kafka records.
 *
 * Offsets are record indexes (0, 1, 2, … as decimal strings) on partition 0 of a topic named after
 * the file. `commit` writes `<stateDir>/<name>.offset` (atomically, by rename); the next `run` starts
 * there, provided the file still begins with the bytes it began with then (an appended file resumes,
 * a replaced one starts over). `run` resolves once every record was delivered and resolved.
 *
 * @see JsonEventDecoder in src/adapters/avro/json-decoder.ts
 * @see AvroEventDecoder in src/adapters/avro/avro-decoder.ts
 * @see NaturalJsonEventDecoder in src/adapters/avro/natural-json-decoder.ts
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import avro from 'avsc';
import type { Logger } from 'pino';
import type { AvroSchema } from '../../../connectors/types.js';
import type {
  Headers,
  InvoiceSource,
  SourceBatch,
  SourceMessage,
  SourceState,
  TopicPartition,
  TopicPartitionOffset,
} from '../../pipeline/ports.js';

export type FileFormat = 'ndjson' | 'avro' | 'json';

export interface FileSourceOptions {
  /** The input file. */
  path: string;
  /** Default: `avro` for a `.avro` file, `json` for a `.json` file, else `ndjson`. */
  format?: FileFormat;
  /** Folder of the offset side file (created when missing), e.g. the demo's output folder. */
  stateDir: string;
  /** Side file name without `.offset`. Default: the input file's base name. */
  name?: string;
  /** Records per batch. Default 100. */
  batchSize?: number;
  /** The topic messages name (and dead letters record). Default: `path` as given. */
  topic?: string;
  log?: Logger;
}

/** What the side file holds. */
interface OffsetState {
  file: string;
  /** Next record index to read, as Kafka commits (last processed + 1). */
  offset: string;
  /** SHA-256 (hex) of the file's first `headBytes` bytes when the offset was committed. */
  head: string;
  headBytes: number;
  committedAt: string;
}

/** How many leading bytes identify "the same file" across runs. */
const HEAD_BYTES = 64 * 1024;

/** Header naming the 1-based line of an NDJSON record. */
export const LINE_HEADER = 'irp-bridge.source.line';

/** Header naming the 1-based position of a record in a JSON array file. */
export const INDEX_HEADER = 'irp-bridge.source.index';

interface FileRecord {
  value: Buffer;
  headers: Headers;
}

/** Infers the format from the extension: `.avro` a container file, `.json` the connector's JSON, else NDJSON. */
export function formatOf(path: string): FileFormat {
  const ext = extname(path).toLowerCase();
  return ext === '.avro' ? 'avro' : ext === '.json' ? 'json' : 'ndjson';
}

/** Whether a file's first non-blank character opens a JSON array. */
async function startsWithArray(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    for (let position = 0; ;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) return false;
      const text = buffer
        .subarray(0, bytesRead)
        .toString('utf8')
        .replace(/^\uFEFF/, '');
      const first = /\S/.exec(text);
      if (first) return first[0] === '[';
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

/** The writer schema stored in an Avro object container file's header. Throws if it is not one. */
export function readContainerSchema(path: string): AvroSchema {
  // Undecoded: avsc would otherwise parse the schema itself, and a bad one would throw its own error.
  const header = avro.extractFileHeader(path, { decode: false }) as { meta?: Record<string, Buffer> } | null;
  const schema = header?.meta?.['avro.schema'];
  if (!schema) throw new Error(`${path} is not an Avro object container file (no header with avro.schema)`);
  try {
    return JSON.parse(schema.toString('utf8')) as AvroSchema;
  } catch (error) {
    throw new Error(`${path}: the container's avro.schema is not JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
}

/** The file {@link InvoiceSource}; see the module comment. */
export class FileSource implements InvoiceSource {
  readonly name = 'file';
  readonly topic: string;
  private readonly path: string;
  private readonly format: FileFormat;
  private readonly stateFile: string;
  private readonly batchSize: number;
  private readonly log: Logger | undefined;
  private paused = false;
  private stopping = false;
  /** `run` has returned (the file is exhausted, or the source stopped or failed). */
  private finished = false;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private closeInput: (() => void) | undefined;
  private head: { sha256: string; bytes: number } | undefined;
  private committed = -1n;
  private resumedAt: bigint | undefined;
  private commitChain: Promise<void> = Promise.resolve();

  constructor(options: FileSourceOptions) {
    this.path = options.path;
    this.format = options.format ?? formatOf(options.path);
    this.topic = options.topic ?? options.path;
    this.stateFile = join(options.stateDir, `${options.name ?? basename(options.path)}.offset`);
    this.batchSize = options.batchSize ?? 100;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1)
      throw new Error(`batchSize must be a positive integer, got ${this.batchSize}`);
    this.log = options.log;
  }

  /**
   * Where this run started: the committed offset of an earlier run of the same file ("0" for a new or
   * replaced file); undefined until `run` has read the side file.
   */
  resumedFrom(): string | undefined {
    return this.resumedAt?.toString();
  }

  /** The side file that holds the committed offset. */
  get offsetFile(): string {
    return this.stateFile;
  }

  run(handler: (batch: SourceBatch) => Promise<void>): Promise<void> {
    if (this.running) throw new Error('FileSource.run was already called');
    this.running = this.consume(handler).finally(() => {
      this.finished = true;
      this.closeInput?.();
      this.closeInput = undefined;
    });
    return this.running;
  }

  private async consume(handler: (batch: SourceBatch) => Promise<void>): Promise<void> {
    this.head = await fileHead(this.path);
    const start = await this.startOffset();
    this.committed = start;
    this.resumedAt = start;
    const input = this.records()[Symbol.asyncIterator]();
    this.closeInput = () => void input.return?.(undefined);

    let next = 0n;
    for (; next < start; next++) if ((await input.next()).done) break;
    if (start > 0n)
      this.log?.info({ file: this.path, offset: start.toString() }, 'resuming after the committed offset');

    /** Delivered but not resolved by the handler: delivered again, first. */
    let redeliver: SourceMessage[] = [];
    let exhausted = false;
    while (!this.stopping) {
      await this.whilePaused();
      if (this.stopping) break;
      const messages = redeliver.splice(0, this.batchSize);
      while (messages.length < this.batchSize && !exhausted) {
        const r = await input.next();
        if (r.done) exhausted = true;
        else
          messages.push({
            topic: this.topic,
            partition: 0,
            offset: (next++).toString(),
            key: null,
            value: r.value.value,
            headers: r.value.headers,
          });
      }
      if (messages.length === 0) break;

      // Cumulative, as the port says: resolving offset N finishes every record up to N.
      let resolvedUpTo = -1n;
      try {
        await handler({
          topic: this.topic,
          partition: 0,
          messages,
          heartbeat: async () => undefined,
          isActive: () => !this.stopping && !this.finished,
          resolveOffset: (offset) => {
            if (BigInt(offset) > resolvedUpTo) resolvedUpTo = BigInt(offset);
          },
        });
      } catch (error) {
        this.stopping = true;
        throw error;
      }
      const unresolved = messages.filter((m) => BigInt(m.offset) > resolvedUpTo);
      redeliver = [...unresolved, ...redeliver];
      // A handler that finished nothing (the runner is draining before it stops us) must not make
      // this loop spin on the same batch without yielding to the I/O it is waiting for.
      if (unresolved.length === messages.length) await sleep(50);
    }
  }

  private async *records(): AsyncGenerator<FileRecord> {
    if (this.format === 'avro') {
      // avsc's `noDecode` mode streams raw bytes without record boundaries, so each record is decoded
      // with the file's own schema and encoded again with it: the same Avro body, record by record.
      const decoder = avro.createFileDecoder(this.path);
      let writerType: avro.Type | undefined;
      decoder.on('metadata', (type: avro.Type) => (writerType = type));
      try {
        for await (const record of decoder as AsyncIterable<unknown>)
          yield { value: writerType!.toBuffer(record), headers: {} };
      } finally {
        decoder.destroy();
      }
      return;
    }
    if (this.format === 'json' && (await startsWithArray(this.path))) {
      const text = (await readFile(this.path, 'utf8')).replace(/^\uFEFF/, '');
      let items: unknown;
      try {
        items = JSON.parse(text);
      } catch (error) {
        throw new Error(`${this.path} is not a JSON array: ${(error as Error).message}`, { cause: error });
      }
      for (const [i, item] of (items as unknown[]).entries())
        yield {
          value: Buffer.from(JSON.stringify(item), 'utf8'),
          headers: { [INDEX_HEADER]: String(i + 1) },
        };
      return;
    }
    const stream = createReadStream(this.path);
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    let lineNo = 0;
    try {
      for await (const raw of lines) {
        lineNo++;
        // Editors on Windows often start a UTF-8 file with a byte-order mark, which is not JSON.
        const line = lineNo === 1 && raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
        if (line.trim() === '') continue;
        yield { value: Buffer.from(line, 'utf8'), headers: { [LINE_HEADER]: String(lineNo) } };
      }
    } finally {
      lines.close();
      stream.destroy();
    }
  }

  /** The committed offset from the side file, or 0 when there is none or the input was replaced. */
  private async startOffset(): Promise<bigint> {
    let text: string;
    try {
      text = await readFile(this.stateFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0n;
      throw error;
    }
    let state: Partial<OffsetState>;
    try {
      state = JSON.parse(text) as Partial<OffsetState>;
    } catch {
      this.log?.warn(
        { offsetFile: this.stateFile },
        'offset file is not JSON: starting from the first record',
      );
      return 0n;
    }
    if (
      typeof state.offset !== 'string' ||
      !/^\d+$/.test(state.offset) ||
      typeof state.headBytes !== 'number'
    ) {
      this.log?.warn(
        { offsetFile: this.stateFile },
        'offset file is incomplete: starting from the first record',
      );
      return 0n;
    }
    const now = await fileHead(this.path, state.headBytes);
    if (now.bytes !== state.headBytes || now.sha256 !== state.head) {
      this.log?.warn(
        { file: this.path, offsetFile: this.stateFile },
        'the input file changed since the last commit: starting from the first record',
      );
      return 0n;
    }
    return BigInt(state.offset);
  }

  async commit(offsets: TopicPartitionOffset[]): Promise<void> {
    const mine = offsets.filter((o) => o.topic === this.topic && o.partition === 0);
    if (mine.length === 0) return;
    const offset = mine.map((o) => BigInt(o.offset)).reduce((a, b) => (a > b ? a : b));
    const write = async () => {
      // Commits may arrive out of order from different callers; the side file only moves forward.
      if (offset <= this.committed) return;
      const head = this.head ?? (await fileHead(this.path));
      const state: OffsetState = {
        file: this.path,
        offset: offset.toString(),
        head: head.sha256,
        headBytes: head.bytes,
        committedAt: new Date().toISOString(),
      };
      await mkdir(join(this.stateFile, '..'), { recursive: true });
      const tmp = `${this.stateFile}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`);
      await rename(tmp, this.stateFile);
      this.committed = offset;
    };
    const result = this.commitChain.then(write);
    this.commitChain = result.catch(() => undefined);
    return result;
  }

  pause(partitions: TopicPartition[]): void {
    if (partitions.some((p) => this.isMine(p))) this.paused = true;
  }

  resume(partitions: TopicPartition[]): void {
    if (!partitions.some((p) => this.isMine(p))) return;
    this.paused = false;
    this.wake?.();
  }

  /** One partition, so pausing all is pausing it; nothing to rebalance. */
  pauseAll(): void {
    this.paused = true;
  }

  resumeAll(): void {
    this.paused = false;
    this.wake?.();
  }

  state(): SourceState {
    const phase = this.stopping || this.finished ? 'stopped' : this.running ? 'member' : 'connecting';
    return { phase, assigned: phase === 'member' ? this.assignment() : [] };
  }

  assignment(): TopicPartition[] {
    return [{ topic: this.topic, partition: 0 }];
  }

  /**
   * Stops delivering batches; resolves once `run` has returned (the current batch finished). From
   * inside a handler, call it without awaiting (as the runner's halt does): it waits for the handler.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running?.catch(() => undefined);
  }

  private isMine(p: TopicPartition): boolean {
    return p.topic === this.topic && p.partition === 0;
  }

  private async whilePaused(): Promise<void> {
    while (this.paused && !this.stopping) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}

/** SHA-256 of the file's first `limit` bytes (fewer if the file is shorter). */
async function fileHead(path: string, limit = HEAD_BYTES): Promise<{ sha256: string; bytes: number }> {
  const size = (await stat(path)).size;
  const length = Math.min(size, limit);
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await handle.read(buffer, read, length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return { sha256: createHash('sha256').update(buffer.subarray(0, read)).digest('hex'), bytes: read };
  } finally {
    await handle.close();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
