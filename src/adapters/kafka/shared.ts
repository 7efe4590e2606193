/**
 * What both Kafka adapters do the same way: their clients share the KafkaJS message and admin shapes,
 * so converting batches, grouping offsets, computing lag and serialising transactions live here once.
 */
import type {
  Headers,
  OutputRecord,
  SourceMessage,
  TopicPartition,
  TopicPartitionOffset,
} from '../../pipeline/ports.js';

export function groupByTopic(partitions: TopicPartition[]): Map<string, number[]> {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of partitions)
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  return byTopic;
}

/** A KafkaJS-shaped message as either client delivers it. */
interface ClientMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
  headers?: Record<string, unknown>;
}

/** A client batch → the port's messages; a repeated header keeps its first value. */
export function toSourceMessages(batch: {
  topic: string;
  partition: number;
  messages: ClientMessage[];
}): SourceMessage[] {
  return batch.messages.map((m) => ({
    topic: batch.topic,
    partition: batch.partition,
    offset: m.offset,
    key: m.key,
    value: m.value,
    headers: Object.fromEntries(
      Object.entries(m.headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
    ) as Headers,
    timestamp: m.timestamp,
  }));
}

/** Output records grouped per topic, in order, as `sendBatch` takes them. */
export function toTopicMessages(records: OutputRecord[]): {
  topic: string;
  messages: {
    key: string | Buffer | null;
    value: string | Buffer;
    headers: Record<string, string | Buffer>;
  }[];
}[] {
  const byTopic = new Map<
    string,
    { key: string | Buffer | null; value: string | Buffer; headers: Record<string, string | Buffer> }[]
  >();
  for (const r of records) {
    const list = byTopic.get(r.topic) ?? [];
    list.push({ key: r.key, value: r.value, headers: r.headers });
    byTopic.set(r.topic, list);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/** Offsets per topic, as `sendOffsets` takes them. */
export function offsetsByTopic(
  offsets: TopicPartitionOffset[],
): { topic: string; partitions: { partition: number; offset: string }[] }[] {
  return [...groupByTopic(offsets).keys()].map((topic) => ({
    topic,
    partitions: offsets
      .filter((o) => o.topic === topic)
      .map((o) => ({ partition: o.partition, offset: o.offset })),
  }));
}

export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
}

/** The admin calls lag needs; both clients' admins have them. */
export interface OffsetAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  fetchOffsets(o: {
    groupId: string;
    topics: string[];
  }): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
  fetchTopicOffsets(topic: string): Promise<{ partition: number; high: string; low: string }[]>;
}

/** Lag = end offset − committed offset (a partition without a commit counts from the log start). */
export async function groupLag(
  admin: OffsetAdmin,
  groupId: string,
  topics: string[],
): Promise<PartitionLag[]> {
  await admin.connect();
  try {
    const out: PartitionLag[] = [];
    for (const t of await admin.fetchOffsets({ groupId, topics })) {
      const ends = await admin.fetchTopicOffsets(t.topic);
      for (const p of t.partitions) {
        const end = ends.find((e) => e.partition === p.partition);
        if (!end) continue;
        const from = BigInt(p.offset === '-1' ? end.low : p.offset);
        out.push({ topic: t.topic, partition: p.partition, lag: Number(BigInt(end.high) - from) });
      }
    }
    return out;
  } finally {
    await admin.disconnect();
  }
}

/**
 * One transaction at a time per producer (neither client runs two at once): each call waits for the
 * previous one to settle, whatever its outcome.
 */
export class TransactionQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run(work: () => Promise<void>): Promise<void> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
