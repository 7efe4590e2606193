import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromAvroJson } from '../../../connectors/testkit/avro-codec.js';
import { parseSourceConfig } from '../../../src/config/load.js';
import { sourceConnector } from '../../../src/pipeline/connectors.js';
import { runCli } from '../../support/cli.js';

const base = [
  'id: sap-plant-2',
  'connector: sap',
  'kafka: { brokers: ["127.0.0.1:9092"], groupId: g, inputTopics: [erp.sap.billing-documents] }',
  'topics: { results: r, errors: e, deadLetter: d }',
  'irp: { baseUrl: "http://127.0.0.1:8080", credentials: [{ gstin: 29AAHCD4521K1ZH, file: creds.json }] }',
];

describe('site tables in the source config', () => {
  it('a second SAP system with its own customising runs the same build', () => {
    const { config } = parseSourceConfig(
      [
        ...base,
        'tables:',
        '  units: { KRT: CTN }',
        '  conditions: { ZSUR: charge }',
        '  regions: { "29": "29" }',
      ].join('\n'),
      'plant-2.yaml',
    );
    const r = sourceConnector(config);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // The same record mapped by the default SAP connector and by this source's.
    const def = sourceConnector({ connector: 'sap' });
    expect(def.ok).toBe(true);
    if (!def.ok) return;
    const sample = fromAvroJson(r.connector.avroSchema, samplesFirstLine()) as { VBRP: { VRKME: string }[] };
    sample.VBRP[0]!.VRKME = 'KRT';
    const mine = r.connector.map(sample);
    const theirs = def.connector.map(sample);
    expect(mine.ok).toBe(true);
    expect(theirs.ok ? [] : theirs.errors.map((e) => e.code)).toContain('MAP_UNKNOWN_UNIT');
  });

  it('every bad entry is a problem with its path, before the source starts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'irp-tables-'));
    const file = join(dir, 'bad-tables.yaml');
    writeFileSync(
      file,
      [
        ...base,
        'tables:',
        '  units: { KRT: CRATE }',
        '  conditions: { ZSUR: freight }',
        '  colours: { red: "1" }',
      ].join('\n'),
    );
    const r = runCli(['check-config', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('tables.units.KRT: "CRATE" is not a UQC of the IRP unit master');
    expect(r.stderr).toContain('tables.conditions.ZSUR: "freight" is not one of price, discount, charge');
    expect(r.stderr).toContain('tables.colours: not a table of this connector');
  });
});

function samplesFirstLine(): string {
  return readFileSync(
    new URL('../../../connectors/sap/samples/events.ndjson', import.meta.url),
    'utf8',
  ).split('\n')[0]!;
}
