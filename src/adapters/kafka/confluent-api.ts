/**
 * The part of @confluentinc/kafka-javascript's KafkaJS-compatible API this adapter uses, declared here
 * rather than imported from the package: the package is an optional dependency whose native build can
 * fail (and npm then removes it), and the type-check must pass on such a machine too. The contract suite
 * runs these calls against the real module wherever it is installed, so a drift shows there.
 */
import type { OffsetAdmin } from './shared.js';

export interface ConfluentLogger {
  info(message: string, extra?: object): void;
  warn(message: string, extra?: object): void;
  error(message: string, extra?: object): void;
  debug(message: string, extra?: object): void;
  namespace(ns: string): ConfluentLogger;
  setLogLevel(level: number): void;
}

export interface ConfluentBatchMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
  headers?: Record<string, unknown>;
}

export interface ConfluentEachBatchPayload {
  batch: { topic: string; partition: number; messages: ConfluentBatchMessage[] };
  isRunning(): boolean;
  isStale(): boolean;
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
}

type TopicPartitions = { topic: string; partitions: number[] }[];
type TopicMessages = {
  topic: string;
  messages: {
    key: string | Buffer | null;
    value: string | Buffer;
    headers: Record<string, string | Buffer>;
  }[];
}[];
type OffsetsByTopic = { topic: string; partitions: { partition: number; offset: string }[] }[];

export interface ConfluentConsumer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  subscribe(s: { topics: string[] }): Promise<void>;
  run(r: {
    eachBatchAutoResolve: boolean;
    partitionsConsumedConcurrently: number;
    eachBatch(payload: ConfluentEachBatchPayload): Promise<void>;
  }): Promise<void>;
  commitOffsets(offsets: { topic: string; partition: number; offset: string }[]): Promise<void>;
  pause(partitions: TopicPartitions): void;
  resume(partitions: TopicPartitions): void;
  paused(): TopicPartitions;
  committed(
    partitions: { topic: string; partition: number }[],
    timeoutMs: number,
  ): Promise<{ topic: string; partition: number; offset: string }[]>;
  assignment(): { topic: string; partition: number }[];
  dependentAdmin(): OffsetAdmin;
}

export interface ConfluentTransaction {
  sendBatch(b: { topicMessages: TopicMessages }): Promise<unknown>;
  sendOffsets(o: { consumer: ConfluentConsumer; topics: OffsetsByTopic }): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface ConfluentProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  sendBatch(b: { topicMessages: TopicMessages }): Promise<unknown>;
  transaction(): Promise<ConfluentTransaction>;
}

export interface ConfluentKafka {
  consumer(config: Record<string, unknown>): ConfluentConsumer;
  producer(config: Record<string, unknown>): ConfluentProducer;
}

/** The module as `import()` returns it. */
export interface ConfluentModule {
  KafkaJS: {
    Kafka: new (config: Record<string, unknown>) => ConfluentKafka;
    logLevel: { NOTHING: number; ERROR: number; WARN: number; INFO: number; DEBUG: number };
  };
}
