/**
 * avsc, for the tools around the connectors (generator CLI, fixture writer, tests) — never for the
 * mappings themselves, which take already-decoded records. Decoding is plain (no logical-type hooks),
 * exactly as the pipeline's Avro adapter must decode for `map`.
 */
import avro from 'avsc';
import type { AvroSchema } from '../types.js';

export type AvroType = avro.Type;

const cache = new WeakMap<AvroSchema, avro.Type>();

export function avroType(schema: AvroSchema): avro.Type {
  let t = cache.get(schema);
  if (!t) {
    t = avro.Type.forSchema(schema as avro.Schema);
    cache.set(schema, t);
  }
  return t;
}

export function encode(schema: AvroSchema, record: unknown): Buffer {
  return avroType(schema).toBuffer(record);
}

export function decode(schema: AvroSchema, bytes: Buffer): unknown {
  return avroType(schema).fromBuffer(bytes);
}

/** The Avro JSON encoding (unions wrapped, bytes as code points), what avro-tools `fromjson` reads. */
export function toAvroJson(schema: AvroSchema, record: unknown): string {
  return avroType(schema).toString(record);
}

export function fromAvroJson(schema: AvroSchema, json: string): unknown {
  return avroType(schema).fromString(json);
}
