/**
 * What the operator tools' integration tests share: running a source in-process until its outputs are
 * there, SAP records renumbered as another document, and a source config written where a spawned
 * `irp-bridge` reads it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { stringify } from 'yaml';
import { connectors } from '../../connectors/registry.js';
import { decode, encode } from '../../connectors/testkit/avro-codec.js';
import { wireKafkaSource } from '../../src/cli/wiring.js';
import type { SourceConfig } from '../../src/config/source-config.js';
import { createPipelineMetrics } from '../../src/ops/metrics.js';
import { SAP_SCHEMA, readOutputs, type OutputMessage, type PipelineTopics } from './pipeline-harness.js';

export type SapRecord = { VBRK: { VBELN: string; XBLNR: string }; VBRP: { VRKME: string }[] } & Record<
  string,
  unknown
>;

/** Runs the source until `expected` outputs are on its topics (at most 90 s), then stops it as SIGTERM would. */
export async function runSourceUntil(
  config: SourceConfig,
  dir: string,
  env: Record<string, string>,
  topics: PipelineTopics,
  expected: number,
  log: Logger,
): Promise<OutputMessage[]> {
  const runtime = await wireKafkaSource(config, dir, createPipelineMetrics(undefined, false), log, env);
  const running = runtime.runner.run();
  let outputs: OutputMessage[] = [];
  const started = Date.now();
  while (outputs.length < expected && Date.now() - started < 90_000)
    outputs = await readOutputs(topics, expected, 3000, 300);
  await runtime.runner.stop();
  await running;
  await runtime.close();
  return outputs;
}

/** A copy of an SAP record as another document: number `no` (XBLNR) and a billing document number from it. */
export function renumbered(r: SapRecord, no: string, fill = '9'): SapRecord {
  const c = decode(SAP_SCHEMA, encode(SAP_SCHEMA, r)) as SapRecord;
  c.VBRK.XBLNR = no;
  c.VBRK.VBELN = no.replace(/\D/g, '').padStart(10, fill);
  return c;
}

/** The document key the SAP connector gives a record (throws for one it cannot map). */
export function sapDocKey(r: SapRecord): string {
  const m = connectors.sap.map(r);
  if (!m.ok) throw new Error(`unmappable: ${JSON.stringify(m.errors)}`);
  return m.event.docKey;
}

export function writeConfig(dir: string, name: string, config: SourceConfig): string {
  const file = join(dir, name);
  writeFileSync(file, stringify(config));
  return file;
}
