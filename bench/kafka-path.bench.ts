/**
 * Benchmark: the connector on the Kafka path — real broker, binary Avro in, outputs produced — for both
 * Kafka adapters, against the primitives one invoice needs and the bounds the setup allows. Never part
 * of the tests; it measures and prints, it asserts nothing.
 *
 * Method (docs/benchmarks.md has the figures and the machine)
 * - The broker is the integration tests' own (test/support/kafka-broker.ts: Apache Kafka from Maven
 *   jars, one KRaft node, 1 GB heap), or the cluster of KAFKA_BROKERS. The sandbox runs in a child
 *   process per variant (fresh database, so every invoice is registered, never a 2150), with every IRP
 *   API delayed by a fault rule where a latency is named, its per-client limits raised out of the way.
 *   The measured consumer runs in a child process of its own (bench/kafka-path/child.ts, compiled by tsc
 *   as the container image runs the product; BENCH_CHILD_TSX=1 runs it through tsx): its CPU
 *   (`process.cpuUsage`, all threads) and RSS are the connector's alone; this process produces the
 *   events and reads the outputs.
 * - Events: SAP billing documents from the seeded generator (seed 7 onwards), generate events only
 *   (so every record is one IRP call), raw Avro (the median one is about 2 KB), keyed by document,
 *   partitioned by key.
 * - Primitives: the CPU one invoice needs at the least (bench/kafka-path/primitives.ts), measured in
 *   this run on the median invoice. Stages: map and validate per connector at its median invoice
 *   (bench/kafka-path/stages.ts).
 * - P1 CPU: per adapter, the product's pipeline (maxInFlight 64, the client's defaults) against a
 *   sandbox without latency; after `P1_WARMUP` invoices, the CPU spent over the next `P1_EVENTS`
 *   finished ones, per invoice, and its ratio to the primitives' sum.
 * - P2 concurrency: sandbox latency 200 ms, `P2_PARTITIONS` partitions, generous client concurrency
 *   (irp.maxConcurrencyPerGstin = maxInFlight). Throughput over `P2_SECONDS` after `RAMP_SECONDS`, at
 *   maxInFlight 64 and 256, against the Little's-law bound maxInFlight / latency; the same with the
 *   IRP stage replaced by the in-process gateway delaying 200 ms (the pipeline alone, without the
 *   sandbox's CPU on the same cores); and a naive consumer (one record at a time per partition, same
 *   stages and client) in the same run. Peak RSS (VmHWM) of each, and the largest JS heap (used /
 *   reserved) and external memory (Buffers) sampled in the window, to tell objects from buffers.
 * - P3 plumbing: per adapter, the pipeline with the in-process gateway answering at once, against a raw
 *   consume → produce passthrough of the same client library on the same topic (`P3_EVENTS` records):
 *   throughput between 10 % and 90 % of the records.
 * - P4 latency and memory: per adapter, `STEADY_RATE` invoices/s produced for `STEADY_SECONDS` against a
 *   sandbox with 100 ms latency (irp.maxConcurrencyPerGstin 64); end-to-end latency from the send of an
 *   event to its output being read here (p50, p99, max, after `WARMUP_SECONDS`), and the consumer's RSS
 *   every second: the mean of the first and of the last minute after warm-up, and min/max. Each
 *   latency is split in three legs on the one machine's clock: event sent → result built (the result's
 *   `processedAt`: input fetch, stages, IRP call), → output sent (its Kafka timestamp), → read here.
 * - Load average (1 min) is printed at every phase: the machine is shared; compare within one run.
 *
 * Run: `npm run bench` (everything, about 35 minutes), or
 * `node --import tsx bench/kafka-path.bench.ts [--only stages,primitives,p1,p2,p3,p4] [--adapters kafkajs,confluent]
 *  [--steady-seconds 600] [--quick]`. Results: bench/results/kafka-path-<time>.json.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { connectors, connectorIds } from '../connectors/registry.js';
import { confluentAvailable } from '../src/adapters/kafka/confluent.js';
import type { KafkaAdapterName } from '../src/adapters/kafka/index.js';
import { fmt, maxOf, median, minOf, pct, percentile, table } from './kafka-path/measure.js';
import { measurePrimitives, type PrimitiveCosts } from './kafka-path/primitives.js';
import {
  createTopic,
  outputTopics,
  partitionOf,
  produceAll,
  sampleAt,
  sapInvoices,
  sourceConfig,
  startChild,
  startCluster,
  startSandbox,
  type BenchEvent,
  type Cluster,
} from './kafka-path/setup.js';
import { medianEvent, stageCosts, type StageCosts } from './kafka-path/stages.js';

// --- options ------------------------------------------------------------------------------------------
const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = argv.includes('--quick');
const only = new Set((arg('only') ?? 'stages,primitives,p1,p2,p3,p4').split(','));
const num = (name: string, full: number, short: number) => Number(arg(name) ?? (quick ? short : full));
const O = {
  P1_WARMUP: num('p1-warmup', 1500, 500),
  P1_EVENTS: num('p1-events', 3000, 1000),
  P2_PARTITIONS: num('p2-partitions', 2, 2),
  P2_LATENCY_MS: 200,
  P2_SECONDS: num('p2-seconds', 15, 8),
  RAMP_SECONDS: num('ramp-seconds', 5, 3),
  NAIVE_SECONDS: num('naive-seconds', 20, 10),
  P3_EVENTS: num('p3-events', 30_000, 10_000),
  STEADY_RATE: num('steady-rate', 300, 300),
  STEADY_LATENCY_MS: 100,
  STEADY_SECONDS: num('steady-seconds', 600, 60),
  WARMUP_SECONDS: num('warmup-seconds', 30, 10),
};

const adapters: KafkaAdapterName[] = (arg('adapters') ?? 'kafkajs,confluent')
  .split(',')
  .filter((a): a is KafkaAdapterName => a === 'kafkajs' || a === 'confluent');
if (adapters.includes('confluent') && !(await confluentAvailable())) {
  console.log('@confluentinc/kafka-javascript does not load here: the confluent adapter is skipped');
  adapters.splice(adapters.indexOf('confluent'), 1);
}

const load = () => loadavg()[0]!.toFixed(1);
const say = (s: string) => console.log(s);
const phase = (s: string) => say(`\n== ${s}  (load average ${load()})`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
};
const results: Record<string, unknown> = {
  startedAt: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kafkajs: pkg.dependencies.kafkajs,
    confluent: pkg.optionalDependencies['@confluentinc/kafka-javascript'],
    avsc: pkg.dependencies.avsc,
    undici: pkg.dependencies.undici,
  },
  options: O,
  adapters,
  loadAverage: { start: loadavg() },
};
const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
const resultsFile = `${resultsDir}kafka-path-${(results.startedAt as string).replace(/[:.]/g, '-')}.json`;
/** Writes what is measured so far: after every phase, so a run that fails late keeps its figures. */
function save(): void {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
}

// --- stages and primitives ------------------------------------------------------------------------
let primitives: PrimitiveCosts | undefined;
const median_ = await medianEvent('sap');
const medianInvoiceBytes = JSON.stringify(median_.invoice).length;

if (only.has('stages')) {
  phase('Stages per connector at the median invoice (CPU µs per call, median of 15 batches [min–max])');
  const rows: StageCosts[] = [];
  for (const id of connectorIds) rows.push(await stageCosts(id));
  say(
    table(
      ['connector', 'Avro B', 'JSON B', 'items', 'decode µs', 'map µs', 'validate µs', 'mean map/validate'],
      rows.map((s) => [
        s.connector,
        String(s.avroBytes),
        String(s.invoiceJsonBytes),
        String(s.items),
        fmt(s.decode.us),
        `${fmt(s.map.us)} [${fmt(s.map.min, 0)}–${fmt(s.map.max, 0)}]`,
        `${fmt(s.validate.us)} [${fmt(s.validate.min, 0)}–${fmt(s.validate.max, 0)}]`,
        `${fmt(s.meanMapUs, 0)} / ${fmt(s.meanValidateUs, 0)}`,
      ]),
    ),
  );
  say('  targets: map ≤ 40 µs, validate ≤ 40 µs per connector at the median invoice');
  results.stages = rows;
  save();
}

if (only.has('primitives') || only.has('p1')) {
  phase('Primitives of one invoice (SAP median: CPU µs per call)');
  primitives = await measurePrimitives(connectors.sap.avroSchema, median_.bytes, median_.invoice);
  const p = primitives;
  say(
    table(
      ['primitive', 'µs', 'min–max'],
      [
        ['avsc binary decode', p.avroDecode],
        ['JSON.stringify (invoice)', p.jsonStringify],
        ['JSON.parse (invoice)', p.jsonParse],
        ['compiled schema validation (ajv)', p.schemaValidate],
        ['AES-256-ECB encrypt + decrypt', p.aesEncryptDecrypt],
        ['SHA-256', p.sha256],
        ['RS256 verify (×2 in the sum)', p.rs256Verify],
        ['HTTP keep-alive request (undici Pool)', p.httpRequest],
      ].map(([name, c]) => {
        const cost = c as PrimitiveCosts['avroDecode'];
        return [name as string, fmt(cost.us), `${fmt(cost.min)}–${fmt(cost.max)}`];
      }),
    ),
  );
  say(`  sum: ${fmt(p.totalUs)} µs per invoice (sizes: ${JSON.stringify(p.sizes)})`);
  results.primitives = p;
  save();
}

// --- the Kafka path --------------------------------------------------------------------------------
const needKafka = ['p1', 'p2', 'p3', 'p4'].some((p) => only.has(p));
const cluster: Cluster | undefined = needKafka ? await startCluster() : undefined;
if (cluster) (results.machine as Record<string, unknown>).kafka = cluster.version;

/** Rate (per second) of `done` between two samples. */
function rate(a: { t: number; done: number }, b: { t: number; done: number }): number {
  return ((b.done - a.done) * 1000) / (b.t - a.t);
}

async function pipelineVariant(opts: {
  id: string;
  adapter: KafkaAdapterName;
  input: string;
  sellers: string[];
  latencyMs: number;
  maxInFlight: number;
  perGstin?: number;
  inProcessGateway?: { latencyMs: number };
}) {
  // The in-process variants start one too: the config's credentials and keys must resolve, as in production.
  const sandbox = await startSandbox(opts.inProcessGateway ? 0 : opts.latencyMs);
  const creds = await sandbox.credentials(opts.sellers);
  const outputs = await outputTopics(cluster!, opts.id);
  const config = sourceConfig({
    id: opts.id,
    adapter: opts.adapter,
    brokers: cluster!.brokers,
    input: opts.input,
    outputs,
    baseUrl: sandbox.baseUrl,
    credentials: creds.list,
    maxInFlight: opts.maxInFlight,
    perGstin: opts.perGstin,
  });
  const child = await startChild({
    kind: 'pipeline',
    adapter: opts.adapter,
    config,
    env: creds.env,
    baseDir: sandbox.dir,
    ...(opts.inProcessGateway
      ? { inProcessGateway: { invoiceBytes: medianInvoiceBytes, latencyMs: opts.inProcessGateway.latencyMs } }
      : {}),
    sampleMs: 100,
  });
  return {
    child,
    outputs,
    stop: async () => {
      const final = await child.stop();
      await sandbox.stop();
      return final;
    },
  };
}

// P1 ---------------------------------------------------------------------------------------------------
if (only.has('p1') && cluster) {
  phase(`P1 CPU per invoice on the Kafka path (maxInFlight 64, sandbox without latency)`);
  const { events, sellers } = sapInvoices(O.P1_WARMUP + O.P1_EVENTS, 7);
  const input = await createTopic(cluster, 'p1-in', 3);
  await produceAll(cluster, input, 3, events);
  const rows = [];
  for (const adapter of adapters) {
    const v = await pipelineVariant({
      id: `p1-${adapter}`,
      adapter,
      input,
      sellers,
      latencyMs: 0,
      maxInFlight: 64,
    });
    const a = await v.child.whenDone(O.P1_WARMUP, 300_000);
    const b = await v.child.whenDone(O.P1_WARMUP + O.P1_EVENTS, 600_000);
    if (!a || !b) throw new Error(`P1 ${adapter}: the pipeline did not finish the invoices`);
    // What the consumer spends doing nothing (fetch polls, heartbeats, timers, metrics): 5 s idle.
    await sleep(1500);
    const i0 = v.child.samples[v.child.samples.length - 1]!;
    await sleep(5000);
    const i1 = v.child.samples[v.child.samples.length - 1]!;
    const idleUsPerSecond = ((i1.cpuUs - i0.cpuUs) * 1000) / (i1.t - i0.t);
    const final = await v.stop();
    const cpuUs = (b.cpuUs - a.cpuUs) / (b.done - a.done);
    const netUs = (b.cpuUs - a.cpuUs - (idleUsPerSecond * (b.t - a.t)) / 1000) / (b.done - a.done);
    rows.push({
      adapter,
      cpuUsPerInvoice: cpuUs,
      ratio: primitives ? cpuUs / primitives.totalUs : NaN,
      idleUsPerSecond,
      netOfIdleUs: netUs,
      perSecond: rate(a, b),
      counts: final.counts,
      peakRssMb: final.peakRssKb / 1024,
    });
  }
  say(
    table(
      [
        'adapter',
        'CPU µs/invoice',
        '× primitives',
        'idle CPU µs/s',
        'net of idle',
        'invoices/s',
        'peak RSS MB',
        'result/error/dead',
      ],
      rows.map((r) => [
        r.adapter,
        fmt(r.cpuUsPerInvoice, 0),
        fmt(r.ratio, 2),
        fmt(r.idleUsPerSecond, 0),
        fmt(r.netOfIdleUs, 0),
        fmt(r.perSecond, 0),
        fmt(r.peakRssMb, 0),
        `${r.counts.result}/${r.counts.error}/${r.counts['dead-letter']}`,
      ]),
    ),
  );
  say(
    `  target: ≤ 2× the primitives (${fmt(primitives?.totalUs ?? NaN)} µs) — CPU of the whole consumer process`,
  );
  results.p1 = rows;
  save();
}

// P2 ---------------------------------------------------------------------------------------------------
if (only.has('p2') && cluster) {
  phase(`P2 concurrency (IRP latency ${O.P2_LATENCY_MS} ms, ${O.P2_PARTITIONS} partitions)`);
  const need = Math.ceil((256 / (O.P2_LATENCY_MS / 1000)) * (O.RAMP_SECONDS + O.P2_SECONDS) * 1.15);
  const { events, sellers } = sapInvoices(need, 1007);
  const input = await createTopic(cluster, 'p2-in', O.P2_PARTITIONS);
  await produceAll(cluster, input, O.P2_PARTITIONS, events);
  const window = async (child: Awaited<ReturnType<typeof startChild>>, seconds: number) => {
    const first = await child.whenDone(1, 120_000);
    if (!first) throw new Error('P2: nothing finished in 2 minutes');
    await sleep((O.RAMP_SECONDS + seconds) * 1000 + 300);
    const a = sampleAt(child.samples, first.t + O.RAMP_SECONDS * 1000)!;
    const b = sampleAt(child.samples, a.t + seconds * 1000) ?? child.samples[child.samples.length - 1]!;
    const inWindow = child.samples.filter((s) => s.t >= a.t && s.t <= b.t);
    return {
      perSecond: rate(a, b),
      maxRssMb: maxOf(inWindow.map((s) => s.rss)) / 2 ** 20,
      // The JS heap's share of that RSS: what the pipeline's objects hold, against buffers and native code.
      maxHeapMb: maxOf(inWindow.map((s) => s.heapUsed)) / 2 ** 20,
      maxHeapTotalMb: maxOf(inWindow.map((s) => s.heapTotal)) / 2 ** 20,
      maxExternalMb: maxOf(inWindow.map((s) => s.external)) / 2 ** 20,
      cpuUs: (b.cpuUs - a.cpuUs) / Math.max(1, b.done - a.done),
    };
  };

  // the naive consumer
  const sandbox = await startSandbox(O.P2_LATENCY_MS);
  const creds = await sandbox.credentials(sellers);
  const naiveConfig = sourceConfig({
    id: 'p2-naive',
    adapter: 'kafkajs',
    brokers: cluster.brokers,
    input,
    outputs: await outputTopics(cluster, 'p2-naive'),
    baseUrl: sandbox.baseUrl,
    credentials: creds.list,
    maxInFlight: 1,
  });
  const naiveChild = await startChild({
    kind: 'naive',
    config: naiveConfig,
    env: creds.env,
    baseDir: sandbox.dir,
    partitions: O.P2_PARTITIONS,
    sampleMs: 100,
  });
  const naive = await window(naiveChild, O.NAIVE_SECONDS);
  const naiveFinal = await naiveChild.stop();
  await sandbox.stop();
  say(
    `  naive (kafkajs eachMessage, one at a time per partition): ${fmt(naive.perSecond)} invoices/s (bound ${O.P2_PARTITIONS} / ${O.P2_LATENCY_MS} ms = ${fmt((O.P2_PARTITIONS * 1000) / O.P2_LATENCY_MS)})`,
  );

  const rows = [];
  for (const adapter of adapters)
    for (const gateway of ['sandbox', 'in-process'] as const)
      for (const maxInFlight of [64, 256]) {
        const v = await pipelineVariant({
          id: `p2-${adapter}-${gateway}-${maxInFlight}`,
          adapter,
          input,
          sellers,
          latencyMs: O.P2_LATENCY_MS,
          maxInFlight,
          perGstin: maxInFlight,
          ...(gateway === 'in-process' ? { inProcessGateway: { latencyMs: O.P2_LATENCY_MS } } : {}),
        });
        const w = await window(v.child, O.P2_SECONDS);
        const final = await v.stop();
        const bound = maxInFlight / (O.P2_LATENCY_MS / 1000);
        rows.push({
          adapter,
          gateway,
          maxInFlight,
          perSecond: w.perSecond,
          bound,
          ofBound: w.perSecond / bound,
          vsNaive: w.perSecond / naive.perSecond,
          cpuUsPerInvoice: w.cpuUs,
          windowMaxRssMb: w.maxRssMb,
          windowMaxHeapMb: w.maxHeapMb,
          windowMaxHeapTotalMb: w.maxHeapTotalMb,
          windowMaxExternalMb: w.maxExternalMb,
          peakRssMb: final.peakRssKb / 1024,
        });
      }
  say(
    table(
      [
        'adapter',
        'IRP',
        'maxInFlight',
        'invoices/s',
        'bound',
        'of bound',
        '× naive',
        'CPU µs/inv',
        'peak RSS MB',
        'heap used / total MB',
        'external MB',
      ],
      rows.map((r) => [
        r.adapter,
        r.gateway === 'sandbox' ? 'sandbox' : 'in-process',
        String(r.maxInFlight),
        fmt(r.perSecond, 0),
        fmt(r.bound, 0),
        pct(r.ofBound),
        fmt(r.vsNaive, 0),
        fmt(r.cpuUsPerInvoice, 0),
        fmt(r.peakRssMb, 0),
        `${fmt(r.windowMaxHeapMb, 0)} / ${fmt(r.windowMaxHeapTotalMb, 0)}`,
        fmt(r.windowMaxExternalMb, 0),
      ]),
    ),
  );
  say('  targets: ≥ 90 % of the bound at 64 and 256, ≥ 100× naive, peak RSS ≤ 256 MB at 256');
  results.p2 = {
    naive: { ...naive, counts: naiveFinal.counts, peakRssMb: naiveFinal.peakRssKb / 1024 },
    rows,
  };
  save();
}

// P3 ---------------------------------------------------------------------------------------------------
if (only.has('p3') && cluster) {
  phase(`P3 plumbing (${O.P3_EVENTS} records; IRP stage answered in-process at once)`);
  const { events, sellers } = sapInvoices(Math.min(O.P3_EVENTS, 5000), 2007);
  const input = await createTopic(cluster, 'p3-in', 3);
  await produceAll(cluster, input, 3, events, O.P3_EVENTS);
  const measure = async (child: Awaited<ReturnType<typeof startChild>>) => {
    const a = await child.whenDone(Math.floor(O.P3_EVENTS * 0.1), 600_000);
    const b = await child.whenDone(Math.floor(O.P3_EVENTS * 0.9), 600_000);
    if (!a || !b) throw new Error('P3: the records did not pass');
    return { perSecond: rate(a, b), cpuUs: (b.cpuUs - a.cpuUs) / (b.done - a.done) };
  };
  const rows = [];
  for (const adapter of adapters) {
    const out = await createTopic(cluster, `p3-pass-${adapter}`, 3);
    const pass = await startChild({
      kind: 'passthrough',
      adapter,
      brokers: cluster.brokers,
      input,
      output: out,
      groupId: `p3-pass-${adapter}-${Date.now()}`,
      sampleMs: 50,
    });
    const p = await measure(pass);
    await pass.stop();
    const v = await pipelineVariant({
      id: `p3-${adapter}`,
      adapter,
      input,
      sellers,
      latencyMs: 0,
      maxInFlight: 64,
      inProcessGateway: { latencyMs: 0 },
    });
    const q = await measure(v.child);
    await v.stop();
    rows.push({ adapter, passthrough: p, pipeline: q, ratio: q.perSecond / p.perSecond });
  }
  say(
    table(
      [
        'adapter',
        'passthrough rec/s',
        'CPU µs/rec',
        'pipeline rec/s',
        'CPU µs/rec',
        'pipeline / passthrough',
      ],
      rows.map((r) => [
        r.adapter,
        fmt(r.passthrough.perSecond, 0),
        fmt(r.passthrough.cpuUs, 0),
        fmt(r.pipeline.perSecond, 0),
        fmt(r.pipeline.cpuUs, 0),
        pct(r.ratio),
      ]),
    ),
  );
  say('  target: pipeline ≥ 50 % of the passthrough');
  results.p3 = rows;
  save();
}

// P4 ---------------------------------------------------------------------------------------------------
if (only.has('p4') && cluster) {
  const total = O.STEADY_RATE * O.STEADY_SECONDS;
  phase(
    `P4 latency and memory (${O.STEADY_RATE} invoices/s for ${O.STEADY_SECONDS} s, IRP latency ${O.STEADY_LATENCY_MS} ms): generating ${total} invoices`,
  );
  const { events, sellers } = sapInvoices(total, 100_007);
  const rows = [];
  for (const adapter of adapters) {
    const input = await createTopic(cluster, `p4-in-${adapter}`, 3);
    const v = await pipelineVariant({
      id: `p4-${adapter}`,
      adapter,
      input,
      sellers,
      latencyMs: O.STEADY_LATENCY_MS,
      maxInFlight: 64,
      perGstin: 64,
    });
    const row = await steadyRun(adapter, input, events, v.outputs, v.child);
    const final = await v.stop();
    rows.push({ ...row, peakRssMb: final.peakRssKb / 1024, counts: final.counts });
    say(
      `  ${adapter}: p50 ${fmt(row.p50, 0)} ms, p99 ${fmt(row.p99, 0)} ms, max ${fmt(row.max, 0)} ms over ${row.measured} invoices (${row.missing} without output); ` +
        `RSS first minute ${fmt(row.rss.firstMinuteMb, 0)} MB, last minute ${fmt(row.rss.lastMinuteMb, 0)} MB (${pct(row.rss.growth)}), min–max ${fmt(row.rss.minMb, 0)}–${fmt(row.rss.maxMb, 0)} MB; peak ${fmt(final.peakRssKb / 1024, 0)} MB`,
    );
  }
  for (const r of rows)
    say(
      `  ${r.adapter}, where the time went (p50 / p99 ms): event sent → result built ${fmt(r.legs.sentToResultBuilt.p50, 0)} / ${fmt(r.legs.sentToResultBuilt.p99, 0)}; ` +
        `→ output sent ${fmt(r.legs.resultBuiltToSent.p50, 0)} / ${fmt(r.legs.resultBuiltToSent.p99, 0)}; → read here ${fmt(r.legs.sentToRead.p50, 0)} / ${fmt(r.legs.sentToRead.p99, 0)}`,
    );
  say('  targets: p99 ≤ 400 ms, p50 ≤ 150 ms; RSS flat ±10 % (last minute against the first after warm-up)');
  results.p4 = rows;
  save();
}

/** Produces at a steady rate, reads every output, and measures end-to-end latency and the child's RSS. */
async function steadyRun(
  adapter: KafkaAdapterName,
  input: string,
  events: readonly BenchEvent[],
  outputs: { results: string; errors: string; deadLetter: string },
  child: Awaited<ReturnType<typeof startChild>>,
) {
  const kafka = new Kafka({
    clientId: `bench-p4-${adapter}`,
    brokers: cluster!.brokers,
    logLevel: logLevel.NOTHING,
  });
  const reader = kafka.consumer({ groupId: `bench-p4-reader-${adapter}-${Date.now()}`, maxWaitTimeInMs: 50 });
  await reader.connect();
  await reader.subscribe({
    topics: [outputs.results, outputs.errors, outputs.deadLetter],
    fromBeginning: true,
  });
  const sentAt = new Map<string, number>(); // `${partition}:${offset}` → ms
  const latencies: { at: number; ms: number }[] = [];
  // Where a result's time went: sent → the consumer built the result (processedAt: input fetch, stages,
  // the IRP call) → the sink sent it (the output's timestamp) → read here. Same clock: one machine.
  const legs: { at: number; toResult: number; toSend: number; toRead: number }[] = [];
  await reader.run({
    eachMessage: async ({ topic, message }) => {
      const now = Date.now();
      let where: string | undefined;
      let processedAt: number | undefined;
      if (topic === outputs.deadLetter)
        where = `${String(message.headers?.['irp-bridge.errors.partition'])}:${String(message.headers?.['irp-bridge.errors.offset'])}`;
      else {
        const text = message.value?.toString('utf8') ?? '';
        const m = /"source":\{[^}]*"partition":(\d+),"offset":"(\d+)"/.exec(text);
        if (m) where = `${m[1]}:${m[2]}`;
        const p = /"processedAt":"([^"]+)"/.exec(text);
        if (p) processedAt = Date.parse(p[1]!);
      }
      const t = where ? sentAt.get(where) : undefined;
      if (t !== undefined) {
        latencies.push({ at: t, ms: now - t });
        sentAt.delete(where!);
        const sentOut = Number(message.timestamp);
        if (processedAt !== undefined && Number.isFinite(sentOut))
          legs.push({
            at: t,
            toResult: processedAt - t,
            toSend: sentOut - processedAt,
            toRead: now - sentOut,
          });
      }
    },
  });
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  const started = Date.now();
  let sent = 0;
  while (sent < events.length) {
    const due = Math.min(events.length, Math.floor(((Date.now() - started) / 1000) * O.STEADY_RATE));
    if (due > sent) {
      const batch = events.slice(sent, due);
      const t = Date.now();
      const byPartition = new Map<number, number>();
      const messages = batch.map((e) => {
        const partition = partitionOf(e.key, 3);
        byPartition.set(partition, (byPartition.get(partition) ?? 0) + 1);
        return { key: e.key, value: e.value, partition };
      });
      sent = due;
      const meta = await producer.send({ topic: input, messages, acks: -1 });
      // Offsets of this request: consecutive per partition from its base offset, in send order.
      const next = new Map(meta.map((m) => [m.partition, BigInt(m.baseOffset ?? '0')]));
      for (const msg of messages) {
        const o = next.get(msg.partition)!;
        sentAt.set(`${msg.partition}:${o}`, t);
        next.set(msg.partition, o + 1n);
      }
    }
    await sleep(5);
  }
  const deadline = Date.now() + 60_000;
  while (sentAt.size > 0 && Date.now() < deadline) await sleep(200);
  await producer.disconnect();
  await reader.disconnect();

  const warm = started + O.WARMUP_SECONDS * 1000;
  const measured = latencies.filter((l) => l.at >= warm).map((l) => l.ms);
  const leg = (pick: (l: (typeof legs)[number]) => number) => {
    const xs = legs.filter((l) => l.at >= warm).map(pick);
    return { p50: percentile(xs, 50), p99: percentile(xs, 99) };
  };
  const rss = child.samples.filter((s) => s.t >= warm);
  const minute = (from: number) => rss.filter((s) => s.t >= from && s.t < from + 60_000).map((s) => s.rss);
  const end = rss[rss.length - 1]?.t ?? warm;
  const first = minute(warm);
  const last = minute(Math.max(warm, end - 60_000));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length) / 2 ** 20;
  return {
    adapter,
    sent,
    measured: measured.length,
    missing: sentAt.size,
    p50: percentile(measured, 50),
    p99: percentile(measured, 99),
    max: maxOf(measured),
    medianMs: median(measured),
    legs: {
      sentToResultBuilt: leg((l) => l.toResult),
      resultBuiltToSent: leg((l) => l.toSend),
      sentToRead: leg((l) => l.toRead),
    },
    rss: {
      firstMinuteMb: mean(first),
      lastMinuteMb: mean(last),
      growth: mean(last) / mean(first) - 1,
      minMb: minOf(rss.map((s) => s.rss)) / 2 ** 20,
      maxMb: maxOf(rss.map((s) => s.rss)) / 2 ** 20,
      everyTenSecondsMb: rss.filter((_, i) => i % 100 === 0).map((s) => Math.round(s.rss / 2 ** 20)),
    },
  };
}

await cluster?.stop();
(results.loadAverage as Record<string, unknown>).end = loadavg();
results.finishedAt = new Date().toISOString();
save();
say(`\nwrote ${resultsFile}`);
