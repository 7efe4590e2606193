/**
 * Golden fixtures: per connector, `<case>.avro-bin` (the Avro-encoded record), `<case>.input.json` (the
 * same record in Avro's JSON encoding, for people) and `<case>.expected.json` (the MapResult). The
 * writer produces them from the shared cases; the test decodes the bytes, maps and compares.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generators } from './generators.js';
import { connectors, type ConnectorId } from '../registry.js';
import type { MapResult } from '../types.js';
import { decode, encode, toAvroJson } from './avro-codec.js';
import { FIXTURE_CASES } from './fixture-cases.js';

const CONNECTORS_DIR = fileURLToPath(new URL('..', import.meta.url));

export const fixtureDir = (id: ConnectorId): string => join(CONNECTORS_DIR, id, 'fixtures', 'generated');

export interface Fixture {
  name: string;
  bytes: Buffer;
  expected: MapResult;
}

/** Renders, encodes and maps every case; returns the names written. */
export function writeFixtures(id: ConnectorId): string[] {
  const c = connectors[id];
  const g = generators[id];
  const dir = fixtureDir(id);
  mkdirSync(dir, { recursive: true });
  const records: [string, unknown][] = [
    ...FIXTURE_CASES.map((s): [string, unknown] => [s.id, g.render(s)]),
    ...Object.entries(g.extraCases()),
  ];
  for (const [name, record] of records) {
    const bytes = encode(c.avroSchema, record);
    const result = c.map(decode(c.avroSchema, bytes));
    writeFileSync(join(dir, `${name}.avro-bin`), bytes);
    writeFileSync(
      join(dir, `${name}.input.json`),
      `${JSON.stringify(JSON.parse(toAvroJson(c.avroSchema, record)), null, 2)}\n`,
    );
    writeFileSync(join(dir, `${name}.expected.json`), `${JSON.stringify(result, null, 2)}\n`);
  }
  return records.map(([name]) => name);
}

export function readFixtures(id: ConnectorId): Fixture[] {
  const dir = fixtureDir(id);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.avro-bin'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.avro-bin'.length);
      return {
        name,
        bytes: readFileSync(join(dir, f)),
        expected: JSON.parse(readFileSync(join(dir, `${name}.expected.json`), 'utf8')) as MapResult,
      };
    });
}
