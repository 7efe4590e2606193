/**
 * Issue 14, the runner's half, with in-process fixtures (the real broker and sandbox versions are in
 * test/integration/pipeline/guarantees-runner.test.ts): a halt keeps the member paused in its group,
 * records complete independently (no batch barrier), per-record retry budgets that outages do not
 * spend, poison outputs routed instead of looped, no busy loop on a stop while the circuit is open,
 * and cancels held for a generate that has not run yet.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Connector, MappedEvent } from '../../../connectors/types.js';
import { ListSource } from '../../../src/operator/list-source.js';
import { createPipelineMetrics } from '../../../src/ops/metrics.js';
import { failure, type Failure } from '../../../src/pipeline/failures.js';
import {
  PublishError,
  type EventDecoder,
  type InvoiceSource,
  type IrpGateway,
  type OutputRecord,
  type OutputSink,
  type SourceBatch,
  type SourceMessage,
  type SourceState,
  type TopicPartition,
  type TopicPartitionOffset,
} from '../../../src/pipeline/ports.js';
import { DEFAULT_RUNNER_CONFIG, PipelineRunner, type RunnerConfig } from '../../../src/pipeline/runner.js';
import { invoiceSample } from '../../support/irp-samples.js';

const INVOICE = invoiceSample('b2b-inter-state.request.json');
const NOW = new Date('2023-10-03T06:00:00Z');
const GSTIN = INVOICE.SellerDtls.Gstin;

/** Events are JSON `{doc, kind?}`: a generate of INVOICE numbered `doc`, or a cancel of it. */
const connector: Connector = {
  id: 'test',
  title: 'test',
  avroSchema: {},
  eventKinds: ['generate', 'cancel'],
  map(record) {
    const r = record as { doc: string; kind?: 'cancel' };
    const docKey = `${GSTIN}/INV/${r.doc}`;
    if (r.kind === 'cancel')
      return {
        ok: true,
        event: {
          kind: 'cancel',
          docKey,
          gstin: GSTIN,
          docType: 'INV',
          docNo: r.doc,
          docDate: '03/10/2023',
          reason: '1',
          remark: 'duplicate',
        },
      };
    const invoice = structuredClone(INVOICE);
    invoice.DocDtls.No = r.doc;
    return { ok: true, event: { kind: 'generate', docKey, invoice } };
  },
};

const decoder: EventDecoder = {
  async decode(value) {
    return { ok: true, record: JSON.parse(value.toString('utf8')) };
  },
};

const docOf = (e: MappedEvent) => (e.kind === 'generate' ? e.invoice.DocDtls.No : e.docNo);
const transient = (code: string) => failure('transient', 'submit', [{ code, message: `IRP said ${code}` }]);

/** Answers by script; `down` is an outage as the client reports it (circuit open, not available). */
class Gateway implements IrpGateway {
  calls: MappedEvent[] = [];
  down = false;
  constructor(
    private readonly answer: (
      e: MappedEvent,
      n: number,
    ) => Failure | Promise<Failure | undefined> | undefined = () => undefined,
  ) {}
  async submit(event: MappedEvent) {
    if (this.down) return { ok: false as const, failure: transient('CIRCUIT_OPEN') };
    this.calls.push(event);
    const n = this.calls.filter((c) => docOf(c) === docOf(event) && c.kind === event.kind).length;
    const f = await this.answer(event, n);
    if (f) return { ok: false as const, failure: f };
    return {
      ok: true as const,
      success: { data: { Irn: `irn-${docOf(event)}`, AckNo: 1 }, recovered: false },
    };
  }
  available() {
    return !this.down;
  }
  async waitUntilAvailable(ms: number) {
    await new Promise((r) => setTimeout(r, ms));
  }
  async close() {}
}

/**
 * A source with two partitions that behaves like a Kafka consumer: it delivers one batch at a time
 * (a handler that does not return holds every partition), redelivers what was not resolved, honours
 * pause/pauseAll, and runs until stop().
 */
class TwoPartitionSource implements InvoiceSource {
  readonly name = 'two-partitions';
  commits: TopicPartitionOffset[] = [];
  stopCalls = 0;
  pauseAllCalls = 0;
  private readonly paused = new Set<number>();
  private allPaused = false;
  private readonly next = [0, 0];
  private stopped = false;
  constructor(private readonly parts: SourceMessage[][]) {}
  async run(handler: (b: SourceBatch) => Promise<void>) {
    while (!this.stopped) {
      let delivered = false;
      for (const p of [0, 1]) {
        if (this.stopped || this.allPaused || this.paused.has(p)) continue;
        const messages = this.parts[p]!.filter((m) => Number(m.offset) >= this.next[p]!);
        if (messages.length === 0) continue;
        delivered = true;
        await handler({
          topic: 'in',
          partition: p,
          messages,
          heartbeat: async () => {},
          isActive: () => !this.stopped,
          resolveOffset: (o) => (this.next[p] = Number(o) + 1),
        });
      }
      if (!delivered) await new Promise((r) => setTimeout(r, 2));
    }
  }
  async commit(offsets: TopicPartitionOffset[]) {
    this.commits.push(...offsets);
  }
  committed(partition: number): number {
    return Math.max(
      -1,
      ...this.commits.filter((c) => c.partition === partition).map((c) => Number(c.offset)),
    );
  }
  pause(ps: TopicPartition[]) {
    for (const p of ps) this.paused.add(p.partition);
  }
  resume(ps: TopicPartition[]) {
    for (const p of ps) this.paused.delete(p.partition);
  }
  pauseAll() {
    this.pauseAllCalls++;
    this.allPaused = true;
  }
  resumeAll() {
    this.allPaused = false;
    this.paused.clear();
  }
  get isPausedAll() {
    return this.allPaused;
  }
  /** What the group looks like (tests move it through a rebalance). */
  group: SourceState | undefined;
  state(): SourceState {
    if (this.group) return this.group;
    return { phase: this.stopped ? 'stopped' : 'member', assigned: this.assignment() };
  }
  assignment() {
    return [0, 1].map((partition) => ({ topic: 'in', partition }));
  }
  async stop() {
    this.stopCalls++;
    this.stopped = true;
  }
}

class Sink implements OutputSink {
  readonly name = 'memory';
  readonly transactional = false;
  sent: OutputRecord[] = [];
  constructor(private readonly refuse: (r: OutputRecord) => Error | undefined = () => undefined) {}
  async send(records: OutputRecord[]) {
    for (const r of records) {
      const err = this.refuse(r);
      if (err) throw err;
    }
    this.sent.push(...records);
  }
  async close() {}
}

const msg = (partition: number, offset: number, value: object): SourceMessage => ({
  topic: 'in',
  partition,
  offset: String(offset),
  key: null,
  value: Buffer.from(JSON.stringify(value)),
  headers: { origin: 'erp' },
});

function runnerOf(
  source: InvoiceSource,
  sink: OutputSink,
  gateway: IrpGateway,
  config: Partial<RunnerConfig> = {},
) {
  return new PipelineRunner(
    source,
    sink,
    {
      connectorImpl: connector,
      decoder,
      gateway,
      sourceId: 's1',
      connector: 'test',
      topics: { results: 'res', errors: 'err', deadLetter: 'dlq' },
      now: () => NOW,
    },
    {
      ...DEFAULT_RUNNER_CONFIG,
      sourceId: 's1',
      groupId: 'g',
      commitIntervalMs: 5,
      heartbeatIntervalMs: 5,
      circuitWaitMs: 20,
      retryBackoffMs: 5,
      ...config,
    },
    createPipelineMetrics(undefined, false),
    pino({ level: 'silent' }),
  );
}

const until = async (check: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};
const valueOf = (r: OutputRecord) => JSON.parse(String(r.value));

describe('PipelineRunner guarantees (issue 14)', () => {
  it('a credentials halt pauses every partition, commits what completed, makes no IRP call, and never stops the source', async () => {
    const gateway = new Gateway((e) =>
      docOf(e) === 'H2'
        ? failure('credentials', 'submit', [{ code: '1010', message: 'bad secret' }])
        : undefined,
    );
    const source = new TwoPartitionSource([
      [msg(0, 0, { doc: 'H1' }), msg(0, 1, { doc: 'H2' }), msg(0, 2, { doc: 'H3' })],
      [msg(1, 0, { doc: 'H4' })],
    ]);
    const r = runnerOf(source, new Sink(), gateway, { maxInFlight: 1 });
    const run = r.run();
    await until(() => r.status().halted !== undefined);
    await new Promise((res) => setTimeout(res, 100));
    expect(source.stopCalls).toBe(0);
    expect(source.pauseAllCalls).toBeGreaterThan(0);
    expect(source.isPausedAll).toBe(true);
    expect(source.committed(0)).toBe(1); // H1 done, H2 not
    const calls = gateway.calls.length;
    await new Promise((res) => setTimeout(res, 100));
    expect(gateway.calls.length).toBe(calls);
    expect(gateway.calls.map(docOf)).not.toContain('H3');
    await r.stop();
    await run;
    expect(source.stopCalls).toBe(1);
  });

  it('a slow record holds neither the other partition nor later records of its own partition', async () => {
    let release!: () => void;
    const slow = new Promise<undefined>((r) => (release = () => r(undefined)));
    const gateway = new Gateway((e) => (docOf(e) === 'SLOW' ? slow : undefined));
    const source = new TwoPartitionSource([
      [msg(0, 0, { doc: 'SLOW' }), msg(0, 1, { doc: 'A1' }), msg(0, 2, { doc: 'A2' })],
      [msg(1, 0, { doc: 'B1' }), msg(1, 1, { doc: 'B2' })],
    ]);
    const sink = new Sink();
    const r = runnerOf(source, sink, gateway);
    const run = r.run();
    await until(() => source.committed(1) === 2);
    expect(sink.sent.map((s) => valueOf(s).docKey.split('/').at(-1)).sort()).toEqual([
      'A1',
      'A2',
      'B1',
      'B2',
    ]);
    expect(source.committed(0)).toBe(-1); // contiguous: nothing past the slow record yet
    release();
    await until(() => source.committed(0) === 3);
    await r.stop();
    await run;
  });

  it('one record answered transiently while others succeed: bounded retries, then RETRY_EXHAUSTED with every code', async () => {
    const gateway = new Gateway((e, n) =>
      docOf(e) === 'P1' ? transient(n % 2 ? '5002' : 'HTTP_500') : undefined,
    );
    const source = new TwoPartitionSource([[msg(0, 0, { doc: 'P1' }), msg(0, 1, { doc: 'OK' })], []]);
    const sink = new Sink();
    const r = runnerOf(source, sink, gateway, { recordRetry: { attempts: 4, maxMs: 60_000 } });
    const run = r.run();
    await until(() => source.committed(0) === 2);
    expect(source.isPausedAll).toBe(false); // one record's trouble is not an outage
    await r.stop();
    await run;
    expect(gateway.calls.filter((c) => docOf(c) === 'P1')).toHaveLength(4);
    const err = sink.sent.find((s) => s.topic === 'err')!;
    const v = valueOf(err);
    expect(v.family).toBe('exhausted');
    expect(v.errors.map((e: { code: string }) => e.code)).toEqual([
      'RETRY_EXHAUSTED',
      '5002',
      'HTTP_500',
      '5002',
      'HTTP_500',
    ]);
  });

  it('an outage (circuit open) spends no record budget: records wait and then succeed', async () => {
    const gateway = new Gateway();
    gateway.down = true;
    const source = new TwoPartitionSource([[msg(0, 0, { doc: 'O1' })], [msg(1, 0, { doc: 'O2' })]]);
    const sink = new Sink();
    const r = runnerOf(source, sink, gateway, { recordRetry: { attempts: 1, maxMs: 1 } });
    const run = r.run();
    await until(() => r.status().circuitOpen);
    expect(source.isPausedAll).toBe(true);
    await new Promise((res) => setTimeout(res, 150));
    gateway.down = false;
    await until(() => source.committed(0) === 1 && source.committed(1) === 1);
    await r.stop();
    await run;
    expect(sink.sent.map((s) => s.topic)).toEqual(['res', 'res']);
  });

  it('an output larger than the brokers accept becomes a dead letter with the input bytes; the IRP is asked once', async () => {
    const gateway = new Gateway();
    const sink = new Sink((rec) =>
      rec.topic === 'res' ? new PublishError('MESSAGE_TOO_LARGE', 'too-large') : undefined,
    );
    const source = new TwoPartitionSource([[msg(0, 0, { doc: 'BIG' })], []]);
    const r = runnerOf(source, sink, gateway);
    const run = r.run();
    await until(() => source.committed(0) === 1);
    await r.stop();
    await run;
    expect(gateway.calls).toHaveLength(1);
    expect(sink.sent).toHaveLength(1);
    const dl = sink.sent[0]!;
    expect(dl.topic).toBe('dlq');
    expect(dl.headers['irp-bridge.errors.code']).toBe('PUBLISH_TOO_LARGE');
    expect(String(dl.value)).toBe(JSON.stringify({ doc: 'BIG' }));
    expect(dl.headers.origin).toBe('erp');
  });

  it('when even the input is too large for the dead-letter topic, the dead letter says so with its coordinates', async () => {
    const sink = new Sink((rec) =>
      rec.topic === 'res' || rec.headers.origin === 'erp'
        ? new PublishError('MESSAGE_TOO_LARGE', 'too-large')
        : undefined,
    );
    const source = new TwoPartitionSource([[msg(0, 0, { doc: 'HUGE' })], []]);
    const r = runnerOf(source, sink, new Gateway());
    const run = r.run();
    await until(() => source.committed(0) === 1);
    await r.stop();
    await run;
    expect(sink.sent).toHaveLength(1);
    const v = valueOf(sink.sent[0]!);
    expect(sink.sent[0]!.topic).toBe('dlq');
    expect(v.errors[0].code).toBe('PUBLISH_TOO_LARGE');
    expect(v.source).toMatchObject({ topic: 'in', partition: 0, offset: '0' });
    expect(v.input.bytes).toBe(JSON.stringify({ doc: 'HUGE' }).length);
  });

  it('a missing output topic halts with a clear status; the record is not committed and the IRP is not asked again', async () => {
    const gateway = new Gateway();
    const sink = new Sink(() => new PublishError('UNKNOWN_TOPIC_OR_PARTITION', 'unknown-topic'));
    const source = new TwoPartitionSource([[msg(0, 0, { doc: 'T1' }), msg(0, 1, { doc: 'T2' })], []]);
    const r = runnerOf(source, sink, gateway, { maxInFlight: 1 });
    const run = r.run();
    await until(() => r.status().halted !== undefined);
    await new Promise((res) => setTimeout(res, 50));
    expect(r.status().halted).toMatchObject({ code: 'PUBLISH_UNKNOWN_TOPIC', stage: 'publish' });
    expect(r.status().halted!.message).toContain('res');
    expect(gateway.calls).toHaveLength(1);
    expect(source.committed(0)).toBe(-1);
    await r.stop();
    await run;
  });

  it('stop() while the circuit is open ends promptly without spinning', async () => {
    const gateway = new Gateway();
    gateway.down = true;
    let submits = 0;
    const submit = gateway.submit.bind(gateway);
    gateway.submit = (e) => {
      submits++;
      return submit(e);
    };
    const source = new TwoPartitionSource([[msg(0, 0, { doc: 'W1' }), msg(0, 1, { doc: 'W2' })], []]);
    const r = runnerOf(source, new Sink(), gateway, { circuitWaitMs: 5000 });
    const run = r.run();
    await until(() => r.status().circuitOpen);
    const started = Date.now();
    const drained = await r.stop();
    await run;
    expect(drained).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(submits).toBeLessThan(10);
    expect(source.committed(0)).toBe(-1);
  });

  it('holds a cancel whose document the IRP does not know yet, and submits it again when the generate ran', async () => {
    let generated = false;
    const gateway = new Gateway((e) =>
      e.kind === 'cancel' && !generated
        ? failure('rejected', 'submit', [{ code: '2148', message: 'Requested IRN data is not available' }])
        : undefined,
    );
    const source = new TwoPartitionSource([[msg(0, 0, { doc: 'C1', kind: 'cancel' })], []]);
    const sink = new Sink();
    const r = runnerOf(source, sink, gateway, { pendingDocumentWindowMs: 5000 });
    const run = r.run();
    await until(() => gateway.calls.length >= 2);
    expect(sink.sent).toHaveLength(0);
    generated = true;
    await until(() => source.committed(0) === 1);
    await r.stop();
    await run;
    expect(sink.sent.map((s) => s.topic)).toEqual(['res']);
  });

  it('rejects a held cancel with the IRP code once the window passes', async () => {
    const gateway = new Gateway((e) =>
      e.kind === 'cancel'
        ? failure('rejected', 'submit', [{ code: '2148', message: 'Requested IRN data is not available' }])
        : undefined,
    );
    const source = new TwoPartitionSource([[msg(0, 0, { doc: 'C2', kind: 'cancel' })], []]);
    const sink = new Sink();
    const r = runnerOf(source, sink, gateway, { pendingDocumentWindowMs: 100 });
    const run = r.run();
    await until(() => source.committed(0) === 1);
    await r.stop();
    await run;
    expect(gateway.calls.length).toBeGreaterThan(1);
    expect(sink.sent).toHaveLength(1);
    expect(sink.sent[0]!.headers['irp-bridge.errors.code']).toBe('2148');
  });

  it('does not hold a cancel whose generate this process saw rejected', async () => {
    const gateway = new Gateway((e) =>
      e.kind === 'generate'
        ? failure('rejected', 'submit', [{ code: '2189', message: 'total mismatch' }])
        : failure('rejected', 'submit', [{ code: '2154', message: 'IRN details are not found' }]),
    );
    const source = new TwoPartitionSource([
      [msg(0, 0, { doc: 'R1' }), msg(0, 1, { doc: 'R1', kind: 'cancel' })],
      [],
    ]);
    const sink = new Sink();
    const r = runnerOf(source, sink, gateway, { pendingDocumentWindowMs: 60_000 });
    const run = r.run();
    await until(() => source.committed(0) === 2);
    await r.stop();
    await run;
    expect(gateway.calls.filter((c) => c.kind === 'cancel')).toHaveLength(1);
    expect(sink.sent.map((s) => s.headers['irp-bridge.errors.code'])).toEqual(['2189', '2154']);
  });

  it('exactly-once: a too-large output found by committing record by record becomes a dead letter; the rest commit', async () => {
    const transactions: { records: OutputRecord[]; offsets: TopicPartitionOffset[] }[] = [];
    const sink: OutputSink = {
      name: 'tx',
      transactional: true,
      send: async () => undefined,
      sendInTransaction: async (records, offsets) => {
        if (records.some((r) => r.topic === 'res' && String(r.value).includes('/INV/BIG')))
          throw new PublishError('MESSAGE_TOO_LARGE', 'too-large');
        transactions.push({ records, offsets });
      },
      close: async () => undefined,
    };
    const source = new TwoPartitionSource([
      [msg(0, 0, { doc: 'X1' }), msg(0, 1, { doc: 'BIG' }), msg(0, 2, { doc: 'X3' })],
      [],
    ]);
    const r = runnerOf(source, sink, new Gateway(), { mode: 'exactly-once' });
    const run = r.run();
    await until(() => transactions.some((t) => t.offsets.some((o) => o.offset === '3')));
    await r.stop();
    await run;
    const published = transactions.flatMap((t) => t.records);
    expect(published.map((p) => p.topic)).toEqual(['res', 'dlq', 'res']);
    expect(published[1]!.headers['irp-bridge.errors.code']).toBe('PUBLISH_TOO_LARGE');
    expect(r.status().counts).toMatchObject({ result: 2, 'dead-letter': 1 });
  });

  it('exactly-once: a transaction that committed although its commit failed is not sent again', async () => {
    // The group's offsets as the coordinator holds them, and the outputs as read_committed readers see them.
    const groupOffsets = new Map<number, string>();
    const visible: OutputRecord[] = [];
    let failures = 0;
    const sink: OutputSink = {
      name: 'tx',
      transactional: true,
      send: async () => undefined,
      sendInTransaction: async (records, offsets) => {
        visible.push(...records);
        for (const o of offsets) groupOffsets.set(o.partition, o.offset);
        // The first EndTxn took effect, but its answer was lost (a broker restarting under it).
        if (failures++ === 0) throw new PublishError('EndTxn: request timed out', 'unavailable');
      },
      close: async () => undefined,
    };
    class StableOffsetsSource extends TwoPartitionSource {
      reads = 0;
      async committedOffsets(ps: TopicPartition[]) {
        this.reads++;
        return ps.map((tp) => ({ ...tp, offset: groupOffsets.get(tp.partition) ?? null }));
      }
    }
    const source = new StableOffsetsSource([
      [msg(0, 0, { doc: 'A1' }), msg(0, 1, { doc: 'A2' })],
      [msg(1, 0, { doc: 'B1' })],
    ]);
    const r = runnerOf(source, sink, new Gateway(), { mode: 'exactly-once' });
    const run = r.run();
    await until(() => groupOffsets.get(0) === '2' && groupOffsets.get(1) === '1' && failures > 0);
    // More records after the doubtful commit: they go in a later transaction, the earlier ones do not.
    await new Promise((res) => setTimeout(res, 50));
    await r.stop();
    await run;
    const docs = visible.map((v) => valueOf(v).docKey.split('/').at(-1)).sort();
    expect(docs).toEqual(['A1', 'A2', 'B1']);
    expect(source.reads).toBeGreaterThan(0);
    expect(r.status().counts).toMatchObject({ result: 3 });
  });

  it('a held cancel lets its generate, queued behind it on the same document key, go first', async () => {
    const registered = new Set<string>();
    const gateway = new Gateway((e) => {
      if (e.kind === 'generate') registered.add(docOf(e));
      else if (!registered.has(docOf(e)))
        return failure('rejected', 'submit', [{ code: '2154', message: 'IRN details are not found' }]);
      return undefined;
    });
    const source = new TwoPartitionSource([
      [msg(0, 0, { doc: 'Q1', kind: 'cancel' })],
      [msg(1, 0, { doc: 'Q1' })],
    ]);
    const sink = new Sink();
    const r = runnerOf(source, sink, gateway, { pendingDocumentWindowMs: 5000 });
    const run = r.run();
    await until(() => source.committed(0) === 1 && source.committed(1) === 1);
    await r.stop();
    await run;
    expect(sink.sent.map((s) => [s.topic, valueOf(s).kind])).toEqual([
      ['res', 'generate'],
      ['res', 'cancel'],
    ]);
  });

  it('commits wait out a rebalance, then go only to partitions still owned', async () => {
    let release!: () => void;
    const gate = new Promise<undefined>((r) => (release = () => r(undefined)));
    const gateway = new Gateway((e) => (docOf(e).startsWith('G') ? gate : undefined));
    const source = new TwoPartitionSource([[msg(0, 0, { doc: 'G0' })], [msg(1, 0, { doc: 'G1' })]]);
    const r = runnerOf(source, new Sink(), gateway);
    const run = r.run();
    await until(() => gateway.calls.length === 2);
    // Both records finish mid-rebalance: nothing is committed (nor lost) while no assignment is known.
    source.group = { phase: 'rebalancing', assigned: [] };
    release();
    await new Promise((res) => setTimeout(res, 50));
    expect(source.commits).toEqual([]);
    // The member keeps partition 1 only: its commit goes through, partition 0's is dropped.
    source.group = { phase: 'member', assigned: [{ topic: 'in', partition: 1 }] };
    await until(() => source.committed(1) === 1);
    await new Promise((res) => setTimeout(res, 50));
    expect(source.committed(0)).toBe(-1);
    source.group = undefined;
    await r.stop();
    await run;
    expect(source.committed(0)).toBe(-1);
  });

  it('a partition past its window pauses and gets the rest once it resumes (a replay of 150 records)', async () => {
    let release!: () => void;
    const gate = new Promise<undefined>((r) => (release = () => r(undefined)));
    // The first record is slow: 100 more complete behind it (the window), then the partition pauses.
    const gateway = new Gateway((e) => (docOf(e) === 'L0' ? gate : undefined));
    const source = new ListSource(Array.from({ length: 150 }, (_, i) => msg(0, i, { doc: `L${i}` })));
    const sink = new Sink();
    const r = runnerOf(source, sink, gateway, { maxInFlight: 2 });
    const run = r.run();
    await until(() => gateway.calls.length === 100);
    await new Promise((res) => setTimeout(res, 50));
    expect(gateway.calls).toHaveLength(100); // paused at the window, nothing more taken
    release();
    const status = await run;
    expect(status.counts.in).toBe(150);
    expect(sink.sent).toHaveLength(150);
  });
});
