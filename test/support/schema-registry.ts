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
 * gone (test/support/jvm-process.ts). Only the PIDs started here are ever signalled. The JVM's
 * command line names its temporary folder, so .ci/run's clean-up (which stops JVMs naming its TMPDIR)
 * also covers it.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/**
 * Fetches and unpacks the registry distribution (a no-op once cached) and returns its folder.
 * Throws with the script's output if Maven or Java is missing or the download fails.
 */
export async function ensureSchemaRegistryDist(): Promise<string> {
  return runFetchScript(fetchScript);
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
  return retryOnPortTaken(() => startOnce(dist, opts));
}

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

  // SCHEMA_REGISTRY_JAVA_HOME (3.x needs Java 21+), else JAVA_HOME, else `java` on PATH.
  const java = javaBinary(process.env.SCHEMA_REGISTRY_JAVA_HOME || process.env.JAVA_HOME);
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

  const jvm = startJvm({
    java,
    args,
    cwd: dir,
    dir,
    keepDir,
    logFile,
    watchdogName: 'irp-bridge-registry-watchdog',
  });

  try {
    await jvm.untilReady(waitForSchemaRegistry(url, { timeoutMs, check: jvm.exitReason }));
  } catch (error) {
    const tail = await logTail(logFile);
    await jvm.stop();
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

  return { url, origin, version, logFile, pid: jvm.pid, stop: jvm.stop };
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
