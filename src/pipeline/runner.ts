/**
 * The runner: feeds source batches through the stages and publishes one output per input before that
 * input's offset is committed.
 *
 * - Records of a partition are prepared in offset order, then submitted through a {@link KeyScheduler}:
 *   same document key in order, different keys concurrently, at most `maxInFlight` at once (the
 *   batch loop waits for a slot: back-pressure instead of unbounded buffering).
 * - at-least-once: each output is sent (acks=all) before its record counts as complete; the highest
 *   contiguous completed offset per partition is committed every `commitIntervalMs` and when a batch
 *   ends. A crash between publish and commit replays records, and the IRP's 2150 recovery turns a
 *   replayed generate into the same IRN, marked `recovered`.
 * - exactly-once: a batch's outputs and its offsets go in one Kafka transaction.
 * - A transient IRP failure keeps the record: all partitions pause, the runner waits (heartbeating)
 *   until the circuit half-opens, resumes and submits again. An outage never becomes a rejection.
 * - A credentials failure halts the source: nothing more is taken, what completed is committed, and
 *   the runner reports the halt (a GSTIN is never hammered with failing calls).
 */
import type { Logger } from 'pino';
import type { PipelineMetrics } from '../ops/metrics.js';
import type { Failure } from './failures.js';
import { KeyScheduler } from './key-scheduler.js';
import { PartitionOffsets } from './offset-tracker.js';
import type {
  InvoiceSource,
  OutputRecord,
  OutputSink,
  SourceBatch,
  SourceMessage,
  TopicPartitionOffset,
} from './ports.js';
import { prepare, provisionalKey, submit, type StageDeps, type Step } from './stages.js';

export interface RunnerConfig {
  sourceId: string;
  groupId: string;
  mode: 'at-least-once' | 'exactly-once';
  maxInFlight: number;
  commitIntervalMs: number;
  heartbeatIntervalMs: number;
  /** Longest single wait for the IRP circuit before re-checking (the wait itself repeats). */
  circuitWaitMs: number;
}

export const DEFAULT_RUNNER_CONFIG: Omit<RunnerConfig, 'sourceId' | 'groupId'> = {
  mode: 'at-least-once',
  maxInFlight: 64,
  commitIntervalMs: 1000,
  heartbeatIntervalMs: 3000,
  circuitWaitMs: 5000,
};

export interface RunnerStatus {
  running: boolean;
  halted?: Failure;
  circuitOpen: boolean;
  inFlight: number;
  counts: Record<'in' | 'result' | 'error' | 'dead-letter', number>;
}

class HaltSignal extends Error {}

const tpKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export class PipelineRunner {
  private readonly scheduler: KeyScheduler;
  private readonly pendingCommits = new Map<string, TopicPartitionOffset>();
  private commitTimer: NodeJS.Timeout | undefined;
  private commitChain: Promise<void> = Promise.resolve();
  private halted: Failure | undefined;
  private circuitOpen = false;
  private running = false;
  private stopping = false;
  private readonly counts = { in: 0, result: 0, error: 0, 'dead-letter': 0 };
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
  }

  /** Consumes until `stop()` or a halt; resolves with the final status. */
  async run(): Promise<RunnerStatus> {
    this.running = true;
    this.notify();
    try {
      await this.source.run((batch) => this.handleBatch(batch));
    } finally {
      await this.scheduler.drain();
      await this.flushCommits();
      this.running = false;
      this.notify();
    }
    return this.status();
  }

  /** Stop taking records, finish what is in flight, commit, and stop the source. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.log.info({ inFlight: this.scheduler.inFlight }, 'stopping: finishing in-flight records');
    await this.scheduler.drain();
    await this.flushCommits();
    await this.source.stop();
  }

  status(): RunnerStatus {
    const s: RunnerStatus = {
      running: this.running,
      circuitOpen: this.circuitOpen,
      inFlight: this.scheduler.inFlight,
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

  private async handleBatch(batch: SourceBatch): Promise<void> {
    if (this.halted || this.stopping) return;
    const offsets = new PartitionOffsets();
    const completions: Promise<void>[] = [];
    const transactional: { record: OutputRecord; offset: string }[] = [];
    const label = { source: this.config.sourceId };

    for (const msg of batch.messages) {
      if (!batch.isActive() || this.halted || this.stopping) break;
      const step = await this.prepareWithRetry(msg, batch);
      if (!step) break;
      if (step.type === 'halt') {
        this.halt(step.failure);
        break;
      }
      this.counts.in++;
      this.metrics.recordsIn.inc({ ...label, topic: msg.topic });
      offsets.begin(msg.offset);
      this.metrics.inFlight.inc(label);
      const key = step.type === 'submit' ? step.docKey : provisionalKey(msg);
      const { done } = await this.scheduler.submit(key, () => this.finish(step, msg, batch));
      completions.push(
        done.then(
          async (record) => {
            this.metrics.inFlight.dec(label);
            if (this.config.mode === 'exactly-once') {
              transactional.push({ record, offset: msg.offset });
              return;
            }
            const next = offsets.complete(msg.offset);
            if (next) {
              // Sources take the resolved offset as their fetch position, so only ever resolve the
              // highest contiguous one: resolving a later record first would rewind onto it.
              batch.resolveOffset((BigInt(next) - 1n).toString());
              this.queueCommit({ topic: batch.topic, partition: batch.partition, offset: next });
            }
          },
          (err: unknown) => {
            this.metrics.inFlight.dec(label);
            if (!(err instanceof HaltSignal)) throw err;
          },
        ),
      );
    }

    await this.withHeartbeat(Promise.all(completions), batch);
    if (this.config.mode === 'exactly-once') await this.commitTransaction(batch, offsets, transactional);
    else await this.flushCommits();
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
      await this.withHeartbeat(new Promise((r) => setTimeout(r, delay)), batch);
      if (!batch.isActive() || this.stopping || this.halted) return undefined;
    }
  }

  /** Runs a record to its final output (retrying transient IRP failures) and publishes it. */
  private async finish(first: Step, msg: SourceMessage, batch: SourceBatch): Promise<OutputRecord> {
    let step = first;
    while (step.type === 'submit') {
      if (this.circuitOpen || !this.stages.gateway.available()) await this.waitForIrp(batch);
      if (this.halted) throw new HaltSignal();
      const started = performance.now();
      const next = await submit(this.stages, msg, step.event);
      const outcome = next.type === 'final' ? next.output : next.type;
      this.metrics.irpLatency.observe(
        { source: this.config.sourceId, outcome },
        (performance.now() - started) / 1000,
      );
      if (next.type === 'retry') {
        this.metrics.retries.inc({ source: this.config.sourceId, code: next.failure.code });
        this.log.warn(
          { code: next.failure.code, docKey: step.docKey, offset: msg.offset },
          'IRP unavailable: record kept for retry',
        );
        this.openCircuit();
        continue;
      }
      this.closeCircuit();
      step = next;
    }
    if (step.type === 'halt') {
      this.halt(step.failure);
      throw new HaltSignal();
    }
    if (step.type !== 'final') throw new Error(`unexpected step ${step.type}`);
    this.count(step);
    if (this.config.mode === 'at-least-once')
      await this.sink.send([step.record]).catch((err: unknown) => {
        this.metrics.produceFailures.inc({ source: this.config.sourceId });
        throw err;
      });
    return step.record;
  }

  private count(step: Extract<Step, { type: 'final' }>): void {
    const source = this.config.sourceId;
    this.counts[step.output]++;
    this.metrics.outputs.inc({ source, output: step.output });
    if (step.output === 'result') {
      const value = JSON.parse(String(step.record.value)) as { kind?: string; recovered?: boolean };
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

  /**
   * While the IRP is unavailable every assigned partition stays paused; a waiting record sleeps until the
   * client's circuit half-opens (or `circuitWaitMs` passes), heartbeating, then tries again. The client's
   * breaker answers `circuit-open` without a request, so these retries cost the IRP nothing.
   */
  private async waitForIrp(batch: SourceBatch): Promise<void> {
    this.openCircuit();
    if (this.halted || this.stopping) return;
    await this.withHeartbeat(this.stages.gateway.waitUntilAvailable(this.config.circuitWaitMs), batch);
  }

  private openCircuit(): void {
    if (this.circuitOpen) return;
    this.circuitOpen = true;
    this.metrics.circuitOpen.set({ source: this.config.sourceId }, 1);
    this.source.pause(this.source.assignment());
    this.log.warn('IRP unavailable: consumption paused');
    this.notify();
  }

  /** The first answer that is not transient after an outage resumes consumption. */
  private closeCircuit(): void {
    if (!this.circuitOpen) return;
    this.circuitOpen = false;
    this.metrics.circuitOpen.set({ source: this.config.sourceId }, 0);
    if (!this.halted) this.source.resume(this.source.assignment());
    this.log.info('IRP answering again: consumption resumed');
    this.notify();
  }

  private halt(f: Failure): void {
    if (this.halted) return;
    this.halted = f;
    this.metrics.halted.set({ source: this.config.sourceId }, 1);
    this.source.pause(this.source.assignment());
    this.log.error(
      { code: f.code, family: f.family, message: f.message },
      `IRP ${f.family} failure: source halted, fix the configuration and restart`,
    );
    this.notify();
    void this.source.stop().catch((err: unknown) => this.log.error({ err }, 'stopping the source failed'));
  }

  private async withHeartbeat<T>(work: Promise<T>, batch: SourceBatch): Promise<T> {
    let finished = false;
    const beating = (async () => {
      while (!finished) {
        await new Promise((r) => setTimeout(r, this.config.heartbeatIntervalMs).unref());
        if (finished) break;
        await batch.heartbeat().catch(() => undefined); // a rebalance shows up here; in-flight work still finishes
      }
    })();
    try {
      return await work;
    } finally {
      finished = true;
      void beating;
    }
  }

  private queueCommit(offset: TopicPartitionOffset): void {
    this.pendingCommits.set(tpKey(offset.topic, offset.partition), offset);
    this.commitTimer ??= setTimeout(() => {
      this.commitTimer = undefined;
      void this.flushCommits().catch((err: unknown) =>
        this.log.warn({ err }, 'offset commit failed; will retry'),
      );
    }, this.config.commitIntervalMs);
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
      .then(async () => {
        if (this.pendingCommits.size === 0) return;
        const offsets = [...this.pendingCommits.values()];
        this.pendingCommits.clear();
        try {
          await this.source.commit(offsets);
          this.metrics.commits.inc({ source: this.config.sourceId });
        } catch (err) {
          this.metrics.commitFailures.inc({ source: this.config.sourceId });
          // Keep them unless something newer arrived meanwhile; a revoked partition's commit may fail for good.
          for (const o of offsets)
            if (!this.pendingCommits.has(tpKey(o.topic, o.partition)))
              this.pendingCommits.set(tpKey(o.topic, o.partition), o);
          throw err;
        }
      });
    return this.commitChain.catch((err: unknown) =>
      this.log.warn({ err: String(err) }, 'offset commit failed'),
    );
  }

  private async commitTransaction(
    batch: SourceBatch,
    offsets: PartitionOffsets,
    done: { record: OutputRecord; offset: string }[],
  ): Promise<void> {
    if (done.length === 0) return;
    for (const d of done) offsets.complete(d.offset);
    const commit = offsets.committable();
    if (!commit) return;
    const committed = BigInt(commit);
    // Only records below the committed offset are in this transaction; the rest are fetched again.
    const records = done.filter((d) => BigInt(d.offset) < committed).map((d) => d.record);
    await this.sink.sendInTransaction!(
      records,
      [{ topic: batch.topic, partition: batch.partition, offset: commit }],
      this.config.groupId,
    ).catch((err: unknown) => {
      // Outputs and offsets go together in a transaction: a failed one counts as a failed commit.
      this.metrics.commitFailures.inc({ source: this.config.sourceId });
      throw err;
    });
    this.metrics.commits.inc({ source: this.config.sourceId });
    batch.resolveOffset((committed - 1n).toString());
  }
}
