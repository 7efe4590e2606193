/**
 * Wires one source from its config: the Kafka adapter, the Avro decoder, the connector, the IRP client
 * behind the gateway, the runner, metrics and the ops endpoint. The only place (with the demo) where
 * adapters meet ports.
 */
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { avroDecoderFromConfig } from '../adapters/avro/from-config.js';
import { ClientIrpGateway } from '../adapters/irp/irp-gateway.js';
import { createKafkaAdapters } from '../adapters/kafka/index.js';
import { withAbsolutePaths } from '../config/load.js';
import type { SourceConfig } from '../config/source-config.js';
import { createIrpClient, type IrpClient } from '../irp/client/index.js';
import { registerSecret } from '../ops/logging.js';
import { initialiseSeries, irpClientObserver, type PipelineMetrics } from '../ops/metrics.js';
import { sourceConnector } from '../pipeline/connectors.js';
import { withDocumentStatus } from '../pipeline/document-status.js';
import { lostRecord } from '../pipeline/outputs.js';
import type { EventDecoder, InvoiceSource, OutputSink } from '../pipeline/ports.js';
import { DEFAULT_RUNNER_CONFIG, PipelineRunner } from '../pipeline/runner.js';
import type { StageDeps } from '../pipeline/stages.js';
import { startChecks, type ResolvedSource } from './start-checks.js';
import { transportWarnings } from './transport-warnings.js';

/**
 * The IRP client's config and the Kafka connection of `config`, after every start-up check
 * (start-checks.ts, the same checks `check-config` prints) passed; every secret registered for log
 * scrubbing. Throws one Error listing every problem.
 */

/** The source's connector with its site tables; a bad table entry stops the source before it starts. */
function configuredConnector(config: SourceConfig) {
  const r = sourceConnector(config);
  if (!r.ok) throw new Error(r.problems.join('; '));
  return r.connector;
}

export async function resolveSource(
  config: SourceConfig,
  baseDir: string,
  env: NodeJS.ProcessEnv,
): Promise<ResolvedSource> {
  const { problems, resolved } = await startChecks(config, baseDir, { env, resolveSecrets: true });
  if (problems.length > 0 || !resolved)
    throw new Error(`${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  resolved.secrets.forEach(registerSecret);
  return resolved;
}

export interface SourceRuntime {
  runner: PipelineRunner;
  client: IrpClient;
  source: InvoiceSource;
  close(): Promise<void>;
}

/** Everything but the source and sink: shared by the Kafka run and the file demo. */
export function stageDeps(
  config: SourceConfig,
  client: IrpClient,
  decoder: EventDecoder,
  now: () => Date = () => new Date(),
): StageDeps {
  const connector = configuredConnector(config);
  const large = new Set(config.pipeline?.largeTaxpayers ?? []);
  return {
    connectorImpl: connector,
    decoder,
    gateway: new ClientIrpGateway(client),
    sourceId: config.id,
    connector: config.connector,
    topics: config.topics,
    now,
    validation: { isLargeTaxpayer: (g) => large.has(g) },
  };
}

export function buildRunner(
  config: SourceConfig,
  parts: { source: InvoiceSource; sink: OutputSink; stages: StageDeps },
  metrics: PipelineMetrics,
  log: Logger,
): PipelineRunner {
  const statusTopic = config.topics.documentStatus;
  const sink = statusTopic
    ? withDocumentStatus(parts.sink, { ...config.topics, documentStatus: statusTopic })
    : parts.sink;
  return new PipelineRunner(
    parts.source,
    sink,
    parts.stages,
    {
      ...DEFAULT_RUNNER_CONFIG,
      sourceId: config.id,
      groupId: config.kafka.groupId,
      mode: config.pipeline?.mode ?? 'at-least-once',
      maxInFlight: config.pipeline?.maxInFlight ?? DEFAULT_RUNNER_CONFIG.maxInFlight,
      commitIntervalMs: config.pipeline?.commitIntervalMs ?? DEFAULT_RUNNER_CONFIG.commitIntervalMs,
      recordRetry: {
        attempts: config.pipeline?.recordRetry?.attempts ?? DEFAULT_RUNNER_CONFIG.recordRetry.attempts,
        maxMs: config.pipeline?.recordRetry?.maxMs ?? DEFAULT_RUNNER_CONFIG.recordRetry.maxMs,
      },
      pendingDocumentWindowMs:
        config.pipeline?.pendingDocumentWindowMs ?? DEFAULT_RUNNER_CONFIG.pendingDocumentWindowMs,
      drainTimeoutMs: config.pipeline?.drainTimeoutMs ?? DEFAULT_RUNNER_CONFIG.drainTimeoutMs,
    },
    metrics,
    log,
  );
}

/** A Kafka source as configured, ready to `runner.run()`. */
export async function wireKafkaSource(
  config: SourceConfig,
  baseDir: string,
  metrics: PipelineMetrics,
  log: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SourceRuntime> {
  const connector = configuredConnector(config);
  const resolved = await resolveSource(config, baseDir, env);
  for (const warning of transportWarnings(config)) log.warn(warning);
  initialiseSeries(metrics, config.id, config.kafka.inputTopics);
  const client = createIrpClient(resolved.irp, {
    logger: log,
    observer: irpClientObserver(metrics, config.id),
  });
  const { decoder, close: closeDecoder } = avroDecoderFromConfig(
    withAbsolutePaths(config, baseDir).avro,
    connector,
    { baseDir, env },
  );
  const mode = config.pipeline?.mode ?? 'at-least-once';
  const { source, sink } = await createKafkaAdapters(
    config.kafka.adapter ?? 'kafkajs',
    resolved.kafka,
    {
      groupId: config.kafka.groupId,
      topics: config.kafka.inputTopics,
      fromBeginning: config.kafka.fromBeginning ?? true,
      partitionsConsumedConcurrently: config.kafka.partitionsConsumedConcurrently ?? 4,
      sessionTimeoutMs: config.kafka.sessionTimeoutMs ?? 30_000,
      // The adapter gives up connecting at the same deadline `run` holds start-up to.
      connectTimeoutMs: config.kafka.startupTimeoutMs ?? 60_000,
      readCommitted: config.kafka.readCommitted ?? true,
      ...(mode === 'exactly-once'
        ? { transactionalId: config.pipeline?.transactionalId ?? `${config.kafka.groupId}-${hostname()}` }
        : {}),
    },
    log,
  );
  source.onGap?.(async (gap) => {
    // Never silent: one record on the errors topic stands for the deleted range, before what follows it.
    log.error({ gap }, 'input records were deleted before this group processed them');
    const record = lostRecord(
      { sourceId: config.id, connector: config.connector, topics: config.topics, now: () => new Date() },
      gap,
    );
    if (sink.transactional) await sink.sendInTransaction!([record], [], config.kafka.groupId);
    else await sink.send([record]);
  });
  const runner = buildRunner(
    config,
    { source, sink, stages: stageDeps(config, client, decoder) },
    metrics,
    log,
  );
  return {
    runner,
    client,
    source,
    close: async () => {
      await sink.close().catch(() => undefined);
      await client.close().catch(() => undefined);
      await closeDecoder().catch(() => undefined);
    },
  };
}
