import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/irp-bridge.mjs', import.meta.url));

/** Runs the real `irp-bridge` binary as a user would, returning exit code and outputs. */
export function runCli(
  args: string[],
  input?: string,
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs the real `irp-bridge` binary without blocking this process (an in-process sandbox or broker
 * client keeps answering), with extra environment variables; resolves with exit code and outputs.
 */
export function runCliAsync(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 180_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Starts `irp-bridge run --config FILE` as a child process (the real binary, as an operator runs it).
 * Everything it prints goes to `sink` (kept for the secret scans), chunk by chunk.
 */
export function startRun(
  file: string,
  env: Record<string, string>,
  sink: (chunk: string) => void,
): ChildProcess {
  const child = spawn(process.execPath, [BIN, 'run', '--config', file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => sink(d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => sink(d.toString('utf8')));
  return child;
}

/** Resolves with the exit code (null when a signal ended it) once `child` has exited. */
export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) =>
    child.exitCode !== null || child.signalCode !== null
      ? resolve(child.exitCode)
      : child.once('exit', (code) => resolve(code)),
  );
}

/** Polls `check` every 300 ms until it says yes; throws after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 300));
  }
}
