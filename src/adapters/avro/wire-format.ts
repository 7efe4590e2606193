/**
 * The Confluent wire format: magic byte 0, the writer schema's registry id as a 4-byte big-endian
 * integer, then the Avro binary body. Every Confluent, Apicurio (ccompat) and Karapace serializer
 * frames records this way.
 */
import type avro from 'avsc';
import { failure, type Failure } from '../../pipeline/failures.js';

/** The first byte of a Confluent-framed record. */
export const CONFLUENT_MAGIC_BYTE = 0;

/** Magic byte plus schema id. */
export const CONFLUENT_HEADER_LENGTH = 5;

/** A framed record split into its writer schema id and Avro body (a view on the input, not a copy). */
export interface ConfluentFrame {
  schemaId: number;
  body: Buffer;
}

/**
 * Splits a Confluent-framed value. Fails with `AVRO_WIRE_FORMAT` (family `undecodable`) when the value
 * is shorter than the 5-byte header or does not start with the magic byte — typically a record written
 * by a producer without the registry serializer, or plain JSON on an Avro topic.
 */
export function parseConfluentFrame(
  value: Buffer,
): { ok: true; frame: ConfluentFrame } | { ok: false; failure: Failure } {
  if (value.length < CONFLUENT_HEADER_LENGTH) {
    return {
      ok: false,
      failure: failure('undecodable', 'decode', [
        {
          code: 'AVRO_WIRE_FORMAT',
          message: `value is ${value.length} byte(s), shorter than the 5-byte Confluent header (magic byte + schema id)`,
        },
      ]),
    };
  }
  if (value[0] !== CONFLUENT_MAGIC_BYTE) {
    return {
      ok: false,
      failure: failure('undecodable', 'decode', [
        {
          code: 'AVRO_WIRE_FORMAT',
          message: `first byte is 0x${value[0]!.toString(16).padStart(2, '0')}, not the Confluent magic byte 0x00 (not written by a schema-registry serializer?)`,
        },
      ]),
    };
  }
  return {
    ok: true,
    frame: { schemaId: value.readUInt32BE(1), body: value.subarray(CONFLUENT_HEADER_LENGTH) },
  };
}

/** The 5-byte header for `schemaId`. Throws a RangeError for an id outside 0..2^32-1. */
export function confluentHeader(schemaId: number): Buffer {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0xffffffff)
    throw new RangeError(`schema id ${schemaId} is not a 32-bit unsigned integer`);
  const header = Buffer.alloc(CONFLUENT_HEADER_LENGTH);
  header.writeUInt8(CONFLUENT_MAGIC_BYTE, 0);
  header.writeUInt32BE(schemaId, 1);
  return header;
}

/**
 * Encodes `value` with `type` and frames it with `schemaId` (for producers, tests and the demo).
 * Throws if `value` is not valid for `type` (avsc's own error) or the id is out of range.
 */
export function encodeConfluent(type: avro.Type, schemaId: number, value: unknown): Buffer {
  return Buffer.concat([confluentHeader(schemaId), type.toBuffer(value)]);
}
