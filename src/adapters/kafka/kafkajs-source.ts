/**
 * invoice-source over kafkajs (pure JavaScript, the default adapter): a consumer group with manual
 * commits; batches per partition, processed concurrently across partitions.
 */
import type { Consumer, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type {
  InvoiceSource,
  SourceBatch,
  TopicPartition,
  TopicPartitionOffset,
} from '../../pipeline/ports.js';
import { groupByTopic, groupLag, toSourceMessages, type PartitionLag } from './shared.js';

export interface KafkajsSourceOptions {
  groupId: string;
  topics: string[];
  fromBeginning: boolean;
  /** Partitions handled at the same time by this consumer. */
  partitionsConsumedConcurrently: number;
  sessionTimeoutMs: number;
  /** Read only committed records (for topics written transactionally upstream). */
  readCommitted: boolean;
}

export class KafkajsSource implements InvoiceSource {
  readonly name = 'kafkajs';
  private readonly consumer: Consumer;
  private assigned: TopicPartition[] = [];
  private stopped: (() => void) | undefined;
  private stopping = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly opts: KafkajsSourceOptions,
    private readonly log: Logger,
  ) {
    this.consumer = kafka.consumer({
      groupId: opts.groupId,
      sessionTimeout: opts.sessionTimeoutMs,
      rebalanceTimeout: Math.max(60_000, opts.sessionTimeoutMs * 2),
      heartbeatInterval: Math.min(3000, Math.floor(opts.sessionTimeoutMs / 3)),
      readUncommitted: !opts.readCommitted,
      retry: {
        retries: 10,
        // kafkajs restarts a crashed consumer by itself; one that crashes because we are disconnecting it
        // (a stop while the group is still forming) must stay down, or it rejoins and keeps the process alive.
        restartOnFailure: async () => !this.stopping,
      },
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.assigned = Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) =>
        (partitions as number[]).map((partition) => ({ topic, partition })),
      );
      this.log.info({ assignment: payload.memberAssignment }, 'partitions assigned');
    });
  }

  async run(handler: (batch: SourceBatch) => Promise<void>): Promise<void> {
    const finished = new Promise<void>((resolve, reject) => {
      this.stopped = resolve;
      this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) reject(payload.error);
      });
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.opts.topics, fromBeginning: this.opts.fromBeginning });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.opts.partitionsConsumedConcurrently,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        const messages = toSourceMessages(batch);
        await handler({
          topic: batch.topic,
          partition: batch.partition,
          messages,
          heartbeat,
          isActive: () => isRunning() && !isStale() && !this.stopping,
          resolveOffset,
        });
      },
    });
    return finished;
  }

  async commit(offsets: TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    await this.consumer.commitOffsets(
      offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })),
    );
  }

  pause(partitions: TopicPartition[]): void {
    if (this.stopping) return; // the client refuses calls once disconnected
    for (const [topic, ps] of groupByTopic(partitions)) this.consumer.pause([{ topic, partitions: ps }]);
  }

  resume(partitions: TopicPartition[]): void {
    if (this.stopping) return;
    for (const [topic, ps] of groupByTopic(partitions)) this.consumer.resume([{ topic, partitions: ps }]);
  }

  assignment(): TopicPartition[] {
    return [...this.assigned];
  }

  lag(): Promise<PartitionLag[]> {
    return groupLag(this.kafka.admin(), this.opts.groupId, this.opts.topics);
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    // disconnect() waits for running eachBatch handlers, then leaves the group (a clean rebalance).
    await this.consumer.disconnect();
    this.stopped?.();
  }
}
