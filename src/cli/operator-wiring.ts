/**
 * What the operator's commands (`replay`, `backfill`, `reconcile`, `write-back`) share: a source
 * config loaded and checked as `run` checks it, the Kafka reader and producer (kafkajs, with the
 * source's TLS and SASL, whatever `kafka.adapter` says), the pipeline's stages for that source, and
 * the parsing of their common options. Every bad input is a CliError (exit 2) raised before anything
 * is read or written.
 */
import type { Logger } from 'pino';
import { avroDecoderFromConfig } from '../adapters/avro/from-config.js';
import { kafkajsClient } from '../adapters/kafka/kafkajs-client.js';
import { KafkajsSink } from '../adapters/kafka/kafkajs-sink.js';
import { KafkajsTopicReader } from '../adapters/kafka/topic-reader.js';
import { ConfigError, loadSourceConfig, withAbsolutePaths } from '../config/load.js';
import type { SourceConfig } from '../config/source-config.js';
import { createIrpClient, type IrpClient } from '../irp/client/index.js';
import { UnknownTopicError, type TopicReader } from '../operator/ports.js';
import { sourceConnector } from '../pipeline/connectors.js';
import type { InvoiceSource, OutputSink } from '../pipeline/ports.js';
import type { PipelineRunner } from '../pipeline/runner.js';
import type { StageDeps } from '../pipeline/stages.js';
import { CliError } from './io.js';
import type { ResolvedSource } from './start-checks.js';
import { buildRunner, resolveSource, stageDeps } from './wiring.js';
import { createPipelineMetrics } from '../ops/metrics.js';

export interface OperatorSource {
  config: SourceConfig;
  baseDir: string;
  resolved: ResolvedSource;
  log: Logger;
}

/** The config, checked as `run` checks it (connector, tables, keys, secrets). */
export async function loadOperatorSource(
  file: string,
  log: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<OperatorSource> {
  let loaded;
  try {
    loaded = loadSourceConfig(file, env);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(`${file}: ${err.problems.join('; ')}`, 2);
    throw err;
  }
  let resolved;
  try {
    resolved = await resolveSource(loaded.config, loaded.baseDir, env);
  } catch (err) {
    throw new CliError(
      `${file}: ${(err as Error).message
        .replace(/^\d+ problem\(s\)\n/, '')
        .replace(/\n\s*- /g, '; ')
        .replace(/^\s*- /, '')}`,
      2,
    );
  }
  return {
    config: loaded.config,
    baseDir: loaded.baseDir,
    resolved,
    log: log.child({ source: loaded.config.id }),
  };
}

/**
 * The Kafka client of the operator's commands. kafkajs logs the broker states it retries through (a
 * coordinator still loading) as errors; a failure that matters reaches the command as one, so at the
 * default level (`error`) its own log lines are held back; `--log-level warn` (or lower) shows them.
 */
function kafka(src: OperatorSource) {
  const level = src.log.level === 'error' ? 'fatal' : src.log.level;
  return kafkajsClient(src.resolved.kafka, src.log.child({ component: 'kafka' }, { level }));
}

export function topicReader(src: OperatorSource): TopicReader {
  return new KafkajsTopicReader(kafka(src));
}

/** An idempotent producer (acks=all) to the source's output topics. */
export function outputSink(src: OperatorSource): OutputSink {
  return new KafkajsSink(kafka(src));
}

export interface OperatorStages {
  stages: StageDeps;
  client: IrpClient;
  close(): Promise<void>;
}

/** The source's decode, map, validate and submit stages, as `run` builds them. */
export function operatorStages(src: OperatorSource): OperatorStages {
  const r = sourceConnector(src.config);
  if (!r.ok) throw new CliError(r.problems.join('; '), 2);
  const client = createIrpClient(src.resolved.irp, { logger: src.log });
  const { decoder, close } = avroDecoderFromConfig(
    withAbsolutePaths(src.config, src.baseDir).avro,
    r.connector,
    {
      baseDir: src.baseDir,
      env: process.env,
    },
  );
  return {
    stages: stageDeps(src.config, client, decoder),
    client,
    close: async () => {
      await client.close().catch(() => undefined);
      await close().catch(() => undefined);
    },
  };
}

/**
 * The source's runner over `source` and `sink`, at-least-once whatever the config says: an operator's
 * source (a list, files) has no consumer group whose offsets a transaction could carry. Replays of
 * what was already registered come back from the IRP as 2150 and are recovered.
 */
export function operatorRunner(
  src: OperatorSource,
  parts: { source: InvoiceSource; sink: OutputSink; stages: StageDeps },
  /** Pipeline settings this tool defaults differently; the source config's own values still win. */
  defaults: { pendingDocumentWindowMs?: number } = {},
): PipelineRunner {
  const config = {
    ...src.config,
    pipeline: {
      ...src.config.pipeline,
      mode: 'at-least-once' as const,
      pendingDocumentWindowMs:
        src.config.pipeline?.pendingDocumentWindowMs ?? defaults.pendingDocumentWindowMs,
    },
  };
  return buildRunner(config, parts, createPipelineMetrics(undefined, false), src.log);
}

/** Topic errors as the one line a user should see; anything else as a Kafka failure. */
export function kafkaError(err: unknown, src: OperatorSource): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof UnknownTopicError)
    return new CliError(`${err.message} (at ${src.resolved.kafka.brokers.join(',')})`, 2);
  return new CliError(`Kafka at ${src.resolved.kafka.brokers.join(',')}: ${(err as Error).message}`, 1);
}

/**
 * An instant from the command line: an ISO date-time (`2025-04-01T10:00:00+05:30`, `…Z`) or a date
 * (`2025-04-01`, midnight in India, IST, when the IRP's day begins).
 */
export function parseInstant(text: string, option: string): number {
  const t = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00+05:30`) : Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(t))
    throw new CliError(`${option} ${text}: expected a date (yyyy-MM-dd, IST) or an ISO date-time`, 2);
  return t;
}

/** `--since`/`--until` checked together. */
export function timeRange(since?: string, until?: string): { since?: number; until?: number } {
  const out: { since?: number; until?: number } = {};
  if (since !== undefined) out.since = parseInstant(since, '--since');
  if (until !== undefined) out.until = parseInstant(until, '--until');
  if (out.since !== undefined && out.until !== undefined && out.since >= out.until)
    throw new CliError(`--since ${since} is not before --until ${until}`, 2);
  return out;
}

/** A positive integer option. */
export function positiveInt(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1)
    throw new CliError(`${option} ${text}: expected an integer ≥ 1`, 2);
  return n;
}
