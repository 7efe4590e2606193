/**
 * The embedded default (`npm start`): every connector's bundled sample events run through the whole
 * pipeline — file source → Avro (JSON encoding) decode → connector → IRP validator → IRP client over
 * real HTTP → the IRP sandbox started in-process → file sink — with a summary of what came out.
 *
 * The sandbox plays GSTN's registry too: the demo gives each sample supplier an API login and records
 * SEZ recipients as SEZ taxpayers, as onboarding and the GST common portal would. Each ERP source gets an
 * IRP of its own: the connectors' samples are rendered from the same scenarios, so they share supplier
 * GSTINs and document numbers, and one shared IRP would (rightly) call the second ERP's copy a 2150.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Logger } from 'pino';
import { connectorIds, connectors } from '../../connectors/registry.js';
import type { Connector } from '../../connectors/types.js';
import { JsonEventDecoder } from '../adapters/avro/json-decoder.js';
import { FileSink } from '../adapters/file/file-sink.js';
import { FileSource } from '../adapters/file/file-source.js';
import type { SourceConfig } from '../config/source-config.js';
import { createIrpClient } from '../irp/client/index.js';
import { createPipelineMetrics } from '../ops/metrics.js';
import type { RunnerStatus } from '../pipeline/runner.js';
import { createSandbox, sandboxAdmin } from '../sandbox/index.js';
import { claimOutputDir } from './owned-output.js';
import { onboardParties, partiesOf, readSampleLines, sampleFile } from './samples.js';
import { buildRunner, stageDeps } from './wiring.js';

export interface DemoOptions {
  root: string;
  outDir: string;
  connectors?: string[];
  log: Logger;
  progress: (line: string, final?: boolean) => void;
}

export interface ConnectorSummary {
  connector: string;
  input: string;
  status: RunnerStatus;
  irns: number;
  recovered: number;
  cancelled: number;
  ewbs: number;
  rejections: Record<string, number>;
  deadLetters: Record<string, number>;
  sampleIrn?: string;
}

export interface DemoSummary {
  outDir: string;
  sandboxUrl: string;
  connectors: ConnectorSummary[];
  files: string[];
  seconds: number;
}

function topicsFor(id: string) {
  return { results: `irp.${id}.results`, errors: `irp.${id}.errors`, deadLetter: `irp.${id}.dead-letter` };
}

export async function runDemo(opts: DemoOptions): Promise<DemoSummary> {
  const started = Date.now();
  const ids = opts.connectors ?? [...connectorIds];
  // Never a user's files: a directory this command did not make is refused (owned-output.ts).
  const claim = claimOutputDir(
    opts.outDir,
    'demo',
    ids.flatMap((id) => Object.values(topicsFor(id)).map((t) => `${t}.ndjson`)),
  );
  try {
    return await runAll(opts, ids, started);
  } finally {
    claim.finish();
  }
}

async function runAll(opts: DemoOptions, ids: string[], started: number): Promise<DemoSummary> {
  const summaries: ConnectorSummary[] = [];
  let sandboxUrl = '';
  for (const id of ids) {
    const sandbox = await createSandbox({
      port: 0,
      db: ':memory:',
      logger: opts.log.child({ component: 'sandbox' }),
    });
    sandboxUrl = sandbox.baseUrl;
    try {
      const connector = connectors[id as keyof typeof connectors] as Connector | undefined;
      if (!connector) throw new Error(`unknown connector ${id}`);
      const input = sampleFile(opts.root, id);
      const lines = readSampleLines(opts.root, id);
      const decoder = new JsonEventDecoder({ readerSchema: connector.avroSchema });
      const credentials = await onboardParties(
        sandboxAdmin(sandbox.credentials),
        await partiesOf(connector, lines),
        `demo_${id}`,
      );

      const client = createIrpClient(
        {
          baseUrl: sandbox.baseUrl,
          publicKeyPem: sandbox.credentials.publicKeyPem,
          signingCertPem: sandbox.credentials.signingCertPem,
          credentials,
        },
        { logger: opts.log },
      );
      const config: SourceConfig = {
        id: `demo-${id}`,
        connector: id,
        kafka: { brokers: ['(file)'], groupId: `demo-${id}`, inputTopics: [input] },
        topics: topicsFor(id),
        irp: { baseUrl: sandbox.baseUrl, credentials: [] },
      };
      const source = new FileSource({
        path: input,
        stateDir: join(opts.outDir, 'state'),
        topic: `erp.${id}.events`,
        log: opts.log,
      });
      const sink = new FileSink({ dir: opts.outDir });
      const runner = buildRunner(
        config,
        { source, sink, stages: stageDeps(config, client, decoder) },
        createPipelineMetrics(undefined, false),
        opts.log,
      );
      const ticker = setInterval(() => {
        const s = runner.status();
        opts.progress(
          `${id.padEnd(10)} ${String(s.counts.in).padStart(4)}/${lines.length} records  ${s.counts.result} results  ${s.counts.error} rejected  ${s.counts['dead-letter']} dead letters`,
        );
      }, 250);
      let status: RunnerStatus;
      try {
        status = await runner.run();
      } finally {
        clearInterval(ticker);
        await sink.close();
        await client.close();
      }
      opts.progress(
        `${id.padEnd(10)} ${String(status.counts.in).padStart(4)}/${lines.length} records  ${status.counts.result} results  ${status.counts.error} rejected  ${status.counts['dead-letter']} dead letters`,
        true,
      );
      summaries.push(summarise(id, relative(opts.root, input), status, opts.outDir));
    } finally {
      await sandbox.close();
    }
  }
  const files = ids
    .flatMap((id) => Object.values(topicsFor(id)).map((t) => join(opts.outDir, `${t}.ndjson`)))
    .filter((f) => existsSync(f));
  return {
    outDir: opts.outDir,
    sandboxUrl,
    connectors: summaries,
    files,
    seconds: (Date.now() - started) / 1000,
  };
}

function readLines(file: string): Record<string, unknown>[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function summarise(id: string, input: string, status: RunnerStatus, outDir: string): ConnectorSummary {
  const t = topicsFor(id);
  const results = readLines(join(outDir, `${t.results}.ndjson`)).map(
    (l) => l.value as Record<string, unknown>,
  );
  const errors = readLines(join(outDir, `${t.errors}.ndjson`)).map(
    (l) => l.value as { errors: { code: string }[] },
  );
  const dead = readLines(join(outDir, `${t.deadLetter}.ndjson`)).map(
    (l) => l.headers as Record<string, string>,
  );
  const count = (codes: string[]) =>
    codes.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c]: (acc[c] ?? 0) + 1 }), {});
  const generated = results.filter((r) => r.kind === 'generate');
  const summary: ConnectorSummary = {
    connector: id,
    input,
    status,
    irns: generated.length,
    recovered: results.filter((r) => r.recovered === true).length,
    cancelled: results.filter((r) => r.kind === 'cancel').length,
    ewbs: results.filter((r) => r.kind === 'ewb').length,
    rejections: count(errors.map((e) => e.errors[0]?.code ?? 'UNKNOWN')),
    deadLetters: count(dead.map((h) => h['irp-bridge.errors.code'] ?? 'UNKNOWN')),
  };
  if (generated[0]?.Irn) summary.sampleIrn = String(generated[0].Irn);
  return summary;
}

export function formatSummary(s: DemoSummary, root: string): string {
  const lines = [
    '',
    `irp-bridge demo: ${s.connectors.length} ERP sources through the pipeline in ${s.seconds.toFixed(1)} s (IRP: the sandbox, in-process, one per source)`,
    '',
  ];
  lines.push(
    'connector   records  IRNs  cancelled  e-way bills  rejected (codes)                 dead letters',
  );
  for (const c of s.connectors) {
    const rejected =
      Object.entries(c.rejections)
        .map(([k, v]) => `${k}×${v}`)
        .join(' ') || '-';
    const dead =
      Object.entries(c.deadLetters)
        .map(([k, v]) => `${k}×${v}`)
        .join(' ') || '-';
    const total = Object.values(c.rejections).reduce((a, b) => a + b, 0);
    lines.push(
      `${c.connector.padEnd(11)} ${String(c.status.counts.in).padStart(7)} ${String(c.irns).padStart(5)} ${String(c.cancelled).padStart(10)} ${String(c.ewbs).padStart(12)}  ${`${total} (${rejected})`.padEnd(32)} ${dead}`,
    );
  }
  const first = s.connectors.find((c) => c.sampleIrn);
  if (first) lines.push('', `e.g. ${first.connector}: IRN ${first.sampleIrn}`);
  lines.push('', `outputs (one line per input record) in ${relative(root, s.outDir) || '.'}/:`);
  for (const f of s.files) lines.push(`  ${relative(root, f)}`);
  return `${lines.join('\n')}\n`;
}
