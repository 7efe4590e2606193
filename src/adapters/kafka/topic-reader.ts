/**
 * topic-reader over kafkajs (src/operator/ports.ts): a snapshot read of whole topics or offset ranges
 * for the operator's tools, whatever `kafka.adapter` the source runs (kafkajs is always installed).
 *
 * It reads through a consumer of its own throw-away group (`<prefix>-<random>`) that never commits, so
 * the source's group and offsets are untouched; the group disappears once empty. Each partition is
 * sought to its start and read up to the end offset the admin reported when the read began. The end is
 * recognised from the batches' last offsets (which count control records and aborted transactions
 * too), so a topic written transactionally ends where it should; a partition that stops moving for
 * `stallMs` fails the read with its position instead of returning a short answer.
 */
import { randomBytes } from 'node:crypto';
import type { Admin, IHeaders, Kafka } from 'kafkajs';
import {
  UnknownTopicError,
  type PartitionRange,
  type ReadEnds,
  type ReadSpec,
  type StoredRecord,
  type TopicReader,
} from '../../operator/ports.js';

export interface KafkajsTopicReaderOptions {
  /** Consumer group prefix of the throw-away groups. Default `irp-bridge-reader`. */
  groupPrefix?: string;
  /** A read that delivers nothing for this long fails. Default 60 s. */
  stallMs?: number;
}

interface Progress {
  topic: string;
  partition: number;
  start: bigint;
  end: bigint;
  /** The next offset not yet delivered (or passed over). */
  next: bigint;
}

function headersOf(headers: IHeaders | undefined): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    const first = Array.isArray(v) ? v[0] : v;
    if (first === undefined) continue;
    out[k] = Buffer.isBuffer(first) ? first : Buffer.from(String(first), 'utf8');
  }
  return out;
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

export class KafkajsTopicReader implements TopicReader {
  private admin: Admin | undefined;
  private readonly stallMs: number;
  private readonly prefix: string;

  constructor(
    private readonly kafka: Kafka,
    options: KafkajsTopicReaderOptions = {},
  ) {
    this.stallMs = options.stallMs ?? 60_000;
    this.prefix = options.groupPrefix ?? 'irp-bridge-reader';
  }

  private async connected(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  async missingTopics(topics: string[]): Promise<string[]> {
    const existing = new Set(await (await this.connected()).listTopics());
    return [...new Set(topics)].filter((t) => !existing.has(t));
  }

  async endOffsets(topic: string): Promise<{ partition: number; low: string; high: string }[]> {
    const missing = await this.missingTopics([topic]);
    if (missing.length > 0) throw new UnknownTopicError(missing);
    const offsets = await (await this.connected()).fetchTopicOffsets(topic);
    return offsets
      .map((o) => ({ partition: o.partition, low: o.low, high: o.high }))
      .sort((a, b) => a.partition - b.partition);
  }

  async read(specs: ReadSpec[], onRecord: (record: StoredRecord) => void | Promise<void>): Promise<ReadEnds> {
    const missing = await this.missingTopics(specs.map((s) => s.topic));
    if (missing.length > 0) throw new UnknownTopicError(missing);
    const plan = new Map<string, Progress>();
    const ends: ReadEnds = {};
    for (const spec of specs) {
      ends[spec.topic] = {};
      for (const o of await this.endOffsets(spec.topic)) {
        const low = BigInt(o.low);
        const high = BigInt(o.high);
        const range: PartitionRange | undefined = spec.ranges?.find((r) => r.partition === o.partition);
        const wanted = !spec.ranges || range !== undefined;
        const start = wanted ? max(low, range ? BigInt(range.from) : low) : high;
        const end = wanted ? min(high, range ? BigInt(range.until) : high) : high;
        const key = `${spec.topic}\u0000${o.partition}`;
        const previous = plan.get(key);
        // The same partition asked twice (two ranges of one topic): read the span of both.
        const p: Progress = previous
          ? { ...previous, start: min(previous.start, start), end: max(previous.end, end) }
          : { topic: spec.topic, partition: o.partition, start, end, next: start };
        p.next = p.start;
        plan.set(key, p);
        ends[spec.topic]![o.partition] = (end > start ? end : start).toString();
      }
    }
    const open = () => [...plan.values()].filter((p) => p.next < p.end);
    if (open().length === 0) return ends;

    const consumer = this.kafka.consumer({
      groupId: `${this.prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`,
      maxWaitTimeInMs: 250,
      readUncommitted: false,
      retry: { retries: 5 },
    });
    let lastProgress = Date.now();
    let finish: (() => void) | undefined;
    let fail: ((e: Error) => void) | undefined;
    const finished = new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    const advance = (topic: string, partition: number, next: bigint) => {
      const p = plan.get(`${topic}\u0000${partition}`);
      if (!p || next <= p.next) return;
      p.next = next;
      lastProgress = Date.now();
      if (open().length === 0) finish?.();
    };
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.lastOffset !== null && payload.lastOffset !== undefined)
        advance(payload.topic, payload.partition, BigInt(payload.lastOffset) + 1n);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) fail?.(payload.error);
    });
    const watchdog = setInterval(() => {
      if (Date.now() - lastProgress <= this.stallMs) return;
      const stuck = open()
        .map((p) => `${p.topic}[${p.partition}] at ${p.next} of ${p.end}`)
        .join(', ');
      fail?.(new Error(`reading stalled for ${Math.round(this.stallMs / 1000)} s: ${stuck}`));
    }, 500);
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: specs.map((s) => s.topic), fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const p = plan.get(`${batch.topic}\u0000${batch.partition}`);
          if (!p) return;
          for (const m of batch.messages) {
            const offset = BigInt(m.offset);
            // Before the start, past the end, or already delivered (a fetch that raced the seek).
            if (offset < p.next || offset >= p.end) continue;
            try {
              await onRecord({
                topic: batch.topic,
                partition: batch.partition,
                offset: m.offset,
                key: m.key ?? null,
                value: m.value ?? null,
                headers: headersOf(m.headers),
                timestamp: m.timestamp,
              });
            } catch (error) {
              // The caller's failure ends the read; it is never retried by the consumer.
              fail?.(error instanceof Error ? error : new Error(String(error)));
              return;
            }
            advance(batch.topic, batch.partition, offset + 1n);
          }
        },
      });
      for (const p of plan.values())
        consumer.seek({ topic: p.topic, partition: p.partition, offset: p.next.toString() });
      lastProgress = Date.now();
      await finished;
      return ends;
    } finally {
      clearInterval(watchdog);
      await consumer.disconnect().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }
}
