/**
 * The Avro adapter against real things: schemas registered in a real schema registry (Apicurio, over
 * its Confluent-compatible API), Confluent-framed records produced to the real Kafka broker, consumed
 * back and decoded by the decoder the pipeline uses — the good records into the connector's schema,
 * the bad ones into the failure codes the dead-letter route expects.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import avro from 'avsc';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sapConnector } from '../../../connectors/sap/index.js';
import type { AvroSchema } from '../../../connectors/types.js';
import { AvroEventDecoder } from '../../../src/adapters/avro/avro-decoder.js';
import {
  SchemaRegistryClient,
  SchemaRegistryError,
} from '../../../src/adapters/avro/schema-registry-client.js';
import { confluentHeader, encodeConfluent } from '../../../src/adapters/avro/wire-format.js';
import { createTopic, kafkaClient, uniqueGroupId, uniqueTopic } from '../../support/kafka.js';
import {
  schemaRegistryForFile,
  stopSchemaRegistryForFile,
  type SchemaRegistry,
} from '../../support/schema-registry.js';
import {
  AMOUNT,
  DAY,
  INVOICE_V1,
  INVOICE_V2,
  INVOICE_V3,
  plain,
  recordV1,
  recordV2,
  v1,
  v2,
  v3,
} from '../../unit/adapters/avro/schemas.js';

let registry: SchemaRegistry;
let client: SchemaRegistryClient;
let kafka: Kafka;

beforeAll(async () => {
  registry = await schemaRegistryForFile();
  client = new SchemaRegistryClient({ url: registry.url });
  kafka = kafkaClient();
});

afterAll(async () => {
  await client?.close();
  await stopSchemaRegistryForFile();
});

/** Produces `values` (keyed) to a fresh one-partition topic and reads them back in order. */
async function roundTrip(
  prefix: string,
  values: { key: string; value: Buffer }[],
): Promise<{ key: string; value: Buffer }[]> {
  const topic = await createTopic(uniqueTopic(prefix), 1);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: values });
  } finally {
    await producer.disconnect();
  }
  const received: { key: string; value: Buffer }[] = [];
  const consumer = kafka.consumer({
    groupId: uniqueGroupId(prefix),
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    maxWaitTimeInMs: 500,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done!: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push({ key: message.key?.toString() ?? '', value: message.value ?? Buffer.alloc(0) });
        if (received.length === values.length) done();
      },
    });
    await Promise.race([
      all,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`received ${received.length} of ${values.length}`)), 60_000),
      ),
    ]);
  } finally {
    await consumer.disconnect();
  }
  return received;
}

describe('Avro over Kafka with a real schema registry', () => {
  it('decodes v1 and v2 records into the v1 reader and reports each kind of bad record', async () => {
    const subject = `${uniqueTopic('invoices')}-value`;
    const idV1 = await client.register(subject, INVOICE_V1);
    const idV2 = await client.register(subject, INVOICE_V2);
    expect(idV2).not.toBe(idV1);
    // Registering the same schema again is idempotent.
    expect(await client.register(subject, INVOICE_V1)).toBe(idV1);
    const idV3 = await client.register(`${subject}-incompatible`, INVOICE_V3);

    const unknownId = 900_000 + Math.floor(Math.random() * 90_000);
    const goodV1 = encodeConfluent(v1, idV1, recordV1);
    const received = await roundTrip('avro-decode', [
      { key: 'v1', value: goodV1 },
      { key: 'v2', value: encodeConfluent(v2, idV2, recordV2) },
      { key: 'garbage', value: Buffer.from('{"id":"INV-9","note":"plain JSON on an Avro topic"}') },
      { key: 'short', value: Buffer.from([0, 0, 1]) },
      { key: 'unknown-id', value: encodeConfluent(v1, unknownId, recordV1) },
      { key: 'incompatible', value: encodeConfluent(v3, idV3, { kind: 'CREATED', amount: AMOUNT }) },
      { key: 'truncated', value: goodV1.subarray(0, goodV1.length - 2) },
    ]);

    // A fresh client: every schema comes from the registry over HTTP, not from register()'s cache.
    const reader = new SchemaRegistryClient({ url: registry.url });
    try {
      const decoder = new AvroEventDecoder({
        readerSchema: INVOICE_V1,
        wireFormat: 'confluent',
        registry: reader,
      });
      const outcomes = Object.fromEntries(
        await Promise.all(
          received.map(async ({ key, value }) => [key, await decoder.decode(value)] as const),
        ),
      );

      expect(outcomes.v1).toMatchObject({ ok: true, schemaId: idV1 });
      if (outcomes.v1?.ok) expect(plain(outcomes.v1.record)).toEqual(plain(recordV1));
      expect(outcomes.v2).toMatchObject({ ok: true, schemaId: idV2 });
      if (outcomes.v2?.ok)
        expect(plain(outcomes.v2.record)).toEqual(
          plain({ id: 'INV-2', kind: 'CANCELED', amount: AMOUNT, qty: 7, day: DAY, note: null }),
        );

      expect(outcomes.garbage).toMatchObject({
        ok: false,
        failure: { family: 'undecodable', stage: 'decode', code: 'AVRO_WIRE_FORMAT' },
      });
      expect(outcomes.short).toMatchObject({ ok: false, failure: { code: 'AVRO_WIRE_FORMAT' } });
      expect(outcomes['unknown-id']).toMatchObject({
        ok: false,
        failure: { family: 'undecodable', code: 'AVRO_SCHEMA_UNKNOWN' },
      });
      if (!outcomes['unknown-id']?.ok)
        expect(outcomes['unknown-id']?.failure.message).toContain(String(unknownId));
      expect(outcomes.incompatible).toMatchObject({
        ok: false,
        failure: { family: 'undecodable', code: 'AVRO_SCHEMA_INCOMPATIBLE' },
      });
      expect(outcomes.truncated).toMatchObject({ ok: false, failure: { code: 'AVRO_DECODE' } });
    } finally {
      await reader.close();
    }
  });

  it('takes SAP billing documents from Kafka through the registry into the SAP connector', async () => {
    const dir = join(import.meta.dirname, '../../../connectors/sap/fixtures/generated');
    const subject = `${uniqueTopic('sap-billing')}-value`;
    const id = await client.register(subject, sapConnector.avroSchema);
    const sapType = avro.Type.forSchema(sapConnector.avroSchema as avro.Schema);
    const cases = readdirSync(dir)
      .filter((f) => f.endsWith('.avro-bin'))
      .slice(0, 8)
      .map((f) => ({ key: f.replace('.avro-bin', ''), body: readFileSync(join(dir, f)) }));
    expect(cases.length).toBeGreaterThan(0);

    const received = await roundTrip(
      'avro-sap',
      cases.map((c) => ({ key: c.key, value: Buffer.concat([confluentHeader(id), c.body]) })),
    );
    const reader = new SchemaRegistryClient({ url: registry.url });
    try {
      const decoder = new AvroEventDecoder({
        readerSchema: sapConnector.avroSchema,
        wireFormat: 'confluent',
        registry: reader,
      });
      for (const { key, value } of received) {
        const decoded = await decoder.decode(value);
        expect(decoded, key).toMatchObject({ ok: true, schemaId: id });
        if (!decoded.ok) continue;
        const original = cases.find((c) => c.key === key)!;
        expect(plain(decoded.record), key).toEqual(plain(sapType.fromBuffer(original.body)));
        // The connector maps what the decoder produced (its own result, ok or mapping errors, not a throw).
        expect(() => sapConnector.map(decoded.record), key).not.toThrow();
      }
    } finally {
      await reader.close();
    }
  });

  it('resolves schema references registered as other subjects', async () => {
    const base = uniqueTopic('refs');
    const kind = { type: 'enum', name: 'Kind', namespace: 'test.erp', symbols: ['CREATED', 'CANCELED'] };
    const kindVersionId = await client.register(`${base}-kind`, kind);
    expect(kindVersionId).toBeGreaterThan(0);
    const withRef = {
      ...INVOICE_V1,
      fields: (INVOICE_V1.fields as { name: string }[]).map((f) =>
        f.name === 'kind' ? { name: 'kind', type: 'test.erp.Kind' } : f,
      ),
    } as AvroSchema;
    const id = await client.register(`${base}-value`, withRef, {
      references: [{ name: 'test.erp.Kind', subject: `${base}-kind`, version: 1 }],
    });

    const reader = new SchemaRegistryClient({ url: registry.url });
    try {
      const decoder = new AvroEventDecoder({
        readerSchema: INVOICE_V1,
        wireFormat: 'confluent',
        registry: reader,
      });
      const decoded = await decoder.decode(encodeConfluent(v1, id, recordV1));
      expect(decoded).toMatchObject({ ok: true, schemaId: id });
      if (decoded.ok) expect(plain(decoded.record)).toEqual(plain(recordV1));
    } finally {
      await reader.close();
    }
  });

  it('surfaces the registry’s refusal of an incompatible version', async () => {
    const subject = `${uniqueTopic('compat')}-value`;
    await client.register(subject, INVOICE_V1);
    const res = await fetch(`${registry.url}/config/${encodeURIComponent(subject)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ compatibility: 'BACKWARD' }),
    });
    expect(res.ok).toBe(true);
    // A new required field without a default: a reader on it could not read v1 data, so BACKWARD refuses.
    const withRequired = {
      ...INVOICE_V1,
      fields: [...(INVOICE_V1.fields as object[]), { name: 'currency', type: 'string' }],
    };
    const error = await client.register(subject, withRequired).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaRegistryError);
    expect((error as SchemaRegistryError).status).toBe(409);
  });

  it('is transient, not the record’s fault, when the registry cannot be reached', async () => {
    // A port that was just free: nothing listens there, so the connection is refused for real.
    const { createServer } = await import('node:net');
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const down = new SchemaRegistryClient({
      url: `http://127.0.0.1:${port}/apis/ccompat/v7`,
      retries: 2,
      retryDelayMs: 20,
      timeoutMs: 1000,
    });
    try {
      const decoder = new AvroEventDecoder({
        readerSchema: INVOICE_V1,
        wireFormat: 'confluent',
        registry: down,
      });
      const decoded = await decoder.decode(encodeConfluent(v1, 1, recordV1));
      expect(decoded).toMatchObject({
        ok: false,
        failure: { family: 'transient', code: 'SCHEMA_REGISTRY_UNAVAILABLE', retriable: true },
      });
    } finally {
      await down.close();
    }
  });

  it('tells a wrong base URL (the server’s root, not its registry API) from an unknown schema', async () => {
    const wrong = new SchemaRegistryClient({ url: `${registry.origin}/not-the-api`, retries: 0 });
    try {
      const decoder = new AvroEventDecoder({
        readerSchema: INVOICE_V1,
        wireFormat: 'confluent',
        registry: wrong,
      });
      const decoded = await decoder.decode(encodeConfluent(v1, 1, recordV1));
      expect(decoded).toMatchObject({
        ok: false,
        failure: { family: 'transient', code: 'SCHEMA_REGISTRY_UNAVAILABLE' },
      });
    } finally {
      await wrong.close();
    }
  });
});
