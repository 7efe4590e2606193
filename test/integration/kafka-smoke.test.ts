/**
 * The harness itself, on the real broker: keyed records with headers go in, a consumer group reads
 * them back in per-partition order, and the offsets it commits are what the admin API reads back.
 */
import type { EachMessagePayload } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createTopic, kafkaClient, uniqueGroupId, uniqueTopic } from '../support/kafka.js';

const RECORDS = 60;
const KEYS = 10;
const PARTITIONS = 3;

interface Received {
  partition: number;
  offset: bigint;
  key: string;
  value: { key: string; seq: number };
  headers: Record<string, string>;
}

describe('kafka harness smoke test', () => {
  it('round-trips keyed records with headers through a consumer group and commits offsets', async () => {
    const kafka = kafkaClient();
    const topic = await createTopic(uniqueTopic('smoke'), PARTITIONS);
    const groupId = uniqueGroupId('smoke');

    const sent = Array.from({ length: RECORDS }, (_, seq) => {
      const key = `invoice-${seq % KEYS}`;
      return {
        key,
        value: JSON.stringify({ key, seq }),
        headers: { 'x-seq': String(seq), 'x-source': 'smoke-test' },
      };
    });

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      // Two sends, so order must also hold across produce requests.
      await producer.send({ topic, acks: -1, messages: sent.slice(0, RECORDS / 2) });
      await producer.send({ topic, acks: -1, messages: sent.slice(RECORDS / 2) });
    } finally {
      await producer.disconnect();
    }

    const received: Received[] = [];
    // A short fetch long-poll: disconnect() waits for the fetch in flight (5 s by default).
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 500,
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      let allReceived!: () => void;
      const done = new Promise<void>((resolve) => (allReceived = resolve));
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }: EachMessagePayload) => {
          received.push({
            partition,
            offset: BigInt(message.offset),
            key: message.key?.toString() ?? '',
            value: JSON.parse(message.value?.toString() ?? 'null') as Received['value'],
            headers: Object.fromEntries(
              Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
            ),
          });
          if (received.length === RECORDS) allReceived();
        },
      });
      await Promise.race([
        done,
        new Promise((_, reject) =>
          setTimeout(
            () => reject(new Error(`received ${received.length} of ${RECORDS} records in 60 s`)),
            60_000,
          ),
        ),
      ]);

      // Commit the next offset to read on every partition, as the pipeline does after publishing.
      const next = new Map<number, bigint>();
      for (const r of received) next.set(r.partition, r.offset + 1n);
      await consumer.commitOffsets(
        [...next].map(([partition, offset]) => ({ topic, partition, offset: offset.toString() })),
      );
    } finally {
      await consumer.disconnect();
    }

    // Values, keys and headers arrive intact, each record exactly once.
    expect(received).toHaveLength(RECORDS);
    const bySeq = [...received].sort((a, b) => a.value.seq - b.value.seq);
    bySeq.forEach((r, seq) => {
      const original = sent[seq]!;
      expect(r.value).toEqual({ key: original.key, seq });
      expect(r.key).toBe(original.key);
      expect(r.headers).toEqual(original.headers);
    });

    // One key lives on one partition; within a partition offsets and production order both ascend.
    const partitionOfKey = new Map<string, number>();
    for (const r of received) {
      expect(partitionOfKey.get(r.key) ?? r.partition).toBe(r.partition);
      partitionOfKey.set(r.key, r.partition);
    }
    const partitions = new Set(received.map((r) => r.partition));
    expect(partitions.size).toBeGreaterThan(1);
    for (const partition of partitions) {
      const inPartition = received.filter((r) => r.partition === partition);
      const offsets = inPartition.map((r) => r.offset);
      expect(offsets).toEqual([...offsets].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(new Set(offsets).size).toBe(offsets.length);
      const seqs = inPartition.map((r) => r.value.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }

    // The committed offsets read back through the admin API equal each partition's end offset.
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const ends = await admin.fetchTopicOffsets(topic);
      expect(committed?.topic).toBe(topic);
      const committedByPartition = Object.fromEntries(
        (committed?.partitions ?? []).map((p) => [p.partition, p.offset]),
      );
      const expected = Object.fromEntries(ends.map((p) => [p.partition, Number(p.high) > 0 ? p.high : '-1']));
      expect(committedByPartition).toEqual(expected);
      const total = ends.reduce((sum, p) => sum + Number(p.high), 0);
      expect(total).toBe(RECORDS);
    } finally {
      await admin.disconnect();
    }
  });
});
