/**
 * Issue 14, the runner's half, on the real broker with the sandbox as the IRP over real HTTP (its faults
 * drive the IRP's behaviour):
 * - a credentials halt keeps the member paused in its group, makes no further IRP call and commits what
 *   completed, so a restart answers the rest and replays nothing that was answered;
 * - one slow IRP call holds neither the records fetched after it nor other partitions;
 * - a cancel that arrives before its generate is held until the generate ran, not rejected;
 * - one record the IRP keeps answering 5002 (while it answers others) ends as RETRY_EXHAUSTED.
 */
import { ConfigResourceTypes } from 'kafkajs';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BillingDocumentEvent } from '../../../connectors/sap/record.js';
import { connectors } from '../../../connectors/registry.js';
import { decode, encode } from '../../../connectors/testkit/avro-codec.js';
import type { KafkaAdapterName } from '../../../src/adapters/kafka/index.js';
import { wireKafkaSource, type SourceRuntime } from '../../../src/cli/wiring.js';
import type { SourceConfig } from '../../../src/config/source-config.js';
import { validateInvoice } from '../../../src/irp/validate/index.js';
import { createPipelineMetrics } from '../../../src/ops/metrics.js';
import {
  SAP_SCHEMA,
  inputOffsetOf,
  pipelineTopics,
  produce,
  outputCollector,
  type OutputMessage,
  sapEvents,
  sellerGstins,
  sourceConfig,
  startSandbox,
  type SandboxHarness,
} from '../../support/pipeline-harness.js';
import { kafkaClient } from '../../support/kafka.js';

const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
const ADAPTERS: KafkaAdapterName[] = inject('kafkaAdapters');
let h: SandboxHarness;

beforeAll(async () => {
  h = await startSandbox();
});
afterAll(async () => {
  await h.close();
});
// A test that fails before its own cleanup must not leave its faults to the next (a 1017 left active
// halted every later test of the file in one CI run).
afterEach(async () => {
  await h.admin('DELETE', 'faults');
});

/** Waits for `check`; a timeout says what was awaited and how the runner stood, so a failure explains itself. */
async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  state: () => unknown,
  timeoutMs = 90_000,
): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${JSON.stringify(state())}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `expected` outputs (quiet for 300 ms), or a timeout that says how the runner stood. */
async function outputsOf(
  collected: { until(expected: number, timeoutMs?: number, quietMs?: number): Promise<OutputMessage[]> },
  expected: number,
  runner: { runtime: SourceRuntime },
  timeoutMs = 90_000,
): Promise<OutputMessage[]> {
  return collected.until(expected, timeoutMs, 300).catch((err: Error) => {
    throw new Error(`${err.message}: ${JSON.stringify(standing(runner)())}`);
  });
}

/** How a started runner stands: its status and its source's group phase. */
const standing = (r: { runtime: SourceRuntime }) => () => ({
  runner: r.runtime.runner.status(),
  source: r.runtime.source.state().phase,
});

async function start(config: SourceConfig, dir: string, env: Record<string, string>) {
  const runtime: SourceRuntime = await wireKafkaSource(
    config,
    dir,
    createPipelineMetrics(undefined, false),
    log,
    env,
  );
  const running = runtime.runner.run();
  return {
    runtime,
    stop: async () => {
      await runtime.runner.stop();
      await running;
      await runtime.close();
    },
  };
}

/** Requests and successes of one sandbox API. */
async function apiStats(api: string): Promise<{ requests: number; succeeded: number }> {
  const stats = await h.admin<Record<string, unknown>>('GET', 'stats');
  const apis = (stats.apis ?? stats) as Record<string, { requests?: number; succeeded?: number }>;
  return { requests: apis[api]?.requests ?? 0, succeeded: apis[api]?.succeeded ?? 0 };
}

/** `n` generated SAP invoices the IRP registers (created, mappable, plain B2B, valid today). */
const onlyCreated = (n: number, seed: number) => {
  const events = sapEvents(n * 4, seed);
  const valid = (r: { EVENT?: unknown }) => {
    if (r.EVENT !== 'CREATED') return false;
    const m = connectors.sap.map(r);
    return (
      m.ok &&
      m.event.kind === 'generate' &&
      m.event.invoice.TranDtls.SupTyp === 'B2B' &&
      validateInvoice(m.event.invoice, { now: new Date() }).valid
    );
  };
  const idx = events.records.flatMap((r, i) => (valid(r) ? [i] : [])).slice(0, n);
  if (idx.length < n) throw new Error(`only ${idx.length} valid invoices in ${n * 4} generated`);
  return {
    records: idx.map((i) => events.records[i]!),
    messages: idx.map((i) => ({ key: events.keys[i]!, value: events.values[i]! })),
  };
};

describe.each(ADAPTERS)('runner guarantees on the real broker (%s)', (adapter) => {
  it('a credentials halt: paused member, no further IRP call, what completed committed; a restart replays nothing answered', async () => {
    const topics = await pipelineTopics(`halt-${adapter}`, 2);
    const events = onlyCreated(24, adapter === 'kafkajs' ? 31 : 32);
    const { config, env, dir } = await sourceConfig(h, topics, sellerGstins(events.records), {
      adapter,
      maxInFlight: 1,
    });
    // Commits only by the interval would leave everything to the halt's own commit.
    config.pipeline = { ...config.pipeline, commitIntervalMs: 600_000 };
    await produce(topics.input, events.messages);

    const collected = await outputCollector(topics);
    // Paced (one at a time, 300 ms each), so the halt comes while records are still waiting: unpaced, all
    // 24 were answered before the fault below was in place, and no halt came.
    await h.admin('POST', 'faults/rules', {
      name: `pace-${adapter}`,
      scope: { apis: ['generate-irn'] },
      latency: { fixedMs: 300 },
    });
    const before = await apiStats('generate-irn');
    const first = await start(config, dir, env);
    await waitFor(
      '8 registrations',
      async () => (await apiStats('generate-irn')).succeeded >= before.succeeded + 8,
      standing(first),
    );
    await h.admin('DELETE', 'faults');
    await h.admin('POST', 'faults/rules', {
      name: `halt-${adapter}`,
      scope: { apis: ['generate-irn'] },
      failure: { kind: 'envelope-error', code: '1017' },
    });
    await waitFor('the halt', () => first.runtime.runner.status().halted !== undefined, standing(first));
    expect(first.runtime.runner.status().halted!.code).toBe('1017');
    await new Promise((r) => setTimeout(r, 1500));
    // Still in the group (no rebalance, no replay elsewhere), and quiet towards the IRP.
    expect(first.runtime.source.state().phase).toBe('member');
    const requests = (await apiStats('generate-irn')).requests;
    await new Promise((r) => setTimeout(r, 1500));
    expect((await apiStats('generate-irn')).requests).toBe(requests);
    const answeredBefore = await collected.until(1, 30_000, 1000);
    await first.stop();
    await h.admin('DELETE', 'faults');

    const second = await start(config, dir, env);
    await outputsOf(collected, events.messages.length, second, 90_000);
    await second.stop();
    const outputs = await collected.until(events.messages.length, 30_000, 1000);
    await collected.close();

    // Every input answered exactly once: nothing answered before the halt came back after the restart.
    const perInput = new Map<string, number>();
    for (const o of outputs) perInput.set(inputOffsetOf(o), (perInput.get(inputOffsetOf(o)) ?? 0) + 1);
    expect(perInput.size).toBe(events.messages.length);
    expect([...perInput.values()].every((n) => n === 1)).toBe(true);
    expect(outputs.filter((o) => o.json?.recovered === true)).toEqual([]);
    expect(answeredBefore.length).toBeGreaterThanOrEqual(8);
  });

  it('one slow IRP call holds neither the records fetched after it nor the other partitions', async () => {
    const topics = await pipelineTopics(`slow-${adapter}`, 3);
    const events = onlyCreated(15, adapter === 'kafkajs' ? 41 : 42);
    const { config, env, dir } = await sourceConfig(h, topics, sellerGstins(events.records), { adapter });
    // The first Generate IRN takes 4 s (under the client's 5 s timeout: one slow answer, not a retry).
    await h.admin('POST', 'faults/rules', {
      name: `slow-${adapter}`,
      scope: { apis: ['generate-irn'] },
      latency: { fixedMs: 4000 },
      maxHits: 1,
    });
    const collected = await outputCollector(topics);
    const before = await apiStats('generate-irn');
    const running = await start(config, dir, env);
    await produce(topics.input, events.messages.slice(0, 3));
    await waitFor(
      'the first Generate IRN',
      async () => (await apiStats('generate-irn')).requests > before.requests,
      standing(running),
    );
    // Fetched while the slow call is still out.
    await produce(topics.input, events.messages.slice(3));
    const outputs = await outputsOf(collected, 15, running, 90_000);
    await collected.close();
    await running.stop();
    await h.admin('DELETE', 'faults');
    // Every record answered (a result, or the IRP's rejection); the slow one is one of the first three,
    // and every record produced after it was answered before it (processedAt: when its answer came).
    expect(outputs).toHaveLength(15);
    const at = (o: (typeof outputs)[number]) => Date.parse(String(o.json!.processedAt));
    const firstKeys = new Set(events.messages.slice(0, 3).map((m) => m.key));
    const slowest = outputs.reduce((a, b) => (at(b) > at(a) ? b : a));
    expect(firstKeys.has(slowest.key!)).toBe(true);
    const later = outputs.filter((o) => !firstKeys.has(o.key!));
    expect(later).toHaveLength(12);
    expect(later.filter((o) => at(o) < at(slowest))).toHaveLength(12);
  });

  it('a cancel that overtakes its generate is held, then cancels; a 5002-only record ends RETRY_EXHAUSTED', async () => {
    const topics = await pipelineTopics(`pending-${adapter}`, 2);
    const events = onlyCreated(3, adapter === 'kafkajs' ? 51 : 52);
    const { config, env, dir } = await sourceConfig(h, topics, sellerGstins(events.records), { adapter });
    config.pipeline = {
      ...config.pipeline,
      pendingDocumentWindowMs: 60_000,
      recordRetry: { attempts: 2, maxMs: 60_000 },
    };
    const cancelOf = (i: number) => {
      const r = decode(SAP_SCHEMA, events.messages[i]!.value) as BillingDocumentEvent;
      return {
        key: events.messages[i]!.key,
        value: encode(SAP_SCHEMA, {
          ...r,
          EVENT: 'CANCELED',
          EVENT_ID: `${r.EVENT_ID}-cancel`,
          IRN: null,
          CANCEL: { REASON: '1', REMARK: 'duplicate entry' },
        }),
      };
    };
    const lookups = async () =>
      (await apiStats('get-irn-by-doc')).requests + (await apiStats('cancel-irn')).requests;
    const lookupsBefore = await lookups();
    const cancelsBefore = (await apiStats('cancel-irn')).succeeded;
    const collected = await outputCollector(topics);
    const running = await start(config, dir, env);
    // The cancel of document 0 first; its generate only once the IRP has said it does not know it.
    await produce(topics.input, [cancelOf(0)]);
    await waitFor(
      'the cancel’s first lookup',
      async () => (await lookups()) > lookupsBefore,
      standing(running),
    );
    await new Promise((r) => setTimeout(r, 500));
    await produce(topics.input, [events.messages[0]!, events.messages[1]!]);
    // Document 1's cancel meets an IRP that answers 5002 to every cancel (generates still succeed).
    await waitFor(
      'the held cancel to succeed',
      async () => (await apiStats('cancel-irn')).succeeded > cancelsBefore,
      standing(running),
    );
    await h.admin('POST', 'faults/rules', {
      name: `cancel-5002-${adapter}`,
      scope: { apis: ['cancel-irn'] },
      failure: { kind: 'envelope-5002' },
    });
    await produce(topics.input, [cancelOf(1), events.messages[2]!]);
    const outputs = await outputsOf(collected, 5, running, 120_000);
    await collected.close();
    await running.stop();
    await h.admin('DELETE', 'faults');
    const byKind = (kind: string, key: string) =>
      outputs.filter((o) => o.json?.kind === kind && o.key === key);
    const [held] = byKind('cancel', events.messages[0]!.key).filter((o) => o.topic === topics.results);
    expect(held).toBeDefined();
    const [exhausted] = byKind('cancel', events.messages[1]!.key);
    expect(exhausted!.topic).toBe(topics.errors);
    expect(exhausted!.json!.family).toBe('exhausted');
    const codes = (exhausted!.json!.errors as { code: string }[]).map((e) => e.code);
    expect(codes[0]).toBe('RETRY_EXHAUSTED');
    expect(codes.slice(1)).toEqual(['5002', '5002']);
    expect(outputs.filter((o) => o.topic === topics.results && o.json?.kind === 'generate')).toHaveLength(3);
  });

  it('a result larger than its topic accepts: a dead letter with the input bytes, committed, the IRP asked once', async () => {
    const topics = await pipelineTopics(`big-${adapter}`, 1);
    // A result carries the signed invoice and QR (kilobytes): refuse anything over 1,000 bytes.
    const admin = kafkaClient().admin();
    await admin.connect();
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: topics.results,
          configEntries: [{ name: 'max.message.bytes', value: '1000' }],
        },
      ],
    });
    await admin.disconnect();
    const events = onlyCreated(2, adapter === 'kafkajs' ? 71 : 72);
    const { config, env, dir } = await sourceConfig(h, topics, sellerGstins(events.records), { adapter });
    const before = await apiStats('generate-irn');
    await produce(topics.input, events.messages);
    const collected = await outputCollector(topics);
    const first = await start(config, dir, env);
    const outputs = await outputsOf(collected, 2, first, 90_000);
    await collected.close();
    await first.stop();
    expect(outputs.map((o) => o.topic)).toEqual([topics.deadLetter, topics.deadLetter]);
    for (const o of outputs) {
      expect(o.headers['irp-bridge.errors.code']).toBe('PUBLISH_TOO_LARGE');
      expect(o.headers['irp-bridge.errors.stage']).toBe('publish');
      const input = events.messages[Number(o.headers['irp-bridge.errors.offset'])]!;
      expect(o.value.equals(input.value)).toBe(true);
    }
    expect((await apiStats('generate-irn')).requests - before.requests).toBe(2);
    // Committed: a restart takes nothing again.
    const again = await start(config, dir, env);
    await new Promise((r) => setTimeout(r, 3000));
    await again.stop();
    expect((await apiStats('generate-irn')).requests - before.requests).toBe(2);
  });
});
