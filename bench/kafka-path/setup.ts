/**
 * What the Kafka-path benchmark stands up: the broker (the integration tests' own, from Maven jars, or
 * KAFKA_BROKERS), topics, generated events, a sandbox per variant in a child process (with an injected
 * latency), the source config a variant runs with, and the measured consumer in a child process.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { generateRecords } from '../../connectors/testkit/generators.js';
import { encode } from '../../connectors/testkit/avro-codec.js';
import { connectors } from '../../connectors/registry.js';
import { supplierGstin } from '../../connectors/types.js';
import type { KafkaAdapterName } from '../../src/adapters/kafka/index.js';
import type { SourceConfig } from '../../src/config/source-config.js';
import { sandboxAdmin } from '../../src/sandbox/index.js';
import { startKafkaBroker } from '../../test/support/kafka-broker.js';
import { startSandboxProcess } from '../support.js';
import type { ChildMessage, Job, Sample } from './child.js';

export interface Cluster {
  brokers: string[];
  version: string;
  admin: Admin;
  producer: Producer;
  stop(): Promise<void>;
}

/** The broker of KAFKA_BROKERS, or a throwaway one started from the test harness's jars. */
export async function startCluster(): Promise<Cluster> {
  const external = process.env.KAFKA_BROKERS?.trim();
  const broker = external ? undefined : await startKafkaBroker({ heap: '1g' });
  const brokers = (external ?? broker!.brokers).split(',');
  const kafka = new Kafka({ clientId: 'bench-orchestrator', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true });
  await admin.connect();
  await producer.connect();
  return {
    brokers,
    version: broker?.version ?? 'external',
    admin,
    producer,
    stop: async () => {
      await producer.disconnect();
      await admin.disconnect();
      await broker?.stop();
    },
  };
}

let topicSeq = 0;
export async function createTopic(cluster: Cluster, prefix: string, partitions: number): Promise<string> {
  const name = `bench-${prefix}-${Date.now().toString(36)}-${++topicSeq}`;
  await cluster.admin.createTopics({
    topics: [{ topic: name, numPartitions: partitions, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  return name;
}

export interface OutputTopics {
  results: string;
  errors: string;
  deadLetter: string;
}

export async function outputTopics(cluster: Cluster, prefix: string): Promise<OutputTopics> {
  return {
    results: await createTopic(cluster, `${prefix}-results`, 1),
    errors: await createTopic(cluster, `${prefix}-errors`, 1),
    deadLetter: await createTopic(cluster, `${prefix}-dlq`, 1),
  };
}

export interface BenchEvent {
  key: string;
  value: Buffer;
}

/**
 * `count` SAP generate events (invoices, credit and debit notes; the generator's cancels and e-way bills
 * left out, so every record is one IRP call), raw Avro, keyed by document. Chunks of 1000 use seeds
 * `seed`, `seed + 1`, …: document numbers never repeat across chunks.
 */
export function sapInvoices(count: number, seed: number): { events: BenchEvent[]; sellers: string[] } {
  const c = connectors.sap;
  const events: BenchEvent[] = [];
  const sellers = new Set<string>();
  const asOf = new Date().toISOString().slice(0, 10);
  for (let chunk = 0; events.length < count; chunk++) {
    for (const r of generateRecords('sap', 1000, { seed: seed + chunk, asOf })) {
      const m = c.map(r);
      if (!m.ok || m.event.kind !== 'generate') continue;
      sellers.add(supplierGstin(m.event));
      events.push({ key: m.event.docKey, value: encode(c.avroSchema, r) });
      if (events.length === count) break;
    }
  }
  return { events, sellers: [...sellers] };
}

/** A stable partition for a key (FNV-1a), so one document's events stay on one partition. */
export function partitionOf(key: string, partitions: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % partitions;
}

/** Produces `events` (cycled to `total` when given), 500 per request, acks=all. */
export async function produceAll(
  cluster: Cluster,
  topic: string,
  partitions: number,
  events: readonly BenchEvent[],
  total = events.length,
): Promise<void> {
  for (let i = 0; i < total; i += 500) {
    const messages = [];
    for (let j = i; j < Math.min(total, i + 500); j++) {
      const e = events[j % events.length]!;
      messages.push({ key: e.key, value: e.value, partition: partitionOf(e.key, partitions) });
    }
    await cluster.producer.send({ topic, messages, acks: -1 });
  }
}

export interface Sandbox {
  baseUrl: string;
  dir: string;
  /** Writes the source config's credentials: env references, their values in `env`. */
  credentials(
    sellers: string[],
  ): Promise<{ list: SourceConfig['irp']['credentials']; env: Record<string, string> }>;
  stop(): Promise<void>;
}

/**
 * The sandbox in a child process (its CPU — RSA signing, SQLite — is not the measured process's),
 * every IRP API delayed by `latencyMs` (a fault rule), rate limits out of the way — the per-client bound
 * of 64 requests in flight too, or P2's 256 in flight would measure the sandbox's 429s (5002) instead of
 * the connector.
 */
export async function startSandbox(latencyMs: number): Promise<Sandbox> {
  const dir = mkdtempSync(join(tmpdir(), 'irp-kafka-bench-'));
  const args = ['--rate-limit', '1000000', '--max-connections', '2048', '--max-in-flight', '4096'];
  if (latencyMs > 0) {
    const faults = join(dir, 'latency.json');
    writeFileSync(faults, JSON.stringify({ rules: [{ name: 'latency', latency: { fixedMs: latencyMs } }] }));
    args.push('--faults', faults);
  }
  const sandbox = await startSandboxProcess(args);
  const { baseUrl } = sandbox.credentials;
  writeFileSync(join(dir, 'irp-public-key.pem'), sandbox.credentials.publicKeyPem);
  writeFileSync(join(dir, 'irp-signing-cert.pem'), sandbox.credentials.signingCertPem);
  const admin = sandboxAdmin(sandbox.credentials);
  let n = 0;
  return {
    baseUrl,
    dir,
    credentials: async (sellers) => {
      const env: Record<string, string> = {};
      const list: SourceConfig['irp']['credentials'] = [];
      for (const gstin of sellers) {
        const i = n++;
        const c = await admin.createAccount(`bench_${i}_${gstin.slice(2, 7)}`.toLowerCase(), gstin);
        Object.assign(env, {
          [`IRP_CID_${i}`]: c.clientId,
          [`IRP_CSECRET_${i}`]: c.clientSecret,
          [`IRP_USER_${i}`]: c.userName,
          [`IRP_PASSWORD_${i}`]: c.password,
        });
        list.push({
          gstin,
          clientId: { env: `IRP_CID_${i}` },
          clientSecret: { env: `IRP_CSECRET_${i}` },
          userName: { env: `IRP_USER_${i}` },
          password: { env: `IRP_PASSWORD_${i}` },
        });
      }
      return { list, env };
    },
    stop: () => sandbox.stop(),
  };
}

/** The source config of one variant (the shape of config/local/*.yaml). */
export function sourceConfig(opts: {
  id: string;
  adapter: KafkaAdapterName;
  brokers: string[];
  input: string;
  outputs: OutputTopics;
  baseUrl: string;
  credentials: SourceConfig['irp']['credentials'];
  maxInFlight: number;
  /** irp.maxConcurrencyPerGstin; the product's default (8) when absent. */
  perGstin?: number;
}): SourceConfig {
  return {
    id: opts.id,
    connector: 'sap',
    kafka: {
      adapter: opts.adapter,
      brokers: opts.brokers,
      groupId: `${opts.id}-${Date.now().toString(36)}`,
      inputTopics: [opts.input],
      fromBeginning: true,
    },
    topics: {
      results: opts.outputs.results,
      errors: opts.outputs.errors,
      deadLetter: opts.outputs.deadLetter,
    },
    avro: { wireFormat: 'raw' },
    irp: {
      baseUrl: opts.baseUrl,
      publicKeyFile: 'irp-public-key.pem',
      signingCertFile: 'irp-signing-cert.pem',
      credentials: opts.credentials,
      ...(opts.perGstin ? { maxConcurrencyPerGstin: opts.perGstin } : {}),
    },
    pipeline: { mode: 'at-least-once', maxInFlight: opts.maxInFlight },
  };
}

export interface Child {
  samples: Sample[];
  /** Resolves with the first sample at or after which `done >= n` (or rejects if the child fails). */
  whenDone(n: number, timeoutMs: number): Promise<Sample | undefined>;
  stop(): Promise<{ peakRssKb: number; counts: Record<string, number> }>;
}

let compiledChild: string | undefined;

/**
 * The measured consumer as the container runs the product: tsc's JavaScript under plain node, compiled
 * once per run into .cache/bench-child (bench/tsconfig.child.json). Under tsx the child measured
 * something else: tsx's loader thread (its own V8 isolate, tens of MB of RSS) and esbuild's output,
 * which names every nested function with a call at run time. BENCH_CHILD_TSX=1 runs the TypeScript
 * through tsx instead, to compare.
 */
function childCommand(): { script: string; execArgv: string[] } {
  if (process.env.BENCH_CHILD_TSX === '1')
    return { script: fileURLToPath(new URL('./child.ts', import.meta.url)), execArgv: ['--import', 'tsx'] };
  if (!compiledChild) {
    const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
    const project = fileURLToPath(new URL('../tsconfig.child.json', import.meta.url));
    execFileSync(process.execPath, [tsc, '-p', project], { stdio: 'inherit' });
    compiledChild = fileURLToPath(
      new URL('../../.cache/bench-child/bench/kafka-path/child.js', import.meta.url),
    );
  }
  return { script: compiledChild, execArgv: [] };
}

/**
 * Starts the measured consumer in a child process and resolves once it is wired (`ready`).
 * BENCH_CPU_PROF=<dir> runs it with `--cpu-prof` into that folder.
 */
export async function startChild(job: Job): Promise<Child> {
  const { script, execArgv } = childCommand();
  const prof = process.env.BENCH_CPU_PROF;
  if (prof) execArgv.push('--cpu-prof', `--cpu-prof-dir=${prof}`);
  const child: ChildProcess = fork(script, [], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const samples: Sample[] = [];
  const waiters: { n: number; resolve: (s: Sample) => void }[] = [];
  let failed: Error | undefined;
  let final: ((f: { peakRssKb: number; counts: Record<string, number> }) => void) | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'ready') resolve();
      else if (m.type === 'sample') {
        samples.push(m);
        for (const w of waiters.splice(0)) {
          if (m.done >= w.n) w.resolve(m);
          else waiters.push(w);
        }
      } else if (m.type === 'final') final?.(m);
      else if (m.type === 'error') {
        failed = new Error(`benchmark child: ${m.message}`);
        reject(failed);
      }
    });
    child.once('exit', (code) => {
      failed ??= new Error(`benchmark child exited with ${code}`);
      reject(failed);
    });
  });
  child.send(job);
  await ready;
  return {
    samples,
    whenDone: (n, timeoutMs) =>
      new Promise((resolve) => {
        const last = samples[samples.length - 1];
        if (last && last.done >= n) return resolve(last);
        const timer = setTimeout(() => resolve(undefined), timeoutMs);
        waiters.push({
          n,
          resolve: (s) => {
            clearTimeout(timer);
            resolve(s);
          },
        });
      }),
    stop: () =>
      new Promise((resolve, reject) => {
        if (child.exitCode !== null) return reject(failed ?? new Error('benchmark child already exited'));
        final = resolve;
        child.send({ type: 'stop' });
        setTimeout(() => reject(new Error('benchmark child did not stop in 60 s')), 60_000).unref();
      }),
  };
}

/** The first sample at or after time `t` (ms since the epoch). */
export function sampleAt(samples: readonly Sample[], t: number): Sample | undefined {
  return samples.find((s) => s.t >= t);
}
