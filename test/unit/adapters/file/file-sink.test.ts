import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FileSink,
  fileSinkLine,
  parseFileSinkLine,
  topicFileName,
} from '../../../../src/adapters/file/file-sink.js';
import type { OutputRecord } from '../../../../src/pipeline/ports.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'irp-bridge-file-sink-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');

const result: OutputRecord = {
  topic: 'einvoice.results',
  key: '29AAHCD4521K1ZH/INV/DP-1/14-02-2025',
  value: JSON.stringify({ kind: 'generate', Irn: 'a'.repeat(64), AckNo: 112010036563310 }),
  headers: { 'irp-bridge.output.kind': 'result' },
};
const deadLetter: OutputRecord = {
  topic: 'einvoice.dead-letter',
  key: Buffer.from([0xff, 0x00, 0x01]),
  value: Buffer.from([0x00, 0x00, 0x00, 0x00, 0x07, 0xde, 0xad]),
  headers: { 'irp-bridge.errors.code': 'AVRO_SCHEMA_UNKNOWN', 'trace-id': Buffer.from([0xca, 0xfe]) },
};
const plainText: OutputRecord = { topic: 'einvoice.errors', key: null, value: 'not json {', headers: {} };

describe('FileSink', () => {
  it('appends each record as one NDJSON line of <dir>/<topic>.ndjson', async () => {
    const sink = new FileSink({ dir: join(dir, 'out') });
    expect(sink.transactional).toBe(false);
    await sink.send([result, deadLetter]);
    await sink.send([{ ...result, key: 'second' }]);
    await sink.close();

    const results = lines(join(dir, 'out', 'einvoice.results.ndjson'));
    expect(results).toHaveLength(2);
    expect(JSON.parse(results[0]!)).toEqual({
      topic: 'einvoice.results',
      key: result.key,
      headers: { 'irp-bridge.output.kind': 'result' },
      value: { kind: 'generate', Irn: 'a'.repeat(64), AckNo: 112010036563310 },
      valueEncoding: 'json',
    });
    expect(JSON.parse(results[1]!).key).toBe('second');
    expect(JSON.parse(lines(join(dir, 'out', 'einvoice.dead-letter.ndjson'))[0]!)).toEqual({
      topic: 'einvoice.dead-letter',
      key: '/wAB',
      keyEncoding: 'base64',
      headers: { 'irp-bridge.errors.code': 'AVRO_SCHEMA_UNKNOWN', 'trace-id': 'yv4=' },
      binaryHeaders: ['trace-id'],
      value: 'AAAAAAferQ==',
      valueEncoding: 'base64',
    });
  });

  it('round-trips every kind of record through its line', () => {
    for (const record of [result, deadLetter, plainText]) {
      const back = parseFileSinkLine(fileSinkLine(record));
      expect(back.topic).toBe(record.topic);
      expect(back.key).toEqual(record.key);
      expect(back.headers).toEqual(record.headers);
      expect(back.value).toEqual(record.value);
    }
    expect(JSON.parse(fileSinkLine(plainText))).toMatchObject({ value: 'not json {', valueEncoding: 'utf8' });
    expect(() => parseFileSinkLine('{"a":1}')).toThrow(/not a file-sink line/);
  });

  it('keeps lines whole and in call order when sends overlap', async () => {
    const sink = new FileSink({ dir, fsync: 'send' });
    const big = 'x'.repeat(100_000);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        sink.send([{ topic: 't', key: String(i), value: JSON.stringify({ i, big }), headers: {} }]),
      ),
    );
    await sink.close();
    const written = lines(join(dir, 't.ndjson')).map(
      (l) => JSON.parse(l) as { key: string; value: { i: number } },
    );
    expect(written.map((l) => l.value.i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('appends to what an earlier run wrote', async () => {
    const first = new FileSink({ dir });
    await first.send([result]);
    await first.close();
    const second = new FileSink({ dir });
    await second.send([result]);
    await second.close();
    expect(lines(join(dir, 'einvoice.results.ndjson'))).toHaveLength(2);
  });

  it('refuses sends after close, and closing twice is harmless', async () => {
    const sink = new FileSink({ dir });
    await sink.close();
    await sink.close();
    await expect(sink.send([result])).rejects.toThrow(/closed/);
  });

  it('keeps topic names inside the folder', () => {
    expect(topicFileName('einvoice.results')).toBe('einvoice.results.ndjson');
    expect(topicFileName('../../etc/passwd')).toBe('.._.._etc_passwd.ndjson');
    expect(topicFileName('..')).toBe('_...ndjson');
    expect(topicFileName('')).toBe('_.ndjson');
    expect(new FileSink({ dir }).fileOf('a/b')).toBe(join(dir, 'a_b.ndjson'));
  });
});
