/**
 * Wires one source from its config: the Kafka adapter, the Avro decoder, the connector, the IRP client
 * behind the gateway, the runner, metrics and the ops endpoint. The only place (with the demo) where
 * adapters meet ports.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { avroDecoderFromConfig } from '../adapters/avro/from-config.js';
import { ClientIrpGateway } from '../adapters/irp/irp-gateway.js';
import { createKafkaAdapters } from '../adapters/kafka/index.js';
import { resolvePath, resolveSecret } from '../config/load.js';
import type { KafkaConnection, SourceConfig } from '../config/source-config.js';
import { createIrpClient, type IrpClient, type IrpClientConfigInput } from '../irp/client/index.js';
import { registerSecret } from '../ops/logging.js';
import type { PipelineMetrics } from '../ops/metrics.js';
import { connectorById } from '../pipeline/connectors.js';
import type { EventDecoder, InvoiceSource, OutputSink } from '../pipeline/ports.js';
import { DEFAULT_RUNNER_CONFIG, PipelineRunner } from '../pipeline/runner.js';
import type { StageDeps } from '../pipeline/stages.js';

/** The credentials JSON a `file` reference points at (the sandbox's credentials file has this shape). */
interface CredentialsFile {
  clientId?: string;
  clientSecret?: string;
  userName?: string;
  password?: string;
  publicKeyPem?: string;
  signingCertPem?: string;
}

function readJson(path: string): CredentialsFile {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as CredentialsFile;
  } catch (err) {
    throw new Error(`credentials file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'not JSON'}`, {
      cause: err,
    });
  }
}

/** The IRP client config with every secret resolved and registered for log scrubbing. */
export function irpClientConfig(
  config: SourceConfig,
  baseDir: string,
  env: NodeJS.ProcessEnv,
): IrpClientConfigInput {
  let publicKeyPem = config.irp.publicKeyFile
    ? readFileSync(resolvePath(baseDir, config.irp.publicKeyFile), 'utf8')
    : undefined;
  let signingCertPem = config.irp.signingCertFile
    ? readFileSync(resolvePath(baseDir, config.irp.signingCertFile), 'utf8')
    : undefined;
  const credentials = config.irp.credentials.map((c, i) => {
    const file = c.file ? readJson(resolvePath(baseDir, c.file)) : {};
    publicKeyPem ??= file.publicKeyPem;
    signingCertPem ??= file.signingCertPem;
    const value = (field: 'clientId' | 'clientSecret' | 'userName' | 'password') => {
      const ref = c[field];
      const v = ref ? resolveSecret(ref, baseDir, env) : file[field];
      if (!v)
        throw new Error(`irp.credentials[${i}].${field}: not given (neither a reference nor in the file)`);
      return v;
    };
    const resolved = {
      gstin: c.gstin,
      clientId: value('clientId'),
      clientSecret: value('clientSecret'),
      userName: value('userName'),
      password: value('password'),
    };
    registerSecret(resolved.clientSecret);
    registerSecret(resolved.password);
    return resolved;
  });
  if (!publicKeyPem)
    throw new Error(
      'irp.publicKeyFile: the IRP public key is required (or a credentials file that carries publicKeyPem)',
    );
  const retry = config.irp.retry;
  return {
    baseUrl: config.irp.baseUrl,
    publicKeyPem,
    ...(signingCertPem ? { signingCertPem } : {}),
    credentials,
    authVersion: config.irp.authVersion === 'v1.03' ? '1.03' : '1.04',
    ...(config.irp.timeoutMs ? { timeouts: { requestMs: config.irp.timeoutMs } } : {}),
    ...(retry
      ? {
          retry: {
            ...(retry.maxAttempts ? { maxRetries: retry.maxAttempts - 1 } : {}),
            ...(retry.initialDelayMs ? { initialDelayMs: retry.initialDelayMs } : {}),
            ...(retry.maxDelayMs ? { maxDelayMs: retry.maxDelayMs } : {}),
            ...(retry.deadlineMs ? { deadlineMs: retry.deadlineMs } : {}),
          },
        }
      : {}),
    ...(config.irp.breaker ? { breaker: config.irp.breaker } : {}),
    ...(config.irp.maxConcurrencyPerGstin
      ? { concurrency: { perGstin: config.irp.maxConcurrencyPerGstin } }
      : {}),
    ...(config.irp.ratePerSecond ? { rateLimit: { requestsPerSecond: config.irp.ratePerSecond } } : {}),
  };
}

export function kafkaConnection(
  config: SourceConfig,
  baseDir: string,
  env: NodeJS.ProcessEnv,
): KafkaConnection {
  const k = config.kafka;
  const conn: KafkaConnection = { clientId: k.clientId ?? `irp-bridge-${config.id}`, brokers: k.brokers };
  if (k.ssl) conn.ssl = { ...k.ssl, ...(k.ssl.caFile ? { caFile: resolvePath(baseDir, k.ssl.caFile) } : {}) };
  if (k.sasl) {
    const password = resolveSecret(k.sasl.password, baseDir, env);
    registerSecret(password);
    conn.sasl = { mechanism: k.sasl.mechanism, username: k.sasl.username, password };
  }
  return conn;
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
  const connector = connectorById(config.connector);
  if (!connector) throw new Error(`connector: unknown connector "${config.connector}"`);
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
  return new PipelineRunner(
    parts.source,
    parts.sink,
    parts.stages,
    {
      ...DEFAULT_RUNNER_CONFIG,
      sourceId: config.id,
      groupId: config.kafka.groupId,
      mode: config.pipeline?.mode ?? 'at-least-once',
      maxInFlight: config.pipeline?.maxInFlight ?? DEFAULT_RUNNER_CONFIG.maxInFlight,
      commitIntervalMs: config.pipeline?.commitIntervalMs ?? DEFAULT_RUNNER_CONFIG.commitIntervalMs,
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
  const connector = connectorById(config.connector);
  if (!connector) throw new Error(`connector: unknown connector "${config.connector}"`);
  const client = createIrpClient(irpClientConfig(config, baseDir, env), { logger: log });
  const { decoder, close: closeDecoder } = avroDecoderFromConfig(config.avro, connector, { baseDir, env });
  const mode = config.pipeline?.mode ?? 'at-least-once';
  const { source, sink } = await createKafkaAdapters(
    config.kafka.adapter ?? 'kafkajs',
    kafkaConnection(config, baseDir, env),
    {
      groupId: config.kafka.groupId,
      topics: config.kafka.inputTopics,
      fromBeginning: config.kafka.fromBeginning ?? true,
      partitionsConsumedConcurrently: config.kafka.partitionsConsumedConcurrently ?? 4,
      sessionTimeoutMs: config.kafka.sessionTimeoutMs ?? 30_000,
      readCommitted: config.kafka.readCommitted ?? true,
      ...(mode === 'exactly-once'
        ? { transactionalId: config.pipeline?.transactionalId ?? `${config.kafka.groupId}-${hostname()}` }
        : {}),
    },
    log,
  );
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
