/**
 * Issue 15, "a 16-byte Avro record takes the connector down": huge declared counts and lengths are refused
 * by the bounded scan before avsc allocates anything, as AVRO_LIMIT / AVRO_DECODE dead letters.
 * Before the scan, the first case made avsc loop 10^9 times and run out of memory.
 */
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { sapConnector } from '../../../../connectors/sap/index.js';
import { AvroEventDecoder } from '../../../../src/adapters/avro/avro-decoder.js';
import { scanAvro, DEFAULT_AVRO_LIMITS } from '../../../../src/adapters/avro/bounded-scan.js';
import { JsonEventDecoder } from '../../../../src/adapters/avro/json-decoder.js';
import type { AvroSchema } from '../../../../connectors/types.js';
import { varint } from '../../../support/avro-bytes.js';

const WITH_ARRAY: AvroSchema = {
  type: 'record',
  name: 'Doc',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'lines', type: { type: 'array', items: 'null' } },
    { name: 'tags', type: { type: 'map', values: 'long' } },
    { name: 'blob', type: 'bytes' },
  ],
};

const decoderFor = (schema: AvroSchema, limits = {}) =>
  new AvroEventDecoder({ readerSchema: schema, wireFormat: 'raw', limits });

async function refused(decoder: AvroEventDecoder, bytes: Buffer) {
  const before = process.memoryUsage().rss;
  const started = performance.now();
  const result = await decoder.decode(bytes);
  const ms = performance.now() - started;
  expect(ms).toBeLessThan(1000);
  expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('decoded');
  expect(result.failure.family).toBe('undecodable');
  return result.failure.errors[0]!;
}

describe('Avro decode limits (issue 15)', () => {
  it('a 16-byte record declaring 10^9 null items is AVRO_LIMIT, at once and without allocating', async () => {
    const bytes = Buffer.concat([varint(1), Buffer.from('x'), varint(1e9), varint(0), varint(0), varint(0)]);
    expect(bytes.length).toBeLessThanOrEqual(16);
    const error = await refused(decoderFor(WITH_ARRAY), bytes);
    expect(error.code).toBe('AVRO_LIMIT');
    expect(error.message).toContain('lines: an array of 1000000000 exceeds avro.limits.maxArrayItems (100000)');
  }, 5000);

  it('a map count larger than the remaining bytes could hold is refused before the loop', async () => {
    const bytes = Buffer.concat([varint(1), Buffer.from('x'), varint(0), varint(50_000), varint(0)]);
    const error = await refused(decoderFor(WITH_ARRAY), bytes);
    expect(error.code).toBe('AVRO_DECODE');
    expect(error.message).toMatch(/tags: the \d+-byte body ends before a map block of 50000 item\(s\) does/);
  });

  it('a negative block count (with its byte size) is counted the same way', async () => {
    const bytes = Buffer.concat([varint(1), Buffer.from('x'), varint(-2e8), varint(0), varint(0)]);
    const error = await refused(decoderFor(WITH_ARRAY), bytes);
    expect(error.code).toBe('AVRO_LIMIT');
  });

  it('declared string and bytes lengths over the limit or past the end are refused', async () => {
    const huge = Buffer.concat([varint(2 ** 40), Buffer.from('abc')]);
    expect((await refused(decoderFor(WITH_ARRAY), huge)).message).toContain(
      'id: a string of length 1099511627776 exceeds avro.limits.maxStringBytes (1048576)',
    );
    const past = Buffer.concat([varint(1000), Buffer.from('abc')]);
    expect((await refused(decoderFor(WITH_ARRAY), past)).message).toContain('ends before a string of 1000 bytes does');
    const blob = Buffer.concat([varint(1), Buffer.from('x'), varint(0), varint(0), varint(2000), Buffer.alloc(2000)]);
    const small = decoderFor(WITH_ARRAY, { maxBytesLength: 1000 });
    expect((await refused(small, blob)).message).toContain('blob: a bytes of length 2000 exceeds avro.limits.maxBytesLength (1000)');
    expect((await decoderFor(WITH_ARRAY).decode(blob)).ok).toBe(true);
  });

  it('limits are configurable, and a record within them still decodes', async () => {
    const type = avro.Type.forSchema(WITH_ARRAY as avro.Schema);
    const value = { id: 'a', lines: [null, null, null], tags: { a: 1, b: 2 }, blob: Buffer.from('z') };
    const bytes = type.toBuffer(value);
    expect((await decoderFor(WITH_ARRAY).decode(bytes)).ok).toBe(true);
    const tight = decoderFor(WITH_ARRAY, { maxArrayItems: 2, maxMapEntries: 1 });
    expect((await refused(tight, bytes)).message).toContain('lines: an array of 3 exceeds avro.limits.maxArrayItems (2)');
  });

  it('recursion deeper than maxDepth is refused (a recursive schema, one byte per level)', async () => {
    const NODE: AvroSchema = {
      type: 'record',
      name: 'Node',
      fields: [{ name: 'next', type: ['null', 'Node'] }],
    };
    const bytes = Buffer.concat([Buffer.alloc(100_000, varint(1)), varint(0)]);
    const error = await refused(decoderFor(NODE), bytes);
    expect(error.code).toBe('AVRO_LIMIT');
    expect(error.message).toContain('exceeds avro.limits.maxDepth (64)');
  });

  it('nested arrays of nothing cannot multiply the work past one budget per record', () => {
    const NESTED: AvroSchema = {
      type: 'record',
      name: 'N',
      fields: [{ name: 'a', type: { type: 'array', items: { type: 'array', items: 'null' } } }],
    };
    const type = avro.Type.forSchema(NESTED as avro.Schema);
    const inner = Buffer.concat([varint(90_000), varint(0)]);
    const bytes = Buffer.concat([varint(1000), ...Array.from({ length: 1000 }, () => inner), varint(0)]);
    const started = performance.now();
    const result = scanAvro(type, bytes, DEFAULT_AVRO_LIMITS);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result.ok).toBe(false);
  });

  it('every real connector schema passes its own generated samples through the scan', async () => {
    const type = avro.Type.forSchema(sapConnector.avroSchema as avro.Schema);
    for (let i = 0; i < 20; i++) expect(scanAvro(type, type.toBuffer(type.random())).ok).toBe(true);
  });

  it('the JSON decoder takes the same limits', async () => {
    const decoder = new JsonEventDecoder({ readerSchema: WITH_ARRAY, limits: { maxArrayItems: 1 } });
    const result = await decoder.decode(
      Buffer.from(JSON.stringify({ id: 'a', lines: [null, null], tags: {}, blob: '' })),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure.errors[0]!.code).toBe('AVRO_LIMIT');
  });
});
