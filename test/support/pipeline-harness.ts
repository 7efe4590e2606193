/**
 * What the pipeline's integration tests share: the sandbox as the IRP over real HTTP, accounts for the
 * generated suppliers, SAP events Avro-encoded as an SAP producer would write them, a source config
 * pointing at the real broker, and readers for the output topics.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { generateRecords } from '../../connectors/testkit/generators.js';
import { encode } from '../../connectors/testkit/avro-codec.js';
import { connectors, type ConnectorId } from '../../connectors/registry.js';
import { supplierGstin } from '../../connectors/types.js';
import type { SourceConfig } from '../../src/config/source-config.js';
import {
  createSandbox,
  sandboxAdmin,
  type AccountCredentials,
  type RunningSandbox,
  type SandboxAdmin,
  type SandboxOptions,
} from '../../src/sandbox/index.js';
import { createTopic, kafkaBrokers, kafkaClient, uniqueGroupId, uniqueTopic } from './kafka.js';

export const SAP_SCHEMA = connectors.sap.avroSchema;

export interface SandboxHarness {
  sandbox: RunningSandbox;
  admin: SandboxAdmin['call'];
  /** Creates an API login for `gstin` and returns its credentials (secrets go through env vars). */
  account(gstin: string): Promise<AccountCredentials>;
  /** Generate-IRN successes: one per registered document. */
  registrations(): Promise<number>;
  close(): Promise<void>;
}

export async function startSandbox(
  dbFile?: string,
  options: Omit<SandboxOptions, 'port' | 'db'> = {},
): Promise<SandboxHarness> {
  const sandbox = await createSandbox({ ...options, port: 0, db: dbFile ?? ':memory:' });
  const client = sandboxAdmin(sandbox.credentials);
  const admin = client.call;
  let n = 0;
  return {
    sandbox,
    admin,
    account: (gstin) => client.createAccount(`erp_user_${++n}_${gstin.slice(2, 7)}`, gstin),
    registrations: async () => {
      const stats = await admin<Record<string, unknown>>('GET', 'stats');
      const apis = (stats.apis ?? stats) as Record<string, { succeeded?: number }>;
      return apis['generate-irn']?.succeeded ?? 0;
    },
    close: () => sandbox.close(),
  };
}

/** Today as `yyyy-MM-dd`, so generated documents are recent (inside every IRP window). */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

interface SapRecord {
  [k: string]: unknown;
}

/** The supplier GSTINs of records of a connector (SAP unless named), wherever its record keeps them. */
export function sellerGstins(records: unknown[], id: ConnectorId = 'sap'): string[] {
  const found = new Set<string>();
  for (const r of records) {
    const mapped = connectors[id].map(r);
    if (mapped.ok) found.add(supplierGstin(mapped.event));
  }
  return [...found];
}

/** Records of a connector as its ERP's producer writes them: raw Avro, keyed by document. */
export function encodedEvents<R>(
  id: ConnectorId,
  records: R[],
): { records: R[]; keys: string[]; values: Buffer[] } {
  const c = connectors[id];
  const keys = records.map((r) => {
    const m = c.map(r);
    return m.ok ? m.event.docKey : `unmapped-${Math.random()}`;
  });
  return { records, keys, values: records.map((r) => encode(c.avroSchema, r)) };
}

/** `count` generated events of a connector, dated up to today. */
export function connectorEvents(id: ConnectorId, count: number, seed: number) {
  return encodedEvents(id, generateRecords(id, count, { seed, asOf: today() }));
}

export function sapEvents(
  count: number,
  seed: number,
): { records: SapRecord[]; keys: string[]; values: Buffer[] } {
  return connectorEvents('sap', count, seed) as { records: SapRecord[]; keys: string[]; values: Buffer[] };
}

export async function produce(
  topic: string,
  messages: { key: string | null; value: Buffer }[],
): Promise<void> {
  const producer = kafkaClient().producer();
  await producer.connect();
  for (let i = 0; i < messages.length; i += 200)
    await producer.send({
      topic,
      messages: messages.slice(i, i + 200).map((m) => ({ key: m.key, value: m.value })),
    });
  await producer.disconnect();
}

export interface PipelineTopics {
  input: string;
  results: string;
  errors: string;
  deadLetter: string;
}

export async function pipelineTopics(prefix: string, partitions = 3): Promise<PipelineTopics> {
  const t = {
    input: uniqueTopic(`${prefix}-in`),
    results: uniqueTopic(`${prefix}-results`),
    errors: uniqueTopic(`${prefix}-errors`),
    deadLetter: uniqueTopic(`${prefix}-dlq`),
  };
  await createTopic(t.input, partitions);
  for (const out of [t.results, t.errors, t.deadLetter]) await createTopic(out, 1);
  return t;
}

/**
 * A source config (the same shape as config/local/*.yaml) for this broker and sandbox. Secrets are
 * env references; `env` holds their values for the runner or a child process.
 */
export async function sourceConfig(
  h: SandboxHarness,
  topics: PipelineTopics,
  sellers: string[],
  options: {
    adapter?: 'kafkajs' | 'confluent';
    mode?: 'at-least-once' | 'exactly-once';
    groupId?: string;
    maxInFlight?: number;
    logLevel?: 'debug' | 'info' | 'silent';
    /** The source's connector (default sap). */
    connector?: ConnectorId;
  } = {},
): Promise<{ config: SourceConfig; env: Record<string, string>; dir: string; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'irp-pipeline-'));
  const env: Record<string, string> = {};
  const credentials = [];
  for (const [i, gstin] of sellers.entries()) {
    const c = await h.account(gstin);
    Object.assign(env, {
      [`IRP_CID_${i}`]: c.clientId,
      [`IRP_CSECRET_${i}`]: c.clientSecret,
      [`IRP_USER_${i}`]: c.userName,
      [`IRP_PASSWORD_${i}`]: c.password,
    });
    credentials.push({
      gstin,
      clientId: { env: `IRP_CID_${i}` },
      clientSecret: { env: `IRP_CSECRET_${i}` },
      userName: { env: `IRP_USER_${i}` },
      password: { env: `IRP_PASSWORD_${i}` },
    });
  }
  writeFileSync(join(dir, 'irp-public-key.pem'), h.sandbox.credentials.publicKeyPem);
  writeFileSync(join(dir, 'irp-signing-cert.pem'), h.sandbox.credentials.signingCertPem);
  const config: SourceConfig = {
    id: `test-${topics.input.slice(-8)}`,
    connector: options.connector ?? 'sap',
    kafka: {
      adapter: options.adapter ?? 'kafkajs',
      brokers: kafkaBrokers().split(','),
      groupId: options.groupId ?? uniqueGroupId('pipeline'),
      inputTopics: [topics.input],
      fromBeginning: true,
      sessionTimeoutMs: 10_000,
    },
    topics: { results: topics.results, errors: topics.errors, deadLetter: topics.deadLetter },
    avro: { wireFormat: 'raw' },
    irp: {
      baseUrl: h.sandbox.baseUrl,
      publicKeyFile: 'irp-public-key.pem',
      signingCertFile: 'irp-signing-cert.pem',
      credentials,
      timeoutMs: 5000,
      retry: { maxAttempts: 3, initialDelayMs: 50, maxDelayMs: 500, deadlineMs: 3000 },
      breaker: { consecutiveFailures: 5, halfOpenAfterMs: 500 },
    },
    pipeline: {
      mode: options.mode ?? 'at-least-once',
      maxInFlight: options.maxInFlight ?? 32,
      commitIntervalMs: 200,
    },
    ops: {
      httpHost: '127.0.0.1',
      httpPort: 0,
      logLevel: options.logLevel ?? (process.env.TEST_LOG as 'info' | undefined) ?? 'silent',
    },
  };
  const file = join(dir, 'source.yaml');
  writeFileSync(file, stringify(config));
  return { config, env, dir, file };
}

export interface OutputMessage {
  topic: string;
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
  json?: Record<string, unknown>;
}

/**
 * One consumer that keeps reading the output topics (read_committed) for as long as a test waits on them,
 * where polling with `readOutputs` would join a new consumer group for every poll.
 */
export async function outputCollector(topics: PipelineTopics): Promise<{
  /** What arrived so far. */
  outputs(): OutputMessage[];
  /** Resolves once `expected` arrived and the topics were quiet for `quietMs`; throws with a count at `timeoutMs`. */
  until(expected: number, timeoutMs?: number, quietMs?: number): Promise<OutputMessage[]>;
  close(): Promise<void>;
}> {
  const consumer = kafkaClient().consumer({ groupId: uniqueGroupId('outputs'), maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({
    topics: [topics.results, topics.errors, topics.deadLetter],
    fromBeginning: true,
  });
  const got: OutputMessage[] = [];
  let last = Date.now();
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      last = Date.now();
      got.push(toOutput(topics, topic, message));
    },
  });
  return {
    outputs: () => [...got],
    until: async (expected, timeoutMs = 90_000, quietMs = 500) => {
      const started = Date.now();
      while (!(got.length >= expected && Date.now() - last > quietMs)) {
        if (Date.now() - started > timeoutMs)
          throw new Error(`${got.length} of ${expected} outputs after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
      return [...got];
    },
    close: () => consumer.disconnect(),
  };
}

function toOutput(
  topics: PipelineTopics,
  topic: string,
  message: { key: Buffer | null; value: Buffer | null; headers?: Record<string, unknown> },
): OutputMessage {
  const value = message.value ?? Buffer.alloc(0);
  let json: Record<string, unknown> | undefined;
  if (topic !== topics.deadLetter) json = JSON.parse(value.toString('utf8')) as Record<string, unknown>;
  return {
    topic,
    key: message.key?.toString('utf8') ?? null,
    value,
    headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
    ...(json ? { json } : {}),
  };
}

/**
 * Reads every record of the output topics (read_committed) until `expected` arrived and the topics are
 * quiet, or `timeoutMs` passed: then what arrived by then.
 */
export async function readOutputs(
  topics: PipelineTopics,
  expected: number,
  timeoutMs = 60_000,
  quietMs = 1500,
): Promise<OutputMessage[]> {
  const collected = await outputCollector(topics);
  try {
    return await collected.until(expected, timeoutMs, quietMs);
  } catch {
    return collected.outputs(); // the timeout: what arrived, for the caller's own assertions
  } finally {
    await collected.close();
  }
}

/** The input offset an output answers (results/errors carry `source`, dead letters a header). */
export function inputOffsetOf(o: OutputMessage): string {
  if (o.json)
    return `${(o.json.source as { partition: number }).partition}:${(o.json.source as { offset: string }).offset}`;
  return `${o.headers['irp-bridge.errors.partition']}:${o.headers['irp-bridge.errors.offset']}`;
}
