/**
 * Issue 15: a record that declares a huge array count or string length used to take the connector down
 * (avsc allocated and looped until out of memory, the offset was never committed, and every consumer of
 * the group died on it in turn). On the real broker, for each adapter: such records become dead letters
 * with AVRO_LIMIT and their raw bytes, and the group keeps consuming the records after them.
 */
import avro from 'avsc';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { KafkaAdapterName } from '../../../src/adapters/kafka/index.js';
import { wireKafkaSource } from '../../../src/cli/wiring.js';
import { createPipelineMetrics } from '../../../src/ops/metrics.js';
import {
  SAP_SCHEMA,
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
import { varint } from '../../support/avro-bytes.js';

const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
const ADAPTERS: KafkaAdapterName[] = inject('kafkaAdapters');
let h: SandboxHarness;

beforeAll(async () => {
  h = await startSandbox();
});
afterAll(async () => {
  await h.close();
});

/** The Avro bytes of the SAP record's fields before PARTNERS (an array), then a declared count. */
function hostileArray(record: Record<string, unknown>, count: number): Buffer {
  const schema = SAP_SCHEMA as { fields: { name: string }[] };
  const upTo = schema.fields.findIndex((f) => f.name === 'PARTNERS');
  const prefix = avro.Type.forSchema({
    ...(SAP_SCHEMA as object),
    fields: schema.fields.slice(0, upTo),
  } as avro.Schema);
  const head = prefix.toBuffer(
    Object.fromEntries(schema.fields.slice(0, upTo).map((f) => [f.name, record[f.name]])),
  );
  return Buffer.concat([head, varint(count), varint(0), varint(0), varint(0), varint(0)]);
}

describe.each(ADAPTERS)('hostile Avro on the real broker (%s)', (adapter) => {
  it('huge declared counts and lengths are dead letters; the group keeps consuming', async () => {
    const topics = await pipelineTopics(`hostile-${adapter}`, 1);
    const events = sapEvents(12, adapter === 'kafkajs' ? 31 : 32);
    const { config, env, dir } = await sourceConfig(h, topics, sellerGstins(events.records), { adapter });
    const good = events.values.map((value, i) => ({ key: events.keys[i]!, value }));
    const hostile = [
      { key: 'hostile-array', value: hostileArray(events.records[0]!, 1e9) },
      // EVENT (enum index 0), then EVENT_ID declaring 2^40 bytes.
      { key: 'hostile-string', value: Buffer.concat([varint(0), varint(2 ** 40), Buffer.from('x')]) },
    ];
    // One partition: the hostile records sit between good ones, so the later ones prove the group moved on.
    await produce(topics.input, [...good.slice(0, 6), ...hostile, ...good.slice(6)]);
    const total = good.length + hostile.length;

    const metrics = createPipelineMetrics(undefined, false);
    const runtime = await wireKafkaSource(config, dir, metrics, log, env);
    const running = runtime.runner.run();
    let outputs = await readOutputs(topics, 0, 1, 0);
    const started = Date.now();
    while (outputs.length < total && Date.now() - started < 90_000)
      outputs = await readOutputs(topics, total, 5_000, 300);
    await runtime.runner.stop();
    await running;
    await runtime.close();

    const byInput = new Map<string, number>();
    for (const o of outputs) byInput.set(inputOffsetOf(o), (byInput.get(inputOffsetOf(o)) ?? 0) + 1);
    expect(byInput.size).toBe(total);
    const dead = outputs.filter((o) => o.topic === topics.deadLetter);
    expect(dead.map((d) => d.headers['irp-bridge.errors.code']).sort()).toEqual(['AVRO_LIMIT', 'AVRO_LIMIT']);
    expect(dead.map((d) => d.value.toString('hex')).sort()).toEqual(
      hostile.map((m) => m.value.toString('hex')).sort(),
    );
    const reasons = dead.map((d) => d.headers['irp-bridge.errors.message'] ?? '').join('\n');
    expect(reasons).toContain('PARTNERS: an array of 1000000000 exceeds avro.limits.maxArrayItems');
    expect(reasons).toContain(
      'EVENT_ID: a string of length 1099511627776 exceeds avro.limits.maxStringBytes',
    );
    // The records after the hostile ones were consumed and answered too.
    const lastGood = Math.max(
      ...outputs.filter((o) => o.json).map((o) => Number((o.json!.source as { offset: string }).offset)),
    );
    expect(lastGood).toBe(total - 1);
  }, 150_000);
});
