import { describe, expect, it } from 'vitest';
import {
  confluentHeader,
  encodeConfluent,
  parseConfluentFrame,
} from '../../../../src/adapters/avro/wire-format.js';
import { recordV1, v1 } from './schemas.js';

describe('Confluent wire format', () => {
  it('frames a record as magic byte 0, big-endian id, Avro body', () => {
    const framed = encodeConfluent(v1, 0x01020304, recordV1);
    expect([...framed.subarray(0, 5)]).toEqual([0, 1, 2, 3, 4]);
    expect(framed.subarray(5).equals(v1.toBuffer(recordV1))).toBe(true);
  });

  it('parses back the id and a body view', () => {
    const framed = encodeConfluent(v1, 4_000_000_000, recordV1);
    const parsed = parseConfluentFrame(framed);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.frame.schemaId).toBe(4_000_000_000);
    expect(parsed.frame.body.equals(v1.toBuffer(recordV1))).toBe(true);
    expect(parsed.frame.body.buffer).toBe(framed.buffer);
  });

  it('accepts a header with an empty body (an empty record is valid Avro)', () => {
    const parsed = parseConfluentFrame(confluentHeader(9));
    expect(parsed).toMatchObject({ ok: true, frame: { schemaId: 9 } });
  });

  it.each([
    ['empty', Buffer.alloc(0), /0 byte/],
    ['shorter than the header', Buffer.from([0, 0, 0, 1]), /4 byte/],
    ['wrong magic byte', Buffer.from([1, 0, 0, 0, 1, 2]), /0x01/],
    ['JSON text', Buffer.from('{"a":1}'), /0x7b/],
  ])('fails with AVRO_WIRE_FORMAT for %s', (_name, value, message) => {
    const parsed = parseConfluentFrame(value);
    expect(parsed).toMatchObject({
      ok: false,
      failure: { family: 'undecodable', stage: 'decode', code: 'AVRO_WIRE_FORMAT', retriable: false },
    });
    if (!parsed.ok) expect(parsed.failure.message).toMatch(message);
  });

  it('refuses ids that do not fit in 4 bytes', () => {
    expect(() => confluentHeader(-1)).toThrow(RangeError);
    expect(() => confluentHeader(2 ** 32)).toThrow(RangeError);
    expect(() => confluentHeader(1.5)).toThrow(RangeError);
  });
});
