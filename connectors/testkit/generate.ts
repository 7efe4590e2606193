/**
 * Generates realistic, reproducible events for one connector:
 *
 *   npx tsx connectors/testkit/generate.ts --erp sap --count 1000 --seed 42 --out sap.ndjson
 *   npx tsx connectors/testkit/generate.ts --erp tally --count 500 --format avro --out tally.avro
 *
 * `ndjson` writes one record per line in Avro's JSON encoding (what kafka-avro-console-producer and
 * avro-tools `fromjson` read); `avro` writes an Avro object container file. `--as-of` (yyyy-MM-dd) is
 * the latest document date; documents fall in the 20 days before it.
 */
import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import avro from 'avsc';
import { generateRecords } from './generators.js';
import { connectorIds, connectors, isConnectorId } from '../registry.js';
import { avroType } from './avro-codec.js';

const { values } = parseArgs({
  options: {
    erp: { type: 'string' },
    count: { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
    format: { type: 'string', default: 'ndjson' },
    'as-of': { type: 'string' },
  },
});

function fail(message: string): never {
  process.stderr.write(`generate: ${message}\n`);
  process.exit(2);
}

const id = values.erp ?? fail(`--erp is required (${connectorIds.join(', ')})`);
if (!isConnectorId(id)) fail(`unknown connector ${id}; known: ${connectorIds.join(', ')}`);
const count = Number(values.count);
const seed = Number(values.seed);
if (!Number.isInteger(count) || count < 0) fail('--count must be a non-negative integer');
if (!Number.isInteger(seed)) fail('--seed must be an integer');
if (values.format !== 'ndjson' && values.format !== 'avro') fail('--format is ndjson or avro');
if (values.format === 'avro' && !values.out) fail('--format avro needs --out (a binary file)');

// Never overwrite a file: a generator run is cheap to repeat into a new name.
if (values.out && existsSync(values.out)) fail(`${values.out} exists; give a new file name`);

const schema = connectors[id].avroSchema;
const type = avroType(schema);
const records = generateRecords(id, count, { seed, ...(values['as-of'] ? { asOf: values['as-of'] } : {}) });

if (values.format === 'avro') {
  const encoder = avro.createFileEncoder(values.out!, schema as avro.Schema, { codec: 'deflate' });
  for (const r of records) encoder.write(r);
  encoder.end();
  await once(encoder, 'finish');
} else {
  const out = values.out ? createWriteStream(values.out) : process.stdout;
  for (const r of records) if (!out.write(`${type.toString(r)}\n`)) await once(out, 'drain');
  if (values.out) {
    out.end();
    await once(out, 'finish');
  }
}
