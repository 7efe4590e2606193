/**
 * Process management shared by the test harnesses that run a throwaway server in a JVM
 * (kafka-broker.ts, schema-registry.ts): fetching the server with its script, picking free loopback
 * ports, starting the JVM with its output in a log file, and making sure it stops.
 *
 * Every JVM started with {@link startJvm} is stopped by its `stop()`, by the process's exit and signal
 * handlers, and, should this process be killed outright, by a detached watchdog that notices the parent
 * is gone. Only the PIDs started here are ever signalled. Each harness names its temporary folder on the
 * JVM's command line, so .ci/run's clean-up (which stops JVMs naming its TMPDIR) also covers them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, rmSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

const STOP_GRACE_MS = 20_000;
const START_ATTEMPTS = 3;

/**
 * Runs a fetch script (`bash <script>`) that prints the path of what it fetched as its last line on
 * stdout and its progress on stderr (passed through), and returns that path. Throws with the script's
 * stderr if it fails or prints nothing.
 */
export async function runFetchScript(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
      process.stderr.write(chunk);
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const path = out.trim().split('\n').pop() ?? '';
      if (code === 0 && path) resolve(path);
      else reject(new Error(`${script} exited with ${code}:\n${err}`));
    });
  });
}

/** Thrown by a start attempt whose JVM found one of its ports taken: {@link retryOnPortTaken} tries again. */
export class PortTakenError extends Error {}

/**
 * Calls `start` up to 3 times while it throws {@link PortTakenError}. Free ports are picked, released,
 * then bound by the JVM: another process may take one in between. Only that race is worth another try.
 */
export async function retryOnPortTaken<T>(start: () => Promise<T>): Promise<T> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (!(error instanceof PortTakenError)) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

/** Ports the OS hands out for 127.0.0.1, held together so they differ, then released. */
export async function freePorts(count: number): Promise<number[]> {
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

export interface JvmOptions {
  /** The java binary ({@link javaBinary}). */
  java: string;
  /** Everything after `java`. */
  args: string[];
  /** The JVM's working directory. Default: this process's. */
  cwd?: string;
  /** The server's temporary folder: removed after stop unless `keepDir`. */
  dir: string;
  keepDir: boolean;
  /** Receives the JVM's stdout and stderr (appended). */
  logFile: string;
  /** `$0` of the watchdog shell, so a process list shows whose it is, e.g. `irp-bridge-kafka-watchdog`. */
  watchdogName: string;
}

export interface Jvm {
  /** The JVM's PID, or -1 if it could not be spawned. */
  readonly pid: number;
  /** For a readiness poll's `check`: why the JVM is not running, or undefined while it runs. */
  exitReason(): string | undefined;
  /** Settles as `ready` does, or rejects with `could not start <java>: …` if the JVM cannot be spawned. */
  untilReady(ready: Promise<void>): Promise<void>;
  /** SIGTERM the JVM, wait for it (SIGKILL after 20 s), then remove the folder. Safe to call twice. */
  stop(): Promise<void>;
}

interface LiveJvm {
  child: ChildProcess;
  dir: string;
  keepDir: boolean;
  stop(): Promise<void>;
}

/** JVMs started by this process and not yet stopped: what the exit and signal handlers clean up. */
const live = new Set<LiveJvm>();

/**
 * Spawns the JVM with its output appended to `logFile`, starts its watchdog and registers it with the
 * exit and signal handlers until it is stopped.
 */
export function startJvm({ java, args, cwd, dir, keepDir, logFile, watchdogName }: JvmOptions): Jvm {
  const logFd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(java, args, { cwd, stdio: ['ignore', logFd, logFd] });
  } finally {
    closeSync(logFd);
  }
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const watchdog = startWatchdog(child, dir, keepDir, watchdogName);

  let stopping: Promise<void> | undefined;
  const entry: LiveJvm = {
    child,
    dir,
    keepDir,
    stop: () =>
      (stopping ??= (async () => {
        live.delete(entry);
        if (isRunning(child)) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => isRunning(child) && child.kill('SIGKILL'), STOP_GRACE_MS);
          await exited;
          clearTimeout(timer);
        }
        if (watchdog && isRunning(watchdog)) watchdog.kill('SIGKILL');
        if (!keepDir) await rm(dir, { recursive: true, force: true, maxRetries: 3 });
      })()),
  };
  live.add(entry);
  installProcessHandlers();

  return {
    pid: child.pid ?? -1,
    exitReason: () =>
      isRunning(child) ? undefined : `the JVM exited (${child.exitCode ?? child.signalCode})`,
    untilReady: (ready) =>
      Promise.race([
        ready,
        spawnError.then((error) => {
          throw new Error(`could not start ${java}: ${error.message}`);
        }),
      ]),
    stop: entry.stop,
  };
}

/**
 * A detached shell that outlives a killed parent: when this process is gone but the JVM is not, it
 * stops the JVM (TERM, then KILL) and removes the folder (unless `keepDir`). It ends by itself once
 * either is gone. `name` is its `$0`.
 */
function startWatchdog(
  jvm: ChildProcess,
  dir: string,
  keepDir: boolean,
  name: string,
): ChildProcess | undefined {
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
    ['-c', script, name, String(process.pid), String(jvm.pid), dir, keepDir ? '1' : '0'],
    { detached: true, stdio: 'ignore' },
  );
  watchdog.on('error', () => undefined);
  watchdog.unref();
  return watchdog;
}

let handlersInstalled = false;

/** Stops what is still running when the process exits or is told to stop. Installs once. */
function installProcessHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // 'exit' allows no waiting: kill outright; the data is throwaway.
  process.once('exit', () => {
    for (const jvm of live) {
      if (isRunning(jvm.child)) jvm.child.kill('SIGKILL');
      if (!jvm.keepDir) rmSync(jvm.dir, { recursive: true, force: true, maxRetries: 3 });
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      void Promise.allSettled([...live].map((jvm) => jvm.stop())).then(() => {
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

/** `<home>/bin/java`, or `java` on PATH when `home` is unset or empty. Default home: JAVA_HOME. */
export function javaBinary(home: string | undefined = process.env.JAVA_HOME): string {
  return home ? join(home, 'bin', 'java') : 'java';
}

/** The last `lines` lines of a log file ('' if it cannot be read). */
export async function logTail(file: string, lines = 60): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
