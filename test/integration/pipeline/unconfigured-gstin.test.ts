/**
 * Issue 14, item 10, on the real broker with the sandbox as the IRP: a seller GSTIN missing from
 * `irp.credentials` is a problem of that seller's records — each one ends on the errors topic with a
 * code and the GSTIN — and never halts the source (which, with the offsets uncommitted, would halt
 * again on every restart).
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { KafkaAdapterName } from '../../../src/adapters/kafka/index.js';
import { wireKafkaSource } from '../../../src/cli/wiring.js';
import { connectors } from '../../../connectors/registry.js';
import { supplierGstin } from '../../../connectors/types.js';
import { createPipelineMetrics } from '../../../src/ops/metrics.js';
import {
  inputOffsetOf,
  pipelineTopics,
  produce,
  readOutputs,
  sapEvents,
  sellerGstins,
  sourceConfig,
  startSandbox,
  type SandboxHarness,
} from '../../support/pipeline-harness.js';
import { kafkaClient } from '../../support/kafka.js';

const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
let h: SandboxHarness;

beforeAll(async () => {
  h = await startSandbox();
});
afterAll(async () => {
  await h.close();
});

const adapter: KafkaAdapterName = inject('kafkaAdapters')[0]!;

describe(`a seller GSTIN without IRP credentials (${adapter})`, () => {
  it('its records go to the errors topic with GSTIN_NOT_CONFIGURED and the GSTIN; the rest flows', async () => {
    const topics = await pipelineTopics('unconfigured', 2);
    const events = sapEvents(30, 31);
    const sellers = sellerGstins(events.records);
    expect(sellers.length).toBeGreaterThan(1);
    const missing = sellers[1]!;
    const { config, env, dir } = await sourceConfig(
      h,
      topics,
      sellers.filter((s) => s !== missing),
      { adapter },
    );
    const ofMissing = new Set(
      events.records.flatMap((r, i) => {
        const m = connectors.sap.map(r);
        return m.ok && supplierGstin(m.event) === missing ? [events.keys[i]!] : [];
      }),
    );
    expect(ofMissing.size).toBeGreaterThan(0);
    await produce(
      topics.input,
      events.values.map((value, i) => ({ key: events.keys[i]!, value })),
    );

    const metrics = createPipelineMetrics(undefined, false);
    const runtime = await wireKafkaSource(config, dir, metrics, log, env);
    const running = runtime.runner.run();
    const outputs = await readOutputs(topics, events.values.length, 60_000, 1_000);
    const statusBeforeStop = runtime.runner.status();
    await runtime.runner.stop();
    const status = await running;
    await runtime.close();

    expect(statusBeforeStop.halted).toBeUndefined();
    expect(status.halted).toBeUndefined();
    const byInput = new Set(outputs.map(inputOffsetOf));
    expect(byInput.size).toBe(events.values.length);
    expect(outputs).toHaveLength(events.values.length);

    const unconfigured = outputs.filter((o) => o.key !== null && ofMissing.has(o.key));
    expect(unconfigured.length).toBe(events.keys.filter((k) => ofMissing.has(k)).length);
    for (const o of unconfigured) {
      expect(o.topic).toBe(topics.errors);
      expect(o.headers['irp-bridge.errors.code']).toBe('GSTIN_NOT_CONFIGURED');
      expect(o.json).toMatchObject({
        stage: 'submit',
        family: 'configuration',
        errors: [
          { code: 'GSTIN_NOT_CONFIGURED', detail: missing, message: expect.stringContaining(missing) },
        ],
      });
    }
    const others = outputs.filter((o) => o.key === null || !ofMissing.has(o.key));
    expect(others.filter((o) => o.topic === topics.results).length).toBeGreaterThan(0);

    // Every offset is committed, so a restart has nothing to take again (and nothing to halt on).
    const kafkaAdmin = kafkaClient().admin();
    await kafkaAdmin.connect();
    try {
      const ends = await kafkaAdmin.fetchTopicOffsets(topics.input);
      const [committed] = await kafkaAdmin.fetchOffsets({
        groupId: config.kafka.groupId,
        topics: [topics.input],
      });
      expect(
        committed!.partitions.map((p) => [p.partition, p.offset]).sort((a, b) => Number(a[0]) - Number(b[0])),
      ).toEqual(ends.map((p) => [p.partition, p.high]).sort((a, b) => Number(a[0]) - Number(b[0])));
    } finally {
      await kafkaAdmin.disconnect();
    }
  });
});
