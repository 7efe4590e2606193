/**
 * An in-process topic-reader fixture for unit tests of the operator tools' logic (the Kafka adapter
 * itself is tested on the real broker in test/integration/operator).
 */
import {
  UnknownTopicError,
  type ReadEnds,
  type ReadSpec,
  type StoredRecord,
  type TopicReader,
} from '../../src/operator/ports.js';

export class MemoryTopics implements TopicReader {
  private readonly topics = new Map<string, StoredRecord[][]>();
  /** Per topic and partition, the first offset still stored (retention). */
  private readonly lows = new Map<string, number>();

  add(
    topic: string,
    partition: number,
    record: {
      key?: string | null;
      value: Buffer | string | object | null;
      headers?: Record<string, string>;
      timestamp?: number;
    },
  ): StoredRecord {
    const parts = this.topics.get(topic) ?? [];
    while (parts.length <= partition) parts.push([]);
    this.topics.set(topic, parts);
    const value =
      record.value === null
        ? null
        : Buffer.isBuffer(record.value)
          ? record.value
          : Buffer.from(typeof record.value === 'string' ? record.value : JSON.stringify(record.value));
    const stored: StoredRecord = {
      topic,
      partition,
      offset: String(parts[partition]!.length),
      key: record.key ? Buffer.from(record.key) : null,
      value,
      headers: Object.fromEntries(Object.entries(record.headers ?? {}).map(([k, v]) => [k, Buffer.from(v)])),
      timestamp: String(record.timestamp ?? Date.parse('2025-04-02T06:00:00Z')),
    };
    parts[partition]!.push(stored);
    return stored;
  }

  create(topic: string, partitions = 1): void {
    if (!this.topics.has(topic))
      this.topics.set(
        topic,
        Array.from({ length: partitions }, () => []),
      );
  }

  /** Drops the records before `offset` of a partition, as retention would. */
  truncate(topic: string, partition: number, offset: number): void {
    this.lows.set(`${topic}/${partition}`, offset);
  }

  async missingTopics(topics: string[]): Promise<string[]> {
    return topics.filter((t) => !this.topics.has(t));
  }

  async endOffsets(topic: string) {
    const parts = this.topics.get(topic);
    if (!parts) throw new UnknownTopicError([topic]);
    return parts.map((p, partition) => ({
      partition,
      low: String(this.lows.get(`${topic}/${partition}`) ?? 0),
      high: String(p.length),
    }));
  }

  async read(specs: ReadSpec[], onRecord: (r: StoredRecord) => void | Promise<void>): Promise<ReadEnds> {
    const missing = await this.missingTopics(specs.map((s) => s.topic));
    if (missing.length > 0) throw new UnknownTopicError(missing);
    const ends: ReadEnds = {};
    for (const spec of specs) {
      ends[spec.topic] = {};
      for (const [partition, records] of this.topics.get(spec.topic)!.entries()) {
        const range = spec.ranges?.find((r) => r.partition === partition);
        if (spec.ranges && !range) continue;
        const low = this.lows.get(`${spec.topic}/${partition}`) ?? 0;
        for (const r of records) {
          const o = Number(r.offset);
          if (o < low || (range && (o < Number(range.from) || o >= Number(range.until)))) continue;
          await onRecord(r);
        }
        ends[spec.topic]![partition] = String(records.length);
      }
    }
    return ends;
  }

  async close(): Promise<void> {}
}
