/**
 * Chooses the Kafka adapter a source config names. Both pass the same contract suite
 * (test/integration/kafka-adapters.contract.test.ts) on a real broker.
 */
import type { Logger } from 'pino';
import type { KafkaConnection } from '../../config/source-config.js';
import type { InvoiceSource, OutputSink } from '../../pipeline/ports.js';
import { createConfluentAdapters } from './confluent.js';
import { kafkajsClient } from './kafkajs-client.js';
import { KafkajsSink } from './kafkajs-sink.js';
import { KafkajsSource } from './kafkajs-source.js';

export type KafkaAdapterName = 'kafkajs' | 'confluent';

export interface KafkaAdapterOptions {
  groupId: string;
  topics: string[];
  fromBeginning: boolean;
  partitionsConsumedConcurrently: number;
  sessionTimeoutMs: number;
  readCommitted: boolean;
  transactionalId?: string;
}

export async function createKafkaAdapters(
  adapter: KafkaAdapterName,
  conn: KafkaConnection,
  opts: KafkaAdapterOptions,
  log: Logger,
): Promise<{ source: InvoiceSource; sink: OutputSink }> {
  if (adapter === 'confluent') return createConfluentAdapters(conn, opts, log);
  if (opts.transactionalId)
    // kafkajs' sendOffsets carries the group id only, not the member's generation (no KIP-447): a member
    // that lost its partitions in a rebalance could still commit a transaction for them.
    throw new Error(
      'exactly-once (a transactional id) needs the confluent adapter: kafkajs has no KIP-447 fencing',
    );
  const kafka = kafkajsClient(conn, log);
  return { source: new KafkajsSource(kafka, opts, log), sink: new KafkajsSink(kafka) };
}
