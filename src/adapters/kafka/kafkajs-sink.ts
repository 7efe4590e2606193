/**
 * output-sink over kafkajs: an idempotent producer with acks=all; in exactly-once mode a transactional
 * producer that writes a batch's outputs and its consumer offsets in one transaction.
 */
import type { Kafka, Message, Producer } from 'kafkajs';
import type { OutputRecord, OutputSink, TopicPartitionOffset } from '../../pipeline/ports.js';

export interface KafkajsSinkOptions {
  /** Set for exactly-once mode: stable per instance, so a restarted instance fences its zombie. */
  transactionalId?: string;
}

function toTopicMessages(records: OutputRecord[]): { topic: string; messages: Message[] }[] {
  const byTopic = new Map<string, Message[]>();
  for (const r of records) {
    const list = byTopic.get(r.topic) ?? [];
    list.push({ key: r.key, value: r.value, headers: r.headers });
    byTopic.set(r.topic, list);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

export class KafkajsSink implements OutputSink {
  readonly name = 'kafkajs';
  readonly transactional: boolean;
  private readonly producer: Producer;
  private connected: Promise<void> | undefined;
  /** kafkajs runs one transaction per producer at a time. */
  private txChain: Promise<unknown> = Promise.resolve();

  constructor(kafka: Kafka, opts: KafkajsSinkOptions = {}) {
    this.transactional = Boolean(opts.transactionalId);
    this.producer = kafka.producer(
      opts.transactionalId
        ? { transactionalId: opts.transactionalId, idempotent: true, maxInFlightRequests: 1 }
        : { idempotent: true, maxInFlightRequests: 5 },
    );
  }

  private connect(): Promise<void> {
    this.connected ??= this.producer.connect();
    return this.connected;
  }

  async send(records: OutputRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.connect();
    await this.producer.sendBatch({ topicMessages: toTopicMessages(records), acks: -1 });
  }

  sendInTransaction(
    records: OutputRecord[],
    offsets: TopicPartitionOffset[],
    groupId: string,
  ): Promise<void> {
    const run = async () => {
      await this.connect();
      const tx = await this.producer.transaction();
      try {
        if (records.length > 0) await tx.sendBatch({ topicMessages: toTopicMessages(records), acks: -1 });
        const topics = [...new Set(offsets.map((o) => o.topic))].map((topic) => ({
          topic,
          partitions: offsets
            .filter((o) => o.topic === topic)
            .map((o) => ({ partition: o.partition, offset: o.offset })),
        }));
        await tx.sendOffsets({ consumerGroupId: groupId, topics });
        await tx.commit();
      } catch (err) {
        await tx.abort().catch(() => undefined);
        throw err;
      }
    };
    const result = this.txChain.then(run, run);
    this.txChain = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
  }
}
