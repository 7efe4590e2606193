/**
 * Chooses the Kafka adapter a source config names. Both pass the same contract suite
 * (test/integration/kafka-adapters.contract.test.ts) on a real broker.
 */
import type { Logger } from 'pino';
import type { KafkaConnection } from '../../config/source-config.js';
import type { InvoiceSource, OutputSink } from '../../pipeline/ports.js';
import { CoalescingSink } from './coalescing-sink.js';
import { createConfluentAdapters } from './confluent.js';
import { kafkajsClient } from './kafkajs-client.js';
import { KafkajsSink } from './kafkajs-sink.js';
import { consumerRequestTimeoutMs, KafkajsSource } from './kafkajs-source.js';

export type KafkaAdapterName = 'kafkajs' | 'confluent';

export interface KafkaAdapterOptions {
  groupId: string;
  topics: string[];
  fromBeginning: boolean;
  partitionsConsumedConcurrently: number;
  sessionTimeoutMs: number;
  readCommitted: boolean;
  transactionalId?: string;
  /** `run` rejects when the brokers cannot be reached within this time. Default 30 s. */
  connectTimeoutMs?: number;
}

export async function createKafkaAdapters(
  adapter: KafkaAdapterName,
  conn: KafkaConnection,
  opts: KafkaAdapterOptions,
  log: Logger,
): Promise<{ source: InvoiceSource; sink: OutputSink }> {
  if (adapter === 'confluent') {
    const { source, sink } = await createConfluentAdapters(conn, opts, log);
    // A transactional sink sends each transaction whole already.
    return { source, sink: sink.transactional ? sink : new CoalescingSink(sink) };
  }
  if (opts.transactionalId)
    // kafkajs' sendOffsets carries the group id only, not the member's generation (no KIP-447): a member
    // that lost its partitions in a rebalance could still commit a transaction for them.
    throw new Error(
      'exactly-once (a transactional id) needs the confluent adapter: kafkajs has no KIP-447 fencing',
    );
  // The consumer gets its own client: its requests time out well within the session (see kafkajs-source.ts),
  // while a produce with acks=all keeps the full 30 s.
  const consumerClient = kafkajsClient(conn, log, {
    requestTimeout: consumerRequestTimeoutMs(opts.sessionTimeoutMs),
  });
  return {
    source: new KafkajsSource(consumerClient, opts, log),
    sink: new CoalescingSink(new KafkajsSink(kafkajsClient(conn, log))),
  };
}
