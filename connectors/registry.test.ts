import { readFileSync } from 'node:fs';
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { connectorIds, connectors, getConnector } from './registry.js';
import { fromAvroJson, toAvroJson } from './testkit/avro-codec.js';
import { generateRecords, SAMPLES } from './testkit/generators.js';

describe('connector registry', () => {
  it('lists each connector under its own id, with a loadable Avro schema', () => {
    for (const id of connectorIds) {
      expect(connectors[id].id).toBe(id);
      expect(() => avro.Type.forSchema(connectors[id].avroSchema as avro.Schema)).not.toThrow();
      expect(connectors[id].eventKinds).toEqual(['generate', 'cancel', 'ewb']);
    }
    expect(getConnector('nope')).toBeUndefined();
    expect(getConnector('toString')).toBeUndefined();
  });

  describe.each(connectorIds)('%s samples', (id) => {
    const dir = new URL(`./${id}/samples/`, import.meta.url);
    const c = connectors[id];

    it('events.ndjson holds Avro-JSON records that map, as write-samples.ts writes them', () => {
      const lines = readFileSync(new URL('events.ndjson', dir), 'utf8').trim().split('\n');
      expect(lines.length).toBe(SAMPLES.count);
      for (const line of lines) expect(c.map(fromAvroJson(c.avroSchema, line)).ok).toBe(true);
      const fresh = generateRecords(id, SAMPLES.count, SAMPLES).map((r) => toAvroJson(c.avroSchema, r));
      expect(lines, 'run npx tsx connectors/testkit/write-samples.ts').toEqual(fresh);
    });

    it('events.avro is an object container file with the same records', async () => {
      const decoded: unknown[] = [];
      await new Promise<void>((resolve, reject) =>
        avro
          .createFileDecoder(new URL('events.avro', dir).pathname)
          .on('data', (r: unknown) => decoded.push(r))
          .on('end', resolve)
          .on('error', reject),
      );
      const lines = readFileSync(new URL('events.ndjson', dir), 'utf8').trim().split('\n');
      expect(decoded.length).toBe(lines.length);
      expect(c.map(decoded[0]).ok).toBe(true);
    });
  });
});
