import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { sapConnector } from '../../../../connectors/sap/index.js';
import { JsonEventDecoder } from '../../../../src/adapters/avro/json-decoder.js';
import { AMOUNT, DAY, INVOICE_V1, INVOICE_V2, plain, recordV1, recordV2, v1, v2 } from './schemas.js';

const line = (text: string) => Buffer.from(text, 'utf8');

describe('JsonEventDecoder', () => {
  it('reads the Avro JSON encoding (wrapped unions, bytes as code points) into plain avsc values', async () => {
    const decoder = new JsonEventDecoder({ readerSchema: INVOICE_V1 });
    const json = v1.toString(recordV1);
    expect(json).toContain('{"string":"first"}');
    const result = await decoder.decode(line(json));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const record = result.record as typeof recordV1;
    expect(Buffer.isBuffer(record.amount) && record.amount.equals(AMOUNT)).toBe(true);
    expect(record.day).toBe(DAY);
    expect(plain(record)).toEqual(plain(recordV1));
  });

  it('resolves JSON of a v2 writer schema into the v1 reader', async () => {
    const decoder = new JsonEventDecoder({ readerSchema: INVOICE_V1, writerSchema: INVOICE_V2 });
    const result = await decoder.decode(line(v2.toString(recordV2)));
    expect(result).toMatchObject({ ok: true });
    if (result.ok)
      expect(plain(result.record)).toEqual(
        plain({ id: 'INV-2', kind: 'CANCELED', amount: AMOUNT, qty: 7, day: DAY, note: null }),
      );
  });

  it('fails with JSON_DECODE for text that is not JSON', async () => {
    const decoder = new JsonEventDecoder({ readerSchema: INVOICE_V1 });
    expect(await decoder.decode(line('{"id": "INV-1",'))).toMatchObject({
      ok: false,
      failure: { family: 'undecodable', stage: 'decode', code: 'JSON_DECODE' },
    });
  });

  it.each([
    ['an array', '[1,2]', undefined, /JSON object/],
    [
      'a missing required field',
      JSON.stringify({ kind: 'CREATED', amount: '\u0001', qty: 1, day: 1, note: null }),
      'id',
      /required field is missing/,
    ],
    [
      'a wrong type',
      v1.toString(recordV1).replace('"qty":3', '"qty":"three"'),
      'qty',
      /invalid "long": "three"/,
    ],
    ['an unknown enum symbol', v1.toString(recordV1).replace('"CREATED"', '"DELETED"'), 'kind', /DELETED/],
    [
      'an unwrapped union value',
      v1.toString(recordV1).replace('{"string":"first"}', '"first"'),
      'note',
      /\{"<branch>": value\} with a branch of string, or null/,
    ],
  ])('fails with AVRO_JSON_INVALID for %s, naming the field', async (_name, text, path, message) => {
    const decoder = new JsonEventDecoder({ readerSchema: INVOICE_V1 });
    const result = await decoder.decode(line(text));
    expect(result).toMatchObject({
      ok: false,
      failure: { family: 'undecodable', code: 'AVRO_JSON_INVALID' },
    });
    if (result.ok) return;
    expect(result.failure.errors[0]?.path).toBe(path);
    expect(result.failure.message).toMatch(message);
  });

  it('names nested fields with their ERP path', async () => {
    const dir = join(import.meta.dirname, '../../../../connectors/sap/fixtures/generated');
    const record = JSON.parse(readFileSync(join(dir, 'cancel.input.json'), 'utf8')) as {
      VBRP: Record<string, unknown>[];
    };
    expect(record.VBRP.length).toBeGreaterThan(0);
    record.VBRP[record.VBRP.length - 1]!.MATNR = 42;
    const result = await new JsonEventDecoder({ readerSchema: sapConnector.avroSchema }).decode(
      line(JSON.stringify(record)),
    );
    expect(result).toMatchObject({ ok: false, failure: { code: 'AVRO_JSON_INVALID' } });
    if (!result.ok) expect(result.failure.errors[0]?.path).toBe(`VBRP[${record.VBRP.length - 1}].MATNR`);
  });

  it('reads every SAP golden input exactly as the binary fixture decodes', async () => {
    const dir = join(import.meta.dirname, '../../../../connectors/sap/fixtures/generated');
    const type = avro.Type.forSchema(sapConnector.avroSchema as avro.Schema);
    const decoder = new JsonEventDecoder({ readerSchema: sapConnector.avroSchema });
    const names = readdirSync(dir).filter((f) => f.endsWith('.input.json'));
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      // NDJSON holds one compact line per record; the fixtures are pretty-printed.
      const compact = JSON.stringify(JSON.parse(readFileSync(join(dir, name), 'utf8')));
      const result = await decoder.decode(line(compact));
      expect(result.ok, name).toBe(true);
      const binary = readFileSync(join(dir, name.replace('.input.json', '.avro-bin')));
      if (result.ok) expect(plain(result.record), name).toEqual(plain(type.fromBuffer(binary)));
    }
  });
});
