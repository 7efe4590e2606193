/**
 * The pipeline with the Confluent wire format through a real schema registry (Apicurio, Confluent API):
 * producers write with an evolved schema (a v2 with an extra field), the source resolves each record's
 * writer schema by id and reads it with the connector's v1 schema; a record naming an unknown schema id
 * and one without the magic byte go to the dead-letter topic with their codes.
 */
import avro from 'avsc';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaRegistryClient } from '../../../src/adapters/avro/schema-registry-client.js';
import { encodeConfluent } from '../../../src/adapters/avro/wire-format.js';
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
  type OutputMessage,
  type SandboxHarness,
} from '../../support/pipeline-harness.js';
import {
  schemaRegistryForFile,
  stopSchemaRegistryForFile,
  type SchemaRegistry,
} from '../../support/schema-registry.js';

const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
let h: SandboxHarness;
let registry: SchemaRegistry;

beforeAll(async () => {
  [h, registry] = await Promise.all([startSandbox(), schemaRegistryForFile()]);
});
afterAll(async () => {
  await h.close();
  await stopSchemaRegistryForFile();
});

/** The SAP schema as a newer producer writes it: one more header field, with a default. */
function evolvedSapSchema(): Record<string, unknown> {
  const v2 = structuredClone(SAP_SCHEMA) as { fields: Record<string, unknown>[] };
  v2.fields.push({ name: 'SOURCE_SYSTEM', type: 'string', default: 'S4H' });
  return v2;
}

describe('pipeline with the Confluent wire format and a schema registry', () => {
  it('resolves writer schemas by id to the connector schema; bad frames are dead letters', async () => {
    const topics = await pipelineTopics('registry', 2);
    const events = sapEvents(20, 61);
    const client = new SchemaRegistryClient({ url: registry.url });
    const v2 = evolvedSapSchema();
    const id = await client.register(`${topics.input}-value`, v2);
    const writer = avro.Type.forSchema(v2 as avro.Schema);
    const reader = avro.Type.forSchema(SAP_SCHEMA as avro.Schema);
    const messages = events.values.map((value, i) => ({
      key: events.keys[i]!,
      value: encodeConfluent(writer, id, {
        ...(reader.fromBuffer(value) as object),
        SOURCE_SYSTEM: 'PRD-100',
      }),
    }));
    messages.push({
      key: 'unknown-id',
      value: Buffer.concat([Buffer.from([0, 0x7f, 0xff, 0xff, 0x00]), events.values[0]!]),
    });
    messages.push({ key: 'no-magic', value: Buffer.from('plain text, not a Confluent frame') });
    await produce(topics.input, messages);
    await client.close();

    const { config, env, dir } = await sourceConfig(h, topics, sellerGstins(events.records));
    config.avro = { wireFormat: 'confluent', registry: { url: registry.url } };
    const runtime = await wireKafkaSource(config, dir, createPipelineMetrics(undefined, false), log, env);
    const done = runtime.runner.run();
    let outputs: OutputMessage[] = [];
    const started = Date.now();
    while (outputs.length < 22 && Date.now() - started < 90_000)
      outputs = await readOutputs(topics, 22, 5_000, 300);
    await runtime.runner.stop();
    await done;
    await runtime.close();

    expect(new Set(outputs.map(inputOffsetOf)).size).toBe(22);
    const dead = outputs.filter((o) => o.topic === topics.deadLetter);
    expect(dead.map((d) => d.headers['irp-bridge.errors.code']).sort()).toEqual([
      'AVRO_SCHEMA_UNKNOWN',
      'AVRO_WIRE_FORMAT',
    ]);
    const results = outputs.filter((o) => o.topic === topics.results);
    expect(results.length).toBeGreaterThan(10);
    expect(results.every((r) => r.json!.source !== undefined)).toBe(true);
  });
});
