/**
 * The ports of the operator's tools (replay, backfill, reconcile, write-back): reading what a topic
 * holds now, from its start (or a range) to its end, without joining the source's consumer group or
 * committing anything. src/cli wires the Kafka adapter (src/adapters/kafka/topic-reader.ts) to them.
 */

/** One stored record, as a topic holds it. Offsets are decimal strings (int64). */
export interface StoredRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer>;
  /** Milliseconds since the epoch, as a decimal string (the record's timestamp). */
  timestamp: string;
}

/** Offsets `[from, until)` of one partition. */
export interface PartitionRange {
  partition: number;
  from: string;
  until: string;
}

export interface ReadSpec {
  topic: string;
  /** Only these partitions and offsets; default every partition, log start to end. */
  ranges?: PartitionRange[];
}

/** Where a read ended, per topic and partition: the end offset it read up to (exclusive). */
export type ReadEnds = Record<string, Record<number, string>>;

/**
 * topic-reader: a snapshot read. `read` delivers every committed record (read_committed: aborted
 * transactions and control records are skipped) of each topic, from the log start (or the range) up
 * to the end offsets it saw when called, in offset order within a partition, and resolves when every
 * partition reached its end. Errors: a topic that does not exist rejects with {@link UnknownTopicError}
 * before anything is delivered; a read that makes no progress for the reader's stall timeout rejects
 * naming the partition and offsets (never a silently short read).
 */
export interface TopicReader {
  /** The topics among `topics` that do not exist. */
  missingTopics(topics: string[]): Promise<string[]>;
  /** Number of partitions and end offsets of a topic (UnknownTopicError when it does not exist). */
  endOffsets(topic: string): Promise<{ partition: number; low: string; high: string }[]>;
  read(specs: ReadSpec[], onRecord: (record: StoredRecord) => void | Promise<void>): Promise<ReadEnds>;
  close(): Promise<void>;
}

export class UnknownTopicError extends Error {
  constructor(readonly topics: string[]) {
    super(
      `topic${topics.length > 1 ? 's' : ''} ${topics.join(', ')} do${topics.length > 1 ? '' : 'es'} not exist`,
    );
  }
}

/** A header value as text (Kafka headers are bytes). */
export function headerText(record: { headers: Record<string, Buffer | string | undefined> }, name: string) {
  const v = record.headers[name];
  return v === undefined ? undefined : Buffer.isBuffer(v) ? v.toString('utf8') : v;
}
