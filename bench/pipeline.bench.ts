/**
 * Benchmark: throughput, CPU and memory of the pipeline, file to file, against the IRP sandbox.
 *
 * Method
 * - N events of one connector (SAP billing documents unless named) from the seeded generator (seed 7,
 *   documents dated in the last 20 days) are written as NDJSON (Avro JSON encoding), the embedded
 *   default's input format.
 * - Local stages: decode (Avro JSON → Avro binary → record), map (the connector) and validate (IRP
 *   rules) run over all N records in this process after a warm-up pass; reported as CPU µs per record
 *   (`process.cpuUsage()`, user + system) for each stage.
 * - End to end: FileSource → PipelineRunner (at-least-once) → FileSink, the IRP client over real HTTP to
 *   a sandbox in a child process (a fresh one per variant, so every run registers every document and
 *   the sandbox's CPU — RSA signing, SQLite — is not counted here). Variants differ only in
 *   `maxInFlight` (1, 8, 64). Reported: records/s (wall), this process's CPU µs per record, peak RSS
 *   sampled every 50 ms, and each variant's throughput relative to maxInFlight 1.
 * - 2 cores shared by both processes and loopback: compare the variants of one run, not machines.
 *
 * Run: `node --import tsx bench/pipeline.bench.ts [N] [connector]` (default 2000 sap).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { generateRecords } from '../connectors/testkit/generators.js';
import { connectors, isConnectorId } from '../connectors/registry.js';
import { supplierGstin } from '../connectors/types.js';
import { toAvroJson } from '../connectors/testkit/avro-codec.js';
import { JsonEventDecoder } from '../src/adapters/avro/json-decoder.js';
import { FileSink } from '../src/adapters/file/file-sink.js';
import { FileSource } from '../src/adapters/file/file-source.js';
import { buildRunner, stageDeps } from '../src/cli/wiring.js';
import type { SourceConfig } from '../src/config/source-config.js';
import { createIrpClient } from '../src/irp/client/index.js';
import { validateInvoice } from '../src/irp/validate/index.js';
import { createPipelineMetrics } from '../src/ops/metrics.js';
import { sandboxAdmin } from '../src/sandbox/index.js';
import { startSandboxProcess } from './support.js';

const N = Number(process.argv[2] ?? 2000);
const id = process.argv[3] ?? 'sap';
if (!isConnectorId(id)) throw new Error(`unknown connector ${id}`);
const connector = connectors[id];
const log = pino({ level: 'silent' });

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

const dir = mkdtempSync(join(tmpdir(), 'irp-pipeline-bench-'));
const records = generateRecords(id, N, { seed: 7, asOf: new Date().toISOString().slice(0, 10) });
const lines = records.map((r) => toAvroJson(connector.avroSchema, r));
const input = join(dir, 'events.ndjson');
writeFileSync(input, `${lines.join('\n')}\n`);
const decoder = new JsonEventDecoder({ readerSchema: connector.avroSchema });

// --- local stages ---------------------------------------------------------------------------------
async function stageCosts() {
  const buffers = lines.map((l) => Buffer.from(l));
  const decoded: unknown[] = [];
  for (const b of buffers) {
    const d = await decoder.decode(b); // warm-up
    if (d.ok) decoded.push(d.record);
  }
  let t = cpuMicros();
  for (const b of buffers) await decoder.decode(b);
  const decodeUs = (cpuMicros() - t) / N;
  t = cpuMicros();
  const mapped = decoded.map((r) => connector.map(r));
  const mapUs = (cpuMicros() - t) / N;
  const invoices = mapped.flatMap((m) => (m.ok && m.event.kind === 'generate' ? [m.event.invoice] : []));
  const now = new Date();
  for (const inv of invoices) validateInvoice(inv, { now }); // warm-up
  t = cpuMicros();
  for (const inv of invoices) validateInvoice(inv, { now });
  const validateUs = (cpuMicros() - t) / invoices.length;
  const sellers = [...new Set(mapped.flatMap((m) => (m.ok ? [supplierGstin(m.event)] : [])))];
  return { decodeUs, mapUs, validateUs, sellers };
}

// --- end to end -----------------------------------------------------------------------------------
async function endToEnd(maxInFlight: number, sellers: string[]) {
  const sandbox = await startSandboxProcess();
  const { baseUrl } = sandbox.credentials;
  const admin = sandboxAdmin(sandbox.credentials);
  const credentials = [];
  for (const gstin of sellers)
    credentials.push(await admin.createAccount(`bench_${gstin.slice(2, 7)}`.toLowerCase(), gstin));
  const client = createIrpClient({
    baseUrl,
    publicKeyPem: sandbox.credentials.publicKeyPem,
    credentials,
    concurrency: { perGstin: 64 },
  });
  const out = join(dir, `out-${maxInFlight}`);
  const config: SourceConfig = {
    id: 'bench',
    connector: id,
    kafka: { brokers: ['(file)'], groupId: 'bench', inputTopics: [input] },
    topics: { results: 'results', errors: 'errors', deadLetter: 'dead-letter' },
    irp: { baseUrl, credentials: [] },
    pipeline: { maxInFlight },
  };
  const source = new FileSource({ path: input, stateDir: out });
  const sink = new FileSink({ dir: out });
  const runner = buildRunner(
    config,
    { source, sink, stages: stageDeps(config, client, decoder) },
    createPipelineMetrics(undefined, false),
    log,
  );
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const cpu0 = cpuMicros();
  const t0 = performance.now();
  const status = await runner.run();
  const seconds = (performance.now() - t0) / 1000;
  const cpuUs = (cpuMicros() - cpu0) / N;
  clearInterval(sampler);
  await sink.close();
  await client.close();
  await sandbox.stop();
  return {
    maxInFlight,
    seconds,
    perSecond: N / seconds,
    cpuUs,
    peakRssMb: peakRss / 2 ** 20,
    counts: status.counts,
  };
}

const stages = await stageCosts();
console.log(
  `pipeline benchmark: ${N} ${id} events (${stages.sellers.length} suppliers), Node ${process.version}`,
);
console.log('\nlocal stages (CPU per record):');
console.log(`  decode   ${stages.decodeUs.toFixed(1)} µs   (Avro JSON → binary → record)`);
console.log(`  map      ${stages.mapUs.toFixed(1)} µs   (${id} connector)`);
console.log(`  validate ${stages.validateUs.toFixed(1)} µs   (IRP rules, per generate event)`);
const rows = [];
for (const m of [1, 8, 64]) rows.push(await endToEnd(m, stages.sellers));
console.log('\nend to end, file → pipeline → IRP sandbox (child process) → file:');
console.log('  maxInFlight  records/s  ratio  CPU µs/record  peak RSS MB  outputs (result/error/dead)');
for (const r of rows)
  console.log(
    `  ${String(r.maxInFlight).padStart(11)}  ${r.perSecond.toFixed(0).padStart(9)}  ${(r.perSecond / rows[0]!.perSecond).toFixed(2).padStart(5)}  ${r.cpuUs.toFixed(0).padStart(13)}  ${r.peakRssMb.toFixed(0).padStart(11)}  ${r.counts.result}/${r.counts.error}/${r.counts['dead-letter']}`,
  );
const local = stages.decodeUs + stages.mapUs + stages.validateUs;
const best = rows[rows.length - 1]!;
console.log(
  `\nlocal stages are ${((local / best.cpuUs) * 100).toFixed(0)} % of the pipeline's CPU per record at maxInFlight ${best.maxInFlight}`,
);
rmSync(dir, { recursive: true, force: true });
