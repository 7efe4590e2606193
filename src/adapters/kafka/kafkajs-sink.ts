/**
 * output-sink over kafkajs: an idempotent producer with acks=all; in exactly-once mode a transactional
 * producer that writes a batch's outputs and its consumer offsets in one transaction.
 */
import type { Kafka, Producer } from 'kafkajs';
import type { OutputRecord, OutputSink, TopicPartitionOffset } from '../../pipeline/ports.js';
import { offsetsByTopic, toTopicMessages, TransactionQueue } from './shared.js';

export interface KafkajsSinkOptions {
  /** Set for exactly-once mode: stable per instance, so a restarted instance fences its zombie. */
  transactionalId?: string;
}

export class KafkajsSink implements OutputSink {
  readonly name = 'kafkajs';
  readonly transactional: boolean;
  private readonly producer: Producer;
  private connected: Promise<void> | undefined;
  private readonly transactions = new TransactionQueue();

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
    return this.transactions.run(async () => {
      await this.connect();
      const tx = await this.producer.transaction();
      try {
        if (records.length > 0) await tx.sendBatch({ topicMessages: toTopicMessages(records), acks: -1 });
        await tx.sendOffsets({ consumerGroupId: groupId, topics: offsetsByTopic(offsets) });
        await tx.commit();
      } catch (err) {
        await tx.abort().catch(() => undefined);
        throw err;
      }
    });
  }

  async close(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
  }
}
