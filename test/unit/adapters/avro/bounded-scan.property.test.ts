/**
 * The bounded scan walks a record twice only when it refuses it: first over a compiled plan without the
 * path, then, for the message, with it. The two walks must give the same verdict on every body —
 * valid records, records cut short or with a byte changed, random bytes — under default and tight limits.
 */
import avro from 'avsc';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { connectors, connectorIds } from '../../../../connectors/registry.js';
import { DEFAULT_AVRO_LIMITS, scanWalks, type AvroLimits } from '../../../../src/adapters/avro/bounded-scan.js';

const EVERY_KIND = {
  type: 'record',
  name: 'Every',
  fields: [
    { name: 's', type: 'string' },
    { name: 'b', type: 'bytes' },
    { name: 'flag', type: 'boolean' },
    { name: 'f', type: 'float' },
    { name: 'd', type: 'double' },
    { name: 'when', type: { type: 'int', logicalType: 'date' } },
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 15, scale: 2 } },
    { name: 'fx', type: { type: 'fixed', name: 'Three', size: 3 } },
    { name: 'e', type: { type: 'enum', name: 'E', symbols: ['A', 'B', 'C'] } },
    { name: 'u', type: ['null', 'long', 'string'] },
    { name: 'nothing', type: { type: 'array', items: 'null' } },
    { name: 'tags', type: { type: 'map', values: { type: 'array', items: 'int' } } },
    {
      name: 'tree',
      type: {
        type: 'record',
        name: 'Node',
        fields: [
          { name: 'v', type: 'int' },
          { name: 'next', type: ['null', 'Node'] },
        ],
      },
    },
  ],
};

const types = [
  avro.Type.forSchema(EVERY_KIND as avro.Schema),
  ...connectorIds.map((id) => avro.Type.forSchema(connectors[id].avroSchema as avro.Schema)),
];

const limits = fc.oneof(
  fc.constant(DEFAULT_AVRO_LIMITS),
  fc.record<AvroLimits>({
    maxStringBytes: fc.integer({ min: 0, max: 40 }),
    maxBytesLength: fc.integer({ min: 0, max: 10 }),
    maxArrayItems: fc.integer({ min: 0, max: 6 }),
    maxMapEntries: fc.integer({ min: 0, max: 4 }),
    maxDepth: fc.integer({ min: 0, max: 12 }),
  }),
);

/** A valid body of the type, or one cut short, with a byte changed, or random bytes. */
const body = (type: avro.Type) =>
  fc.oneof(
    fc.constant(null).map(() => type.toBuffer(type.random())),
    fc
      .tuple(fc.constant(null), fc.nat(), fc.nat(255))
      .map(([, at, byte]) => {
        const b = type.toBuffer(type.random());
        if (b.length > 0) b[at % b.length] = byte;
        return b;
      }),
    fc.tuple(fc.constant(null), fc.nat()).map(([, cut]) => {
      const b = type.toBuffer(type.random());
      return b.subarray(0, cut % (b.length + 1));
    }),
    fc.uint8Array({ maxLength: 64 }).map((u) => Buffer.from(u)),
  );

describe('bounded scan: the fast walk and the walk with the path agree', () => {
  it.each(types.map((t, i) => [i === 0 ? 'every kind' : connectorIds[i - 1]!, t] as const))(
    '%s',
    (_name, type) => {
      fc.assert(
        fc.property(body(type), limits, (buf, l) => {
          expect(scanWalks.fast(type, buf, l)).toBe(scanWalks.withPath(type, buf, l).ok);
        }),
        { numRuns: 1500 },
      );
    },
  );
});
