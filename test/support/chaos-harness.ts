/**
 * The chaos suite's harness (test/integration/chaos): generated invoices of every connector, Confluent-
 * framed through a real schema registry, on a restartable real broker, through one `irp-bridge run`
 * child process per connector against the sandbox over real HTTP — while the harness kills the
 * children with SIGKILL, restarts the broker, takes the IRP down, lets it answer 5xx and swallow
 * answers after registering, revokes every token and cuts the schema registry off. Afterwards it checks
 * the guarantees from the output topics and the sandbox's store and returns the figures.
 *
 * Every disruption happens at a seeded point of progress (a share of the inputs answered), not at a
 * wall-clock time, so a run on a loaded machine meets the same plan as one on an idle machine.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import type { EachBatchPayload } from 'kafkajs';
import pino from 'pino';
import { stringify } from 'yaml';
import { connectors, type ConnectorId } from '../../connectors/registry.js';
import { avroType } from '../../connectors/testkit/avro-codec.js';
import { generateRecords } from '../../connectors/testkit/generators.js';
import { Rng } from '../../connectors/testkit/prng.js';
import { SchemaRegistryClient } from '../../src/adapters/avro/schema-registry-client.js';
import { encodeConfluent } from '../../src/adapters/avro/wire-format.js';
import type { SessionSecrets } from '../../src/sandbox/index.js';
import { exited, startRun } from './cli.js';
import type { KafkaBroker } from './kafka-broker.js';
import { kafkaClient } from './kafka.js';
import {
  pipelineTopics,
  produce,
  sellerGstins,
  sourceConfig,
  startSandbox,
  today,
  type PipelineTopics,
  type SandboxHarness,
} from './pipeline-harness.js';
import type { SchemaRegistry } from './schema-registry.js';
import { binarySecret, scanFiles, textSecret, type SecretForm, type SecretHit } from './secret-scan.js';
import type { TcpProxy } from './tcp-proxy.js';

export interface ChaosPlan {
  /** Generated events in all, shared out over every connector. */
  invoices: number;
  seed: number;
  /** kill -9 of every connector process, each followed by a restart. */
  kills: number;
  irpOutageMs: number;
  registryOutageMs: number;
  /** Share of IRP requests answered with an HTTP 503 (HTML, no envelope). */
  http5xxRate: number;
  /** Share of generate / cancel / e-way-bill requests the IRP processes and then never answers. */
  timeoutAfterAcceptRate: number;
  partitions: number;
  maxInFlight: number;
  /** Give up (and fail, naming what is missing) after this long. */
  timeoutMs: number;
  /** No input answered for this long, every disruption over: a stalled source (fail, naming it). */
  stallMs: number;
}

export type ChaosMode = 'at-least-once' | 'exactly-once';
export interface ChaosVariant {
  adapter: 'kafkajs' | 'confluent';
  mode: ChaosMode;
}

/** What the suite needs around a variant: its own restartable broker, a registry behind a cuttable proxy. */
export interface ChaosEnvironment {
  broker: KafkaBroker;
  registry: SchemaRegistry;
  registryProxy: TcpProxy;
  /** The run's folder: figures, logs, published records. */
  resultsDir: string;
}

const num = (name: string): number | undefined => {
  const v = process.env[name];
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name}=${v} is not a number`);
  return n;
};

/** The plan: `defaults`, overridden by CHAOS_INVOICES, CHAOS_SEED, CHAOS_KILLS, CHAOS_IRP_OUTAGE_MS, … */
export function chaosPlan(defaults: ChaosPlan): ChaosPlan {
  return {
    invoices: num('CHAOS_INVOICES') ?? defaults.invoices,
    seed: num('CHAOS_SEED') ?? defaults.seed,
    kills: num('CHAOS_KILLS') ?? defaults.kills,
    irpOutageMs: num('CHAOS_IRP_OUTAGE_MS') ?? defaults.irpOutageMs,
    registryOutageMs: num('CHAOS_REGISTRY_OUTAGE_MS') ?? defaults.registryOutageMs,
    http5xxRate: num('CHAOS_HTTP_5XX_RATE') ?? defaults.http5xxRate,
    timeoutAfterAcceptRate: num('CHAOS_TIMEOUT_RATE') ?? defaults.timeoutAfterAcceptRate,
    partitions: num('CHAOS_PARTITIONS') ?? defaults.partitions,
    maxInFlight: num('CHAOS_MAX_IN_FLIGHT') ?? defaults.maxInFlight,
    timeoutMs: num('CHAOS_TIMEOUT_MS') ?? defaults.timeoutMs,
    stallMs: num('CHAOS_STALL_MS') ?? defaults.stallMs,
  };
}

/** `CHAOS_VARIANTS=kafkajs:at-least-once,confluent:exactly-once` picks variants; default: all given. */
export function chaosVariants(all: ChaosVariant[]): ChaosVariant[] {
  const wanted = process.env.CHAOS_VARIANTS?.split(',').map((s) => s.trim());
  if (!wanted?.length) return all;
  return all.filter((v) => wanted.includes(`${v.adapter}:${v.mode}`));
}

type Disruption =
  | { at: number; kind: 'kill'; withRegistryOutage: boolean }
  | { at: number; kind: 'broker-restart' }
  | { at: number; kind: 'irp-outage' }
  | { at: number; kind: 'token-invalidation' };

/** The seeded schedule: each disruption at a share of inputs answered, between 5 % and 90 %. */
export function schedule(plan: ChaosPlan): Disruption[] {
  const rng = new Rng(plan.seed);
  const at = () => 0.05 + rng.next() * 0.85;
  const out: Disruption[] = [];
  const registryKill = plan.kills > 0 ? rng.int(0, plan.kills - 1) : -1;
  for (let i = 0; i < plan.kills; i++)
    out.push({ at: at(), kind: 'kill', withRegistryOutage: i === registryKill });
  out.push({ at: at(), kind: 'broker-restart' });
  if (plan.irpOutageMs > 0) out.push({ at: at(), kind: 'irp-outage' });
  out.push({ at: at(), kind: 'token-invalidation' });
  return out.sort((a, b) => a.at - b.at);
}

/** One input's output, reduced to what the checks need. */
interface Seen {
  output: 'result' | 'error' | 'dead-letter';
  /** Hash of the record's content without `recovered` and `processedAt`. */
  content: string;
  kind: string | null;
  docKey: string | null;
  irn?: string;
  recovered: boolean;
  family?: string;
  stage?: string;
  codes: string[];
  /** 2150 on a registration cancelled in between: the IRN the conflict names. */
  cancelledConflictIrn?: string;
  /** The JSON fields, kept only for the first inputs whose outputs differ (for the report). */
  json?: Record<string, unknown>;
}

export interface ChaosFigures {
  variant: string;
  plan: ChaosPlan;
  connectors: ConnectorId[];
  inputs: number;
  outputs: {
    total: number;
    results: number;
    errors: number;
    deadLetters: number;
    resultsByKind: Record<string, number>;
    errorsByFamily: Record<string, number>;
  };
  duplicates: {
    inputsAnsweredMoreThanOnce: number;
    extraOutputs: number;
    /** At-least-once: inputs answered more than once, by how their outputs compare (see replayKind). */
    replays: Record<ReplayKind, number>;
  };
  irpCalls: {
    total: number;
    perInput: number;
    generateCallsPerGenerateInput: number;
    byApi: Record<string, number>;
    faultsFired: Record<string, number>;
  };
  recovery: {
    kills: number;
    restarts: number;
    unexpectedExits: number;
    brokerRestarts: number;
    tokenInvalidations: number;
    irpOutageMs: number;
    registryOutageMs: number;
    recoveredResults: number;
    /** Records kept and retried because the schema registry was unreachable (first attempt of each). */
    decodeRetries: number;
    /** Times a process paused consumption because the IRP was unavailable. */
    irpPauses: number;
  };
  wallTimeMs: number;
  inputsPerSecond: number;
  peakRssMb: { connectorMax: number; harness: number };
  secretsScanned: { forms: number; files: number; bytes: number };
}

export interface ChaosOutcome {
  figures: ChaosFigures;
  /** Every broken guarantee, one line each (empty when the run held). */
  violations: string[];
  /** What is worth knowing but breaks nothing (e.g. exits the harness did not cause). */
  notes: string[];
}

interface ConnectorProcess {
  connector: ConnectorId;
  file: string;
  env: Record<string, string>;
  groupId: string;
  topics: PipelineTopics;
  log: WriteStream;
  child?: ChildProcess;
  /** Set while the harness itself stops or kills the child. */
  expectingExit: boolean;
  peakRssKb: number;
  /** How often the process said "source starting" (it is up and about to consume). */
  starts: number;
}

const sha = (s: string | Buffer) => createHash('sha1').update(s).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Peak resident set of a live process in kB (VmHWM), 0 when it is gone. */
function peakRssKb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Availability codes: an outage, never the invoice's fault. None may end on the errors topic. */
const AVAILABILITY_CODES = new Set([
  '5002',
  '1005',
  'IRP_UNAVAILABLE',
  'IRP_TIMEOUT',
  'IRP_RESPONSE_TOO_LARGE',
]);
const NOT_REJECTIONS = new Set(['transient', 'credentials', 'operator']);

export async function runChaosVariant(
  env: ChaosEnvironment,
  variant: ChaosVariant,
  plan: ChaosPlan,
  log: (line: string) => void = () => undefined,
): Promise<ChaosOutcome> {
  const name = `${variant.adapter}-${variant.mode}`;
  const dir = join(env.resultsDir, name);
  const logsDir = join(dir, 'logs');
  mkdirSync(logsDir, { recursive: true });
  const violations: string[] = [];
  const notes: string[] = [];

  // --- the IRP: a sandbox of this variant's own, its store in a file the checks read afterwards.
  const sessions: SessionSecrets[] = [];
  const sandboxLog = pino.destination({ dest: join(logsDir, 'sandbox.log'), sync: false });
  const h: SandboxHarness = await startSandbox(join(dir, 'sandbox.db'), {
    logger: pino({ level: 'debug' }, sandboxLog),
    onLogin: (s) => sessions.push(s),
  });

  const ids = Object.keys(connectors) as ConnectorId[];
  // Wide budgets: the registry shares two loaded cores with everything else here.
  const registryClient = new SchemaRegistryClient({ url: env.registry.url, timeoutMs: 30_000, retries: 5 });
  const processes: ConnectorProcess[] = [];
  let inputs = 0;
  const inputBatches: {
    connector: ConnectorId;
    topic: string;
    messages: { key: string | null; value: Buffer }[];
    produced: number;
  }[] = [];
  try {
    // --- inputs: every connector's generated events, Confluent-framed, keyed by document. They are
    // produced in slices as the run goes (below), so work is always waiting when a disruption comes.
    const sezBuyers = new Set<string>();
    for (const [i, id] of ids.entries()) {
      const count = Math.floor(plan.invoices / ids.length) + (i < plan.invoices % ids.length ? 1 : 0);
      const records = generateRecords(id, count, { seed: plan.seed + i, asOf: today() });
      const topics = await pipelineTopics(`chaos-${name}-${id}`, plan.partitions);
      const schemaId = await registryClient.register(`${topics.input}-value`, connectors[id].avroSchema);
      const type = avroType(connectors[id].avroSchema);
      const messages = records.map((r) => {
        const mapped = connectors[id].map(r);
        if (mapped.ok && mapped.event.kind === 'generate') {
          const { SupTyp } = mapped.event.invoice.TranDtls;
          if (SupTyp === 'SEZWP' || SupTyp === 'SEZWOP') sezBuyers.add(mapped.event.invoice.BuyerDtls.Gstin);
        }
        return {
          key: mapped.ok ? mapped.event.docKey : null,
          value: encodeConfluent(type, schemaId, r),
        };
      });
      inputBatches.push({ connector: id, topic: topics.input, messages, produced: 0 });
      inputs += messages.length;
      const sellers = sellerGstins(records, id);
      const options = {
        adapter: variant.adapter,
        mode: variant.mode,
        connector: id,
        maxInFlight: plan.maxInFlight,
      };
      // The sandbox shares two loaded cores with everything else: a reset admin call (a keep-alive
      // socket closed under it) is tried again, with accounts of new names.
      const {
        config,
        env: childEnv,
        file,
      } = await sourceConfig(h, topics, sellers, options).catch(() =>
        sleep(1000).then(() => sourceConfig(h, topics, sellers, options)),
      );
      config.kafka.brokers = env.broker.brokers.split(',');
      config.avro = {
        wireFormat: 'confluent',
        registry: { url: `http://${env.registryProxy.address}${new URL(env.registry.url).pathname}` },
      };
      // A 3 s attempt budget: an answer swallowed after the IRP registered costs 3 s, and the retry
      // (inside a 10 s deadline) meets 2150 and recovers the registration.
      config.irp = {
        ...config.irp,
        timeoutMs: 3000,
        retry: { maxAttempts: 4, initialDelayMs: 100, maxDelayMs: 1000, deadlineMs: 10_000 },
        breaker: { consecutiveFailures: 5, halfOpenAfterMs: 1000 },
      };
      // Everything the process can say, for the secret scan.
      config.ops = { ...config.ops, logLevel: 'trace' };
      writeFileSync(file, stringify(config));
      processes.push({
        connector: id,
        file,
        env: childEnv,
        groupId: config.kafka.groupId,
        topics,
        log: createWriteStream(join(logsDir, `${id}.log`), { flags: 'a' }),
        expectingExit: false,
        peakRssKb: 0,
        starts: 0,
      });
    }
    await registryClient.close();
    // The generator's SEZ buyers are SEZ units: the sandbox's master must say so, or the IRP rightly
    // refuses their invoices (2247), as NIC does for a buyer its master holds as a regular taxpayer.
    for (const gstin of sezBuyers) await h.admin('PUT', `taxpayers/${gstin}`, { txpType: 'SEZ' });
    log(`${name}: ${inputs} inputs on ${ids.length} connectors' topics, ${sezBuyers.size} SEZ buyers`);
    const slices = Math.max(2, Math.min(20, Math.ceil(inputs / 70)));
    let produced = 0;
    let slicesProduced = 0;
    const produceSlice = async () => {
      for (const p of inputBatches) {
        const size = Math.ceil(p.messages.length / slices);
        const slice = p.messages.slice(slicesProduced * size, (slicesProduced + 1) * size);
        if (slice.length > 0) await produce(p.topic, slice);
        produced += slice.length;
        p.produced += slice.length;
      }
      slicesProduced++;
    };
    await produceSlice();
    await produceSlice();

    // --- faults of the whole run: 5 % HTTP 503, 2 % answers lost after the IRP registered.
    await h.admin('PUT', 'faults', {
      seed: plan.seed,
      rules: [
        {
          name: 'http-5xx',
          probability: plan.http5xxRate,
          failure: { kind: 'http-5xx', status: 503 },
        },
        {
          name: 'timeout-after-accepting',
          scope: { apis: ['generate-irn', 'cancel-irn', 'generate-ewb'] },
          probability: plan.timeoutAfterAcceptRate,
          failure: { kind: 'no-response', phase: 'after' },
        },
      ],
    });

    // --- the outputs, read_committed, as they come; everything published is kept for the scan.
    const byInput = new Map<string, Seen[]>();
    const published = createWriteStream(join(dir, 'published.bin'));
    const outputTopics = new Map<string, Seen['output']>();
    for (const p of processes) {
      outputTopics.set(p.topics.results, 'result');
      outputTopics.set(p.topics.errors, 'error');
      outputTopics.set(p.topics.deadLetter, 'dead-letter');
    }
    const collector = kafkaClient().consumer({
      groupId: `chaos-collector-${name}-${Date.now()}`,
      maxWaitTimeInMs: 200,
      readUncommitted: false,
    });
    await collector.connect();
    await collector.subscribe({ topics: [...outputTopics.keys()], fromBeginning: true });
    let outputsSeen = 0;
    await collector.run({
      eachBatch: async ({ batch, resolveOffset, heartbeat }: EachBatchPayload) => {
        const output = outputTopics.get(batch.topic)!;
        for (const m of batch.messages) {
          const value = m.value ?? Buffer.alloc(0);
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(m.headers ?? {})) headers[k] = String(v);
          published.write(value);
          published.write(`\n${JSON.stringify(headers)}\n`);
          const seen = describeOutput(output, value, headers);
          byInput.set(seen.input, [...(byInput.get(seen.input) ?? []), seen.seen]);
          outputsSeen++;
          resolveOffset(m.offset);
        }
        await heartbeat();
      },
    });

    // --- the connector processes, restarted by the harness whenever they die.
    let restarts = 0;
    const unexpected: string[] = [];
    const start = (p: ConnectorProcess) => {
      p.expectingExit = false;
      const child = startRun(p.file, p.env, (chunk) => {
        p.log.write(chunk);
        if (chunk.includes('"msg":"source starting"')) p.starts++;
      });
      p.child = child;
      child.once('exit', (code, signal) => {
        p.peakRssKb = Math.max(p.peakRssKb, lastRss.get(child.pid!) ?? 0);
        if (p.expectingExit || p.child !== child) return;
        unexpected.push(`${p.connector}: exited on its own (code ${code}, signal ${signal})`);
        restarts++;
        setTimeout(() => {
          if (p.child === child && !p.expectingExit) start(p);
        }, 1000);
      });
    };
    const lastRss = new Map<number, number>();
    const rssTimer = setInterval(() => {
      for (const p of processes) {
        const pid = p.child?.pid;
        if (pid !== undefined) lastRss.set(pid, Math.max(lastRss.get(pid) ?? 0, peakRssKb(pid)));
      }
    }, 1000);
    const killAll = async () => {
      await Promise.all(
        processes.map(async (p) => {
          p.expectingExit = true;
          const child = p.child!;
          lastRss.set(child.pid!, Math.max(lastRss.get(child.pid!) ?? 0, peakRssKb(child.pid)));
          child.kill('SIGKILL');
          await exited(child);
        }),
      );
    };

    const startedAt = Date.now();
    processes.forEach(start);
    const covered = () => byInput.size;
    const plan_ = schedule(plan);
    const figuresRecovery = { kills: 0, brokerRestarts: 0, tokenInvalidations: 0 };
    let registryTimer: NodeJS.Timeout | undefined;
    let lastProgress = -1;
    let lastProgressAt = Date.now();
    while (covered() < inputs) {
      if (Date.now() - startedAt > plan.timeoutMs) {
        violations.push(`timed out after ${plan.timeoutMs} ms with ${inputs - covered()} inputs unanswered`);
        break;
      }
      const share = covered() / inputs;
      if (covered() !== lastProgress) {
        lastProgress = covered();
        lastProgressAt = Date.now();
      } else if (Date.now() - lastProgressAt > plan.stallMs) {
        // Every disruption is over long before this: a source that stopped answering is stalled.
        const unanswered = new Map<string, number>();
        for (const b of inputBatches) {
          const answered = [...byInput.keys()].filter((k) => k.startsWith(`${b.topic}:`)).length;
          if (answered < b.produced) unanswered.set(b.connector, b.produced - answered);
        }
        violations.push(
          `stalled: no input answered for ${plan.stallMs / 1000} s at ${covered()}/${inputs}; unanswered by connector: ${[...unanswered].map(([c, n]) => `${c} ${n}`).join(', ')}`,
        );
        break;
      }
      const next = plan_[0];
      if (slicesProduced < slices && covered() >= produced - inputs / slices / 2) await produceSlice();
      if (next && share >= next.at) {
        plan_.shift();
        log(`${name}: ${next.kind} at ${covered()}/${inputs} (${Math.round(share * 100)} %)`);
        switch (next.kind) {
          case 'kill':
            await killAll();
            figuresRecovery.kills++;
            restarts += processes.length;
            if (next.withRegistryOutage) {
              // Restarted processes have no schema cached: they meet the outage on their first records.
              // It lasts registryOutageMs from the moment every process is up again.
              env.registryProxy.cut();
              const startsBefore = processes.map((p) => p.starts);
              void (async () => {
                const since = Date.now();
                while (processes.some((p, i) => p.starts === startsBefore[i]) && Date.now() - since < 300_000)
                  await sleep(200);
                registryTimer = setTimeout(() => env.registryProxy.restore(), plan.registryOutageMs);
              })();
            }
            processes.forEach(start);
            break;
          case 'broker-restart':
            await env.broker.restart();
            figuresRecovery.brokerRestarts++;
            break;
          case 'irp-outage': {
            // Not while the processes wait for the registry: the outage is to meet them consuming.
            const since = Date.now();
            while (env.registryProxy.isCut && Date.now() - since < 300_000) await sleep(200);
            await h.admin('POST', 'faults/rules', {
              name: 'irp-outage',
              failure: { kind: 'http-5xx', status: 503 },
              window: { forMs: plan.irpOutageMs },
            });
            break;
          }
          case 'token-invalidation':
            await h.admin('POST', 'tokens/invalidate', {});
            figuresRecovery.tokenInvalidations++;
            break;
        }
      }
      await sleep(250);
    }
    for (const left of plan_)
      violations.push(`${left.kind} at ${Math.round(left.at * 100)} % never happened`);
    if (registryTimer) {
      clearTimeout(registryTimer);
      env.registryProxy.restore();
    }

    // --- a clean stop: SIGTERM drains, commits and exits 0.
    for (const p of processes) p.expectingExit = true;
    const codes = await Promise.all(
      processes.map(async (p) => {
        const child = p.child!;
        lastRss.set(child.pid!, Math.max(lastRss.get(child.pid!) ?? 0, peakRssKb(child.pid)));
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        const code = await exited(child);
        clearTimeout(killer);
        return { connector: p.connector, code, signal: child.signalCode };
      }),
    );
    clearInterval(rssTimer);
    const wallTimeMs = Date.now() - startedAt;
    for (const c of codes)
      if (c.code !== 0)
        violations.push(
          `${c.connector}: SIGTERM at the end: exit ${c.code}${c.signal === 'SIGKILL' ? ' (still up after 60 s: killed)' : c.signal ? ` (${c.signal})` : ''}, not 0`,
        );
    // Late outputs (exactly-once: transactions committed on the way out) before the counts.
    const quietSince = { n: outputsSeen, at: Date.now() };
    while (Date.now() - quietSince.at < 3000) {
      await sleep(250);
      if (outputsSeen !== quietSince.n) Object.assign(quietSince, { n: outputsSeen, at: Date.now() });
    }
    await collector.disconnect();
    await new Promise<void>((resolve) => published.end(resolve));
    for (const p of processes) await new Promise<void>((resolve) => p.log.end(resolve));
    sandboxLog.flushSync();
    notes.push(...unexpected);
    let decodeRetries = 0;
    let irpPauses = 0;
    for (const p of processes) {
      const text = readFileSync(join(logsDir, `${p.connector}.log`), 'utf8');
      decodeRetries += text.split('decode dependency unavailable: retrying').length - 1;
      irpPauses += text.split('IRP unavailable: consumption paused').length - 1;
      const lingered = text.match(/.*still running 10 s after the source stopped.*/g);
      if (lingered) notes.push(`${p.connector}: ${lingered.length}× ${lingered[0]!.slice(0, 400)}`);
    }

    // --- no partition stalled: every group committed every input partition to its end.
    const admin = kafkaClient().admin();
    await admin.connect();
    for (const p of processes) {
      const ends = await admin.fetchTopicOffsets(p.topics.input);
      const [committed] = await admin.fetchOffsets({ groupId: p.groupId, topics: [p.topics.input] });
      for (const end of ends) {
        const c = committed?.partitions.find((x) => x.partition === end.partition)?.offset ?? '-1';
        if (c !== end.high)
          violations.push(
            `${p.connector}: partition ${end.partition} committed ${c} of ${end.high} (stalled)`,
          );
      }
    }
    await admin.disconnect();

    // --- the checks on what was published.
    const all = [...byInput.values()].flat();
    const lost = inputs - byInput.size;
    if (lost > 0) violations.push(`${lost} inputs have no output (lost)`);
    let repeated = 0;
    let extra = 0;
    let differing = 0;
    const replays: Record<ReplayKind, number> = {
      identical: 0,
      'recovered-dupirn-info': 0,
      'cancel-replay-without-date': 0,
      'ewb-replay-without-info': 0,
      'generate-after-its-ewb': 0,
      'generate-after-its-cancel': 0,
      differ: 0,
    };
    for (const [input, list] of byInput) {
      if (list.length === 1) continue;
      repeated++;
      extra += list.length - 1;
      if (variant.mode === 'exactly-once') {
        if (repeated <= 5) violations.push(`exactly-once: input ${input} has ${list.length} outputs`);
        continue;
      }
      const kind = replayKind(list);
      replays[kind]++;
      if (kind !== 'differ') continue;
      differing++;
      if (differing <= 5)
        violations.push(
          `input ${input}: outputs differ: ${list.map((s) => `${s.output}/${s.kind}/${s.codes.join('+') || s.irn?.slice(0, 12)}${s.recovered ? ' recovered' : ''} ${s.json ? JSON.stringify(s.json).slice(0, 300) : ''}`).join(' | ')}`,
        );
    }
    if (differing > 5) violations.push(`… ${differing} inputs in all whose outputs differ`);
    if (variant.mode === 'exactly-once' && repeated > 5)
      violations.push(`… exactly-once: ${repeated} inputs with more than one output`);

    const irnsOfDoc = new Map<string, Set<string>>();
    const docsOfIrn = new Map<string, Set<string>>();
    for (const s of all) {
      const irn = s.kind === 'generate' ? (s.irn ?? s.cancelledConflictIrn) : undefined;
      if (!irn || !s.docKey) continue;
      irnsOfDoc.set(s.docKey, (irnsOfDoc.get(s.docKey) ?? new Set()).add(irn));
      docsOfIrn.set(irn, (docsOfIrn.get(irn) ?? new Set()).add(s.docKey));
    }
    const duplicateIrns = [...irnsOfDoc].filter(([, set]) => set.size > 1);
    for (const [doc, set] of duplicateIrns.slice(0, 5))
      violations.push(`document ${doc} has ${set.size} IRNs: ${[...set].join(', ')}`);
    for (const [irn, docs] of [...docsOfIrn].filter(([, d]) => d.size > 1).slice(0, 5))
      violations.push(`IRN ${irn} published for ${docs.size} documents`);

    const db = new Database(join(dir, 'sandbox.db'), { readonly: true, fileMustExist: true });
    const stored = db.prepare("SELECT irn, state FROM irns WHERE state <> 'PENDING'").all() as {
      irn: string;
      state: string;
    }[];
    const pending = (
      db.prepare("SELECT count(*) AS n FROM irns WHERE state = 'PENDING'").get() as { n: number }
    ).n;
    const tokens = db.prepare('SELECT token, sek FROM auth_tokens').all() as { token: string; sek: Buffer }[];
    db.close();
    const unreported = stored.filter((r) => !docsOfIrn.has(r.irn));
    if (unreported.length > 0)
      violations.push(
        `${unreported.length} IRNs the sandbox registered were never published (e.g. ${unreported[0]!.irn})`,
      );
    if (pending > 0) notes.push(`${pending} IRN reservations still pending in the sandbox store`);

    const rejectedValid = all.filter(
      (s) =>
        s.output === 'error' &&
        (NOT_REJECTIONS.has(s.family ?? '') ||
          s.codes.some((c) => AVAILABILITY_CODES.has(c)) ||
          (s.kind === 'generate' && s.stage === 'submit' && s.cancelledConflictIrn === undefined)),
    );
    for (const s of rejectedValid.slice(0, 5))
      violations.push(
        `a valid ${s.kind} (${s.docKey}) was rejected: ${s.family} at ${s.stage}, codes ${s.codes.join(', ')}`,
      );
    if (rejectedValid.length > 5) violations.push(`… ${rejectedValid.length} valid events rejected in all`);
    const deadLetters = all.filter((s) => s.output === 'dead-letter');
    if (deadLetters.length > 0)
      violations.push(
        `${deadLetters.length} dead letters, though every input is a valid frame (codes ${[...new Set(deadLetters.flatMap((d) => d.codes))].join(', ')})`,
      );

    // --- the secret scan: everything logged (children at trace, sandbox at debug) and published.
    const forms: SecretForm[] = [];
    for (const p of processes)
      for (const [k, v] of Object.entries(p.env))
        if (/PASSWORD|CSECRET/.test(k))
          forms.push(...textSecret(`${p.connector} ${k.replace(/_\d+$/, '')}`, v));
    forms.push(...textSecret('sandbox admin secret', h.sandbox.credentials.adminSecret));
    for (const t of tokens) forms.push(...textSecret('AuthToken', t.token), ...binarySecret('SEK', t.sek));
    for (const s of sessions) forms.push(...binarySecret('AppKey', s.appKey));
    const files = [
      ...processes.map((p) => join(logsDir, `${p.connector}.log`)),
      join(logsDir, 'sandbox.log'),
      join(dir, 'published.bin'),
    ];
    const hits: SecretHit[] = scanFiles(files, forms);
    for (const hit of hits.slice(0, 10))
      violations.push(`secret found: ${hit.what} in ${hit.file} at byte ${hit.at}`);
    const bytes = files.reduce((n, f) => n + readFileSync(f).length, 0);
    if (sessions.length === 0 || tokens.length === 0)
      violations.push('the secret scan knew no session secrets');

    // --- figures.
    const stats = await h.admin<{
      apis?: Record<string, { requests: number; faults: Record<string, number> }>;
    }>('GET', 'stats');
    const apis =
      stats.apis ??
      (stats as unknown as Record<string, { requests: number; faults: Record<string, number> }>);
    const byApi: Record<string, number> = {};
    const faultsFired: Record<string, number> = {};
    for (const [api, c] of Object.entries(apis)) {
      byApi[api] = c.requests;
      for (const [rule, n] of Object.entries(c.faults ?? {}))
        faultsFired[rule] = (faultsFired[rule] ?? 0) + n;
    }
    const irpTotal = Object.values(byApi).reduce((a, b) => a + b, 0);
    const firstOf = (s: Seen[]) => s[0]!;
    const generateInputs = [...byInput.values()].filter((l) => firstOf(l).kind === 'generate').length;
    const count = (pred: (s: Seen) => boolean) => all.filter(pred).length;
    const tally = (list: Seen[], key: (s: Seen) => string) => {
      const out: Record<string, number> = {};
      for (const s of list) out[key(s)] = (out[key(s)] ?? 0) + 1;
      return out;
    };
    const figures: ChaosFigures = {
      variant: `${variant.adapter} ${variant.mode}`,
      plan,
      connectors: ids,
      inputs,
      outputs: {
        total: all.length,
        results: count((s) => s.output === 'result'),
        errors: count((s) => s.output === 'error'),
        deadLetters: deadLetters.length,
        resultsByKind: tally(
          all.filter((s) => s.output === 'result'),
          (s) => s.kind ?? 'none',
        ),
        errorsByFamily: tally(
          all.filter((s) => s.output === 'error'),
          (s) => s.family ?? 'none',
        ),
      },
      duplicates: { inputsAnsweredMoreThanOnce: repeated, extraOutputs: extra, replays },
      irpCalls: {
        total: irpTotal,
        perInput: round(irpTotal / inputs),
        generateCallsPerGenerateInput: round((byApi['generate-irn'] ?? 0) / Math.max(1, generateInputs)),
        byApi,
        faultsFired,
      },
      recovery: {
        kills: figuresRecovery.kills,
        restarts,
        unexpectedExits: unexpected.length,
        brokerRestarts: figuresRecovery.brokerRestarts,
        tokenInvalidations: figuresRecovery.tokenInvalidations,
        irpOutageMs: plan.irpOutageMs,
        registryOutageMs: plan.kills > 0 ? plan.registryOutageMs : 0,
        recoveredResults: count((s) => s.recovered),
        decodeRetries,
        irpPauses,
      },
      wallTimeMs,
      inputsPerSecond: round(inputs / (wallTimeMs / 1000)),
      peakRssMb: {
        connectorMax: Math.round(
          Math.max(0, ...processes.map((p) => p.peakRssKb), ...lastRss.values()) / 1024,
        ),
        harness: Math.round(process.resourceUsage().maxRSS / 1024),
      },
      secretsScanned: { forms: forms.length, files: files.length, bytes },
    };
    writeFileSync(join(dir, 'figures.json'), JSON.stringify({ figures, violations, notes }, null, 2));
    return { figures, violations, notes };
  } finally {
    for (const p of processes) {
      p.expectingExit = true;
      if (p.child && p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    }
    env.registryProxy.restore();
    await h.close();
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * How the outputs of one input answered more than once compare (at-least-once). Apart from `recovered`
 * and `processedAt`, a replay may differ only in what docs/guarantees.md says:
 * - `recovered-dupirn-info`: the recovered result carries the IRP's DUPIRN `InfoDtls`;
 * - `cancel-replay-without-date`: a replayed cancel is recovered with an empty `CancelDate` (NIC does not
 *   return the cancel date on a re-read);
 * - `ewb-replay-without-info`: a replayed e-way bill is recovered (same number, date and validity) without
 *   the IRP's notes on the first answer (`InfoDtls`: the distance it accepted or computed), which a
 *   re-read does not return;
 * - `generate-after-its-ewb`: a generate replayed after its document's e-way bill was generated reads the
 *   registration back with that e-way bill (same IRN, AckNo, signatures);
 * - `generate-after-its-cancel`: a generate replayed after its document's cancel ran is a conflict naming
 *   the same IRN.
 * Anything else is `differ`, a broken guarantee.
 */
export type ReplayKind =
  | 'identical'
  | 'recovered-dupirn-info'
  | 'cancel-replay-without-date'
  | 'ewb-replay-without-info'
  | 'generate-after-its-ewb'
  | 'generate-after-its-cancel'
  | 'differ';

const EWB_FIELDS = ['EwbNo', 'EwbDt', 'EwbValidTill'];

export function replayKind(list: Seen[]): ReplayKind {
  if (new Set(list.map((s) => s.content)).size === 1) return 'identical';
  const irns = new Set(list.map((s) => s.irn ?? s.cancelledConflictIrn));
  if (list.some((s) => s.cancelledConflictIrn) && list.every((s) => s.irn || s.cancelledConflictIrn))
    return irns.size === 1 ? 'generate-after-its-cancel' : 'differ';
  if (list.some((s) => !s.json || s.output !== 'result')) return 'differ';
  let kind: ReplayKind = 'identical';
  const normalised = list.map((s) => {
    const { recovered: _r, ...rest } = s.json!;
    if (s.recovered && Array.isArray(rest.InfoDtls) && rest.InfoDtls.some((i) => i?.InfCd === 'DUPIRN')) {
      delete rest.InfoDtls;
      if (kind === 'identical') kind = 'recovered-dupirn-info';
    }
    if (s.kind === 'cancel' && s.recovered && rest.CancelDate === '') kind = 'cancel-replay-without-date';
    if (s.kind === 'cancel') delete rest.CancelDate;
    if (s.kind === 'generate' && s.recovered && rest.EwbNo != null) kind = 'generate-after-its-ewb';
    if (s.kind === 'generate') for (const f of EWB_FIELDS) delete rest[f];
    if (s.kind === 'ewb') {
      if (s.recovered && rest.InfoDtls == null && list.some((o) => o.json?.InfoDtls != null))
        kind = 'ewb-replay-without-info';
      delete rest.InfoDtls;
    }
    return JSON.stringify(rest);
  });
  if (new Set(normalised).size !== 1) return 'differ';
  // A cancel date or an e-way bill may only be missing from the replay, never differ when both have one.
  const present = (f: string) => new Set(list.map((s) => s.json![f]).filter((v) => v !== '' && v != null));
  if (present('CancelDate').size > 1 || present('EwbNo').size > 1) return 'differ';
  return kind;
}

export function describeOutput(
  output: Seen['output'],
  value: Buffer,
  headers: Record<string, string>,
): { input: string; seen: Seen } {
  if (output === 'dead-letter') {
    return {
      input: `${headers['irp-bridge.errors.topic']}:${headers['irp-bridge.errors.partition']}:${headers['irp-bridge.errors.offset']}`,
      seen: {
        output,
        content: sha(Buffer.concat([value, Buffer.from(headers['irp-bridge.errors.code'] ?? '')])),
        kind: null,
        docKey: null,
        recovered: false,
        codes: [headers['irp-bridge.errors.code'] ?? ''],
      },
    };
  }
  const json = JSON.parse(value.toString('utf8')) as Record<string, unknown>;
  const source = json.source as { topic: string; partition: number; offset: string };
  const { recovered, processedAt: _at, ...content } = json;
  const errors = (json.errors as { code: string; detail?: string; message: string }[] | undefined) ?? [];
  const first = errors[0];
  const cancelledConflictIrn =
    first?.code === '2150' && first.detail?.startsWith('cancelled')
      ? (/IRN ([0-9a-f]{64})/.exec(first.message)?.[1] ?? 'unnamed')
      : undefined;
  return {
    input: `${source.topic}:${source.partition}:${source.offset}`,
    seen: {
      output,
      content: sha(JSON.stringify(content)),
      kind: (json.kind as string | null) ?? null,
      docKey: (json.docKey as string | null) ?? null,
      ...(typeof json.Irn === 'string' ? { irn: json.Irn } : {}),
      recovered: recovered === true,
      ...(typeof json.family === 'string' ? { family: json.family } : {}),
      ...(typeof json.stage === 'string' ? { stage: json.stage } : {}),
      codes: errors.map((e) => e.code),
      ...(cancelledConflictIrn ? { cancelledConflictIrn } : {}),
      json: summarise(content),
    },
  };
}

/** The fields of an output without its long signed blobs (for a readable report of differences). */
function summarise(content: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(content)) {
    if (k === 'payload' || k === 'source') continue;
    out[k] = typeof v === 'string' && v.length > 80 ? `${sha(v).slice(0, 10)}…(${v.length})` : v;
  }
  return out;
}

/** The figures as a table, one row per variant. */
export function figuresTable(all: ChaosFigures[]): string {
  const rows: [string, (f: ChaosFigures) => string | number][] = [
    ['inputs', (f) => f.inputs],
    [
      'outputs (results / errors / dead letters)',
      (f) => `${f.outputs.total} (${f.outputs.results} / ${f.outputs.errors} / ${f.outputs.deadLetters})`,
    ],
    [
      'inputs answered more than once (extra outputs)',
      (f) => `${f.duplicates.inputsAnsweredMoreThanOnce} (${f.duplicates.extraOutputs})`,
    ],
    ['recovered results (2150)', (f) => f.recovery.recoveredResults],
    [
      'replays: identical / + DUPIRN info / cancel without date / EWB without notes / generate after its EWB / after its cancel',
      (f) =>
        [
          'identical',
          'recovered-dupirn-info',
          'cancel-replay-without-date',
          'ewb-replay-without-info',
          'generate-after-its-ewb',
          'generate-after-its-cancel',
        ]
          .map((k) => f.duplicates.replays[k as ReplayKind])
          .join(' / '),
    ],
    [
      'IRP calls per input (generate calls per generate)',
      (f) => `${f.irpCalls.perInput} (${f.irpCalls.generateCallsPerGenerateInput})`,
    ],
    [
      'faults fired',
      (f) =>
        Object.entries(f.irpCalls.faultsFired)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
    ],
    [
      'kill -9 / restarts / exits on their own',
      (f) => `${f.recovery.kills} / ${f.recovery.restarts} / ${f.recovery.unexpectedExits}`,
    ],
    [
      'broker restarts, token invalidations',
      (f) => `${f.recovery.brokerRestarts}, ${f.recovery.tokenInvalidations}`,
    ],
    [
      'IRP outage, registry outage (s)',
      (f) => `${f.recovery.irpOutageMs / 1000}, ${f.recovery.registryOutageMs / 1000}`,
    ],
    [
      'IRP pauses, records waiting for the registry',
      (f) => `${f.recovery.irpPauses}, ${f.recovery.decodeRetries}`,
    ],
    ['wall time (s), inputs/s', (f) => `${Math.round(f.wallTimeMs / 1000)}, ${f.inputsPerSecond}`],
    [
      'peak RSS MB (largest connector, harness+sandbox)',
      (f) => `${f.peakRssMb.connectorMax}, ${f.peakRssMb.harness}`,
    ],
    [
      'secret forms scanned, in MB',
      (f) => `${f.secretsScanned.forms}, ${Math.round(f.secretsScanned.bytes / 1e6)}`,
    ],
  ];
  const header = `| | ${all.map((f) => f.variant).join(' | ')} |`;
  const rule = `|---|${all.map(() => '---').join('|')}|`;
  return [
    header,
    rule,
    ...rows.map(([label, get]) => `| ${label} | ${all.map((f) => String(get(f))).join(' | ')} |`),
  ].join('\n');
}
