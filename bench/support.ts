/** Shared by the benchmarks: the IRP sandbox in a child process, so its CPU is not the measured process's. */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SandboxCredentials } from '../src/sandbox/index.js';

/** The sandbox's credentials file. */
export type Credentials = SandboxCredentials;

export async function startSandboxProcess(extraArgs: readonly string[] = []): Promise<{
  credentials: Credentials;
  stop: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'irp-bench-'));
  const out = join(dir, 'credentials.json');
  const bin = fileURLToPath(new URL('../bin/irp-bridge.mjs', import.meta.url));
  const child = spawn(
    process.execPath,
    [
      bin,
      'sandbox',
      '--port',
      '0',
      '--db',
      ':memory:',
      '--credentials-out',
      out,
      '--log-level',
      'silent',
      ...extraArgs,
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const credentials = JSON.parse(await readFile(out, 'utf8')) as Credentials;
      const stop = async () => {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
        await rm(dir, { recursive: true, force: true });
      };
      return { credentials, stop };
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error('sandbox did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
