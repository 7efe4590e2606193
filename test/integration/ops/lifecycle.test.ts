/**
 * The honest lifecycle of `irp-bridge run` (issue 10 item 4), spawning the real binary against the real
 * broker and the sandbox:
 * - ready only once a member of its group; HEAD works on the probes;
 * - a broker address nothing listens on: one clear line on stderr and exit 1 within kafka.startupTimeoutMs;
 * - SIGTERM exits 0 in every state: while connecting, while running, while halted (not ready meanwhile),
 *   while the IRP circuit is open (degraded in /healthz, still ready).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import type { KafkaAdapterName } from '../../../src/adapters/kafka/index.js';
import type { SourceConfig } from '../../../src/config/source-config.js';
import {
  pipelineTopics,
  produce,
  sapEvents,
  sellerGstins,
  sourceConfig,
  startSandbox,
  type SandboxHarness,
} from '../../support/pipeline-harness.js';

const BIN = fileURLToPath(new URL('../../../bin/irp-bridge.mjs', import.meta.url));
const ADAPTERS: KafkaAdapterName[] = inject('kafkaAdapters');
let h: SandboxHarness;

beforeAll(async () => {
  h = await startSandbox();
});
afterAll(async () => {
  await h.close();
});

interface Cli {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** The ops endpoint, once the process printed it. */
  ops(): Promise<string>;
  exited: Promise<{ code: number | null; ms: number }>;
  /** Milliseconds from spawn to the first stderr output. */
  stderrAfterMs?: number;
  signalledAt?: number;
}

function startCli(file: string, env: Record<string, string>): Cli {
  const child = spawn(process.execPath, [BIN, 'run', '--config', file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const cli: Cli = {
    child,
    stdout: [],
    stderr: [],
    ops: async () => {
      await waitFor(() => cli.stdout.join('').includes('"ops":"http'), 60_000);
      return /"ops":"(http[^"]+)"/.exec(cli.stdout.join(''))![1]!;
    },
    exited: new Promise((resolve) =>
      child.on('exit', (code) => resolve({ code, ms: Date.now() - (cli.signalledAt ?? started) })),
    ),
  };
  const started = Date.now();
  child.stdout!.on('data', (d: Buffer) => cli.stdout.push(d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => {
    cli.stderrAfterMs ??= Date.now() - started;
    cli.stderr.push(d.toString('utf8'));
  });
  return cli;
}

function sigterm(cli: Cli) {
  cli.signalledAt = Date.now();
  cli.child.kill('SIGTERM');
  return cli.exited;
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function probe(url: string, method: 'GET' | 'HEAD' = 'GET') {
  const res = await fetch(url, { method });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

async function configFor(adapter: KafkaAdapterName, partitions = 1, count = 6, seed = 61) {
  const topics = await pipelineTopics(`life-${adapter}`, partitions);
  const events = sapEvents(count, seed);
  const made = await sourceConfig(h, topics, sellerGstins(events.records), { adapter, logLevel: 'info' });
  const write = (change: (c: SourceConfig) => void) => {
    change(made.config);
    writeFileSync(made.file, stringify(made.config));
  };
  const messages = events.values.map((value, i) => ({ key: events.keys[i]!, value }));
  return { ...made, topics, messages, write };
}

describe.each(ADAPTERS)('irp-bridge run lifecycle (%s)', (adapter) => {
  it('nothing listening at the broker address: one line on stderr, exit 1 within the start-up deadline', async () => {
    const { file, env, write } = await configFor(adapter);
    write((c) => {
      c.kafka.brokers = ['127.0.0.1:9'];
      c.kafka.startupTimeoutMs = 3000;
    });
    const cli = startCli(file, env);
    const url = await cli.ops();
    const early = await probe(`${url}/readyz`);
    expect(early.status).toBe(503);
    expect(early.body!.reason).toBe('connecting to Kafka');
    const { code, ms } = await cli.exited;
    expect(code).toBe(1);
    const lines = cli.stderr.join('').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^irp-bridge: source .*could not connect to Kafka \(127\.0\.0\.1:9\).*3000 ms/);
    // Prompt: the deadline plus the process's own start, not the client's retries. librdkafka's pending
    // connect attempt holds the process's exit (not the line) for up to its 30 s connection set-up
    // timeout after the line (known, adapter side).
    expect(cli.stderrAfterMs!).toBeLessThan(20_000);
    if (adapter === 'kafkajs') expect(ms).toBeLessThan(20_000);
  });

  it('SIGTERM while still connecting exits 0', async () => {
    const { file, env, write } = await configFor(adapter);
    write((c) => {
      c.kafka.brokers = ['127.0.0.1:9'];
      c.kafka.startupTimeoutMs = 120_000;
    });
    const cli = startCli(file, env);
    await cli.ops();
    const { code } = await sigterm(cli);
    expect(code).toBe(0);
    expect(cli.stderr.join('')).toBe('');
  });

  it('ready only as a group member (HEAD too); SIGTERM while running exits 0', async () => {
    const { file, env, messages, topics } = await configFor(adapter, 2, 6, 62);
    await produce(topics.input, messages);
    const cli = startCli(file, env);
    const url = await cli.ops();
    let ready: Awaited<ReturnType<typeof probe>> | undefined;
    await waitFor(async () => {
      const r = await probe(`${url}/readyz`);
      if (r.status === 200) ready = r;
      else expect(['connecting to Kafka']).toContain(r.body!.reason);
      return ready !== undefined;
    });
    expect((ready!.body!.details as { group: string }).group).toBe('member');
    expect((await probe(`${url}/readyz`, 'HEAD')).status).toBe(200);
    expect((await probe(`${url}/healthz`, 'HEAD')).status).toBe(200);
    await waitFor(async () => {
      const d = (await probe(`${url}/readyz`)).body!.details as { counts: { in: number } };
      return d.counts.in >= 6;
    });
    const { code } = await sigterm(cli);
    expect(code).toBe(0);
  });

  it('halted: not ready, still a member; SIGTERM exits 0', async () => {
    const { file, env, messages, topics } = await configFor(adapter, 1, 4, 63);
    await h.admin('POST', 'faults/rules', {
      name: `life-halt-${adapter}`,
      scope: { apis: ['generate-irn'] },
      failure: { kind: 'envelope-error', code: '1017' },
    });
    try {
      await produce(topics.input, messages);
      const cli = startCli(file, env);
      const url = await cli.ops();
      let last: Awaited<ReturnType<typeof probe>> | undefined;
      await waitFor(async () => {
        last = await probe(`${url}/readyz`);
        return String(last.body!.reason ?? '').startsWith('halted');
      });
      expect(last!.status).toBe(503);
      expect((last!.body!.details as { group: string }).group).toBe('member');
      const { code } = await sigterm(cli);
      expect(code).toBe(0);
    } finally {
      await h.admin('DELETE', 'faults');
    }
  });

  it('IRP circuit open: degraded in /healthz, still ready; SIGTERM exits 0 promptly', async () => {
    const { file, env, messages, topics } = await configFor(adapter, 1, 4, 64);
    await h.admin('POST', 'faults/rules', {
      name: `life-outage-${adapter}`,
      failure: { kind: 'http-5xx', status: 503 },
    });
    try {
      await produce(topics.input, messages);
      const cli = startCli(file, env);
      const url = await cli.ops();
      await waitFor(async () => (await probe(`${url}/healthz`)).body!.status === 'degraded');
      expect((await probe(`${url}/readyz`)).status).toBe(200);
      const { code } = await sigterm(cli);
      expect(code).toBe(0);
    } finally {
      await h.admin('DELETE', 'faults');
    }
  });
});
