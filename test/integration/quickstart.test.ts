/**
 * The README's quickstart, executed as written: the shell block under "## Quickstart" is parsed from
 * README.md and each line runs through bash, in a scratch copy of the repository (symbolic links, so the
 * sandbox's credentials file lands in the scratch folder, not in the clone). Lines ending in `&` run in
 * the background, as they would in the user's terminal.
 *
 * Two things differ from a user's terminal, both through the documented environment overrides: the
 * broker is this suite's (step 1 is checked, not run — a second JVM on the fixed port 9092 would clash
 * with anyone else's), and the sandbox and ops ports are free ones instead of 8080 and 9464
 * (IRP_SANDBOX_PORT with IRP_BRIDGE_IRP_BASE_URL, IRP_BRIDGE_HTTP_PORT), so parallel runs do not collide.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kafkaBrokers, uniqueGroupId } from '../support/kafka.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Step {
  command: string;
  background: boolean;
}

/** The lines of the first ```sh block after `## Quickstart`, comments dropped. */
export function quickstartSteps(readme: string): Step[] {
  const section = readme.split(/^## Quickstart$/m)[1]?.split(/^## /m)[0];
  const block = section ? /```sh\n([\s\S]*?)```/.exec(section)?.[1] : undefined;
  if (!block) throw new Error('README.md has no ```sh block under ## Quickstart');
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#\s.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => ({ command: line.replace(/\s*&$/, ''), background: /&$/.test(line) }));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'irp-quickstart-'));
const background: { step: Step; child: ChildProcess & { out: string; closed: boolean } }[] = [];

afterAll(async () => {
  for (const b of background) {
    if (!b.child.closed) process.kill(-b.child.pid!, 'SIGKILL');
  }
  rmSync(scratch, { recursive: true, force: true });
});

function start(step: Step, env: NodeJS.ProcessEnv): ChildProcess & { out: string; closed: boolean } {
  // Its own process group, so the whole command (npx and the node it starts) can be signalled.
  const child = spawn('bash', ['-c', `exec ${step.command}`], {
    cwd: scratch,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as ChildProcess & { out: string; closed: boolean };
  child.out = '';
  child.closed = false;
  // 'close': every process of the command exited (npx's node child holds the pipes until it does).
  child.on('close', () => (child.closed = true));
  child.stdout!.on('data', (d: Buffer) => (child.out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (child.out += d.toString()));
  return child;
}

async function runToEnd(step: Step, env: NodeJS.ProcessEnv, timeoutMs: number) {
  const child = start(step, env);
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), timeoutMs);
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return { code, output: child.out };
}

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('README quickstart', () => {
  const steps = quickstartSteps(readFileSync(join(ROOT, 'README.md'), 'utf8'));

  it('is broker, sandbox, topics, produce, run, consume — and agrees with config/local/sap.yaml', () => {
    expect(steps.map((s) => s.command.split(' ').slice(0, 3).join(' '))).toEqual([
      'npx tsx scripts/kafka/broker.ts',
      'npx irp-bridge sandbox',
      'npx irp-bridge topics',
      'npx irp-bridge produce',
      'npx irp-bridge run',
      'npx irp-bridge consume',
    ]);
    const config = parse(readFileSync(join(ROOT, 'config/local/sap.yaml'), 'utf8')) as {
      kafka: { brokers: string[] };
      irp: { baseUrl: string; credentials: { file: string }[] };
    };
    expect(steps[0]!.command).toContain(`--port ${config.kafka.brokers[0]!.split(':')[1]}`);
    expect(config.irp.baseUrl).toBe('http://127.0.0.1:8080'); // the sandbox's default port
    const credentialsOut = /--credentials-out (\S+)/.exec(steps[1]!.command)?.[1];
    for (const c of config.irp.credentials) expect(join('config/local', c.file)).toBe(join(credentialsOut!));
  });

  it('runs as written on the real broker: every sample ends as one output, IRNs on the results topic', async () => {
    for (const entry of [
      'package.json',
      'node_modules',
      'bin',
      'src',
      'connectors',
      'config',
      'avro',
      'data',
      'scripts',
      'test',
      'tsconfig.json',
    ])
      symlinkSync(join(ROOT, entry), join(scratch, entry));
    mkdirSync(join(scratch, '.irp-bridge'));
    const [sandboxPort, opsPort] = [await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      IRP_BRIDGE_BROKERS: kafkaBrokers(),
      IRP_SANDBOX_PORT: String(sandboxPort),
      IRP_BRIDGE_IRP_BASE_URL: `http://127.0.0.1:${sandboxPort}`,
      IRP_BRIDGE_HTTP_PORT: String(opsPort),
      // A group of its own, in case the suite runs against a long-lived cluster (KAFKA_BROKERS).
      IRP_BRIDGE_GROUP_ID: uniqueGroupId('quickstart'),
    };
    const outputs: Record<number, string> = {};
    for (const [i, step] of steps.entries()) {
      if (i === 0) continue; // the broker: this suite's (see the top of this file)
      if (step.background) {
        const child = start(step, env);
        background.push({ step, child });
        if (step.command.includes(' sandbox '))
          await until(
            'the sandbox credentials file',
            () => {
              if (child.exitCode !== null) throw new Error(`sandbox exited: ${child.out}`);
              return existsSync(join(scratch, '.irp-bridge/sandbox-credentials.json'));
            },
            60_000,
          );
        continue;
      }
      const r = await runToEnd(step, env, 120_000);
      expect(r.code, `${step.command}\n${r.output}`).toBe(0);
      outputs[i] = r.output;
    }

    expect(outputs[2]).toMatch(/created {2}erp\.sap\.billing-documents/);
    expect(outputs[2]).toMatch(/created {2}irp\.sap\.results/);
    expect(outputs[3]).toMatch(/^produced 25 sample sap events .* to erp\.sap\.billing-documents/m);
    const lines = outputs[5]!.split('\n').filter((l) => /^irp\.sap\./.test(l));
    expect(lines).toHaveLength(25);
    const irns = lines.filter((l) =>
      /^irp\.sap\.results\/\d+@\d+ \S+: generate Irn [0-9a-f]{64} AckNo \d+/.test(l),
    );
    expect(irns.length).toBeGreaterThanOrEqual(20);
    for (const l of lines.filter((x) => x.startsWith('irp.sap.errors')))
      expect(l).toMatch(/: rejected at (map|validate|submit): \d{4} /);
    expect(outputs[5]).toMatch(
      /25 record\(s\) from irp\.sap\.results, irp\.sap\.errors, irp\.sap\.dead-letter/,
    );

    // The ops endpoint of step 5 answered meanwhile, with the counters of what went through.
    const metrics = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
    expect(metrics).toMatch(
      /^irp_bridge_records_in_total\{source="sap-main",topic="erp\.sap\.billing-documents"\} 25$/m,
    );

    // `kill %1 %2 %3`: the source drains, commits and stops; so does the sandbox.
    for (const b of [...background].reverse()) process.kill(-b.child.pid!, 'SIGTERM');
    await until('the background steps to exit', () => background.every((b) => b.child.closed), 30_000);
    const run = background.find((b) => b.step.command.includes(' run '))!;
    expect(run.child.out).toMatch(/"msg":"source stopped"/);
  }, 240_000);
});
