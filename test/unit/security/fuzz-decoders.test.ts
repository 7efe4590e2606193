/**
 * Fuzz: Avro bytes (random, truncated, mutated, huge declared lengths and counts, wrong schema ids),
 * Confluent frames and Avro-JSON text, against every connector's schema. Every input decodes or ends as
 * an `undecodable` failure (a dead letter) with a code and a clear reason; no throw, no input takes longer
 * than a bound, memory stays bounded. Size: FUZZ_RUNS (npm run test:fuzz), else small.
 */
import avro from 'avsc';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { connectors, type ConnectorId } from '../../../connectors/registry.js';
import type { AvroSchema } from '../../../connectors/types.js';
import { AvroEventDecoder, type DecodeResult } from '../../../src/adapters/avro/avro-decoder.js';
import { JsonEventDecoder } from '../../../src/adapters/avro/json-decoder.js';
import type { SchemaLookup, SchemaSource } from '../../../src/adapters/avro/schema-registry-client.js';
import { confluentHeader } from '../../../src/adapters/avro/wire-format.js';
import { FUZZ_SEED, expectClear, expectMemoryBounded, fuzzRuns } from '../../support/fuzz.js';
import { varint } from '../../support/avro-bytes.js';

const IDS = Object.keys(connectors) as ConnectorId[];
const TYPES = Object.fromEntries(
  IDS.map((id) => [id, avro.Type.forSchema(connectors[id].avroSchema as avro.Schema)]),
) as Record<ConnectorId, avro.Type>;
/** Per input: far above a real decode (well under a millisecond), far below a hang. */
const BOUND_MS = 2000;

const DECODE_CODES = [
  'AVRO_DECODE',
  'AVRO_LIMIT',
  'AVRO_WIRE_FORMAT',
  'AVRO_SCHEMA_UNKNOWN',
  'AVRO_SCHEMA_INCOMPATIBLE',
];

async function expectDeadLetterOrRecord(decode: () => Promise<DecodeResult>, codes = DECODE_CODES) {
  const started = performance.now();
  const result = await decode();
  expect(performance.now() - started).toBeLessThan(BOUND_MS);
  if (result.ok) return;
  expect(result.failure.family).toBe('undecodable');
  expect(codes).toContain(result.failure.code);
  expectClear(result.failure.message, `${result.failure.code} message`);
}

/** One registry schema id per connector (1-based, in IDS order). */
class Registry implements SchemaSource {
  async getSchemaById(id: number): Promise<SchemaLookup> {
    const cid = IDS[id - 1];
    if (!cid) return { ok: false, reason: 'not-found', message: `schema ${id} not found` };
    return {
      ok: true,
      schema: { id, schema: JSON.stringify(connectors[cid].avroSchema), schemaType: 'AVRO', references: [] },
    };
  }
  async getSubjectVersion(): Promise<SchemaLookup> {
    return { ok: false, reason: 'not-found', message: 'no subjects' };
  }
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant('huge' as const),
    at: fc.nat(),
    n: fc.oneof(fc.constantFrom(1e9, -1e9, 2 ** 40, 2 ** 52, 1e6, 100_001), fc.integer()),
  }),
  fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ maxLength: 8 }) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(bytes: Buffer, m: Mutation): Buffer {
  const at = bytes.length === 0 || m.kind === 'append' ? 0 : m.at % bytes.length;
  switch (m.kind) {
    case 'truncate':
      return bytes.subarray(0, at);
    case 'flip': {
      const b = Buffer.from(bytes);
      if (b.length) b[at] = m.byte;
      return b;
    }
    case 'huge':
      return Buffer.concat([bytes.subarray(0, at), varint(m.n), bytes.subarray(at)]);
    default:
      return Buffer.concat([bytes, Buffer.from(m.bytes)]);
  }
}

const rawDecoders = Object.fromEntries(
  IDS.map((id) => [id, new AvroEventDecoder({ readerSchema: connectors[id].avroSchema, wireFormat: 'raw' })]),
) as Record<ConnectorId, AvroEventDecoder>;

describe('fuzz: Avro, Confluent frames and Avro-JSON (every connector schema)', () => {
  it('random bytes', async () => {
    const baseline = process.memoryUsage().rss;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...IDS), fc.uint8Array({ maxLength: 64 }), (id, bytes) =>
        expectDeadLetterOrRecord(() => rawDecoders[id].decode(Buffer.from(bytes))),
      ),
      { numRuns: fuzzRuns(300), seed: FUZZ_SEED },
    );
    expectMemoryBounded(baseline);
  }, 600_000);

  it('valid records truncated, flipped, with huge lengths and counts spliced in', async () => {
    const baseline = process.memoryUsage().rss;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...IDS),
        fc.integer(),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        async (id, seed, mutations) => {
          void seed;
          let bytes = TYPES[id].toBuffer(TYPES[id].random());
          for (const m of mutations) bytes = mutate(bytes, m);
          await expectDeadLetterOrRecord(() => rawDecoders[id].decode(bytes));
        },
      ),
      { numRuns: fuzzRuns(300), seed: FUZZ_SEED },
    );
    expectMemoryBounded(baseline);
  }, 600_000);

  it('Confluent frames: any magic byte, schema id (known, unknown, another connector’s), body', async () => {
    const decoders = Object.fromEntries(
      IDS.map((id) => [
        id,
        new AvroEventDecoder({
          readerSchema: connectors[id].avroSchema,
          wireFormat: 'confluent',
          registry: new Registry(),
        }),
      ]),
    ) as Record<ConnectorId, AvroEventDecoder>;
    const baseline = process.memoryUsage().rss;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...IDS),
        fc.constantFrom(...IDS),
        fc.oneof(fc.integer({ min: 0, max: IDS.length + 2 }), fc.integer({ min: 0, max: 2 ** 31 - 1 })),
        fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 255 })),
        fc.option(mutation),
        async (reader, writer, schemaId, magic, m) => {
          let body = TYPES[writer].toBuffer(TYPES[writer].random());
          if (m) body = mutate(body, m);
          const header = Buffer.from(confluentHeader(schemaId));
          header[0] = magic;
          const frame = Buffer.concat([header, body]).subarray(
            0,
            m?.kind === 'truncate' ? m.at % 9 : undefined,
          );
          await expectDeadLetterOrRecord(() => decoders[reader].decode(frame));
        },
      ),
      { numRuns: fuzzRuns(300), seed: FUZZ_SEED },
    );
    expectMemoryBounded(baseline);
  }, 600_000);

  it('Avro-JSON text: mutated records and arbitrary JSON', async () => {
    const decoders = Object.fromEntries(
      IDS.map((id) => [id, new JsonEventDecoder({ readerSchema: connectors[id].avroSchema })]),
    ) as Record<ConnectorId, JsonEventDecoder>;
    const codes = [...DECODE_CODES, 'JSON_DECODE', 'AVRO_JSON_INVALID'];
    const baseline = process.memoryUsage().rss;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...IDS),
        fc.oneof(
          fc.json(),
          fc.tuple(fc.nat(), fc.string({ maxLength: 6 })).map(([at, s]) => ({ at, s })),
          fc.tuple(fc.nat(), fc.nat()).map(([at, n]) => ({ cut: at, n })),
        ),
        async (id, input) => {
          let text: string;
          if (typeof input === 'string') text = input;
          else {
            const valid = TYPES[id].toString(TYPES[id].random());
            if ('s' in input) {
              const at = input.at % (valid.length + 1);
              text = valid.slice(0, at) + input.s + valid.slice(at);
            } else text = valid.slice(0, input.cut % (valid.length + 1));
          }
          await expectDeadLetterOrRecord(() => decoders[id].decode(Buffer.from(text, 'utf8')), codes);
        },
      ),
      { numRuns: fuzzRuns(300), seed: FUZZ_SEED },
    );
    expectMemoryBounded(baseline);
  }, 600_000);

  it('a JSON record with a 10 MB string or an escape code: the reason neither echoes nor passes it on', async () => {
    const id: ConnectorId = 'sap';
    const record = JSON.parse(TYPES[id].toString(TYPES[id].random())) as Record<string, unknown>;
    for (const bad of ['x'.repeat(10 * 1024 * 1024), '\u001b[31m', 123]) {
      const text = JSON.stringify({ ...record, EVENT: bad });
      await expectDeadLetterOrRecord(
        () =>
          new JsonEventDecoder({ readerSchema: connectors[id].avroSchema as AvroSchema }).decode(
            Buffer.from(text),
          ),
        ['AVRO_JSON_INVALID'],
      );
    }
  }, 60_000);
});
