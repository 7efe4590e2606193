/**
 * The runner's guarantees with small in-process fixtures (the real Kafka and IRP versions of these
 * scenarios are in test/integration/pipeline): one output per input before its commit, order per
 * document key, bounded in-flight, transient failures held back (never rejected), halt on credentials.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Connector, MappedEvent } from '../../../connectors/types.js';
import { createPipelineMetrics } from '../../../src/ops/metrics.js';
import { failure, type Failure } from '../../../src/pipeline/failures.js';
import type {
  EventDecoder,
  InvoiceSource,
  IrpGateway,
  OutputRecord,
  OutputSink,
  SourceBatch,
  SourceMessage,
  SourceState,
  TopicPartition,
  TopicPartitionOffset,
} from '../../../src/pipeline/ports.js';
import { DEFAULT_RUNNER_CONFIG, PipelineRunner, type RunnerConfig } from '../../../src/pipeline/runner.js';
import { invoiceSample } from '../../support/irp-samples.js';

const INVOICE = invoiceSample('b2b-inter-state.request.json');
const NOW = new Date('2023-10-03T06:00:00Z');

/** Events are JSON `{doc, kind?, bad?}`; the connector turns them into generate events for INVOICE. */
const connector: Connector = {
  id: 'test',
  title: 'test',
  avroSchema: {},
  eventKinds: ['generate'],
  map(record) {
    const r = record as { doc: string; invalid?: boolean; unmappable?: boolean };
    if (r.unmappable)
      return { ok: false, errors: [{ code: 'MAP_UNKNOWN_UNIT', message: 'unit XX', path: 'items[0].uom' }] };
    const invoice = structuredClone(INVOICE);
    invoice.DocDtls.No = r.doc;
    if (r.invalid) invoice.ValDtls.TotInvVal = 1;
    return { ok: true, event: { kind: 'generate', docKey: `02AMBPG7773M002/INV/${r.doc}`, invoice } };
  },
};

const decoder: EventDecoder = {
  async decode(value) {
    try {
      return { ok: true, record: JSON.parse(value.toString('utf8')) };
    } catch {
      return {
        ok: false,
        failure: failure('undecodable', 'decode', [{ code: 'AVRO_DECODE', message: 'not an event' }]),
      };
    }
  },
};

class ScriptedGateway implements IrpGateway {
  calls: MappedEvent[] = [];
  active = 0;
  peak = 0;
  down = false;
  private waiters: (() => void)[] = [];
  constructor(private readonly answer: (e: MappedEvent) => Failure | undefined = () => undefined) {}
  async submit(event: MappedEvent) {
    this.calls.push(event);
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    await new Promise((r) => setTimeout(r, 2));
    this.active--;
    if (this.down)
      return {
        ok: false as const,
        failure: failure('transient', 'submit', [{ code: 'HTTP_503', message: 'IRP down' }]),
      };
    const f = this.answer(event);
    if (f) return { ok: false as const, failure: f };
    const docNo = event.kind === 'generate' ? event.invoice.DocDtls.No : 'x';
    return { ok: true as const, success: { data: { Irn: `irn-${docNo}`, AckNo: 1 }, recovered: false } };
  }
  available() {
    return !this.down;
  }
  recover() {
    this.down = false;
    this.waiters.splice(0).forEach((w) => w());
  }
  waitUntilAvailable(ms: number) {
    return new Promise<void>((r) => {
      this.waiters.push(r);
      setTimeout(r, ms);
    });
  }
  async close() {}
}

class ArraySource implements InvoiceSource {
  readonly name = 'array';
  commits: TopicPartitionOffset[][] = [];
  paused = false;
  pauses = 0;
  resolved: string[] = [];
  constructor(
    private readonly messages: SourceMessage[],
    private readonly batchSize = 10,
  ) {}
  async run(handler: (b: SourceBatch) => Promise<void>) {
    for (let i = 0; i < this.messages.length && !this.stopped; i += this.batchSize) {
      await handler({
        topic: 'in',
        partition: 0,
        messages: this.messages.slice(i, i + this.batchSize),
        heartbeat: async () => {},
        isActive: () => !this.stopped,
        resolveOffset: (o) => this.resolved.push(o),
      });
    }
  }
  stopped = false;
  async commit(offsets: TopicPartitionOffset[]) {
    this.commits.push(offsets);
  }
  pause(_p: TopicPartition[]) {
    this.paused = true;
    this.pauses++;
  }
  resume() {
    this.paused = false;
  }
  pauseAll() {
    this.paused = true;
    this.pauses++;
  }
  resumeAll() {
    this.paused = false;
  }
  state(): SourceState {
    return { phase: this.stopped ? 'stopped' : 'member', assigned: this.assignment() };
  }
  assignment() {
    return [{ topic: 'in', partition: 0 }];
  }
  async stop() {
    this.stopped = true;
  }
}

class RecordingSink implements OutputSink {
  readonly name = 'memory';
  sent: OutputRecord[] = [];
  transactions: { records: OutputRecord[]; offsets: TopicPartitionOffset[] }[] = [];
  constructor(readonly transactional = false) {}
  async send(records: OutputRecord[]) {
    this.sent.push(...records);
  }
  async sendInTransaction(records: OutputRecord[], offsets: TopicPartitionOffset[]) {
    this.transactions.push({ records, offsets });
  }
  async close() {}
}

const message = (offset: number, value: string | object, key?: string): SourceMessage => ({
  topic: 'in',
  partition: 0,
  offset: String(offset),
  key: key ? Buffer.from(key) : null,
  value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  headers: {},
});

function runner(
  source: InvoiceSource,
  sink: OutputSink,
  gateway: IrpGateway,
  config: Partial<RunnerConfig> = {},
  metrics = createPipelineMetrics(undefined, false),
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
      ...config,
    },
    metrics,
    pino({ level: 'silent' }),
  );
}

const valueOf = (r: OutputRecord) => JSON.parse(String(r.value));

describe('PipelineRunner', () => {
  it('publishes exactly one output per input, routed by outcome, then commits past the last', async () => {
    const msgs = [
      message(0, { doc: 'A1' }),
      message(1, 'garbage{'),
      message(2, { doc: 'A2', invalid: true }),
      message(3, { doc: 'A3', unmappable: true }),
      message(4, { doc: 'A4' }),
    ];
    const source = new ArraySource(msgs);
    const sink = new RecordingSink();
    const status = await runner(source, sink, new ScriptedGateway()).run();
    expect(sink.sent).toHaveLength(5);
    const byOffset = new Map(
      sink.sent.map((r) => [
        r.topic === 'dlq' ? String(r.headers['irp-bridge.errors.offset']) : valueOf(r).source.offset,
        r,
      ]),
    );
    expect(byOffset.get('0')!.topic).toBe('res');
    expect(byOffset.get('1')!.topic).toBe('dlq');
    expect(byOffset.get('1')!.value.toString()).toBe('garbage{');
    expect(byOffset.get('2')!.topic).toBe('err');
    expect(valueOf(byOffset.get('2')!).errors[0].code).toBe('2189');
    expect(byOffset.get('3')!.topic).toBe('err');
    expect(valueOf(byOffset.get('3')!).errors[0]).toMatchObject({
      code: 'MAP_UNKNOWN_UNIT',
      path: 'items[0].uom',
    });
    expect(source.commits.flat().at(-1)).toEqual({ topic: 'in', partition: 0, offset: '5' });
    expect(status.counts).toEqual({ in: 5, result: 2, error: 2, 'dead-letter': 1 });
  });

  it('keeps document order per key while other keys run concurrently, within maxInFlight', async () => {
    const msgs = Array.from({ length: 60 }, (_, i) => message(i, { doc: `D${i % 6}X${i}` }, `doc-${i % 6}`));
    const gateway = new ScriptedGateway();
    await runner(new ArraySource(msgs, 60), new RecordingSink(), gateway, { maxInFlight: 4 }).run();
    expect(gateway.peak).toBeLessThanOrEqual(4);
    expect(gateway.peak).toBeGreaterThan(1);
    for (let k = 0; k < 6; k++) {
      const docs = gateway.calls
        .map((c) => (c.kind === 'generate' ? c.invoice.DocDtls.No : ''))
        .filter((d) => d.startsWith(`D${k}X`))
        .map((d) => Number(d.split('X')[1]));
      expect(docs).toEqual([...docs].sort((a, b) => a - b));
    }
  });

  it('holds records through an IRP outage: pauses, retries, never rejects', async () => {
    const gateway = new ScriptedGateway();
    gateway.down = true;
    const source = new ArraySource([message(0, { doc: 'B1' }), message(1, { doc: 'B2' })]);
    const sink = new RecordingSink();
    setTimeout(() => gateway.recover(), 60);
    await runner(source, sink, gateway).run();
    expect(source.pauses).toBeGreaterThan(0);
    expect(source.paused).toBe(false);
    expect(sink.sent.map((r) => r.topic)).toEqual(['res', 'res']);
  });

  it('halts on a credentials failure: no output for that record, no commit past it', async () => {
    const gateway = new ScriptedGateway((e) =>
      e.kind === 'generate' && e.invoice.DocDtls.No === 'C2'
        ? failure('credentials', 'submit', [{ code: '1010', message: 'Invalid Client-ID/Client-Secret' }])
        : undefined,
    );
    const source = new ArraySource(
      [message(0, { doc: 'C1' }), message(1, { doc: 'C2' }), message(2, { doc: 'C3' })],
      1,
    );
    const sink = new RecordingSink();
    const status = await runner(source, sink, gateway, { maxInFlight: 1 }).run();
    expect(status.halted?.code).toBe('1010');
    expect(sink.sent).toHaveLength(1);
    const committed = source.commits.flat().map((c) => Number(c.offset));
    expect(Math.max(...committed)).toBe(1);
    expect(gateway.calls).toHaveLength(2);
  });

  it('exactly-once: one transaction per batch with its outputs and the next offset', async () => {
    const source = new ArraySource([
      message(0, { doc: 'E1' }),
      message(1, 'junk'),
      message(2, { doc: 'E3' }),
    ]);
    const sink = new RecordingSink(true);
    await runner(source, sink, new ScriptedGateway(), { mode: 'exactly-once' }).run();
    expect(sink.sent).toHaveLength(0);
    expect(sink.transactions).toHaveLength(1);
    expect(sink.transactions[0]!.records).toHaveLength(3);
    expect(sink.transactions[0]!.offsets).toEqual([{ topic: 'in', partition: 0, offset: '3' }]);
    expect(source.resolved).toEqual(['2']);
  });

  it('counts failed commits and failed sends (irp_bridge_offset_commit_failures_total, irp_bridge_produce_failures_total)', async () => {
    class FlakyCommits extends ArraySource {
      failures = 1;
      override async commit(offsets: TopicPartitionOffset[]) {
        if (this.failures-- > 0) throw new Error('NOT_COORDINATOR');
        return super.commit(offsets);
      }
    }
    const metrics = createPipelineMetrics(undefined, false);
    const source = new FlakyCommits([message(0, { doc: 'F1' }), message(1, { doc: 'F2' })], 1);
    await runner(source, new RecordingSink(), new ScriptedGateway(), {}, metrics).run();
    const value = async (m: { get(): Promise<{ values: { value: number }[] }> }) =>
      (await m.get()).values.reduce((a, v) => a + v.value, 0);
    expect(await value(metrics.commitFailures)).toBe(1);
    expect(source.commits.flat().at(-1)).toEqual({ topic: 'in', partition: 0, offset: '2' });
    expect(await value(metrics.outputs)).toBe(2);

    class RefusingSink extends RecordingSink {
      override async send(): Promise<void> {
        throw new Error('broker down');
      }
    }
    // A refused send is retried (the IRP is not asked again); the output counts once acknowledged.
    const failing = createPipelineMetrics(undefined, false);
    const gateway = new ScriptedGateway();
    const refused = runner(
      new ArraySource([message(0, { doc: 'G1' })]),
      new RefusingSink(),
      gateway,
      {},
      failing,
    );
    const run = refused.run();
    await new Promise((r) => setTimeout(r, 100));
    await refused.stop();
    await run;
    expect(await value(failing.produceFailures)).toBeGreaterThanOrEqual(1);
    expect(await value(failing.outputs)).toBe(0);
    expect(gateway.calls).toHaveLength(1);
  });
});
