/**
 * invoice-source over kafkajs (pure JavaScript, the default adapter): a consumer group with manual
 * commits; batches per partition, processed concurrently across partitions.
 */
import type { Consumer, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type {
  InvoiceSource,
  SourceBatch,
  SourceState,
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
  private phase: SourceState['phase'] = 'connecting';
  /** pauseAll() was called before the consumer ran (kafkajs refuses pause() until then). */
  private pauseAllPending = false;

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
      this.phase = 'member';
      this.log.info({ assignment: payload.memberAssignment }, 'partitions assigned');
    });
    this.consumer.on(this.consumer.events.REBALANCING, () => {
      if (this.phase !== 'stopped') this.phase = 'rebalancing';
    });
    this.consumer.on(this.consumer.events.STOP, () => (this.phase = 'stopped'));
  }

  async run(handler: (batch: SourceBatch) => Promise<void>): Promise<void> {
    const finished = new Promise<void>((resolve, reject) => {
      this.stopped = resolve;
      this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
        if (payload.restart) return;
        this.phase = 'stopped';
        reject(payload.error);
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
    if (this.pauseAllPending) this.pauseAll();
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

  /**
   * A whole-topic pause in kafkajs is kept per topic, not per assignment, so it also covers partitions
   * assigned by a later rebalance; fetching stops, heartbeats go on.
   */
  pauseAll(): void {
    if (this.stopping) return;
    try {
      this.consumer.pause(this.opts.topics.map((topic) => ({ topic })));
      this.pauseAllPending = false;
    } catch {
      this.pauseAllPending = true; // not running yet: applied when run() starts the consumer
    }
  }

  /** A whole-topic resume clears every pause of the topic, including partition pauses from before a rebalance. */
  resumeAll(): void {
    this.pauseAllPending = false;
    if (this.stopping) return;
    try {
      this.consumer.resume(this.opts.topics.map((topic) => ({ topic })));
    } catch {
      // not running yet: nothing is paused
    }
  }

  state(): SourceState {
    return { phase: this.phase, assigned: this.phase === 'member' ? [...this.assigned] : [] };
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
    this.phase = 'stopped';
    // disconnect() waits for running eachBatch handlers, then leaves the group (a clean rebalance).
    await this.consumer.disconnect();
    this.stopped?.();
  }
}
