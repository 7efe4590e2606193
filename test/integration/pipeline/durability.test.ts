/**
 * Delivery guarantees through failures, on the real broker with the sandbox as the IRP:
 * - kill -9 of `irp-bridge run` mid-stream, then a restart: every input has an output, and the sandbox
 *   registered each document once (replays meet 2150 and come back `recovered` with the same IRN);
 * - two instances in one group through a rebalance: the same, while partitions move;
 * - exactly-once mode (confluent adapter only: kafkajs has no KIP-447 fencing and the mode is refused
 *   there): a read_committed reader sees exactly one output per input.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { KafkaAdapterName } from '../../../src/adapters/kafka/index.js';
import { wireKafkaSource } from '../../../src/cli/wiring.js';
import type { SourceConfig } from '../../../src/config/source-config.js';
import { createPipelineMetrics } from '../../../src/ops/metrics.js';
import { exited, startRun, waitFor } from '../../support/cli.js';
import {
  inputOffsetOf,
  pipelineTopics,
  produce,
  readOutputs,
  sapEvents,
  sellerGstins,
  sourceConfig,
  startSandbox,
  type OutputMessage,
  type SandboxHarness,
} from '../../support/pipeline-harness.js';

const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
let h: SandboxHarness;

beforeAll(async () => {
  h = await startSandbox();
});
afterAll(async () => {
  await h.close();
});

/** Starts `irp-bridge run`; everything it prints is appended to `output` (for the secret scan). */
const startCli = (file: string, env: Record<string, string>, output: string[]) =>
  startRun(file, env, (chunk) => output.push(chunk));

/** Every input offset has at least one output; returns how many inputs got more than one. */
function coverage(outputs: OutputMessage[], inputs: number) {
  const byInput = new Map<string, OutputMessage[]>();
  for (const o of outputs) byInput.set(inputOffsetOf(o), [...(byInput.get(inputOffsetOf(o)) ?? []), o]);
  return { covered: byInput.size, inputs, repeated: [...byInput.values()].filter((l) => l.length > 1) };
}

/**
 * One IRN per document across every result, and the sandbox registered each document once. A replayed
 * generate whose document was cancelled at the IRP in between (its cancel event ran before the crash)
 * is answered 2150 with the registration cancelled: a conflict on the errors topic, which names the IRN.
 */
async function expectOneIrnPerDocument(outputs: OutputMessage[], registeredBefore: number) {
  const irns = new Map<string, Set<string>>();
  const add = (doc: string, irn: string) => irns.set(doc, (irns.get(doc) ?? new Set()).add(irn));
  for (const o of outputs) {
    if (o.json?.kind !== 'generate') continue;
    if (o.json.Irn) add(String(o.json.docKey), String(o.json.Irn));
    const first = (o.json.errors as { code: string; detail?: string; message: string }[] | undefined)?.[0];
    if (first?.code === '2150' && first.detail?.startsWith('cancelled'))
      add(String(o.json.docKey), /IRN ([0-9a-f]{64})/.exec(first.message)?.[1] ?? 'unnamed');
  }
  for (const [doc, set] of irns) expect(set.size, doc).toBe(1);
  expect((await h.registrations()) - registeredBefore).toBe(irns.size);
}

const ADAPTERS: KafkaAdapterName[] = inject('kafkaAdapters');

describe.each(ADAPTERS)('durability (%s)', (adapter) => {
  // Each adapter gets documents of its own: the sandbox is shared, and a document registers once.
  const seed = (n: number) => n + (adapter === 'kafkajs' ? 0 : 1000);
  it('kill -9 mid-stream and restart: no input without an output, no second IRN', async () => {
    const topics = await pipelineTopics(`crash-${adapter}`);
    const events = sapEvents(150, seed(31));
    // Debug logs, so the secret scan below reads everything the process says.
    const { env, file } = await sourceConfig(h, topics, sellerGstins(events.records), {
      adapter,
      maxInFlight: 8,
      logLevel: 'debug',
    });
    const printed: string[] = [];
    await produce(
      topics.input,
      events.values.map((value, i) => ({ key: events.keys[i]!, value })),
    );
    const registeredBefore = await h.registrations();

    const first = startCli(file, env, printed);
    await waitFor(async () => (await readOutputs(topics, 30, 3_000, 0)).length >= 30);
    first.kill('SIGKILL');
    expect(await exited(first)).toBeNull(); // killed, not exited

    const second = startCli(file, env, printed);
    let outputs: OutputMessage[] = [];
    await waitFor(async () => {
      outputs = await readOutputs(topics, 151, 5_000, 500);
      return coverage(outputs, 150).covered === 150;
    });
    second.kill('SIGTERM');
    expect(await exited(second)).toBe(0);

    const c = coverage(outputs, 150);
    expect(c.covered).toBe(150);
    console.log(
      `${adapter}: ${outputs.length} outputs for 150 inputs after kill -9, ${c.repeated.length} inputs answered twice`,
    );
    // Whatever was replayed after the crash came back as the same registration, marked recovered.
    for (const list of c.repeated) {
      const generate = list.filter((o) => o.json?.kind === 'generate' && o.json.Irn);
      if (generate.length > 1) expect(generate.some((o) => o.json!.recovered === true)).toBe(true);
    }
    await expectOneIrnPerDocument(outputs, registeredBefore);
    // Nothing the process printed (debug logs of two runs) contains a password or client secret.
    const text = printed.join('');
    expect(text).toContain('source starting');
    const secrets = Object.entries(env)
      .filter(([k]) => /PASSWORD|CSECRET/.test(k))
      .map(([, v]) => v);
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(text.includes(secret)).toBe(false);
  });

  it('two instances in one group through a rebalance', async () => {
    const topics = await pipelineTopics(`rebalance-${adapter}`, 4);
    const events = sapEvents(200, seed(41));
    const { config, env, dir } = await sourceConfig(h, topics, sellerGstins(events.records), {
      adapter,
      maxInFlight: 4,
    });
    const registeredBefore = await h.registrations();
    const run = async (c: SourceConfig) => {
      const runtime = await wireKafkaSource(c, dir, createPipelineMetrics(undefined, false), log, env);
      return { runtime, done: runtime.runner.run() };
    };
    const a = await run(config);
    await produce(
      topics.input,
      events.values.slice(0, 100).map((value, i) => ({ key: events.keys[i]!, value })),
    );
    await waitFor(async () => (await readOutputs(topics, 20, 3_000, 0)).length >= 20);
    const b = await run(config); // joins the group: partitions move
    await produce(
      topics.input,
      events.values.slice(100).map((value, i) => ({ key: events.keys[100 + i]!, value })),
    );
    await waitFor(async () => (await readOutputs(topics, 120, 3_000, 0)).length >= 120);
    await a.runtime.runner.stop(); // leaves: its partitions move to b
    await a.done;
    await a.runtime.close();
    let outputs: OutputMessage[] = [];
    await waitFor(async () => {
      outputs = await readOutputs(topics, 200, 5_000, 500);
      return coverage(outputs, 200).covered === 200;
    });
    await b.runtime.runner.stop();
    const bStatus = await b.done;
    await b.runtime.close();
    expect(bStatus.counts.in).toBeGreaterThan(0);
    expect(coverage(outputs, 200).covered).toBe(200);
    await expectOneIrnPerDocument(outputs, registeredBefore);
  });

  // Exactly-once is refused on kafkajs (no KIP-447 fencing; test/unit/config/load.test.ts).
  const exactlyOnceIt = it.runIf(adapter === 'confluent');

  exactlyOnceIt('exactly-once mode: a read_committed reader sees exactly one output per input', async () => {
    const topics = await pipelineTopics(`eos-${adapter}`, 2);
    const events = sapEvents(60, seed(51));
    const { config, env, dir } = await sourceConfig(h, topics, sellerGstins(events.records), {
      adapter,
      mode: 'exactly-once',
    });
    config.pipeline = { ...config.pipeline, transactionalId: `eos-${topics.input}` };
    await produce(topics.input, [
      ...events.values.map((value, i) => ({ key: events.keys[i]!, value })),
      { key: 'junk', value: Buffer.from('junk') },
    ]);
    const runtime = await wireKafkaSource(config, dir, createPipelineMetrics(undefined, false), log, env);
    const done = runtime.runner.run();
    let outputs: OutputMessage[] = [];
    await waitFor(async () => {
      outputs = await readOutputs(topics, 61, 5_000, 500);
      return outputs.length >= 61;
    });
    await runtime.runner.stop();
    await done;
    await runtime.close();
    const c = coverage(outputs, 61);
    expect(c.covered).toBe(61);
    expect(c.repeated).toEqual([]);
    expect(outputs).toHaveLength(61);
  });

  exactlyOnceIt(
    'exactly-once through kill -9: read_committed still sees exactly one output per input',
    async () => {
      const topics = await pipelineTopics(`eos-crash-${adapter}`, 2);
      const events = sapEvents(120, seed(71));
      // The default transactional id (<groupId>-<hostname>) is the same after the restart, which is what
      // fences the killed instance's open transaction.
      const { env, file } = await sourceConfig(h, topics, sellerGstins(events.records), {
        adapter,
        mode: 'exactly-once',
        maxInFlight: 8,
      });
      await produce(
        topics.input,
        events.values.map((value, i) => ({ key: events.keys[i]!, value })),
      );
      const registeredBefore = await h.registrations();
      // Slow the IRP a little, so the kill lands inside an open transaction: documents are registered at
      // the IRP, their outputs written but not committed.
      await h.admin('POST', 'faults/rules', {
        name: `slow-${adapter}`,
        scope: { apis: ['generate-irn'] },
        latency: { fixedMs: 40 },
      });
      const printed: string[] = [];
      const first = startCli(file, env, printed);
      await waitFor(async () => (await h.registrations()) - registeredBefore >= 30);
      first.kill('SIGKILL');
      expect(await exited(first)).toBeNull();
      const second = startCli(file, env, printed);
      let outputs: OutputMessage[] = [];
      await waitFor(async () => {
        outputs = await readOutputs(topics, 120, 5_000, 1000);
        return coverage(outputs, 120).covered === 120;
      });
      await h.admin('DELETE', 'faults');
      second.kill('SIGTERM');
      expect(await exited(second)).toBe(0);
      const c = coverage(outputs, 120);
      expect(c.covered).toBe(120);
      expect(c.repeated).toEqual([]);
      expect(outputs).toHaveLength(120);
      await expectOneIrnPerDocument(outputs, registeredBefore);
    },
  );
});
