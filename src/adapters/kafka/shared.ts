/**
 * What both Kafka adapters do the same way: their clients share the KafkaJS message and admin shapes,
 * so converting batches, grouping offsets, computing lag and serialising transactions live here once.
 */
import {
  PublishError,
  type Headers,
  type OffsetGap,
  type OutputRecord,
  type SourceMessage,
  type TopicPartition,
  type TopicPartitionOffset,
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

/** Broker and client error names, in kafkajs' and librdkafka's spelling, of a record too large to accept. */
const TOO_LARGE = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'ERR_MSG_SIZE_TOO_LARGE',
  'ERR_RECORD_LIST_TOO_LARGE',
  'ERR__MSG_SIZE_TOO_LARGE',
]);
/** ... and of a topic that does not exist. */
const UNKNOWN_TOPIC = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'ERR_UNKNOWN_TOPIC_OR_PART',
  'ERR__UNKNOWN_TOPIC',
  'ERR__UNKNOWN_PARTITION',
]);

/**
 * The same as Kafka protocol error codes, which both clients carry as a numeric `code` (librdkafka's
 * own local errors are negative: -188 unknown topic, -190 unknown partition).
 */
const TOO_LARGE_CODES = new Set([10, 18]);
const UNKNOWN_TOPIC_CODES = new Set([3, -188, -190]);

/** Every error in a client error's cause chain and aggregates (kafkajs wraps retried errors). */
function errorChain(err: unknown, seen = new Set<unknown>()): { type?: unknown; code?: unknown }[] {
  if (typeof err !== 'object' || err === null || seen.has(err)) return [];
  seen.add(err);
  const e = err as { cause?: unknown; originalError?: unknown; errors?: unknown };
  return [
    err,
    ...errorChain(e.cause, seen),
    ...errorChain(e.originalError, seen),
    ...(Array.isArray(e.errors) ? e.errors.flatMap((x) => errorChain(x, seen)) : []),
  ];
}

/**
 * A client's publish failure as the port's PublishError: too large and unknown topic never succeed on a
 * retry (the runner routes them instead of republishing for ever); anything else is transient.
 */
export function toPublishError(err: unknown, topics: string[]): PublishError {
  if (err instanceof PublishError) return err;
  const chain = errorChain(err);
  const is = (names: Set<string>, codes: Set<number>) =>
    chain.some((e) => names.has(String(e.type)) || (typeof e.code === 'number' && codes.has(e.code)));
  const what = `publishing to ${[...new Set(topics)].join(', ')}`;
  const message = err instanceof Error ? err.message : String(err);
  if (is(TOO_LARGE, TOO_LARGE_CODES))
    return new PublishError(`${what}: a record is larger than the broker accepts (${message})`, 'too-large', {
      cause: err,
    });
  if (is(UNKNOWN_TOPIC, UNKNOWN_TOPIC_CODES))
    return new PublishError(`${what}: the topic does not exist (${message})`, 'unknown-topic', {
      cause: err,
    });
  return new PublishError(`${what}: ${message}`, 'unavailable', { cause: err });
}

/**
 * Runs `connect` (connect and subscribe) within the connection deadline, so `run` rejects with one clear
 * error when the brokers cannot be reached, instead of a client retrying (and logging) for ever.
 */
export async function withConnectDeadline(
  adapter: string,
  timeoutMs: number | undefined,
  connect: () => Promise<void>,
  /** Resolves when stop() is called: connecting is abandoned, and this resolves at once. */
  abandoned?: Promise<void>,
): Promise<void> {
  const ms = timeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${adapter}: no connection to the Kafka brokers within ${ms / 1000} s`)),
      ms,
    );
  });
  try {
    await Promise.race([
      connect().catch((err: unknown) => {
        throw new Error(`${adapter}: cannot connect to the Kafka brokers: ${(err as Error).message}`, {
          cause: err,
        });
      }),
      deadline,
      ...(abandoned ? [abandoned] : []),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Disconnects a group consumer on stop. disconnect() waits for running batch handlers, then leaves the
 * group (a clean rebalance). A consumer still connecting disconnects once its connect attempt ends: run()
 * sees stopping and returns, and stop() does not wait for the attempt.
 */
export async function disconnectConsumer(
  consumer: { disconnect(): Promise<void> },
  connecting: boolean,
  log: { warn(obj: object, msg: string): void },
): Promise<void> {
  const disconnected = consumer
    .disconnect()
    .catch((err: unknown) => log.warn({ err: (err as Error).message }, 'disconnect failed'));
  if (!connecting) await disconnected;
}

/**
 * Finds the records a group never processed that are gone, before the first batch of a partition in each
 * assignment. Both clients, on a committed offset below the log start (OFFSET_OUT_OF_RANGE), reset to
 * the earliest offset (kafka.fromBeginning is always true) and deliver from there without a word (kafkajs
 * even commits its "earliest" marker over the committed offset). When the first offset delivered is past
 * the group's committed offset (or past 0 for a group that never committed), this reads the log start and,
 * when records were deleted under the committed offset, reports the gap to the listener first. kafkajs
 * reads the committed offsets at assignment, before its first fetch can overwrite them (`snapshot`);
 * librdkafka commits nothing on a reset, so the confluent adapter reads them at the first batch.
 */
export class GapGuard {
  private listener: ((gap: OffsetGap) => Promise<void>) | undefined;
  /** Partition → the assignment generation it was checked in. */
  private readonly checked = new Map<string, number>();
  /** Partition → the committed offset read at assignment, with the generation it belongs to. */
  private readonly snapshots = new Map<string, { generation: number; committed: Promise<string | null> }>();
  private admin: Promise<OffsetAdmin> | undefined;

  /**
   * `committedOf`: the group's committed offset of a partition through the consumer itself, where the
   * client has a quick call for it (null: none); otherwise the admin client reads it.
   */
  constructor(
    private readonly groupId: string,
    private readonly newAdmin: () => OffsetAdmin,
    private readonly committedOf?: (topic: string, partition: number) => Promise<string | null>,
  ) {}

  get active(): boolean {
    return this.listener !== undefined;
  }

  onGap(listener: (gap: OffsetGap) => Promise<void>): void {
    this.listener = listener;
  }

  /** Reads the committed offsets of newly assigned partitions now; resolves when read. */
  async snapshot(partitions: TopicPartition[], generation: number): Promise<void> {
    const reads = partitions.map((tp) => {
      const committed = this.committed(tp.topic, tp.partition);
      this.snapshots.set(key(tp), { generation, committed });
      return committed;
    });
    await Promise.allSettled(reads);
  }

  /** Before a batch of generation `generation` starting at `firstOffset`: reports a gap once per assignment. */
  async beforeBatch(
    topic: string,
    partition: number,
    firstOffset: string,
    generation: number,
  ): Promise<void> {
    if (!this.listener) return;
    const k = key({ topic, partition });
    if (this.checked.get(k) === generation) return;
    const snap = this.snapshots.get(k);
    const committed =
      snap && snap.generation === generation ? await snap.committed : await this.committed(topic, partition);
    const from = BigInt(committed ?? '0');
    // Delivered from where the group stopped: nothing skipped, no need to ask for the log start.
    if (from < BigInt(firstOffset)) {
      const admin = await this.connectedAdmin();
      const ends = await admin.fetchTopicOffsets(topic);
      const logStart = ends.find((e) => e.partition === partition)?.low ?? '0';
      // Past the committed offset but not below the log start: control records or compaction, not a loss.
      if (from < BigInt(logStart))
        await this.listener({
          topic,
          partition,
          fromOffset: from.toString(),
          toOffset: firstOffset,
          committedOffset: committed,
          logStartOffset: logStart,
        });
    }
    this.checked.set(k, generation);
    this.snapshots.delete(k);
  }

  private async committed(topic: string, partition: number): Promise<string | null> {
    let raw: string;
    if (this.committedOf) raw = (await this.committedOf(topic, partition)) ?? '-1';
    else {
      const admin = await this.connectedAdmin();
      const [committedTopic] = await admin.fetchOffsets({ groupId: this.groupId, topics: [topic] });
      raw = committedTopic?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
    }
    // Negative values are markers (-1 none, -2 kafkajs' "earliest", -1001 librdkafka's), not offsets.
    return raw.startsWith('-') ? null : raw;
  }

  private connectedAdmin(): Promise<OffsetAdmin> {
    this.admin ??= (async () => {
      const admin = this.newAdmin();
      await admin.connect();
      return admin;
    })().catch((err: unknown) => {
      this.admin = undefined;
      throw err;
    });
    return this.admin;
  }

  async close(): Promise<void> {
    const admin = await this.admin?.catch(() => undefined);
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }
}

function key(tp: TopicPartition): string {
  return `${tp.topic}\u0000${tp.partition}`;
}
