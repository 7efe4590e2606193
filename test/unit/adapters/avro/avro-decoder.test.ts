import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { sapConnector } from '../../../../connectors/sap/index.js';
import { AvroEventDecoder } from '../../../../src/adapters/avro/avro-decoder.js';
import type {
  RegisteredSchema,
  SchemaLookup,
  SchemaSource,
} from '../../../../src/adapters/avro/schema-registry-client.js';
import { encodeConfluent } from '../../../../src/adapters/avro/wire-format.js';
import type { AvroSchema } from '../../../../connectors/types.js';
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
} from './schemas.js';

/** A registry held in memory, counting lookups: the port the decoder uses, without HTTP. */
class MemorySchemaSource implements SchemaSource {
  readonly calls: number[] = [];
  readonly subjectCalls: string[] = [];
  answer: 'normal' | 'unavailable' | 'unauthorized' = 'normal';
  constructor(
    private readonly byId: Map<number, Omit<RegisteredSchema, 'id'>>,
    private readonly bySubject = new Map<string, Omit<RegisteredSchema, 'id'>>(),
  ) {}

  async getSchemaById(id: number): Promise<SchemaLookup> {
    this.calls.push(id);
    await new Promise((r) => setTimeout(r, 5));
    if (this.answer === 'unavailable') return { ok: false, reason: 'unavailable', message: 'registry down' };
    if (this.answer === 'unauthorized') return { ok: false, reason: 'unauthorized', message: 'HTTP 401' };
    const s = this.byId.get(id);
    return s
      ? { ok: true, schema: { id, ...s } }
      : { ok: false, reason: 'not-found', message: `no schema ${id}` };
  }

  async getSubjectVersion(subject: string, version: number): Promise<SchemaLookup> {
    this.subjectCalls.push(`${subject}/${version}`);
    const s = this.bySubject.get(`${subject}/${version}`);
    return s
      ? { ok: true, schema: { id: 0, ...s } }
      : { ok: false, reason: 'not-found', message: `no ${subject} v${version}` };
  }
}

const avroSchema = (schema: AvroSchema) => ({
  schema: JSON.stringify(schema),
  schemaType: 'AVRO',
  references: [],
});

function registryOf(entries: Record<number, AvroSchema>): MemorySchemaSource {
  return new MemorySchemaSource(
    new Map(Object.entries(entries).map(([id, s]) => [Number(id), avroSchema(s)])),
  );
}

describe('AvroEventDecoder, raw wire format', () => {
  it('decodes with the reader schema when no writer schema is given, plain avsc values', async () => {
    const decoder = new AvroEventDecoder({ readerSchema: INVOICE_V1, wireFormat: 'raw' });
    const result = await decoder.decode(v1.toBuffer(recordV1));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const record = result.record as typeof recordV1;
    // What connectors expect: decimals as Buffers, dates as day numbers.
    expect(Buffer.isBuffer(record.amount)).toBe(true);
    expect(record.amount.equals(AMOUNT)).toBe(true);
    expect(record.day).toBe(DAY);
    expect(plain(record)).toEqual(plain(recordV1));
    expect(result.schemaId).toBeUndefined();
  });

  it('resolves a v2 writer (added field, removed optional field, int → long) into the v1 reader', async () => {
    const decoder = new AvroEventDecoder({
      readerSchema: INVOICE_V1,
      writerSchema: INVOICE_V2,
      wireFormat: 'raw',
    });
    const result = await decoder.decode(v2.toBuffer(recordV2));
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(plain(result.record)).toEqual(
      plain({ id: 'INV-2', kind: 'CANCELED', amount: AMOUNT, qty: 7, day: DAY, note: null }),
    );
    expect(result.record).not.toHaveProperty('channel');
  });

  it('refuses at construction a writer schema the reader cannot resolve', () => {
    expect(
      () => new AvroEventDecoder({ readerSchema: INVOICE_V1, writerSchema: INVOICE_V3, wireFormat: 'raw' }),
    ).toThrow(/cannot be read/);
  });

  it('refuses at construction the confluent format without a registry', () => {
    expect(() => new AvroEventDecoder({ readerSchema: INVOICE_V1, wireFormat: 'confluent' })).toThrow(
      /schema registry/,
    );
  });

  it('reports AVRO_DECODE for a truncated body, trailing bytes and invalid bytes', async () => {
    const decoder = new AvroEventDecoder({ readerSchema: INVOICE_V1, wireFormat: 'raw' });
    const good = v1.toBuffer(recordV1);

    const truncated = await decoder.decode(good.subarray(0, good.length - 3));
    expect(truncated).toMatchObject({
      ok: false,
      failure: { family: 'undecodable', stage: 'decode', code: 'AVRO_DECODE', retriable: false },
    });
    if (!truncated.ok) expect(truncated.failure.message).toMatch(/ends before/);

    const trailing = await decoder.decode(Buffer.concat([good, Buffer.from([1, 2])]));
    expect(trailing).toMatchObject({ ok: false, failure: { code: 'AVRO_DECODE' } });
    if (!trailing.ok) expect(trailing.failure.message).toMatch(/2 trailing byte/);

    // id "" then enum index 9 (zig-zag 18): no such symbol.
    const badEnum = await decoder.decode(Buffer.from([0x00, 0x12, 0x00, 0x00, 0x00, 0x00]));
    expect(badEnum).toMatchObject({ ok: false, failure: { code: 'AVRO_DECODE' } });
    if (!badEnum.ok) expect(badEnum.failure.message).toMatch(/enum index/);
  });

  it('never throws on arbitrary bytes', async () => {
    const decoder = new AvroEventDecoder({ readerSchema: INVOICE_V1, wireFormat: 'raw' });
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    for (let i = 0; i < 300; i++) {
      const bytes = Buffer.from(Array.from({ length: 1 + (i % 40) }, random));
      const result = await decoder.decode(bytes);
      // Random bytes may also declare a length or count over the decode limits.
      if (!result.ok) expect(['AVRO_DECODE', 'AVRO_LIMIT']).toContain(result.failure.code);
    }
  });
});

describe('AvroEventDecoder, confluent wire format', () => {
  it('decodes with the registry schema of the id and returns the id', async () => {
    const registry = registryOf({ 41: INVOICE_V1 });
    const decoder = new AvroEventDecoder({ readerSchema: INVOICE_V1, wireFormat: 'confluent', registry });
    const result = await decoder.decode(encodeConfluent(v1, 41, recordV1));
    expect(result).toMatchObject({ ok: true, schemaId: 41 });
    if (result.ok) expect(plain(result.record)).toEqual(plain(recordV1));
  });

  it('resolves a newer writer version from the registry into the connector schema', async () => {
    const registry = registryOf({ 1: INVOICE_V1, 2: INVOICE_V2 });
    const decoder = new AvroEventDecoder({ readerSchema: INVOICE_V1, wireFormat: 'confluent', registry });
    const [a, b] = await Promise.all([
      decoder.decode(encodeConfluent(v1, 1, recordV1)),
      decoder.decode(encodeConfluent(v2, 2, recordV2)),
    ]);
    expect(a).toMatchObject({ ok: true, schemaId: 1 });
    expect(b).toMatchObject({ ok: true, schemaId: 2 });
    if (b.ok) expect(plain(b.record)).toMatchObject({ id: 'INV-2', qty: 7, note: null });
  });

  it('asks the registry once per id, however many records arrive at once', async () => {
    const registry = registryOf({ 5: INVOICE_V2 });
    const decoder = new AvroEventDecoder({ readerSchema: INVOICE_V1, wireFormat: 'confluent', registry });
    const value = encodeConfluent(v2, 5, recordV2);
    const results = await Promise.all(Array.from({ length: 20 }, () => decoder.decode(value)));
    expect(results.every((r) => r.ok)).toBe(true);
    await decoder.decode(value);
    expect(registry.calls).toEqual([5]);
  });

  it('reports AVRO_WIRE_FORMAT for a bad magic byte or a value shorter than the header', async () => {
    const decoder = new AvroEventDecoder({
      readerSchema: INVOICE_V1,
      wireFormat: 'confluent',
      registry: registryOf({}),
    });
    const raw = await decoder.decode(Buffer.from('{"id":"INV-1"}'));
    expect(raw).toMatchObject({ ok: false, failure: { family: 'undecodable', code: 'AVRO_WIRE_FORMAT' } });
    if (!raw.ok) expect(raw.failure.message).toMatch(/0x7b/);
    const short = await decoder.decode(Buffer.from([0, 0, 1]));
    expect(short).toMatchObject({ ok: false, failure: { code: 'AVRO_WIRE_FORMAT' } });
  });

  it('reports AVRO_SCHEMA_UNKNOWN for an id the registry does not know, and asks again next time', async () => {
    const registry = registryOf({});
    const decoder = new AvroEventDecoder({ readerSchema: INVOICE_V1, wireFormat: 'confluent', registry });
    const value = encodeConfluent(v1, 999, recordV1);
    expect(await decoder.decode(value)).toMatchObject({
      ok: false,
      failure: { family: 'undecodable', code: 'AVRO_SCHEMA_UNKNOWN' },
    });
    await decoder.decode(value);
    expect(registry.calls).toEqual([999, 999]);
  });

  it('reports AVRO_SCHEMA_INCOMPATIBLE when the writer cannot resolve to the reader, once per id', async () => {
    const registry = registryOf({ 3: INVOICE_V3 });
    const decoder = new AvroEventDecoder({ readerSchema: INVOICE_V1, wireFormat: 'confluent', registry });
    const value = encodeConfluent(v3, 3, { kind: 'CREATED', amount: AMOUNT });
    const first = await decoder.decode(value);
    expect(first).toMatchObject({
      ok: false,
      failure: { family: 'undecodable', code: 'AVRO_SCHEMA_INCOMPATIBLE' },
    });
    if (!first.ok) expect(first.failure.message).toMatch(/writer schema id 3/);
    await decoder.decode(value);
    expect(registry.calls).toEqual([3]);
  });

  it('reports AVRO_SCHEMA_INCOMPATIBLE for a non-Avro schema and AVRO_SCHEMA_INVALID for one that does not parse', async () => {
    const registry = new MemorySchemaSource(
      new Map([
        [7, { schema: 'syntax = "proto3"; message A {}', schemaType: 'PROTOBUF', references: [] }],
        [8, { schema: '{"type":"record","name":"X"}', schemaType: 'AVRO', references: [] }],
      ]),
    );
    const decoder = new AvroEventDecoder({ readerSchema: INVOICE_V1, wireFormat: 'confluent', registry });
    const proto = await decoder.decode(Buffer.from([0, 0, 0, 0, 7, 1]));
    expect(proto).toMatchObject({ ok: false, failure: { code: 'AVRO_SCHEMA_INCOMPATIBLE' } });
    if (!proto.ok) expect(proto.failure.message).toMatch(/PROTOBUF/);
    expect(await decoder.decode(Buffer.from([0, 0, 0, 0, 8, 1]))).toMatchObject({
      ok: false,
      failure: { code: 'AVRO_SCHEMA_INVALID' },
    });
  });

  it('reports AVRO_DECODE with the schema id for a body that does not match its own schema', async () => {
    const decoder = new AvroEventDecoder({
      readerSchema: INVOICE_V1,
      wireFormat: 'confluent',
      registry: registryOf({ 1: INVOICE_V1 }),
    });
    const value = Buffer.concat([encodeConfluent(v1, 1, recordV1), Buffer.from([0])]);
    const result = await decoder.decode(value);
    expect(result).toMatchObject({ ok: false, failure: { code: 'AVRO_DECODE' } });
    if (!result.ok) expect(result.failure.message).toMatch(/schema id 1/);
  });

  it('is transient (retry later, not the record’s fault) while the registry is unavailable', async () => {
    const registry = registryOf({ 1: INVOICE_V1 });
    registry.answer = 'unavailable';
    const decoder = new AvroEventDecoder({ readerSchema: INVOICE_V1, wireFormat: 'confluent', registry });
    const value = encodeConfluent(v1, 1, recordV1);
    expect(await decoder.decode(value)).toMatchObject({
      ok: false,
      failure: { family: 'transient', stage: 'decode', code: 'SCHEMA_REGISTRY_UNAVAILABLE', retriable: true },
    });
    registry.answer = 'normal';
    expect(await decoder.decode(value)).toMatchObject({ ok: true, schemaId: 1 });
  });

  it('halts (family credentials) when the registry refuses the credentials', async () => {
    const registry = registryOf({ 1: INVOICE_V1 });
    registry.answer = 'unauthorized';
    const decoder = new AvroEventDecoder({ readerSchema: INVOICE_V1, wireFormat: 'confluent', registry });
    expect(await decoder.decode(encodeConfluent(v1, 1, recordV1))).toMatchObject({
      ok: false,
      failure: { family: 'credentials', code: 'SCHEMA_REGISTRY_AUTH' },
    });
  });

  it('resolves schema references (named types from other subjects) before the referring schema', async () => {
    const kind = { type: 'enum', name: 'Kind', namespace: 'test.erp', symbols: ['CREATED', 'CANCELED'] };
    const withRef = {
      type: 'record',
      name: 'InvoiceEvent',
      namespace: 'test.erp',
      fields: (INVOICE_V1.fields as { name: string }[]).map((f) =>
        f.name === 'kind' ? { name: 'kind', type: 'test.erp.Kind' } : f,
      ),
    };
    const registry = new MemorySchemaSource(
      new Map([
        [
          10,
          {
            schema: JSON.stringify(withRef),
            schemaType: 'AVRO',
            references: [{ name: 'test.erp.Kind', subject: 'kind', version: 1 }],
          },
        ],
      ]),
      new Map([['kind/1', avroSchema(kind)]]),
    );
    const decoder = new AvroEventDecoder({ readerSchema: INVOICE_V1, wireFormat: 'confluent', registry });
    const result = await decoder.decode(encodeConfluent(v1, 10, recordV1));
    expect(result).toMatchObject({ ok: true, schemaId: 10 });
    expect(registry.subjectCalls).toEqual(['kind/1']);
  });
});

describe('AvroEventDecoder on the SAP connector fixtures', () => {
  const dir = join(import.meta.dirname, '../../../../connectors/sap/fixtures/generated');
  const cases = readdirSync(dir)
    .filter((f) => f.endsWith('.avro-bin'))
    .map((f) => f.slice(0, -'.avro-bin'.length));

  it('decodes every golden record exactly as the connector tooling does', async () => {
    expect(cases.length).toBeGreaterThan(0);
    const type = avro.Type.forSchema(sapConnector.avroSchema as avro.Schema);
    const decoder = new AvroEventDecoder({ readerSchema: sapConnector.avroSchema, wireFormat: 'raw' });
    for (const name of cases) {
      const bytes = readFileSync(join(dir, `${name}.avro-bin`));
      const result = await decoder.decode(bytes);
      expect(result.ok, name).toBe(true);
      if (result.ok) expect(plain(result.record), name).toEqual(plain(type.fromBuffer(bytes)));
    }
  });
});
