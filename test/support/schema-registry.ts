/**
 * A real, throwaway schema registry for integration tests and local development: Apicurio Registry
 * (one JVM, in-memory H2 storage) on a free loopback port, serving the Confluent-compatible REST API
 * under `/apis/ccompat/v7` — the API the Avro adapter's registry client speaks. No Docker: the server
 * distribution comes from Maven (scripts/schema-registry/fetch.sh, `npm run registry:fetch`).
 *
 * It is not part of the integration project's global setup: only the files that need a registry start
 * one, through {@link schemaRegistryForFile} (lazy, one per test file) or {@link startSchemaRegistry}.
 * `SCHEMA_REGISTRY_URL=<ccompat base url>` points the tests at a registry that is already running
 * instead (checked to answer; nothing is started or stopped then).
 *
 * Every JVM started here is stopped by {@link SchemaRegistry.stop}, by the process's exit and signal
 * handlers, and, should this process be killed outright, by a watchdog that notices the parent is
 * gone. Only the PIDs started here are ever signalled. The JVM's command line names its temporary
 * folder, so .ci/run's clean-up (which stops JVMs naming its TMPDIR) also covers it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SchemaRegistryOptions {
  /** How long to wait for the REST API to answer. Default 120 000 ms (a cold start takes ~7 s). */
  startTimeoutMs?: number;
  /** The JVM's maximum heap. Default `384m`. */
  heap?: string;
  /** Keep the temporary folder (registry.log) after stop. Default: env SCHEMA_REGISTRY_KEEP_DIR=1. */
  keepDir?: boolean;
}

export interface SchemaRegistry {
  /** Base URL of the Confluent-compatible API, e.g. `http://127.0.0.1:41234/apis/ccompat/v7`. */
  readonly url: string;
  /** The server's own base URL (`http://127.0.0.1:<port>`), for its native API and UI. */
  readonly origin: string;
  /** The Apicurio Registry version running, or `external`. */
  readonly version: string;
  /** The server's stdout and stderr, or '' for an external registry. */
  readonly logFile: string;
  /** The JVM's PID, or -1 for an external registry. */
  readonly pid: number;
  /** SIGTERM the JVM, wait for it (SIGKILL after 20 s), then remove its folder. Safe to call twice. */
  stop(): Promise<void>;
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const fetchScript = join(repoRoot, 'scripts', 'schema-registry', 'fetch.sh');
const CCOMPAT_PATH = '/apis/ccompat/v7';
const STOP_GRACE_MS = 20_000;
const START_ATTEMPTS = 3;

/**
 * Fetches and unpacks the registry distribution (a no-op once cached) and returns its folder.
 * Throws with the script's output if Maven or Java is missing or the download fails.
 */
export async function ensureSchemaRegistryDist(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [fetchScript], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
      process.stderr.write(chunk);
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const dist = out.trim().split('\n').pop() ?? '';
      if (code === 0 && dist) resolve(dist);
      else reject(new Error(`${fetchScript} exited with ${code}:\n${err}`));
    });
  });
}

let shared: Promise<SchemaRegistry> | undefined;

/**
 * The registry of this test file: started on first call, the same one afterwards. Vitest gives each
 * test file its own module instance, so files never share (or stop) each other's registry. Stop it
 * in the file's `afterAll`:
 *
 * ```ts
 * afterAll(() => stopSchemaRegistryForFile());
 * ```
 */
export function schemaRegistryForFile(opts: SchemaRegistryOptions = {}): Promise<SchemaRegistry> {
  shared ??= startSchemaRegistry(opts);
  return shared;
}

/** Stops the registry {@link schemaRegistryForFile} started, if any. */
export async function stopSchemaRegistryForFile(): Promise<void> {
  const current = shared;
  shared = undefined;
  if (current) await (await current).stop();
}

/**
 * Starts a registry (or adopts `SCHEMA_REGISTRY_URL`) and resolves once its Confluent-compatible API
 * answers. Each call starts a new JVM.
 */
export async function startSchemaRegistry(opts: SchemaRegistryOptions = {}): Promise<SchemaRegistry> {
  const external = process.env.SCHEMA_REGISTRY_URL?.trim().replace(/\/+$/, '');
  if (external) {
    try {
      await waitForSchemaRegistry(external, { timeoutMs: 30_000 });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`SCHEMA_REGISTRY_URL=${external} is set but that registry does not answer: ${reason}`, {
        cause: error,
      });
    }
    return {
      url: external,
      origin: new URL(external).origin,
      version: 'external',
      logFile: '',
      pid: -1,
      stop: async () => undefined,
    };
  }

  const dist = await ensureSchemaRegistryDist();
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    try {
      return await startOnce(dist, opts);
    } catch (error) {
      // A free port is picked, released, then bound by the JVM: another process may take it in
      // between. Only that race is worth another try.
      if (!(error instanceof PortTakenError)) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

class PortTakenError extends Error {}

interface LiveRegistry {
  child: ChildProcess;
  dir: string;
  keepDir: boolean;
  stop(): Promise<void>;
}

/** Registries started by this process and not yet stopped: what the exit and signal handlers clean up. */
const live = new Set<LiveRegistry>();

/** The launcher of an unpacked distribution: 2.x ships `<app>-runner.jar`, 3.x `quarkus-run.jar`. */
function launcherJar(dist: string): string {
  const runner = readdirSync(dist).find((f) => f.endsWith('-runner.jar'));
  if (runner) return join(dist, runner);
  const fastJar = join(dist, 'quarkus-run.jar');
  if (existsSync(fastJar)) return fastJar;
  throw new Error(`no *-runner.jar or quarkus-run.jar in ${dist}; run npm run registry:fetch`);
}

async function startOnce(dist: string, opts: SchemaRegistryOptions): Promise<SchemaRegistry> {
  const version = basename(dirname(dist));
  const keepDir = opts.keepDir ?? process.env.SCHEMA_REGISTRY_KEEP_DIR === '1';
  const timeoutMs = opts.startTimeoutMs ?? 120_000;
  const dir = await mkdtemp(join(tmpdir(), 'irp-bridge-registry-'));
  const logFile = join(dir, 'registry.log');
  const [port, managementPort] = await freePorts(2);
  const origin = `http://127.0.0.1:${port}`;
  const url = `${origin}${CCOMPAT_PATH}`;

  const java = javaBinary();
  const args = [
    `-Xmx${opts.heap ?? '384m'}`,
    '-XX:+UseSerialGC',
    // C1 only: the server starts in about half the time, and tests never run long enough for C2 to pay.
    '-XX:TieredStopAtLevel=1',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    // Names the folder on the command line, so a process list (and .ci/run) shows whose JVM this is.
    `-Dirp.bridge.registry.dir=${dir}`,
    '-Dquarkus.http.host=127.0.0.1',
    `-Dquarkus.http.port=${port}`,
    // 3.x serves health and metrics on a second port (9000 by default, which may be taken).
    '-Dquarkus.management.host=127.0.0.1',
    `-Dquarkus.management.port=${managementPort}`,
    '-Dquarkus.http.access-log.enabled=false',
    // The H2 pool opens 20 connections by default; a test registry needs a couple.
    '-Dquarkus.datasource.jdbc.initial-size=2',
    '-Dquarkus.datasource.jdbc.min-size=2',
    '-Dapicurio.datasource.jdbc.initial-size=2',
    '-Dapicurio.datasource.jdbc.min-size=2',
    `-Djava.io.tmpdir=${dir}`,
    '-jar',
    launcherJar(dist),
  ];

  const logFd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(java, args, { cwd: dir, stdio: ['ignore', logFd, logFd] });
  } finally {
    closeSync(logFd);
  }
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const watchdog = startWatchdog(child, dir, keepDir);

  let stopping: Promise<void> | undefined;
  const entry: LiveRegistry = {
    child,
    dir,
    keepDir,
    stop: () =>
      (stopping ??= (async () => {
        live.delete(entry);
        if (isRunning(child)) {
          child.kill('SIGTERM');
          const killed = await Promise.race([
            exited.then(() => false),
            sleep(STOP_GRACE_MS).then(() => true),
          ]);
          if (killed && isRunning(child)) {
            child.kill('SIGKILL');
            await exited;
          }
        }
        if (watchdog?.pid !== undefined && isRunning(watchdog)) watchdog.kill('SIGTERM');
        if (!keepDir) await rm(dir, { recursive: true, force: true, maxRetries: 3 });
      })()),
  };
  live.add(entry);
  installProcessHandlers();

  try {
    await Promise.race([
      waitForSchemaRegistry(url, {
        timeoutMs,
        check: () =>
          isRunning(child) ? undefined : `the JVM exited (${child.exitCode ?? child.signalCode})`,
      }),
      spawnError.then((error) => {
        throw new Error(`could not start ${java}: ${error.message}`);
      }),
    ]);
  } catch (error) {
    const tail = await logTail(logFile);
    await entry.stop();
    if (/Address already in use|BindException|Port .* seems to be in use/.test(tail))
      throw new PortTakenError(tail);
    const reason = error instanceof Error ? error.message : String(error);
    const hint = /UnsupportedClassVersionError/.test(tail)
      ? `\nApicurio Registry ${version} needs a newer Java: set SCHEMA_REGISTRY_JAVA_HOME to a JDK 21+.`
      : '';
    throw new Error(
      `Apicurio Registry ${version} did not start on ${origin}: ${reason}${hint}\n--- last lines of ${logFile} ---\n${tail}`,
      {
        cause: error,
      },
    );
  }

  return { url, origin, version, logFile, pid: child.pid ?? -1, stop: entry.stop };
}

/**
 * Waits until `url` (a Confluent-compatible base URL) lists its subjects. Throws after `timeoutMs`,
 * or as soon as `check` returns a reason.
 */
export async function waitForSchemaRegistry(
  url: string,
  { timeoutMs = 60_000, check }: { timeoutMs?: number; check?: () => string | undefined } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    const stopped = check?.();
    if (stopped) throw new Error(stopped);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms (${last})`);
    try {
      const res = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.ok) return;
      last = `GET /subjects answered ${res.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(200);
  }
}

/** Ports the OS hands out for 127.0.0.1, held together so they differ, then released. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/**
 * A detached shell that outlives a killed parent: when this process is gone but the JVM is not, it
 * stops the JVM (TERM, then KILL) and removes the folder. It ends by itself once either is gone.
 */
function startWatchdog(jvm: ChildProcess, dir: string, keepDir: boolean): ChildProcess | undefined {
  if (jvm.pid === undefined) return undefined;
  const script = `
    parent=$1 jvm=$2 dir=$3 keep=$4
    while kill -0 "$parent" 2>/dev/null && kill -0 "$jvm" 2>/dev/null; do sleep 1; done
    kill -0 "$parent" 2>/dev/null && exit 0
    if kill -0 "$jvm" 2>/dev/null; then
      kill -TERM "$jvm" 2>/dev/null
      for _ in $(seq 1 40); do kill -0 "$jvm" 2>/dev/null || break; sleep 0.5; done
      kill -KILL "$jvm" 2>/dev/null
    fi
    [ "$keep" = 1 ] || rm -rf "$dir"`;
  const watchdog = spawn(
    'bash',
    [
      '-c',
      script,
      'irp-bridge-registry-watchdog',
      String(process.pid),
      String(jvm.pid),
      dir,
      keepDir ? '1' : '0',
    ],
    { detached: true, stdio: 'ignore' },
  );
  watchdog.on('error', () => undefined);
  watchdog.unref();
  return watchdog;
}

let handlersInstalled = false;

/** Stops what is still running when the process exits or is told to stop. */
function installProcessHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // 'exit' allows no waiting: kill outright; the data is throwaway.
  process.once('exit', () => {
    for (const registry of live) {
      if (isRunning(registry.child)) registry.child.kill('SIGKILL');
      if (!registry.keepDir) rmSync(registry.dir, { recursive: true, force: true, maxRetries: 3 });
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      void Promise.allSettled([...live].map((registry) => registry.stop())).then(() => {
        // Nobody else handles the signal (a plain script): do what it would have done by default.
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    };
    process.once(signal, onSignal);
  }
}

/** Spawned (it has a PID) and not yet exited. */
function isRunning(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

/** SCHEMA_REGISTRY_JAVA_HOME (3.x needs Java 21+), else JAVA_HOME, else `java` on PATH. */
function javaBinary(): string {
  const home = process.env.SCHEMA_REGISTRY_JAVA_HOME || process.env.JAVA_HOME;
  return home ? join(home, 'bin', 'java') : 'java';
}

async function logTail(file: string, lines = 60): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
