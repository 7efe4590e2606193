/**
 * A real, throwaway Apache Kafka broker for integration tests and local development: one JVM running a
 * single KRaft node that is both broker and controller, on free loopback ports, with its data and log
 * in a fresh temporary folder. No Docker: the jars come from Maven (scripts/kafka/fetch-jars.sh).
 *
 * Topics are NOT auto-created (`auto.create.topics.enable=false`, see {@link KafkaBrokerOptions}): a
 * test creates its topics, as an operator does in production, so a misspelt topic fails loudly instead
 * of silently becoming a new empty one.
 *
 * Every JVM started here is stopped by {@link KafkaBroker.stop}, by the process's exit and signal
 * handlers, and, should this process be killed outright, by a small watchdog that notices the parent
 * is gone (test/support/jvm-process.ts). Only the PIDs started here are ever signalled.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import {
  freePorts,
  javaBinary,
  logTail,
  PortTakenError,
  retryOnPortTaken,
  runFetchScript,
  sleep,
  startJvm,
} from './jvm-process.js';

export interface KafkaBrokerOptions {
  /** The broker's port (the controller takes a free one). Default: a free port. */
  port?: number;
  /** Partitions of a topic created without a count. Default 3. */
  numPartitions?: number;
  /**
   * Let a producer or consumer create a topic just by naming it. Default false: tests create their
   * topics explicitly (test/support/kafka.ts `createTopic`).
   */
  autoCreateTopics?: boolean;
  /** How long to wait for the broker to answer metadata and group requests. Default 60 000 ms. */
  startTimeoutMs?: number;
  /** The JVM's maximum heap. Default `512m`. */
  heap?: string;
  /** Keep the temporary folder (data, server.properties, broker.log) after stop. Default: env KAFKA_KEEP_DIR=1. */
  keepDir?: boolean;
  /** Extra server.properties entries; they override the defaults written here. */
  serverProperties?: Record<string, string | number | boolean>;
}

export interface KafkaBroker {
  /** Bootstrap servers, `127.0.0.1:<port>`. */
  readonly brokers: string;
  /** The Apache Kafka version running. */
  readonly version: string;
  /** The temporary folder holding server.properties, data/ and broker.log. */
  readonly dir: string;
  /** The broker's own log (stdout and stderr of the JVM). */
  readonly logFile: string;
  readonly pid: number;
  /** SIGTERM the JVM, wait for it (SIGKILL after 20 s), then remove the folder. Safe to call twice. */
  stop(): Promise<void>;
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const fetchScript = join(repoRoot, 'scripts', 'kafka', 'fetch-jars.sh');

/**
 * Resolves the broker jars (a no-op once cached) and returns the classpath folder.
 * Throws with the script's output if Maven or Java is missing or the download fails.
 */
export async function ensureKafkaJars(): Promise<string> {
  return runFetchScript(fetchScript);
}

/** Starts a single-node Kafka broker and resolves once it serves metadata and consumer-group requests. */
export async function startKafkaBroker(opts: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
  const libs = await ensureKafkaJars();
  // A port the caller chose is not retried elsewhere: "address in use" is then the answer.
  return opts.port ? startOnce(libs, opts) : retryOnPortTaken(() => startOnce(libs, opts));
}

async function startOnce(libs: string, opts: KafkaBrokerOptions): Promise<KafkaBroker> {
  const version = basename(dirname(libs));
  const keepDir = opts.keepDir ?? process.env.KAFKA_KEEP_DIR === '1';
  const timeoutMs = opts.startTimeoutMs ?? 60_000;
  const dir = await mkdtemp(join(tmpdir(), 'irp-bridge-kafka-'));
  const logFile = join(dir, 'broker.log');
  const propsFile = join(dir, 'server.properties');
  const log4jFile = join(dir, 'log4j2.properties');
  const [freePort, controllerPort] = await freePorts(2);
  const port = opts.port || freePort!;
  const brokers = `127.0.0.1:${port}`;

  const props: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.bootstrap.servers': `127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': join(dir, 'data'),
    'num.partitions': opts.numPartitions ?? 3,
    'auto.create.topics.enable': opts.autoCreateTopics ?? false,
    // One broker: every internal topic has one replica. Few partitions keep the first group or
    // transaction quick to set up; tests do not need the coordinator load spread.
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    'share.coordinator.state.topic.num.partitions': 1,
    'min.insync.replicas': 1,
    'group.initial.rebalance.delay.ms': 0,
    // A 2-core machine runs the tests beside this JVM: few threads.
    'num.network.threads': 2,
    'num.io.threads': 2,
    'background.threads': 2,
    'num.recovery.threads.per.data.dir': 1,
    ...opts.serverProperties,
  };
  await writeFile(propsFile, toProperties(props));
  await writeFile(
    log4jFile,
    [
      'status = warn',
      'appender.out.type = Console',
      'appender.out.name = OUT',
      'appender.out.layout.type = PatternLayout',
      'appender.out.layout.pattern = [%d] %p %m (%c)%n',
      'rootLogger.level = info',
      'rootLogger.appenderRef.out.ref = OUT',
      '',
    ].join('\n'),
  );

  const java = javaBinary();
  const jvmArgs = [
    `-Xmx${opts.heap ?? '512m'}`,
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${log4jFile}`,
    // Names the folder on the command line, so a process list shows whose JVM this is.
    `-Dirp.bridge.kafka.dir=${dir}`,
    '-cp',
    join(libs, '*'),
  ];

  try {
    await formatStorage(java, jvmArgs, propsFile, logFile);
  } catch (error) {
    if (!keepDir) await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    throw error;
  }

  const jvm = startJvm({
    java,
    args: [...jvmArgs, 'kafka.Kafka', propsFile],
    dir,
    keepDir,
    logFile,
    watchdogName: 'irp-bridge-kafka-watchdog',
  });

  try {
    await jvm.untilReady(waitForKafka(brokers, { timeoutMs, check: jvm.exitReason }));
  } catch (error) {
    const tail = await logTail(logFile);
    await jvm.stop();
    if (/Address already in use|BindException/.test(tail)) throw new PortTakenError(tail);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Kafka ${version} did not start on ${brokers}: ${reason}\n--- last lines of ${logFile} ---\n${tail}`,
      { cause: error },
    );
  }

  return {
    brokers,
    version,
    dir,
    logFile,
    pid: jvm.pid,
    stop: jvm.stop,
  };
}

/**
 * Waits until the cluster at `brokers` answers a metadata request, lists topics and has a group
 * coordinator (the first FindCoordinator creates `__consumer_offsets`, so the first consumer group of a
 * test does not wait for it). Throws after `timeoutMs`, or as soon as `check` returns a reason.
 */
export async function waitForKafka(
  brokers: string,
  { timeoutMs = 60_000, check }: { timeoutMs?: number; check?: () => string | undefined } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const [host = '127.0.0.1', port = '9092'] = (brokers.split(',')[0] ?? '').trim().split(':');
  let last = 'no answer yet';
  for (;;) {
    const stopped = check?.();
    if (stopped) throw new Error(stopped);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms (${last})`);
    try {
      await tcpProbe(host, Number(port));
      await kafkaProbe(brokers);
      return;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
      await sleep(250);
    }
  }
}

async function kafkaProbe(brokers: string): Promise<void> {
  const kafka = new Kafka({
    clientId: 'irp-bridge-test-probe',
    brokers: brokers.split(',').map((b) => b.trim()),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    requestTimeout: 5_000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    await admin.listTopics();
    await admin.describeGroups(['irp-bridge-test-probe']);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function tcpProbe(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error(`${host}:${port} did not accept a connection`));
    });
    socket.once('error', (error) => {
      socket.destroy();
      reject(error);
    });
  });
}

/** `kafka-storage.sh format --standalone`: a fresh cluster id and a one-voter dynamic quorum. */
async function formatStorage(java: string, jvmArgs: string[], propsFile: string, logFile: string) {
  // A cluster id is 16 random bytes in URL-safe base64 without padding (what `random-uuid` prints).
  // An id starting with '-' would be read as an option by the tool's argument parser, so join it with
  // `=` (and avoid the leading dash anyway).
  let clusterId = randomBytes(16).toString('base64url');
  while (clusterId.startsWith('-')) clusterId = randomBytes(16).toString('base64url');
  const args = [
    ...jvmArgs,
    'kafka.tools.StorageTool',
    'format',
    `--cluster-id=${clusterId}`,
    '-c',
    propsFile,
    '--standalone',
  ];
  const output = await new Promise<string>((resolve, reject) => {
    execFile(java, args, { timeout: 60_000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      const text = `${stdout}${stderr}`;
      if (!error) resolve(text);
      else if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        reject(new Error(`'${java}' not found: Kafka needs Java 17 or later on PATH (or JAVA_HOME)`));
      else reject(new Error(`kafka-storage format failed: ${error.message}\n${text}`));
    });
  });
  await writeFile(logFile, `--- kafka-storage format ---\n${output}\n--- kafka.Kafka ---\n`);
}

function toProperties(props: Record<string, string | number | boolean>): string {
  return `${Object.entries(props)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join('\n')}\n`;
}
