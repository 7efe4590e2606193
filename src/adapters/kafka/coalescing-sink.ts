/**
 * Gathers the runner's one-record sends into fewer, larger produce requests. The runner publishes each
 * output on its own (it must know which record a failure belongs to); sent one by one, kafkajs builds,
 * checksums and writes a produce request per record, which cost more CPU than everything else the
 * pipeline does with the IRP answered in-process (docs/benchmarks.md, P3).
 *
 * Sends that arrive in the same turn of the event loop, or while `maxFlushesInFlight` flushes are out,
 * go together; each caller's promise settles when its own records are acknowledged. When a flush of
 * several callers fails, it is not known whose record caused it (a record too large for its topic, a
 * missing topic), so each caller's records are sent again on their own and each caller gets its own
 * answer. Records of the failed flush that the broker did write may then be written twice: the
 * at-least-once of a retried send, as when an acknowledgement is lost.
 */
import type { OutputRecord, OutputSink, TopicPartitionOffset } from '../../pipeline/ports.js';

export interface CoalescingOptions {
  /** Most records in one flush. */
  maxRecords: number;
  /** Most bytes (values, keys) in one flush: well under a topic's default 1 MB batch limit. */
  maxBytes: number;
  /** Flushes out at once; later sends wait and go together. */
  maxFlushesInFlight: number;
}

export const DEFAULT_COALESCING: CoalescingOptions = {
  maxRecords: 500,
  maxBytes: 512 * 1024,
  maxFlushesInFlight: 3,
};

interface Pending {
  records: OutputRecord[];
  bytes: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const sizeOf = (v: string | Buffer | null): number => (v === null ? 0 : v.length);

export class CoalescingSink implements OutputSink {
  readonly name: string;
  readonly transactional: boolean;
  readonly sendInTransaction?: (
    records: OutputRecord[],
    offsets: TopicPartitionOffset[],
    groupId: string,
  ) => Promise<void>;
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly idle = new Set<() => void>();

  constructor(
    private readonly inner: OutputSink,
    private readonly options: CoalescingOptions = DEFAULT_COALESCING,
  ) {
    this.name = inner.name;
    this.transactional = inner.transactional;
    if (inner.sendInTransaction) this.sendInTransaction = inner.sendInTransaction.bind(inner);
  }

  send(records: OutputRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    let bytes = 0;
    for (const r of records) bytes += sizeOf(r.value) + sizeOf(r.key);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ records, bytes, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxFlushesInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.inFlight < this.options.maxFlushesInFlight) {
      const batch: Pending[] = [];
      let count = 0;
      let bytes = 0;
      for (const p of this.queue) {
        const fits =
          count + p.records.length <= this.options.maxRecords && bytes + p.bytes <= this.options.maxBytes;
        if (batch.length > 0 && !fits) break;
        batch.push(p);
        count += p.records.length;
        bytes += p.bytes;
      }
      this.queue = this.queue.slice(batch.length);
      this.inFlight++;
      void this.sendBatch(batch).finally(() => {
        this.inFlight--;
        if (this.queue.length > 0) this.schedule();
        else if (this.inFlight === 0) for (const done of this.idle) done();
      });
    }
  }

  private async sendBatch(batch: Pending[]): Promise<void> {
    if (batch.length === 1) return this.sendAlone(batch[0]!);
    try {
      await this.inner.send(batch.flatMap((p) => p.records));
    } catch {
      await Promise.all(batch.map((p) => this.sendAlone(p)));
      return;
    }
    for (const p of batch) p.resolve();
  }

  private async sendAlone(p: Pending): Promise<void> {
    try {
      await this.inner.send(p.records);
      p.resolve();
    } catch (err) {
      p.reject(err);
    }
  }

  /** Waits for what is queued and out, then closes the producer. */
  async close(): Promise<void> {
    if (this.queue.length > 0 || this.inFlight > 0)
      await new Promise<void>((resolve) => {
        const done = () => {
          this.idle.delete(done);
          resolve();
        };
        this.idle.add(done);
      });
    await this.inner.close();
  }
}
