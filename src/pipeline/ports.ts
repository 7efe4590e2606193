/**
 * The pipeline's ports: small interfaces the adapters (Kafka clients, files, Avro, the IRP client)
 * implement. The pipeline imports nothing else from the outside world; src/cli wires adapters to ports.
 */
import type { Connector, MappedEvent } from '../../connectors/types.js';
import type { Failure, FailureDetail } from './failures.js';

export type Headers = Record<string, string | Buffer | undefined>;

/** One input record, as a source delivers it. Offsets are decimal strings (int64). */
export interface SourceMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Headers;
  timestamp?: string;
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface TopicPartitionOffset extends TopicPartition {
  /** The next offset to read (last processed + 1), as Kafka commits it. */
  offset: string;
}

/** Records of a partition that were deleted before this group processed them. */
export interface OffsetGap extends TopicPartition {
  /** The first offset lost: the group's committed offset, or 0 when it never committed one. */
  fromOffset: string;
  /** The first offset delivered after the gap (exclusive end). */
  toOffset: string;
  /** The committed offset the group had (null: none). */
  committedOffset: string | null;
  /** The partition's log start offset when the gap was found. */
  logStartOffset: string;
}

/** What `InvoiceSource.state()` reports. */
export interface SourceState {
  phase: 'connecting' | 'member' | 'rebalancing' | 'stopped';
  assigned: TopicPartition[];
  /**
   * Assignments received since the source started, where the adapter can tell: above 1, the group
   * rebalanced, and records after a partition's last commit may have been delivered again.
   */
  assignments?: number;
}

/** A batch of one partition, in offset order, with the liveness hooks of the consumer group. */
export interface SourceBatch extends TopicPartition {
  messages: SourceMessage[];
  /** Keep group membership alive during long work (waits for a closed circuit, slow IRP calls). */
  heartbeat(): Promise<void>;
  /** False once the source is stopping or the partition was revoked: stop starting new work. */
  isActive(): boolean;
  /**
   * Tells the source every record up to and including `offset` is finished, so it does not deliver them
   * again in this session (kafkajs semantics: the last resolved offset is the fetch position). Records
   * past it are fetched again (after a halt or a revocation).
   */
  resolveOffset(offset: string): void;
}

/**
 * invoice-source: delivers batches per partition and takes commits. `run` resolves when the source
 * stops. Errors: connection failures reject `run`; a handler rejection stops the source (the runner
 * never lets one escape for a single record).
 */
export interface InvoiceSource {
  readonly name: string;
  run(handler: (batch: SourceBatch) => Promise<void>): Promise<void>;
  commit(offsets: TopicPartitionOffset[]): Promise<void>;
  pause(partitions: TopicPartition[]): void;
  resume(partitions: TopicPartition[]): void;
  /**
   * Pause every partition, those assigned now and any assigned later, until resumeAll(). The member stays
   * in its group and keeps heartbeating (a halt or an IRP outage must never cost the group membership).
   */
  pauseAll(): void;
  /**
   * Resume every partition paused by pauseAll() or pause(), including ones paused before a rebalance
   * (not only the current assignment).
   */
  resumeAll(): void;
  /**
   * Group state, for readiness: 'connecting' until the first join; 'member' while in the group (with or
   * without partitions: waiting for an assignment counts); 'rebalancing' between revoke and the next
   * assignment; 'stopped' after stop() or a fatal failure.
   */
  state(): SourceState;
  /** Partitions currently assigned (for pausing everything while the IRP circuit is open). */
  assignment(): TopicPartition[];
  /** Called with the partitions about to be revoked (after in-flight work was given a chance). */
  onRevoke?(listener: (partitions: TopicPartition[]) => Promise<void>): void;
  /**
   * Called before the first batch of a partition in each assignment when records this group never
   * processed are gone (its committed offset is below the log start: retention deleted them, or they
   * were deleted before the group first committed). The batch waits for the listener, so the gap is
   * reported (on the errors topic) before anything after it; a listener that rejects stops the source.
   */
  onGap?(listener: (gap: OffsetGap) => Promise<void>): void;
  /** Consumer lag per partition, where the source can tell. */
  lag?(): Promise<{ topic: string; partition: number; lag: number }[]>;
  /**
   * The group's committed offsets (null: none), read as stable: a transaction still open is waited for
   * (or the call fails), never taken for committed. Exactly-once needs it to settle a transaction whose
   * commit failed without saying whether it took effect.
   */
  committedOffsets?(
    partitions: TopicPartition[],
  ): Promise<{ topic: string; partition: number; offset: string | null }[]>;
  stop(): Promise<void>;
}

/**
 * Why a sink refused an output, so the runner can route it instead of looping crash → restart → republish.
 * too-large: the record exceeds what the broker/topic accepts (never succeeds on retry); unknown-topic: the
 * topic does not exist (operator error); unavailable: transient (the broker is down or busy).
 */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  constructor(
    message: string,
    readonly kind: 'too-large' | 'unknown-topic' | 'unavailable',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** One output record. */
export interface OutputRecord {
  topic: string;
  key: string | Buffer | null;
  value: Buffer | string;
  headers: Record<string, string | Buffer>;
}

/**
 * output-sink: publishes records and resolves only when the broker acknowledged all of them (acks=all).
 * Rejects with a {@link PublishError} saying whether a retry can help.
 * With `transactional`, `commitTransaction` publishes outputs and the consumer offsets atomically.
 */
export interface OutputSink {
  readonly name: string;
  send(records: OutputRecord[]): Promise<void>;
  readonly transactional: boolean;
  /** Exactly-once: outputs and offsets in one Kafka transaction; rejects (and aborts) on failure. */
  sendInTransaction?(
    records: OutputRecord[],
    offsets: TopicPartitionOffset[],
    groupId: string,
  ): Promise<void>;
  close(): Promise<void>;
}

/** event-decoder: raw bytes → the record the connector maps; a failure is a dead letter. */
export interface EventDecoder {
  decode(
    value: Buffer,
  ): Promise<{ ok: true; record: unknown; schemaId?: number } | { ok: false; failure: Failure }>;
  /** Releases connections (a schema registry client); optional. */
  close?(): Promise<void>;
}

/** What the IRP answered for one event, as the pipeline publishes it. */
export interface IrpSuccess {
  /** IRP response fields (Irn, AckNo, AckDt, Status, SignedInvoice, SignedQRCode, EwbNo, …). */
  data: Record<string, unknown>;
  /** 2150 resolved to the earlier registration. */
  recovered: boolean;
}

/**
 * irp-gateway: submits a mapped, validated event to the IRP. Resolves with the success or a failure
 * of family `rejected`, `conflict`, `credentials` or `transient` — never throws for IRP answers.
 */
export interface IrpGateway {
  submit(event: MappedEvent): Promise<{ ok: true; success: IrpSuccess } | { ok: false; failure: Failure }>;
  /** Whether the IRP is usable now (circuit closed or half-open). */
  available(): boolean;
  /** Resolves when the IRP becomes usable again (the circuit half-opens), or after `maxWaitMs`. */
  waitUntilAvailable(maxWaitMs: number): Promise<void>;
  /**
   * For a document past its 30-day reporting window (2305): a finding saying why it is late — the IRP
   * outage that overlapped the window, or that the record (Kafka timestamp `receivedAtMs`) arrived
   * while the window was open — or undefined.
   */
  explainLate?(docDate: string, receivedAtMs?: number): FailureDetail | undefined;
  close(): Promise<void>;
}

export type { Connector, MappedEvent };
