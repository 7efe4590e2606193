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
  /**
   * A second listener, `SASL_SSL` (or `SSL` without users), beside the PLAINTEXT one the harness uses:
   * a certificate for 127.0.0.1 signed by a CA generated for this broker (openssl), and SCRAM users
   * created when the storage is formatted, PLAIN users in the listener's JAAS config.
   */
  /**
   * Keep the data folder across {@link KafkaBroker.restart} (the folder is removed by `stop`, or kept
   * should this process be killed). Default false.
   */
  restartable?: boolean;
  secure?: {
    scramUsers?: { mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512'; username: string; password: string }[];
    plainUsers?: { username: string; password: string }[];
  };
}

/** The secure listener of a broker started with `secure`. */
export interface SecureListener {
  /** `127.0.0.1:<port>` of the SASL_SSL (or SSL) listener. */
  brokers: string;
  protocol: 'SASL_SSL' | 'SSL';
  /** PEM of the CA that signed the broker's certificate (what a client's `ssl.caFile` holds). */
  caFile: string;
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
  /** `restartable` brokers: SIGTERM the JVM and start it again on the same ports and data. */
  restart(): Promise<void>;
  /** The TLS listener, when started with `secure`. */
  readonly secure?: SecureListener;
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
  const [freePort, controllerPort, securePort] = await freePorts(3);
  const port = opts.port || freePort!;
  const brokers = `127.0.0.1:${port}`;
  const secure = opts.secure ? await secureListener(dir, securePort!, opts.secure) : undefined;

  const props: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.bootstrap.servers': `127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}${secure ? `,${secure.listener.protocol}://127.0.0.1:${securePort}` : ''}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}${secure ? `,${secure.listener.protocol}://127.0.0.1:${securePort}` : ''}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': `PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT${secure ? `,${secure.listener.protocol}:${secure.listener.protocol}` : ''}`,
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
    ...secure?.properties,
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
    await formatStorage(java, jvmArgs, propsFile, logFile, secure?.formatArgs ?? []);
  } catch (error) {
    if (!keepDir) await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    throw error;
  }

  const restartable = opts.restartable ?? false;
  const launch = () =>
    startJvm({
      java,
      args: [...jvmArgs, 'kafka.Kafka', propsFile],
      dir,
      keepDir: keepDir || restartable,
      logFile,
      watchdogName: 'irp-bridge-kafka-watchdog',
    });
  let jvm = launch();

  const ready = async (current: typeof jvm) => {
    try {
      await current.untilReady(waitForKafka(brokers, { timeoutMs, check: current.exitReason }));
    } catch (error) {
      const tail = await logTail(logFile);
      await current.stop();
      if (/Address already in use|BindException/.test(tail)) throw new PortTakenError(tail);
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `Kafka ${version} did not start on ${brokers}: ${reason}\n--- last lines of ${logFile} ---\n${tail}`,
        { cause: error },
      );
    }
  };
  await ready(jvm);
  const stop = async () => {
    await jvm.stop();
    if (restartable && !keepDir) await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  };

  return {
    brokers,
    version,
    dir,
    logFile,
    get pid() {
      return jvm.pid;
    },
    async restart() {
      if (!restartable) throw new Error('this broker was not started restartable');
      await jvm.stop();
      jvm = launch();
      await ready(jvm);
    },
    ...(secure ? { secure: secure.listener } : {}),
    stop,
  };
}

/** Generates a CA and a broker certificate for 127.0.0.1 with openssl, and the listener's settings. */
async function secureListener(
  dir: string,
  port: number,
  secure: NonNullable<KafkaBrokerOptions['secure']>,
): Promise<{ listener: SecureListener; properties: Record<string, string>; formatArgs: string[] }> {
  const run = (args: string[]) =>
    new Promise<void>((resolve, reject) =>
      execFile('openssl', args, { cwd: dir, timeout: 60_000 }, (error, _out, stderr) =>
        error ? reject(new Error(`openssl ${args[0]} failed: ${stderr || error.message}`)) : resolve(),
      ),
    );
  const storePassword = randomBytes(12).toString('hex');
  await run([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=irp-bridge test CA',
  ]);
  await run([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'broker.key',
    '-out',
    'broker.csr',
    '-subj',
    '/CN=127.0.0.1',
  ]);
  await writeFile(join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await run([
    'x509',
    '-req',
    '-in',
    'broker.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'broker.pem',
    '-days',
    '2',
    '-extfile',
    'san.cnf',
  ]);
  await run([
    'pkcs12',
    '-export',
    '-in',
    'broker.pem',
    '-inkey',
    'broker.key',
    '-certfile',
    'ca.pem',
    '-out',
    'broker.p12',
    '-passout',
    `pass:${storePassword}`,
  ]);
  const scram = secure.scramUsers ?? [];
  const plain = secure.plainUsers ?? [];
  const sasl = scram.length + plain.length > 0;
  const protocol = sasl ? 'SASL_SSL' : 'SSL';
  const name = protocol.toLowerCase();
  const properties: Record<string, string> = {
    [`listener.name.${name}.ssl.keystore.type`]: 'PKCS12',
    [`listener.name.${name}.ssl.keystore.location`]: join(dir, 'broker.p12'),
    [`listener.name.${name}.ssl.keystore.password`]: storePassword,
    [`listener.name.${name}.ssl.key.password`]: storePassword,
  };
  const mechanisms: string[] = [...new Set(scram.map((u) => u.mechanism))];
  if (plain.length) mechanisms.push('PLAIN');
  if (sasl) properties['sasl.enabled.mechanisms'] = mechanisms.join(',');
  for (const m of mechanisms.filter((x) => x.startsWith('SCRAM')))
    properties[`listener.name.${name}.${m.toLowerCase()}.sasl.jaas.config`] =
      'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  if (plain.length)
    properties[`listener.name.${name}.plain.sasl.jaas.config`] =
      `org.apache.kafka.common.security.plain.PlainLoginModule required ${plain.map((u) => `user_${u.username}="${u.password}"`).join(' ')};`;
  const formatArgs = scram.flatMap((u) => [
    '--add-scram',
    `${u.mechanism}=[name=${u.username},password=${u.password}]`,
  ]);
  return {
    listener: { brokers: `127.0.0.1:${port}`, protocol, caFile: join(dir, 'ca.pem') },
    properties,
    formatArgs,
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
async function formatStorage(
  java: string,
  jvmArgs: string[],
  propsFile: string,
  logFile: string,
  extraArgs: string[] = [],
) {
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
    ...extraArgs,
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
