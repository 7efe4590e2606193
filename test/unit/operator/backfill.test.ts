/**
 * The backfill's inputs and reports: finding and counting export files (checked before anything is
 * sent), the state folder it keeps, the connector's JSON read through the Avro path (money kept or the
 * record refused), the file source's JSON arrays, the progress line and the summary.
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { connectors } from '../../../connectors/registry.js';
import { readDocumented } from '../../../connectors/testkit/documented.js';
import { NaturalJsonEventDecoder } from '../../../src/adapters/avro/natural-json-decoder.js';
import { FileSource, INDEX_HEADER, formatOf } from '../../../src/adapters/file/file-source.js';
import { claimStateDir } from '../../../src/cli/owned-output.js';
import {
  countRecords,
  emptyTally,
  findExports,
  formatBackfill,
  progressLine,
  stateNameOf,
  type BackfillReport,
} from '../../../src/operator/backfill.js';
import type { SourceBatch } from '../../../src/pipeline/ports.js';

const SAP = connectors.sap.avroSchema;
const tmp = () => mkdtempSync(join(tmpdir(), 'backfill-unit-'));
/** A record SAP's documentation describes (connectors/sap/fixtures), in natural JSON. */
const documented = readDocumented('sap').find((f) => f.expect.ok && f.tables === undefined)!;

describe('finding and counting exports', () => {
  it('a folder: recursive, in name order, hidden files and the state folder skipped, others listed', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'b'));
    mkdirSync(join(dir, '.state'));
    for (const f of [
      'b/2.ndjson',
      'a.json',
      'c.avro',
      'b/1.jsonl',
      'notes.txt',
      '.hidden.ndjson',
      '.state/x.ndjson',
    ])
      writeFileSync(join(dir, f), '');
    const found = await findExports(dir, { skip: [join(dir, '.state')] });
    expect(found.files.map((f) => [f.name, f.format])).toEqual([
      ['a.json', 'json'],
      ['b/1.jsonl', 'ndjson'],
      ['b/2.ndjson', 'ndjson'],
      ['c.avro', 'avro'],
    ]);
    expect(found.ignored).toEqual(['notes.txt']);
    expect((await findExports(dir, { format: 'ndjson' })).files).toHaveLength(5);
  });

  it('refuses a missing path, a folder without exports and a file of unknown type, each in one line', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'x.csv'), 'a,b');
    await expect(findExports(join(dir, 'nope'))).rejects.toThrow(
      /^cannot read .*nope: no such file or directory$/,
    );
    await expect(findExports(dir)).rejects.toThrow(
      /no export files \(\.avro, \.ndjson, \.jsonl, \.json\) in it$/,
    );
    await expect(findExports(join(dir, 'x.csv'))).rejects.toThrow(/unknown format \(name it/);
  });

  it('counts records: NDJSON lines (blank ones are not records), JSON arrays, Avro containers', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.ndjson'), '\uFEFF{"a":1}\n\n{"a":2}\r\n   \n{"a":3}');
    writeFileSync(join(dir, 'b.json'), ' [ {"x": 1}, {"x": 2} ]');
    writeFileSync(join(dir, 'c.json'), '{"x": 1}\n{"x": 2}\n{"x": 3}\n');
    const type = avro.Type.forSchema({ type: 'record', name: 'R', fields: [{ name: 'n', type: 'int' }] });
    await new Promise<void>((resolve) => {
      const e = avro.createFileEncoder(join(dir, 'd.avro'), type);
      e.on('finish', () => resolve());
      for (let n = 0; n < 7; n++) e.write({ n });
      e.end();
    });
    expect(await countRecords(join(dir, 'a.ndjson'), 'ndjson')).toBe(3);
    expect(await countRecords(join(dir, 'b.json'), 'json')).toBe(2);
    expect(await countRecords(join(dir, 'c.json'), 'json')).toBe(3);
    expect(await countRecords(join(dir, 'd.avro'), 'avro')).toBe(7);
    writeFileSync(join(dir, 'bad.avro'), 'not avro');
    writeFileSync(join(dir, 'bad.json'), '[{"x": ');
    await expect(countRecords(join(dir, 'bad.avro'), 'avro')).rejects.toThrow(
      /not a readable Avro container file/,
    );
    await expect(countRecords(join(dir, 'bad.json'), 'json')).rejects.toThrow(/bad\.json: unreadable/);
  });

  it('state names are readable and unique per path', () => {
    expect(stateNameOf('2025/04/a.ndjson')).toMatch(/^2025_04_a\.ndjson-[0-9a-f]{8}$/);
    expect(stateNameOf('2025/04/a.ndjson')).not.toBe(stateNameOf('2025_04/a.ndjson'));
  });
});

describe('the state folder', () => {
  it('is taken when new or empty, kept for the same source, refused otherwise, and nothing in it removed', () => {
    const dir = tmp();
    const state = join(dir, 'state');
    claimStateDir(state, 'backfill', 'sap-1');
    writeFileSync(join(state, 'a.offset'), '{}');
    claimStateDir(state, 'backfill', 'sap-1');
    expect(readdirSync(state).sort()).toEqual(['.irp-bridge-state.json', 'a.offset']);
    expect(() => claimStateDir(state, 'backfill', 'oracle-1')).toThrow(
      /holds the backfill state of source sap-1/,
    );
    const mine = join(dir, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'notes.txt'), 'x');
    expect(() => claimStateDir(mine, 'backfill', 'sap-1')).toThrow(/was not made by irp-bridge backfill/);
    expect(readdirSync(mine)).toEqual(['notes.txt']);
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => claimStateDir(join(dir, 'file'), 'backfill', 'sap-1')).toThrow(/is not a directory/);
  });
});

describe("the connector's JSON", () => {
  it('a record SAP documents decodes through the Avro path and maps', async () => {
    const decoder = new NaturalJsonEventDecoder({ readerSchema: SAP });
    const decoded = await decoder.decode(Buffer.from(JSON.stringify(documented.record)));
    expect(decoded.ok).toBe(true);
    if (decoded.ok) expect(connectors.sap.map(decoded.record).ok).toBe(true);
  });

  it('amounts as JSON numbers are read by their spelling; digits past the scale refuse the record', async () => {
    const decoder = new NaturalJsonEventDecoder({ readerSchema: SAP });
    const record = structuredClone(documented.record) as { VBRK: { NETWR: unknown } };
    const netwr = Number(record.VBRK.NETWR);
    record.VBRK.NETWR = netwr;
    expect((await decoder.decode(Buffer.from(JSON.stringify(record)))).ok).toBe(true);
    record.VBRK.NETWR = `${netwr.toFixed(2)}9`;
    const refused = await decoder.decode(Buffer.from(JSON.stringify(record)));
    expect(refused.ok).toBe(false);
    if (!refused.ok)
      expect(refused.failure.errors[0]).toMatchObject({
        code: 'NATURAL_JSON_INVALID',
        path: 'VBRK.NETWR',
        message: expect.stringContaining("more decimal places than the schema's scale"),
      });
    const notJson = await decoder.decode(Buffer.from('{"VBRK": '));
    expect(!notJson.ok && notJson.failure.code).toBe('JSON_DECODE');
  });

  it('the file source reads a JSON array file record by record, with its index, and resumes', async () => {
    const dir = tmp();
    const path = join(dir, 'export.json');
    writeFileSync(path, JSON.stringify([{ n: 1 }, { n: 2 }, { n: 3 }]));
    expect(formatOf(path)).toBe('json');
    const drain = async (source: FileSource) => {
      const got: SourceBatch['messages'] = [];
      await source.run(async (batch) => {
        got.push(...batch.messages);
        const last = batch.messages[batch.messages.length - 1]!;
        batch.resolveOffset(last.offset);
        if (last.offset === '1') await source.commit([{ topic: batch.topic, partition: 0, offset: '2' }]);
      });
      return got;
    };
    const first = await drain(new FileSource({ path, stateDir: dir, batchSize: 2 }));
    expect(first.map((m) => [m.value!.toString(), m.headers[INDEX_HEADER]])).toEqual([
      ['{"n":1}', '1'],
      ['{"n":2}', '2'],
      ['{"n":3}', '3'],
    ]);
    const again = new FileSource({ path, stateDir: dir, batchSize: 2 });
    expect((await drain(again)).map((m) => m.offset)).toEqual(['2']);
    expect(again.resumedFrom()).toBe('2');
    // NDJSON of the connector's JSON is read line by line.
    writeFileSync(join(dir, 'lines.json'), '{"n":1}\n{"n":2}\n');
    expect((await drain(new FileSource({ path: join(dir, 'lines.json'), stateDir: dir }))).length).toBe(2);
  });
});

describe('progress and summary', () => {
  it('the progress line: share, counts, rate from this run only, time left', () => {
    const tally = { ...emptyTally(), result: 4000, error: 180, 'dead-letter': 20 };
    expect(
      progressLine({
        done: 6200,
        total: 10_000,
        processed: 4200,
        seconds: 20,
        tally,
        file: '1/2 part-1.ndjson',
        width: 10,
      }),
    ).toBe(
      '[######....]  62% 6,200/10,000  210/s  ETA 18 s  results 4,000 rejected 180 dead 20  1/2 part-1.ndjson',
    );
  });

  it('the summary names the files, what earlier runs finished, the outputs by code, and how to resume', () => {
    const report: BackfillReport = {
      source: 'sap-1',
      stateDir: '/var/lib/irp-bridge/backfill/sap-1',
      seconds: 40,
      ignored: ['README.txt'],
      stopped: 'SIGTERM: stopped after finishing the records in flight',
      files: [
        {
          name: 'part-1.ndjson',
          format: 'ndjson',
          records: 6000,
          resumedFrom: 2000,
          processed: 4000,
          tally: {
            result: 3900,
            recovered: 12,
            error: 95,
            'dead-letter': 5,
            rejections: { '2172': 60, MAP_UNKNOWN_UNIT: 35 },
            deadLetters: { AVRO_JSON_INVALID: 5 },
          },
        },
        {
          name: 'part-2.avro',
          format: 'avro',
          records: 4000,
          resumedFrom: 0,
          processed: 0,
          tally: emptyTally(),
          stopped: 'SIGTERM',
        },
      ],
    };
    const text = formatBackfill(report);
    expect(text).toContain('backfill of source sap-1: 2 file(s), 10,000 records — STOPPED (SIGTERM');
    expect(text).toContain('this run: 4,000 records in 40.0 s (100/s), resumed after 2,000 finished earlier');
    expect(text).toContain(
      'results 3,900 (12 recovered: registered before), rejected 95 (2172×60 MAP_UNKNOWN_UNIT×35), dead letters 5 (AVRO_JSON_INVALID×5)',
    );
    expect(text).toMatch(/part-1\.ndjson\s+ndjson\s+6000\s+2000\s+4000\s+3900\s+95\s+5/);
    expect(text).toContain('ignored (not .avro, .ndjson, .jsonl, .json): README.txt');
    expect(text).toContain(
      'state: /var/lib/irp-bridge/backfill/sap-1 — run the same command again to resume',
    );
  });
});
