/**
 * output-sink over kafkajs: an idempotent producer with acks=all. No transactions: kafkajs cannot fence a
 * member that lost its partitions (no KIP-447), so exactly-once runs on the confluent adapter only
 * (docs/guarantees.md).
 */
import type { Kafka, Producer } from 'kafkajs';
import type { OutputRecord, OutputSink } from '../../pipeline/ports.js';
import { toPublishError, toTopicMessages } from './shared.js';

export class KafkajsSink implements OutputSink {
  readonly name = 'kafkajs';
  readonly transactional = false;
  private readonly producer: Producer;
  private connected: Promise<void> | undefined;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
  }

  /** A failed connect is forgotten, so the next send tries again (a broker that comes up late). */
  private connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((err: unknown) => {
      this.connected = undefined;
      throw err;
    });
    return this.connected;
  }

  async send(records: OutputRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      await this.connect();
      await this.producer.sendBatch({ topicMessages: toTopicMessages(records), acks: -1 });
    } catch (err) {
      throw toPublishError(
        err,
        records.map((r) => r.topic),
      );
    }
  }

  async close(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
  }
}
