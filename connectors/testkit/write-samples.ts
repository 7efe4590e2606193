/**
 * Writes every registered connector's demo samples (`npm start` runs them):
 * `npx tsx connectors/testkit/write-samples.ts [--erp sap]` → `connectors/<id>/samples/events.ndjson`
 * (Avro JSON encoding, one record per line) and `events.avro` (object container file). Always the
 * same events: seed 2025, documents dated up to 2025-03-28. It rewrites only those two files.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import avro from 'avsc';
import { connectorIds, connectors, isConnectorId, type ConnectorId } from '../registry.js';
import { toAvroJson } from './avro-codec.js';
import { REPO_ROOT } from './docs-tables.js';
import { generateRecords, SAMPLES } from './generators.js';

const { values } = parseArgs({ options: { erp: { type: 'string' } } });
const ids: ConnectorId[] = [];
for (const id of values.erp ? [values.erp] : connectorIds) {
  if (!isConnectorId(id)) throw new Error(`unknown connector ${id}; known: ${connectorIds.join(', ')}`);
  ids.push(id);
}
for (const id of ids) {
  const { avroSchema } = connectors[id];
  const dir = join(REPO_ROOT, 'connectors', id, 'samples');
  mkdirSync(dir, { recursive: true });
  const records = generateRecords(id, SAMPLES.count, { seed: SAMPLES.seed, asOf: SAMPLES.asOf });
  writeFileSync(join(dir, 'events.ndjson'), records.map((r) => `${toAvroJson(avroSchema, r)}\n`).join(''));
  // A fixed sync marker (avsc draws a random one) keeps the file byte-for-byte reproducible.
  const syncMarker = createHash('sha256').update(`irp-bridge samples ${id}`).digest().subarray(0, 16);
  const encoder = avro.createFileEncoder(
    join(dir, 'events.avro'),
    avroSchema as avro.Schema,
    {
      codec: 'deflate',
      syncMarker,
    } as Parameters<typeof avro.createFileEncoder>[2],
  );
  for (const r of records) encoder.write(r);
  encoder.end();
  await once(encoder, 'finish');
  process.stdout.write(`${id}: ${records.length} sample events\n`);
}
