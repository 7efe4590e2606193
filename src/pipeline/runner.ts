/**
 * The runner: feeds source batches through the stages and publishes one output per input before that
 * input's offset is committed.
 *
 * - No batch barrier. A batch's records are prepared (decode, map, validate) in offset order and
 *   ADMITTED to a {@link KeyScheduler} (same document key in order, different keys concurrently, at most
 *   `maxInFlight` IRP submissions at once); the batch handler then returns, so one slow record never
 *   holds the source's next fetch (nor other partitions). Each partition admits at most
 *   max(100, 2 × `maxInFlight`) records past its committable offset; a partition at that bound is paused
 *   until its records catch up (the source delivers what was not admitted again).
 * - at-least-once: each output is sent (acks=all) before its record counts as complete; the highest
 *   contiguous completed offset per partition is committed every `commitIntervalMs`. A crash between
 *   publish and commit replays records, and the IRP's 2150 recovery turns a replayed generate into the
 *   same IRN, marked `recovered`.
 * - exactly-once: every `commitIntervalMs`, the outputs of each partition's contiguous completed prefix
 *   and the offsets after it go in one Kafka transaction.
 * - Commits go only to partitions the source still owns; after a revocation the new owner replays from
 *   the committed offset, and a partition delivered again from before what was taken starts afresh.
 * - An IRP outage (the client's circuit open) pauses every partition; waiting records sleep until the
 *   circuit half-opens, and that wait never spends a record's retry budget. One record that keeps getting
 *   transient answers while the IRP is otherwise answering is retried with backoff within
 *   `recordRetry` (attempts, time), then published to the errors topic as RETRY_EXHAUSTED with every
 *   attempt's code.
 * - A cancel or e-way bill whose document the IRP does not know yet (its generate runs on another
 *   partition or instance) is held and retried for `pendingDocumentWindowMs`, then rejected with the
 *   IRP's own code.
 * - An output the brokers can never take (too large) becomes a dead letter with the input's bytes; a
 *   missing output topic halts. Neither is retried against the IRP.
 * - A credentials (or operator) failure halts: every partition is paused (the member stays in its group),
 *   in-flight records finish or stop before their IRP call, what completed is committed, and no further
 *   IRP call is made. Only a signal (`stop()`) ends the run.
 */
import type { Logger } from 'pino';
import type { MappedEvent } from '../../connectors/types.js';
import type { PipelineMetrics } from '../ops/metrics.js';
import { failure, type Failure, type FailureDetail } from './failures.js';
import { KeyScheduler, type Slot } from './key-scheduler.js';
import { PartitionOffsets } from './offset-tracker.js';
import { coordinatesOnlyDeadLetterRecord, deadLetterRecord, errorRecord } from './outputs.js';
import {
  PublishError,
  type InvoiceSource,
  type OutputRecord,
  type OutputSink,
  type SourceBatch,
  type SourceMessage,
  type TopicPartition,
  type TopicPartitionOffset,
} from './ports.js';
import { prepare, provisionalKey, submit, type StageDeps, type Step } from './stages.js';

export interface RunnerConfig {
  sourceId: string;
  groupId: string;
  mode: 'at-least-once' | 'exactly-once';
  /** IRP submissions at once (a partition holds at most max(100, 4×this) records past its committed offset). */
  maxInFlight: number;
  commitIntervalMs: number;
  heartbeatIntervalMs: number;
  /** Longest single wait for the IRP circuit before re-checking (the wait itself repeats). */
  circuitWaitMs: number;
  /** One record's transient answers, outside outages: after this many attempts or this long, RETRY_EXHAUSTED. */
  recordRetry: { attempts: number; maxMs: number };
  /** How long a cancel/e-way bill for a document the IRP does not know yet is held for its generate. */
  pendingDocumentWindowMs: number;
  /** How long `stop()` waits for in-flight records before it commits what completed and gives up. */
  drainTimeoutMs: number;
  /** First backoff between one record's attempts (doubling, with jitter, to 30× this). */
  retryBackoffMs: number;
}

export const DEFAULT_RUNNER_CONFIG: Omit<RunnerConfig, 'sourceId' | 'groupId'> = {
  mode: 'at-least-once',
  maxInFlight: 64,
  commitIntervalMs: 1000,
  heartbeatIntervalMs: 3000,
  circuitWaitMs: 5000,
  recordRetry: { attempts: 8, maxMs: 10 * 60_000 },
  pendingDocumentWindowMs: 60_000,
  drainTimeoutMs: 45_000,
  retryBackoffMs: 1000,
};

/** IRP answers meaning "no such IRN/document (yet)": a cancel or e-way bill that overtook its generate. */
export const PENDING_DOCUMENT_CODES: ReadonlySet<string> = new Set(['2148', '2154', '4003']);

export interface RunnerStatus {
  running: boolean;
  /** stop() was called: no new records, in-flight ones finishing. */
  stopping: boolean;
  halted?: Failure;
  circuitOpen: boolean;
  inFlight: number;
  counts: Record<'in' | 'result' | 'error' | 'dead-letter', number>;
}

/** A record that stops without an output (halt, shutdown): it is not committed and is read again. */
class Abandoned extends Error {}

const tpKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

type Final = Extract<Step, { type: 'final' }>;

/** exactly-once: a partition's share of one transaction — outputs below `below`, offset `offset`. */
interface TakenPrefix {
  p: PartitionState;
  below: bigint;
  offset: string;
}

/** What the runner keeps per partition while it owns it. */
class PartitionState {
  readonly offsets = new PartitionOffsets();
  lastAdmitted: bigint | undefined;
  /** Paused because `maxInFlight` records wait past its committable offset. */
  windowPaused = false;
  /** The committable offset last committed (or handed to a transaction). */
  committed: string | undefined;
  /** exactly-once: completed outputs waiting for their transaction, by offset. */
  readonly outputs = new Map<bigint, { step: Final; msg: SourceMessage }>();
  constructor(readonly tp: TopicPartition) {}
}

export class PipelineRunner {
  private readonly scheduler: KeyScheduler;
  private readonly partitions = new Map<string, PartitionState>();
  private readonly pendingCommits = new Map<string, TopicPartitionOffset>();
  private commitTimer: NodeJS.Timeout | undefined;
  private commitChain: Promise<void> = Promise.resolve();
  private commitFailed = false;
  /** exactly-once: the transaction whose commit failed without saying whether it took effect. */
  private inDoubt: TakenPrefix[] | undefined;
  private halted: Failure | undefined;
  private circuitOpen = false;
  private running = false;
  private stopping = false;
  private stopped: Promise<boolean> | undefined;
  /** Resolves when the runner stops or halts: every wait ends early on it. */
  private wake!: () => void;
  private readonly woken = new Promise<void>((r) => (this.wake = r));
  private readonly counts = { in: 0, result: 0, error: 0, 'dead-letter': 0 };
  /**
   * Document keys whose generate this process answered with a rejection or dead letter (the newest
   * 10,000): a cancel of such a document is not waiting for anything, so it is not held.
   */
  private readonly refusedGenerates = new Set<string>();
  private readonly listeners: ((status: RunnerStatus) => void)[] = [];

  constructor(
    private readonly source: InvoiceSource,
    private readonly sink: OutputSink,
    private readonly stages: StageDeps,
    private readonly config: RunnerConfig,
    private readonly metrics: PipelineMetrics,
    private readonly log: Logger,
  ) {
    if (config.mode === 'exactly-once' && !sink.transactional)
      throw new Error('exactly-once mode needs a transactional sink (Kafka with a transactional id)');
    this.scheduler = new KeyScheduler(config.maxInFlight);
    // Twice the slots: a partition alone still keeps every slot busy (it resumes at half, when the
    // slots' worth is still outstanding), and what waits prepared for a slot (its invoice, its raw
    // record) stays bounded. At 4× the peak RSS was 31–48 MB higher at maxInFlight 256, two partitions
    // (bench P2). The smaller window pauses partitions more often: the source's fetch wait (kafkajs
    // 100 ms, librdkafka 500 ms) is what a resumed partition waits before it is fetched again.
    this.partitionWindow = Math.max(100, 2 * config.maxInFlight);
  }

  /**
   * Records one partition may hold past its committable offset (in flight, or done behind a slower one)
   * before it is paused: bounds memory and what a restart replays, without stalling a partition on
   * every slow record.
   */
  private readonly partitionWindow: number;

  /**
   * Consumes until the source ends (a file read to its end) or `stop()`; what was admitted finishes and
   * is committed. Resolves with the final status; rejects when the source failed.
   */
  async run(): Promise<RunnerStatus> {
    this.running = true;
    this.notify();
    let failed = false;
    try {
      await this.source.run((batch) => this.handleBatch(batch));
    } catch (err) {
      failed = true;
      throw err;
    } finally {
      // A source that failed cannot take commits: records still in flight stop where they are.
      if (failed) this.beginStopping();
      await this.drain();
      await this.finalCommit();
      this.running = false;
      this.notify();
    }
    return this.status();
  }

  /**
   * Stop taking records, let in-flight records finish (records not yet at the IRP stop and are read
   * again by the next owner), commit what completed, and stop the source. Resolves with whether the
   * drain finished within `drainTimeoutMs`.
   */
  stop(): Promise<boolean> {
    this.stopped ??= (async () => {
      this.beginStopping();
      this.log.info({ inFlight: this.scheduler.pending }, 'stopping: finishing in-flight records');
      const drained = await this.drain();
      if (!drained)
        this.log.error(
          { inFlight: this.scheduler.pending, drainTimeoutMs: this.config.drainTimeoutMs },
          'drain did not finish in time: committing what completed; the rest is read again',
        );
      await this.finalCommit();
      await this.source.stop();
      return drained;
    })();
    return this.stopped;
  }

  status(): RunnerStatus {
    const s: RunnerStatus = {
      running: this.running,
      stopping: this.stopping,
      circuitOpen: this.circuitOpen,
      inFlight: this.scheduler.pending,
      counts: { ...this.counts },
    };
    if (this.halted) s.halted = this.halted;
    return s;
  }

  onStatus(listener: (status: RunnerStatus) => void): void {
    this.listeners.push(listener);
  }

  private notify(): void {
    const s = this.status();
    for (const l of this.listeners) l(s);
  }

  private beginStopping(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.wake();
    // No new batches while draining (a handler that admits nothing would otherwise be fed the same batch).
    this.safely(() => this.source.pauseAll());
    this.notify();
  }

  /** Waits for every admitted record, at most `drainTimeoutMs` once stopping; true when all finished. */
  private async drain(): Promise<boolean> {
    if (!this.stopping) await Promise.race([this.scheduler.drain(), this.woken]);
    if (this.scheduler.pending === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>(
      (r) => (timer = setTimeout(() => r(false), this.config.drainTimeoutMs)),
    );
    try {
      return await Promise.race([this.scheduler.drain().then(() => true as const), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The partition's state; a partition delivered again from before what was taken starts afresh. */
  private partitionFor(batch: SourceBatch): PartitionState {
    const k = tpKey(batch.topic, batch.partition);
    let p = this.partitions.get(k);
    const first = batch.messages[0];
    if (p && first && p.lastAdmitted !== undefined && BigInt(first.offset) <= p.lastAdmitted) {
      // Revoked and assigned again (or sought back): the records in flight for the old session finish,
      // but their completions no longer count here; the broker's committed offset is the truth.
      this.log.info(
        { topic: batch.topic, partition: batch.partition, from: first.offset },
        'partition delivered again from an earlier offset: tracking afresh',
      );
      p = undefined;
    }
    if (!p) {
      p = new PartitionState({ topic: batch.topic, partition: batch.partition });
      this.partitions.set(k, p);
    }
    return p;
  }

  private async handleBatch(batch: SourceBatch): Promise<void> {
    if (this.halted || this.stopping) return;
    const p = this.partitionFor(batch);
    let lastAdmitted: string | undefined;
    for (const msg of batch.messages) {
      if (!batch.isActive() || this.halted || this.stopping) break;
      if (p.offsets.outstanding >= this.partitionWindow) {
        // The partition's records are waiting on a slow one: take no more of it (other partitions go on).
        p.windowPaused = true;
        this.safely(() => this.source.pause([p.tp]));
        break;
      }
      const step = await this.prepareWithRetry(msg, batch);
      if (!step) break;
      if (step.type === 'halt') {
        this.halt(step.failure);
        break;
      }
      this.admit(p, msg, step);
      lastAdmitted = msg.offset;
    }
    // The source fetches on from here; records past it (not admitted) are delivered again.
    if (lastAdmitted !== undefined) batch.resolveOffset(lastAdmitted);
  }

  private admit(p: PartitionState, msg: SourceMessage, step: Step): void {
    const label = { source: this.config.sourceId };
    this.counts.in++;
    this.metrics.recordsIn.inc({ ...label, topic: msg.topic });
    this.metrics.inFlight.inc(label);
    p.offsets.begin(msg.offset);
    p.lastAdmitted = BigInt(msg.offset);
    const key = step.type === 'submit' ? step.docKey : provisionalKey(msg);
    void this.scheduler
      .run(key, (slot) => this.finish(step, msg, slot))
      .then(
        (final) => {
          this.metrics.inFlight.dec(label);
          this.completed(p, msg, final);
        },
        (err: unknown) => {
          this.metrics.inFlight.dec(label);
          // A record that stopped (halt, shutdown) stays uncommitted: the commit stops before it.
          if (!(err instanceof Abandoned))
            this.log.error(
              { err: String(err), offset: msg.offset },
              'record failed unexpectedly; not committed',
            );
        },
      );
  }

  private completed(p: PartitionState, msg: SourceMessage, step: Final): void {
    if (this.partitions.get(tpKey(p.tp.topic, p.tp.partition)) !== p) return; // tracked afresh since
    if (this.config.mode === 'exactly-once') p.outputs.set(BigInt(msg.offset), { step, msg });
    const next = p.offsets.complete(msg.offset);
    if (next) this.queueCommit({ ...p.tp, offset: next });
    if (p.windowPaused && p.offsets.outstanding <= this.partitionWindow / 2) {
      p.windowPaused = false;
      if (!this.halted && !this.circuitOpen && !this.stopping) this.safely(() => this.source.resume([p.tp]));
    }
  }

  /** Decode, map and validate; a transient decode failure (schema registry down) is retried until it clears. */
  private async prepareWithRetry(msg: SourceMessage, batch: SourceBatch): Promise<Step | undefined> {
    for (let attempt = 0; ; attempt++) {
      const step = await prepare(this.stages, msg);
      if (step.type !== 'retry') return step;
      this.metrics.retries.inc({ source: this.config.sourceId, code: step.failure.code });
      if (attempt === 0)
        this.log.warn(
          { code: step.failure.code, offset: msg.offset },
          'decode dependency unavailable: retrying',
        );
      const delay = Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));
      await this.sleep(delay);
      await batch.heartbeat().catch(() => undefined);
      if (!batch.isActive() || this.stopping || this.halted) return undefined;
    }
  }

  /** Runs a record to its final output and publishes it (at-least-once) or returns it (exactly-once). */
  private async finish(first: Step, msg: SourceMessage, slot: Slot): Promise<Final> {
    // Not at the IRP yet: a halt or a shutdown stops it here (it is read again later).
    if (this.halted || this.stopping) throw new Abandoned();
    const step = first.type === 'submit' ? await this.submitUntilFinal(first, msg, slot) : first;
    if (step.type === 'halt') {
      this.halt(step.failure);
      throw new Abandoned();
    }
    if (step.type !== 'final') throw new Error(`unexpected step ${step.type}`);
    this.rememberRefused(first, step);
    // exactly-once: published (and counted) by the transaction of its commit interval.
    if (this.config.mode === 'exactly-once') return step;
    return this.publish(step, msg, slot);
  }

  /**
   * Submits until the IRP gives a final answer. Transient answers are retried: during an outage (the
   * client's circuit open) every partition pauses and the record waits for the circuit without spending
   * its budget; otherwise the record alone backs off and spends its `recordRetry` budget, then ends as
   * RETRY_EXHAUSTED. A cancel/e-way bill for a document the IRP does not know yet is held for its generate.
   */
  private async submitUntilFinal(
    first: Extract<Step, { type: 'submit' }>,
    msg: SourceMessage,
    slot: Slot,
  ): Promise<Exclude<Step, { type: 'submit' } | { type: 'retry' }>> {
    const attempts: FailureDetail[] = [];
    let spentMs = 0;
    let pendingSince: number | undefined;
    for (let round = 0; ; round++) {
      if (this.circuitOpen || !this.stages.gateway.available()) await this.waitForIrp();
      if (this.halted || this.stopping) throw new Abandoned();
      const started = performance.now();
      const next = await submit(this.stages, msg, first.event);
      const tookMs = performance.now() - started;
      const outcome = next.type === 'final' ? next.output : next.type;
      this.metrics.irpLatency.observe({ source: this.config.sourceId, outcome }, tookMs / 1000);

      if (next.type === 'retry') {
        this.metrics.retries.inc({ source: this.config.sourceId, code: next.failure.code });
        if (next.failure.code === 'CIRCUIT_OPEN' || !this.stages.gateway.available()) {
          // An outage: many records fail, the client's breaker opened. Waiting costs no budget.
          this.openCircuit();
          continue;
        }
        spentMs += tookMs;
        attempts.push({
          code: next.failure.code,
          message: next.failure.message,
          detail: `attempt ${attempts.length + 1} at ${this.stages.now().toISOString()}`,
        });
        if (attempts.length >= this.config.recordRetry.attempts || spentMs >= this.config.recordRetry.maxMs)
          return this.exhausted(first, msg, attempts, spentMs);
        this.log.warn(
          { code: next.failure.code, docKey: first.docKey, offset: msg.offset, attempt: attempts.length },
          'IRP answered this record transiently: retrying it',
        );
        const backoff = this.backoffMs(attempts.length);
        const waited = performance.now();
        await slot.outside(this.sleep(backoff));
        spentMs += performance.now() - waited;
        continue;
      }
      this.closeCircuit();
      if (next.type === 'final' && this.isPendingDocument(first.event, next)) {
        const now = performance.now();
        pendingSince ??= now;
        if (now - pendingSince < this.config.pendingDocumentWindowMs) {
          if (now === pendingSince)
            this.log.info(
              { code: next.failure?.code, docKey: first.docKey, offset: msg.offset },
              'the IRP does not know this document yet: holding the event for its generate',
            );
          // Its generate may be queued behind it on the same document key: let it go first.
          slot.letOthersPass();
          const wait = Math.min(
            this.backoffMs(round + 1),
            this.config.pendingDocumentWindowMs - (now - pendingSince),
          );
          await slot.outside(this.sleep(wait));
          continue;
        }
      }
      return next as Exclude<Step, { type: 'submit' } | { type: 'retry' }>;
    }
  }

  private rememberRefused(first: Step, final: Final): void {
    if (final.output === 'result') return;
    const docKey =
      first.type === 'submit'
        ? first.event.kind === 'generate'
          ? first.docKey
          : undefined
        : typeof final.record.key === 'string'
          ? final.record.key // a rejection before the IRP is keyed by its document
          : undefined;
    if (docKey === undefined) return;
    this.refusedGenerates.delete(docKey);
    this.refusedGenerates.add(docKey);
    if (this.refusedGenerates.size > 10_000)
      this.refusedGenerates.delete(this.refusedGenerates.values().next().value!);
  }

  /**
   * A cancel or e-way bill answered "no such IRN/document": its generate may not have run yet — unless
   * this process already saw that generate refused.
   */
  private isPendingDocument(event: MappedEvent, step: Final): boolean {
    return (
      event.kind !== 'generate' &&
      !this.refusedGenerates.has(event.docKey) &&
      step.output === 'error' &&
      step.failure?.family === 'rejected' &&
      step.failure.errors.some((e) => PENDING_DOCUMENT_CODES.has(e.code))
    );
  }

  private exhausted(
    first: Extract<Step, { type: 'submit' }>,
    msg: SourceMessage,
    attempts: FailureDetail[],
    spentMs: number,
  ): Final {
    const f = failure('exhausted', 'submit', [
      {
        code: 'RETRY_EXHAUSTED',
        message:
          `no final IRP answer after ${attempts.length} attempts over ${Math.round(spentMs / 1000)} s ` +
          `while the IRP answered other records (pipeline.recordRetry); codes: ${attempts.map((a) => a.code).join(', ')}`,
      },
      ...attempts,
    ]);
    return { type: 'final', output: 'error', record: errorRecordFor(this.stages, msg, f, first), failure: f };
  }

  /**
   * Publishes a record's output. Too large for the brokers: a dead letter with the input's bytes (or,
   * if even those are too large, one that says so with the coordinates). A missing topic halts. A broker
   * that is unavailable is retried (the IRP is never asked again for this record).
   */
  private async publish(step: Final, msg: SourceMessage, slot: Slot): Promise<Final> {
    let current = step;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.sink.send([current.record]);
        this.count(current);
        return current;
      } catch (err) {
        this.metrics.produceFailures.inc({ source: this.config.sourceId });
        if (err instanceof PublishError && err.kind === 'too-large') {
          current = this.tooLarge(current, msg, err);
          continue;
        }
        if (err instanceof PublishError && err.kind === 'unknown-topic') {
          this.halt(
            failure('operator', 'publish', [
              {
                code: 'PUBLISH_UNKNOWN_TOPIC',
                message: `output topic ${current.record.topic} does not exist: ${err.message}`,
              },
            ]),
          );
          throw new Abandoned();
        }
        if (this.stopping || this.halted) throw new Abandoned();
        if (attempt === 1)
          this.log.warn(
            { err: String(err), topic: current.record.topic, offset: msg.offset },
            'output not acknowledged: retrying the send',
          );
        await slot.outside(this.sleep(this.backoffMs(attempt)));
      }
    }
  }

  private tooLarge(current: Final, msg: SourceMessage, err: PublishError): Final {
    const bytes = (v: Buffer | string | null) => (v === null ? 0 : Buffer.byteLength(v));
    const alreadyDeadLetter = current.failure?.errors[0]?.code === 'PUBLISH_TOO_LARGE';
    if (alreadyDeadLetter && current.record.value === msg.value) {
      // Even the input's own bytes are too large for the dead-letter topic: say so, with the coordinates.
      return {
        ...current,
        record: coordinatesOnlyDeadLetterRecord(this.stages, msg, current.failure!, bytes(msg.value)),
      };
    }
    if (alreadyDeadLetter) {
      this.halt(
        failure('operator', 'publish', [
          {
            code: 'PUBLISH_TOO_LARGE',
            message: `even a coordinates-only dead letter is too large for ${current.record.topic}: ${err.message}`,
          },
        ]),
      );
      throw new Abandoned();
    }
    const f = failure('unpublishable', 'publish', [
      {
        code: 'PUBLISH_TOO_LARGE',
        message: `the ${current.output} record (${bytes(current.record.value)} bytes) for ${current.record.topic} is larger than the brokers accept: ${err.message}`,
        detail: current.failure ? `it carried ${current.failure.code}` : undefined,
      },
    ]);
    if (f.errors[0]!.detail === undefined) delete f.errors[0]!.detail;
    return {
      type: 'final',
      output: 'dead-letter',
      record: deadLetterRecord(this.stages, msg, f),
      failure: f,
    };
  }

  private count(step: Final): void {
    const source = this.config.sourceId;
    this.counts[step.output]++;
    this.metrics.outputs.inc({ source, output: step.output });
    if (step.output === 'result') {
      const value =
        step.result ?? (JSON.parse(String(step.record.value)) as { kind?: string; recovered?: boolean });
      this.metrics.results.inc({
        source,
        kind: value.kind ?? 'generate',
        recovered: String(Boolean(value.recovered)),
      });
    } else if (step.output === 'error') {
      this.metrics.rejections.inc({
        source,
        code: step.failure?.code ?? 'UNKNOWN',
        stage: step.failure?.stage ?? 'submit',
      });
    } else {
      this.metrics.deadLetters.inc({ source, code: step.failure?.code ?? 'UNKNOWN' });
    }
  }

  /** Backoff with jitter between one record's attempts: `retryBackoffMs` (1 s) doubling to 30×. */
  private backoffMs(attempt: number): number {
    const first = this.config.retryBackoffMs;
    const base = Math.min(30 * first, first * 2 ** Math.min(Math.max(attempt - 1, 0), 5));
    return base / 2 + Math.random() * (base / 2);
  }

  /** Sleeps `ms`, or less when the runner stops or halts. */
  private async sleep(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.woken, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
  }

  /**
   * While the IRP is unavailable every partition stays paused; a waiting record sleeps until the client's
   * circuit half-opens (or `circuitWaitMs` passes), then tries again. The client's breaker answers
   * `circuit-open` without a request, so these retries cost the IRP nothing; a floor of one second keeps
   * a half-open circuit (where only the probe goes through) from turning into a busy loop.
   */
  private async waitForIrp(): Promise<void> {
    this.openCircuit();
    if (this.halted || this.stopping) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.woken,
      Promise.all([
        this.stages.gateway.waitUntilAvailable(this.config.circuitWaitMs),
        new Promise<void>((r) => (timer = setTimeout(r, Math.min(1000, this.config.circuitWaitMs)))),
      ]),
    ]);
    clearTimeout(timer);
  }

  private openCircuit(): void {
    if (this.circuitOpen) return;
    this.circuitOpen = true;
    this.metrics.circuitOpen.set({ source: this.config.sourceId }, 1);
    this.safely(() => this.source.pauseAll());
    this.log.warn('IRP unavailable: consumption paused');
    this.notify();
  }

  /** The first answer that is not transient after an outage resumes consumption. */
  private closeCircuit(): void {
    if (!this.circuitOpen) return;
    this.circuitOpen = false;
    this.metrics.circuitOpen.set({ source: this.config.sourceId }, 0);
    if (!this.halted && !this.stopping) this.resumeAllButFull();
    this.log.info('IRP answering again: consumption resumed');
    this.notify();
  }

  /** Resumes every partition but those still at their window bound. */
  private resumeAllButFull(): void {
    this.safely(() => this.source.resumeAll());
    const full = [...this.partitions.values()].filter((p) => p.windowPaused).map((p) => p.tp);
    if (full.length > 0) this.safely(() => this.source.pause(full));
  }

  /**
   * Stops consuming for good (credentials, operator error): every partition paused, the member stays in
   * its group (no rebalance storm, no replays elsewhere), records not yet at the IRP stop, what completed
   * is committed. Only a signal ends the run.
   */
  private halt(f: Failure): void {
    if (this.halted) return;
    this.halted = f;
    this.metrics.halted.set({ source: this.config.sourceId }, 1);
    this.safely(() => this.source.pauseAll());
    this.wake();
    const what = f.stage === 'publish' ? 'publishing' : f.stage === 'decode' ? 'decoding' : 'IRP';
    this.log.error(
      { code: f.code, family: f.family, message: f.message },
      `${what} ${f.family} failure: source halted (paused, still in its group); fix it and restart`,
    );
    this.notify();
    void this.scheduler
      .drain()
      .then(() => this.flushCommits())
      .then(() => this.log.info({ counts: this.counts }, 'halted: what completed is committed'));
  }

  private safely(action: () => void): void {
    try {
      action();
    } catch (err) {
      this.log.warn({ err: String(err) }, 'source refused a pause/resume');
    }
  }

  /** The last commit before the source stops: a failed one is tried twice more. */
  private async finalCommit(): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      this.commitFailed = false;
      await this.flushCommits();
      if (!this.commitFailed) return;
      await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
    }
  }

  private queueCommit(offset: TopicPartitionOffset): void {
    this.pendingCommits.set(tpKey(offset.topic, offset.partition), offset);
    this.commitTimer ??= setTimeout(() => {
      this.commitTimer = undefined;
      void this.flushCommits();
    }, this.config.commitIntervalMs);
  }

  /**
   * Which partitions the source owns now. Mid-rebalance nothing is decided (`wait`: commits are kept for
   * later). A member's revoked partitions are forgotten: their pending commit and exactly-once outputs
   * are dropped and late completions ignored, because the new owner replays from the committed offset
   * (and so do we, if it comes back). A source that is not a group member (finished, stopped) decides.
   */
  private ownership(): { wait: boolean; owns: (tp: TopicPartition) => boolean } {
    const { phase, assigned } = this.source.state();
    if (phase === 'rebalancing') return { wait: true, owns: () => false };
    if (phase !== 'member') return { wait: false, owns: () => true };
    const owned = new Set(assigned.map((tp) => tpKey(tp.topic, tp.partition)));
    const owns = (tp: TopicPartition) => owned.has(tpKey(tp.topic, tp.partition));
    for (const [k, p] of this.partitions)
      if (!owns(p.tp)) {
        this.partitions.delete(k);
        this.pendingCommits.delete(k);
      }
    return { wait: false, owns };
  }

  /** Commits everything pending, one commit at a time so offsets never go backwards. */
  private flushCommits(): Promise<void> {
    if (this.commitTimer) {
      clearTimeout(this.commitTimer);
      this.commitTimer = undefined;
    }
    // After a failed commit the chain goes on: the failure was logged below, the offsets are kept.
    this.commitChain = this.commitChain
      .catch(() => undefined)
      .then(() => (this.config.mode === 'exactly-once' ? this.commitTransaction() : this.commitOffsets()));
    return this.commitChain.catch((err: unknown) =>
      this.log.warn({ err: String(err) }, 'offset commit failed; will retry'),
    );
  }

  private async commitOffsets(): Promise<void> {
    if (this.pendingCommits.size === 0) return;
    const { wait, owns } = this.ownership();
    if (wait) {
      this.commitFailed = true;
      this.queueCommitRetry();
      return;
    }
    const offsets = [...this.pendingCommits.values()].filter(owns);
    this.pendingCommits.clear();
    if (offsets.length === 0) return;
    try {
      await this.source.commit(offsets);
      this.metrics.commits.inc({ source: this.config.sourceId });
    } catch (err) {
      this.commitFailed = true;
      this.metrics.commitFailures.inc({ source: this.config.sourceId });
      // Keep them unless something newer arrived meanwhile, and try again at the next interval.
      for (const o of offsets)
        if (!this.pendingCommits.has(tpKey(o.topic, o.partition)))
          this.pendingCommits.set(tpKey(o.topic, o.partition), o);
      if (!this.stopping) this.queueCommitRetry();
      throw err;
    }
  }

  private queueCommitRetry(): void {
    this.commitTimer ??= setTimeout(() => {
      this.commitTimer = undefined;
      void this.flushCommits();
    }, this.config.commitIntervalMs);
  }

  /**
   * exactly-once: one transaction with the outputs of every owned partition's contiguous completed
   * prefix and the offsets after it. Outputs past a gap wait for the gap to close.
   */
  private async commitTransaction(): Promise<void> {
    this.pendingCommits.clear();
    const { wait } = this.ownership();
    if (wait) {
      this.commitFailed = true;
      this.queueCommitRetry();
      return;
    }
    if (this.inDoubt)
      await this.settleInDoubt(this.inDoubt).catch((err: unknown) => {
        this.commitFailed = true;
        if (!this.stopping) this.queueCommitRetry();
        throw err;
      });
    const records: OutputRecord[] = [];
    const offsets: TopicPartitionOffset[] = [];
    const taken: TakenPrefix[] = [];
    for (const p of this.partitions.values()) {
      const commit = p.offsets.committable();
      if (commit === undefined || commit === p.committed) continue;
      const below = BigInt(commit);
      const prefix = [...p.outputs.keys()].filter((o) => o < below).sort((a, b) => (a < b ? -1 : 1));
      for (const o of prefix) records.push(p.outputs.get(o)!.step.record);
      offsets.push({ ...p.tp, offset: commit });
      taken.push({ p, below, offset: commit });
    }
    if (offsets.length === 0) return;
    try {
      await this.sink.sendInTransaction!(records, offsets, this.config.groupId);
    } catch (err) {
      // One output the brokers can never take: find it, one transaction per record, and dead-letter it.
      if (err instanceof PublishError && err.kind === 'too-large') return this.commitEachAlone(taken);
      // Outputs and offsets go together in a transaction: a failed one counts as a failed commit. A
      // failed EndTxn does not say whether the commit took effect (a broker restart in the middle): the
      // next attempt first reads the group's offsets, so outputs already committed are not sent again.
      if (this.source.committedOffsets) this.inDoubt = taken;
      this.commitFailed = true;
      this.metrics.commitFailures.inc({ source: this.config.sourceId });
      if (!this.stopping) this.queueCommitRetry();
      throw err;
    }
    this.metrics.commits.inc({ source: this.config.sourceId });
    this.markCommitted(taken);
  }

  /** The transaction of `taken` committed: its outputs are published and counted. */
  private markCommitted(taken: TakenPrefix[]): void {
    for (const { p, below, offset } of taken) {
      for (const [o, { step }] of [...p.outputs]) {
        if (o >= below) continue;
        this.count(step);
        p.outputs.delete(o);
      }
      p.committed = offset;
    }
  }

  /**
   * A transaction whose commit failed may still have committed. The group's stable offsets say which:
   * where they reached the offset the transaction carried, its outputs are on the topics and are not
   * sent again; elsewhere it was aborted and they go in the next one. A failed read keeps the doubt
   * (and this attempt fails, to be retried), so nothing is sent twice on a guess.
   */
  private async settleInDoubt(taken: TakenPrefix[]): Promise<void> {
    const found = await this.source.committedOffsets!(taken.map(({ p }) => p.tp));
    this.inDoubt = undefined;
    const committed = taken.filter(({ p, offset }) => {
      const c = found.find((f) => f.topic === p.tp.topic && f.partition === p.tp.partition)?.offset;
      return c !== null && c !== undefined && BigInt(c) >= BigInt(offset);
    });
    if (committed.length > 0) {
      this.log.warn(
        { partitions: committed.map(({ p, offset }) => ({ ...p.tp, offset })) },
        'a transaction reported as failed had committed: its outputs are not sent again',
      );
      this.metrics.commits.inc({ source: this.config.sourceId });
      this.markCommitted(committed);
    }
  }

  /** exactly-once after a too-large refusal: record by record, each with the offset after it. */
  private async commitEachAlone(taken: TakenPrefix[]): Promise<void> {
    const tx = (records: OutputRecord[], tp: TopicPartition, offset: string) =>
      this.sink.sendInTransaction!(records, [{ ...tp, offset }], this.config.groupId);
    for (const { p, below, offset } of taken) {
      const prefix = [...p.outputs.keys()].filter((o) => o < below).sort((a, b) => (a < b ? -1 : 1));
      for (const o of prefix) {
        let entry = p.outputs.get(o)!;
        for (;;) {
          try {
            await tx([entry.step.record], p.tp, (o + 1n).toString());
            break;
          } catch (err) {
            if (!(err instanceof PublishError && err.kind === 'too-large')) {
              this.commitFailed = true;
              this.metrics.commitFailures.inc({ source: this.config.sourceId });
              if (!this.stopping) this.queueCommitRetry();
              throw err;
            }
            this.metrics.produceFailures.inc({ source: this.config.sourceId });
            entry = { step: this.tooLarge(entry.step, entry.msg, err), msg: entry.msg };
          }
        }
        this.metrics.commits.inc({ source: this.config.sourceId });
        this.count(entry.step);
        p.outputs.delete(o);
        p.committed = (o + 1n).toString();
      }
      if (p.committed !== offset) {
        await tx([], p.tp, offset);
        p.committed = offset;
      }
    }
  }
}

function errorRecordFor(
  stages: StageDeps,
  msg: SourceMessage,
  f: Failure,
  first: Extract<Step, { type: 'submit' }>,
): OutputRecord {
  const payload = first.event.kind === 'generate' ? first.event.invoice : first.event;
  return errorRecord(stages, msg, f, first.docKey, payload, first.event.kind);
}
