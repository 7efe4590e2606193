/**
 * `irp-bridge topics`, `produce` and `consume` as a user runs them (subprocesses), on the real broker and
 * a real schema registry: the Confluent wire format with the connector's schema registered, raw Avro from
 * the generator, and the refusal to write to a topic that does not exist.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectors } from '../../../connectors/registry.js';
import { AvroEventDecoder } from '../../../src/adapters/avro/avro-decoder.js';
import { SchemaRegistryClient } from '../../../src/adapters/avro/schema-registry-client.js';
import { runCli } from '../../support/cli.js';
import { kafkaBrokers, uniqueTopic } from '../../support/kafka.js';
import {
  schemaRegistryForFile,
  stopSchemaRegistryForFile,
  type SchemaRegistry,
} from '../../support/schema-registry.js';

let registry: SchemaRegistry;
const dir = mkdtempSync(join(tmpdir(), 'irp-produce-'));
const brokersBefore = process.env.IRP_BRIDGE_BROKERS;

beforeAll(async () => {
  registry = await schemaRegistryForFile();
  process.env.IRP_BRIDGE_BROKERS = kafkaBrokers(); // what the subprocesses connect to
}, 180_000);
afterAll(async () => {
  if (brokersBefore === undefined) delete process.env.IRP_BRIDGE_BROKERS;
  else process.env.IRP_BRIDGE_BROKERS = brokersBefore;
  await stopSchemaRegistryForFile();
});

/** The records on a topic, as `consume` prints them (JSON lines). */
function consume(args: string[]) {
  const r = runCli(['consume', ...args, '--idle-ms', '3000']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { key: string | null; value: { base64: string } });
}

describe('irp-bridge topics, produce, consume', () => {
  it('publishes the samples in the Confluent wire format with the schema registered, keyed by document', async () => {
    const input = uniqueTopic('produce-erpnext');
    const file = join(dir, 'erpnext.yaml');
    writeFileSync(
      file,
      [
        'id: produce-test',
        'connector: erpnext',
        `kafka: { brokers: ["127.0.0.1:1"], groupId: g, inputTopics: [${input}] }`,
        `topics: { results: ${input}-r, errors: ${input}-e, deadLetter: ${input}-d }`,
        `avro: { registry: { url: "${registry.url}" } }`,
        'irp: { baseUrl: "http://127.0.0.1:8080", credentials: [{ gstin: 30NDDCF9575L7ZL, file: creds.json }] }',
      ].join('\n'),
    );
    const topics = runCli(['topics', '--config', file, '--partitions', '2']);
    expect(topics.code, topics.stderr).toBe(0);
    expect(topics.stdout.split('\n').filter((l) => l.startsWith('created'))).toHaveLength(4);
    expect(runCli(['topics', '--config', file]).stdout).toMatch(new RegExp(`^exists +${input}$`, 'm'));

    const produced = runCli(['produce', '--config', file, '--register']);
    expect(produced.code, produced.stderr).toBe(0);
    const id = Number(/Confluent wire format, schema id (\d+)/.exec(produced.stdout)?.[1]);
    expect(produced.stdout).toMatch(new RegExp(`^produced 25 sample erpnext events .* to ${input} `, 'm'));

    const client = new SchemaRegistryClient({ url: registry.url });
    const decoder = new AvroEventDecoder({
      readerSchema: connectors.erpnext.avroSchema,
      wireFormat: 'confluent',
      registry: client,
    });
    const records = consume(['--topic', input]);
    expect(records).toHaveLength(25);
    for (const r of records) {
      const bytes = Buffer.from(r.value.base64, 'base64');
      expect(bytes[0]).toBe(0);
      expect(bytes.readUInt32BE(1)).toBe(id);
      const decoded = await decoder.decode(bytes);
      expect(decoded.ok).toBe(true);
      const mapped = decoded.ok ? connectors.erpnext.map(decoded.record) : undefined;
      if (mapped?.ok) expect(r.key).toBe(mapped.event.docKey);
    }
    await client.close();
  }, 120_000);

  it('publishes generated events as raw Avro, and refuses a topic that does not exist', async () => {
    const missing = uniqueTopic('produce-missing');
    const refused = runCli(['produce', '--connector', 'tally', '--topic', missing, '--generate', '3']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`topic ${missing} does not exist .*irp-bridge topics`));

    const file = join(dir, 'tally.yaml');
    const input = uniqueTopic('produce-tally');
    writeFileSync(
      file,
      [
        'id: produce-tally',
        'connector: tally',
        `kafka: { brokers: ["127.0.0.1:1"], groupId: g, inputTopics: [${input}] }`,
        `topics: { results: ${input}-r, errors: ${input}-e, deadLetter: ${input}-d }`,
        'irp: { baseUrl: "http://127.0.0.1:8080", credentials: [{ gstin: 30NDDCF9575L7ZL, file: creds.json }] }',
      ].join('\n'),
    );
    expect(runCli(['topics', '--config', file]).code).toBe(0);
    const produced = runCli(['produce', '--config', file, '--generate', '7', '--seed', '3']);
    expect(produced.code, produced.stderr).toBe(0);
    expect(produced.stdout).toMatch(/^produced 7 generated tally events \(seed 3\) .*\(raw Avro\)$/m);
    const decoder = new AvroEventDecoder({ readerSchema: connectors.tally.avroSchema, wireFormat: 'raw' });
    const records = consume(['--topic', input, '--max', '7']);
    expect(records).toHaveLength(7);
    for (const r of records)
      expect((await decoder.decode(Buffer.from(r.value.base64, 'base64'))).ok).toBe(true);
  }, 120_000);
});
