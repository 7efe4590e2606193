/**
 * The container image's file layout, without a Docker engine: the Dockerfile's build-stage commands run
 * in a scratch copy of the build context (what .dockerignore lets in), its runtime COPY lines assemble an
 * /app from the result, and every sub-command then runs from it as the image runs it (compiled dist/,
 * the image's environment, a separate writable working directory): `--version`, `demo`, `sandbox` on all
 * interfaces with `--sample-accounts`, `check-config` of a shipped config, `produce --generate` to the
 * real broker. Only `npm ci` is not replayed (this checkout's node_modules stand in for it).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopic, kafkaBrokers, uniqueTopic } from '../support/kafka.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'irp-image-'));
const build = join(scratch, 'build');
const app = join(scratch, 'app');
const work = join(scratch, 'work');
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** Instructions of one stage of the Dockerfile (continuations joined, comments dropped). */
function stage(name: string): { op: string; args: string }[] {
  const out: { op: string; args: string }[] = [];
  let current = '';
  for (const line of readFileSync(join(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ').split('\n')) {
    const m = /^([A-Z]+)\s+(.*)$/.exec(line.trim());
    if (!m || line.trim().startsWith('#')) continue;
    if (m[1] === 'FROM') current = / AS (\S+)/.exec(m[2]!)?.[1] ?? '';
    else if (current === name) out.push({ op: m[1]!, args: m[2]! });
  }
  return out;
}

let env: NodeJS.ProcessEnv;
const children: ChildProcess[] = [];

beforeAll(() => {
  // The build context, as .dockerignore's allow-list admits it (test/unit/deploy checks that list).
  mkdirSync(build);
  for (const entry of [
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    'tsconfig.build.json',
    'bin',
    'src',
    'connectors',
    'avro',
    'config',
    'data',
  ])
    cpSync(join(ROOT, entry), join(build, entry), {
      recursive: true,
      filter: (p) => !p.endsWith('.test.ts'),
    });
  symlinkSync(join(ROOT, 'node_modules'), join(build, 'node_modules'));
  // The build stage's RUN lines after `npm ci` (which this checkout's node_modules stand in for).
  for (const run of stage('build').filter((i) => i.op === 'RUN' && !/^npm ci\b/.test(i.args)))
    execFileSync('sh', ['-c', run.args], { cwd: build, stdio: 'pipe', timeout: 600_000 });
  // The runtime stage's COPY lines.
  mkdirSync(app);
  for (const copy of stage('runtime').filter((i) => i.op === 'COPY')) {
    const [from, ...rest] = copy.args.startsWith('--from=')
      ? copy.args.split(/\s+/)
      : ['', ...copy.args.split(/\s+/)];
    const target = rest.pop()!;
    for (const source of rest) {
      if (from === '--from=deps') symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'));
      else if (from === '--from=build')
        cpSync(join(build, source.replace(/^\/app\//, '')), join(app, target), { recursive: true });
      else cpSync(join(ROOT, source), join(app, source), { recursive: true });
    }
  }
  const runtimeEnv = Object.fromEntries(
    stage('runtime')
      .filter((i) => i.op === 'ENV')
      .flatMap((i) => i.args.split(/\s+/))
      .map((kv) => kv.split('=') as [string, string]),
  );
  mkdirSync(join(app, '.irp-bridge'));
  mkdirSync(work);
  env = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, ...runtimeEnv };
}, 900_000);

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [join(app, 'bin/irp-bridge.mjs'), ...args], {
    cwd: work,
    env: { ...env, ...extra },
    encoding: 'utf8',
    timeout: 120_000,
  });

describe('the image layout (Dockerfile replayed without Docker)', () => {
  it('has no sources, and runs the compiled CLI', () => {
    expect(existsSync(join(app, 'src'))).toBe(false);
    expect(existsSync(join(app, 'dist/src/cli/main.js'))).toBe(true);
    const r = cli(['--version']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it('demo runs on the bundled samples and writes into the working directory', () => {
    const r = cli(['demo', '--connector', 'sap']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/e\.g\. sap: IRN [0-9a-f]{64}/);
    expect(existsSync(join(work, 'out/demo/irp.sap.results.ndjson'))).toBe(true);
  });

  it('sandbox listens on every interface, and a shipped config passes its start-up checks against it', async () => {
    const credentials = join(app, '.irp-bridge/sandbox-credentials.json');
    const child = spawn(
      process.execPath,
      [
        join(app, 'bin/irp-bridge.mjs'),
        'sandbox',
        '--sample-accounts',
        '--port',
        '0',
        '--db',
        ':memory:',
        '--credentials-out',
        credentials,
      ],
      { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
    let log = '';
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    const deadline = Date.now() + 60_000;
    while (!existsSync(credentials)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`sandbox did not start: ${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const { baseUrl } = JSON.parse(readFileSync(credentials, 'utf8')) as { baseUrl: string };
    const port = Number(new URL(baseUrl).port);
    // Reachable on an address other than loopback (when the machine has one): bound to 0.0.0.0.
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    for (const host of ['127.0.0.1', ...(external ? [external] : [])])
      await new Promise<void>((resolve, reject) => {
        const socket = connect(port, host, () => {
          socket.end();
          resolve();
        });
        socket.once('error', reject);
      });

    const checked = cli(['check-config', '--resolve-secrets', join(app, 'config/local/sap.yaml')], {
      IRP_BRIDGE_IRP_BASE_URL: baseUrl,
    });
    expect(checked.status, checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(/: ok \(source sap-main/);
    child.kill('SIGTERM');
  });

  it('produce publishes generated events (the generators are in the image) to the real broker', async () => {
    const topic = await createTopic(uniqueTopic('image-produce'), 1);
    const r = cli(['produce', '--connector', 'tally', '--topic', topic, '--generate', '3'], {
      IRP_BRIDGE_BROKERS: kafkaBrokers(),
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^produced 3 generated tally events/m);
  });
});
