/**
 * One measured Kafka consumer of the benchmark, in a process of its own so that its CPU and RSS are its
 * own (the orchestrator produces the events, reads the outputs and runs the sandbox elsewhere). Started
 * by kafka-path.bench.ts over IPC; it takes one {@link Job}, reports `ready`, then a {@link Sample}
 * every `sampleMs` until told to `stop`, and a final report with its peak RSS.
 *
 * - `pipeline`: the product — the source config wired as `irp-bridge run` wires it (the adapter the job
 *   names, the Avro decoder, the connector, the IRP client over real HTTP, the runner, the metrics with
 *   node's defaults), or with the IRP stage replaced by the benchmark's {@link InProcessGateway}.
 * - `passthrough`: the floor of the plumbing — the raw client library (kafkajs, or the librdkafka
 *   binding's KafkaJS API) consuming the input and producing each value to one topic (acks=all,
 *   idempotent), a batch at a time, committing after each batch.
 * - `naive`: the textbook consumer — kafkajs `eachMessage`, one record at a time per partition: decode,
 *   map, validate, submit through the same IRP client and gateway, publish, commit, next.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import pino from 'pino';
import { Kafka, logLevel } from 'kafkajs';
import { avroDecoderFromConfig } from '../../src/adapters/avro/from-config.js';
import { ClientIrpGateway } from '../../src/adapters/irp/irp-gateway.js';
import { loadConfluent } from '../../src/adapters/kafka/confluent.js';
import { createKafkaAdapters, type KafkaAdapterName } from '../../src/adapters/kafka/index.js';
import { buildRunner, resolveSource, stageDeps } from '../../src/cli/wiring.js';
import type { SourceConfig } from '../../src/config/source-config.js';
import { createIrpClient } from '../../src/irp/client/index.js';
import { createPipelineMetrics, irpClientObserver } from '../../src/ops/metrics.js';
import { sourceConnector } from '../../src/pipeline/connectors.js';
import type { OutputRecord, SourceMessage } from '../../src/pipeline/ports.js';
import { prepare, submit } from '../../src/pipeline/stages.js';
import { InProcessGateway } from './in-process-gateway.js';
import { cpuMicros } from './measure.js';

export type Job =
  | {
      kind: 'pipeline';
      adapter: KafkaAdapterName;
      config: SourceConfig;
      env: Record<string, string>;
      baseDir: string;
      /** Replace the IRP stage by the in-process gateway (P3; P2's pipeline-alone row). */
      inProcessGateway?: { invoiceBytes: number; latencyMs: number };
      sampleMs: number;
    }
  | {
      kind: 'passthrough';
      adapter: KafkaAdapterName;
      brokers: string[];
      input: string;
      output: string;
      groupId: string;
      sampleMs: number;
    }
  | {
      kind: 'naive';
      config: SourceConfig;
      env: Record<string, string>;
      baseDir: string;
      partitions: number;
      sampleMs: number;
    };

export interface Sample {
  type: 'sample';
  /** Wall clock, ms since the epoch. */
  t: number;
  /** Inputs finished (an output counted). */
  done: number;
  cpuUs: number;
  rss: number;
  heapUsed: number;
  /** What V8 has reserved for the heap (used or not). */
  heapTotal: number;
  /** Memory outside the JS heap that JS objects hold: Buffers (kafkajs' fetch responses, sockets). */
  external: number;
}

export type ChildMessage =
  | { type: 'ready' }
  | Sample
  | { type: 'final'; peakRssKb: number; counts: Record<string, number> }
  | { type: 'error'; message: string };

const log: Logger = pino({ level: process.env.BENCH_CHILD_LOG ?? 'silent' });
const send = (m: ChildMessage) => process.send?.(m);

interface Running {
  done(): number;
  counts(): Record<string, number>;
  stop(): Promise<void>;
}

async function startPipeline(job: Extract<Job, { kind: 'pipeline' }>): Promise<Running> {
  const { config, baseDir, env } = job;
  const r = sourceConnector(config);
  if (!r.ok) throw new Error(r.problems.join('; '));
  const resolved = await resolveSource(config, baseDir, env);
  const metrics = createPipelineMetrics(undefined, true);
  const client = createIrpClient(resolved.irp, {
    logger: log,
    observer: irpClientObserver(metrics, config.id),
  });
  const { decoder, close: closeDecoder } = avroDecoderFromConfig(config.avro, r.connector, { baseDir, env });
  const adapterOptions = {
    groupId: config.kafka.groupId,
    topics: config.kafka.inputTopics,
    fromBeginning: true,
    partitionsConsumedConcurrently: config.kafka.partitionsConsumedConcurrently ?? 4,
    sessionTimeoutMs: config.kafka.sessionTimeoutMs ?? 30_000,
    readCommitted: config.kafka.readCommitted ?? true,
  };
  const { source, sink } = await createKafkaAdapters(job.adapter, resolved.kafka, adapterOptions, log);
  const stages = stageDeps(config, client, decoder);
  if (job.inProcessGateway)
    stages.gateway = new InProcessGateway(job.inProcessGateway.invoiceBytes, job.inProcessGateway.latencyMs);
  const runner = buildRunner(config, { source, sink, stages }, metrics, log);
  const running = runner.run();
  running.catch((err: unknown) => send({ type: 'error', message: String(err) }));
  const finished = () => {
    const c = runner.status().counts;
    return c.result + c.error + c['dead-letter'];
  };
  return {
    done: finished,
    counts: () => ({ ...runner.status().counts }),
    stop: async () => {
      await runner.stop();
      await running.catch(() => undefined);
      await sink.close().catch(() => undefined);
      await client.close().catch(() => undefined);
      await closeDecoder().catch(() => undefined);
    },
  };
}

/** The client libraries' shared shape (kafkajs, and the librdkafka binding's KafkaJS API). */
interface RawClient {
  consumer(c: Record<string, unknown>): {
    connect(): Promise<void>;
    subscribe(s: { topics: string[]; fromBeginning?: boolean }): Promise<void>;
    run(r: Record<string, unknown>): Promise<void>;
    commitOffsets(o: { topic: string; partition: number; offset: string }[]): Promise<void>;
    disconnect(): Promise<void>;
  };
  producer(c: Record<string, unknown>): {
    connect(): Promise<void>;
    send(s: {
      topic: string;
      messages: { key: Buffer | null; value: Buffer | null }[];
      acks?: number;
    }): Promise<unknown>;
    disconnect(): Promise<void>;
  };
}

async function rawClient(adapter: KafkaAdapterName, brokers: string[]): Promise<RawClient> {
  if (adapter === 'kafkajs')
    return new Kafka({
      clientId: 'bench-passthrough',
      brokers,
      logLevel: logLevel.NOTHING,
    }) as unknown as RawClient;
  const mod = await loadConfluent();
  return new mod.KafkaJS.Kafka({
    kafkaJS: { clientId: 'bench-passthrough', brokers, logLevel: mod.KafkaJS.logLevel.NOTHING },
  }) as unknown as RawClient;
}

async function startPassthrough(job: Extract<Job, { kind: 'passthrough' }>): Promise<Running> {
  const kafka = await rawClient(job.adapter, job.brokers);
  const kafkajs = job.adapter === 'kafkajs';
  const consumer = kafka.consumer(
    kafkajs
      ? { groupId: job.groupId }
      : { kafkaJS: { groupId: job.groupId, fromBeginning: true, autoCommit: false } },
  );
  const producer = kafka.producer(
    kafkajs
      ? { idempotent: true, maxInFlightRequests: 5 }
      : { acks: -1, 'enable.idempotence': true, 'linger.ms': 2 },
  );
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe(kafkajs ? { topics: [job.input], fromBeginning: true } : { topics: [job.input] });
  let done = 0;
  await consumer.run({
    ...(kafkajs ? { autoCommit: false } : {}),
    partitionsConsumedConcurrently: 4,
    eachBatch: async ({
      batch,
    }: {
      batch: {
        topic: string;
        partition: number;
        messages: { offset: string; key: Buffer | null; value: Buffer | null }[];
      };
    }) => {
      if (batch.messages.length === 0) return;
      await producer.send({
        topic: job.output,
        messages: batch.messages.map((m) => ({ key: m.key, value: m.value })),
        ...(kafkajs ? { acks: -1 } : {}),
      });
      done += batch.messages.length;
      const last = batch.messages[batch.messages.length - 1]!;
      await consumer.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() },
      ]);
    },
  });
  return {
    done: () => done,
    counts: () => ({ passed: done }),
    stop: async () => {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}

async function startNaive(job: Extract<Job, { kind: 'naive' }>): Promise<Running> {
  const { config, baseDir, env } = job;
  const r = sourceConnector(config);
  if (!r.ok) throw new Error(r.problems.join('; '));
  const resolved = await resolveSource(config, baseDir, env);
  const client = createIrpClient(resolved.irp, { logger: log });
  const { decoder } = avroDecoderFromConfig(config.avro, r.connector, { baseDir, env });
  const stages = stageDeps(config, client, decoder);
  stages.gateway = new ClientIrpGateway(client);
  const kafka = new Kafka({
    clientId: 'bench-naive',
    brokers: config.kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: config.kafka.groupId });
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: config.kafka.inputTopics, fromBeginning: true });
  const counts = { result: 0, error: 0, 'dead-letter': 0 };
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: job.partitions,
    eachMessage: async ({ topic, partition, message }) => {
      const msg: SourceMessage = {
        topic,
        partition,
        offset: message.offset,
        key: message.key,
        value: message.value,
        headers: {},
        timestamp: message.timestamp,
      };
      let step = await prepare(stages, msg);
      while (step.type === 'submit' || step.type === 'retry') {
        if (step.type === 'retry') await new Promise((res) => setTimeout(res, 200));
        step = step.type === 'submit' ? await submit(stages, msg, step.event) : await prepare(stages, msg);
      }
      if (step.type !== 'final') throw new Error(`naive consumer: ${step.type}`);
      const out: OutputRecord = step.record;
      await producer.send({
        acks: -1,
        topic: out.topic,
        messages: [{ key: out.key, value: out.value, headers: out.headers }],
      });
      counts[step.output]++;
      await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
    },
  });
  return {
    done: () => counts.result + counts.error + counts['dead-letter'],
    counts: () => ({ ...counts }),
    stop: async () => {
      await consumer.disconnect();
      await producer.disconnect();
      await client.close();
    },
  };
}

function peakRssKb(): number {
  try {
    // VmHWM: the process's peak resident set, as the kernel counted it.
    const status = readFileSync('/proc/self/status', 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}

process.once('message', (job: Job) => {
  void (async () => {
    let running: Running;
    try {
      running =
        job.kind === 'pipeline'
          ? await startPipeline(job)
          : job.kind === 'passthrough'
            ? await startPassthrough(job)
            : await startNaive(job);
    } catch (err) {
      send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      process.exit(1);
    }
    send({ type: 'ready' });
    const sample = () => {
      const m = process.memoryUsage();
      send({
        type: 'sample',
        t: Date.now(),
        done: running.done(),
        cpuUs: cpuMicros(),
        rss: m.rss,
        heapUsed: m.heapUsed,
        heapTotal: m.heapTotal,
        external: m.external,
      });
    };
    sample();
    const timer = setInterval(sample, job.sampleMs);
    process.on('message', (m: { type: string }) => {
      if (m.type !== 'stop') return;
      clearInterval(timer);
      sample();
      void running
        .stop()
        .catch(() => undefined)
        .then(() => {
          send({ type: 'final', peakRssKb: peakRssKb(), counts: running.counts() });
          setTimeout(() => process.exit(0), 100);
        });
    });
  })();
});
