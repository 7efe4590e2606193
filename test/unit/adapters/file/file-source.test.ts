import {
  appendFileSync,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import avro from 'avsc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AvroEventDecoder } from '../../../../src/adapters/avro/avro-decoder.js';
import { JsonEventDecoder } from '../../../../src/adapters/avro/json-decoder.js';
import {
  FileSource,
  formatOf,
  LINE_HEADER,
  readContainerSchema,
} from '../../../../src/adapters/file/file-source.js';
import type { SourceBatch } from '../../../../src/pipeline/ports.js';
import { AMOUNT, DAY, INVOICE_V1, INVOICE_V2, plain, v1 } from '../avro/schemas.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'irp-bridge-file-source-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const record = (i: number) => ({
  id: `INV-${i}`,
  kind: 'CREATED',
  amount: AMOUNT,
  qty: i,
  day: DAY,
  note: null,
});

function writeNdjson(name: string, count: number, from = 0): string {
  const path = join(dir, name);
  const lines = Array.from({ length: count }, (_, i) => v1.toString(record(from + i)));
  appendFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** Runs a source to the end like the runner does: every record resolved, the batch's end committed. */
async function drain(
  source: FileSource,
  onBatch?: (batch: SourceBatch) => Promise<void> | void,
): Promise<SourceBatch[]> {
  const batches: SourceBatch[] = [];
  await source.run(async (batch) => {
    batches.push(batch);
    await onBatch?.(batch);
    for (const m of batch.messages) batch.resolveOffset(m.offset);
    const last = batch.messages.at(-1)!;
    await source.commit([{ topic: batch.topic, partition: 0, offset: String(BigInt(last.offset) + 1n) }]);
  });
  return batches;
}

describe('FileSource over NDJSON', () => {
  it('delivers every line in batches, offsets = record index, one partition named after the file', async () => {
    const path = writeNdjson('events.ndjson', 230);
    const source = new FileSource({ path, stateDir: join(dir, 'out') });
    expect(source.assignment()).toEqual([{ topic: path, partition: 0 }]);
    const batches = await drain(source);
    expect(batches.map((b) => b.messages.length)).toEqual([100, 100, 30]);
    const messages = batches.flatMap((b) => b.messages);
    expect(messages.map((m) => m.offset)).toEqual(Array.from({ length: 230 }, (_, i) => String(i)));
    expect(messages.every((m) => m.topic === path && m.partition === 0 && m.key === null)).toBe(true);
    expect(batches.every((b) => b.isActive())).toBe(false); // the source has finished
    await batches[0]!.heartbeat();
  });

  it('yields each line as bytes the JSON decoder reads, with its line number; blank lines and a BOM are not records', async () => {
    const path = join(dir, 'gaps.jsonl');
    writeFileSync(
      path,
      `\uFEFF${v1.toString(record(0))}\n\n   \n${v1.toString(record(1))}\r\n${v1.toString(record(2))}`,
    );
    const batches = await drain(new FileSource({ path, stateDir: dir }));
    const messages = batches.flatMap((b) => b.messages);
    expect(messages.map((m) => [m.offset, m.headers[LINE_HEADER]])).toEqual([
      ['0', '1'],
      ['1', '4'],
      ['2', '5'],
    ]);
    const decoder = new JsonEventDecoder({ readerSchema: INVOICE_V1 });
    for (const [i, m] of messages.entries())
      expect(plain((await decoder.decode(m.value!)) as object)).toMatchObject({
        ok: true,
        record: { id: `INV-${i}` },
      });
  });

  it('keeps the committed offset in <stateDir>/<name>.offset and resumes after it', async () => {
    const path = writeNdjson('resume.ndjson', 150);
    const stateDir = join(dir, 'state');
    const first = new FileSource({ path, stateDir, batchSize: 40 });
    // The first run stops after two batches (80 records).
    let seen = 0;
    await first.run(async (batch) => {
      for (const m of batch.messages) batch.resolveOffset(m.offset);
      await first.commit([
        { topic: path, partition: 0, offset: String(Number(batch.messages.at(-1)!.offset) + 1) },
      ]);
      if (++seen === 2) void first.stop();
    });
    expect(first.offsetFile).toBe(join(stateDir, 'resume.ndjson.offset'));
    expect(JSON.parse(readFileSync(first.offsetFile, 'utf8'))).toMatchObject({ file: path, offset: '80' });

    const second = await drain(new FileSource({ path, stateDir, batchSize: 40 }));
    const offsets = second.flatMap((b) => b.messages.map((m) => Number(m.offset)));
    expect(offsets[0]).toBe(80);
    expect(offsets.at(-1)).toBe(149);
    expect(JSON.parse(readFileSync(first.offsetFile, 'utf8'))).toMatchObject({ offset: '150' });

    // Nothing new: a third run delivers nothing and ends.
    expect(await drain(new FileSource({ path, stateDir, batchSize: 40 }))).toEqual([]);
  });

  it('resumes an appended file where it stopped, and starts a replaced file from the beginning', async () => {
    const path = writeNdjson('grow.ndjson', 10);
    await drain(new FileSource({ path, stateDir: dir, name: 'grow' }));
    writeNdjson('grow.ndjson', 5, 10);
    const appended = await drain(new FileSource({ path, stateDir: dir, name: 'grow' }));
    expect(appended.flatMap((b) => b.messages.map((m) => m.offset))).toEqual(['10', '11', '12', '13', '14']);

    rmSync(path);
    writeNdjson('grow.ndjson', 3, 100);
    const replaced = await drain(new FileSource({ path, stateDir: dir, name: 'grow' }));
    expect(replaced.flatMap((b) => b.messages.map((m) => m.offset))).toEqual(['0', '1', '2']);
  });

  it('never moves the committed offset backwards', async () => {
    const path = writeNdjson('mono.ndjson', 5);
    const source = new FileSource({ path, stateDir: dir });
    await Promise.all([
      source.commit([{ topic: path, partition: 0, offset: '4' }]),
      source.commit([{ topic: path, partition: 0, offset: '2' }]),
      source.commit([{ topic: 'another-topic', partition: 0, offset: '9' }]),
    ]);
    expect(JSON.parse(readFileSync(source.offsetFile, 'utf8'))).toMatchObject({ offset: '4' });
  });

  it('delivers again, first, the records a handler did not resolve', async () => {
    const path = writeNdjson('redo.ndjson', 10);
    const source = new FileSource({ path, stateDir: dir, batchSize: 4 });
    const delivered: string[][] = [];
    let first = true;
    await source.run(async (batch) => {
      delivered.push(batch.messages.map((m) => m.offset));
      // The first time, finish only the first two (as a runner that was stopping would).
      const finish = first ? batch.messages.slice(0, 2) : batch.messages;
      first = false;
      for (const m of finish) batch.resolveOffset(m.offset);
    });
    expect(delivered).toEqual([
      ['0', '1', '2', '3'],
      ['2', '3', '4', '5'],
      ['6', '7', '8', '9'],
    ]);
  });

  it('delivers nothing while paused, and goes on after resume', async () => {
    const path = writeNdjson('pause.ndjson', 6);
    const source = new FileSource({ path, stateDir: dir, batchSize: 2 });
    const events: string[] = [];
    const run = source.run(async (batch) => {
      events.push(`batch ${batch.messages[0]!.offset}`);
      for (const m of batch.messages) batch.resolveOffset(m.offset);
      if (batch.messages[0]!.offset === '0') {
        source.pause(source.assignment());
        setTimeout(() => {
          events.push('resume');
          source.resume([{ topic: path, partition: 0 }]);
        }, 100);
      }
    });
    await run;
    expect(events).toEqual(['batch 0', 'resume', 'batch 2', 'batch 4']);
  });

  it('ignores pause and resume of partitions it does not have', async () => {
    const path = writeNdjson('other.ndjson', 3);
    const source = new FileSource({ path, stateDir: dir });
    source.pause([
      { topic: path, partition: 1 },
      { topic: 'x', partition: 0 },
    ]);
    expect((await drain(source)).length).toBe(1);
  });

  it('stop() ends a paused run', async () => {
    const path = writeNdjson('stop.ndjson', 6);
    const source = new FileSource({ path, stateDir: dir, batchSize: 2 });
    let batches = 0;
    const run = source.run(async (batch) => {
      batches++;
      for (const m of batch.messages) batch.resolveOffset(m.offset);
      source.pause(source.assignment());
    });
    await new Promise((r) => setTimeout(r, 50));
    await source.stop();
    await run;
    expect(batches).toBe(1);
  });

  it('rejects run with the handler’s error, and stops', async () => {
    const path = writeNdjson('boom.ndjson', 3);
    const source = new FileSource({ path, stateDir: dir });
    await expect(source.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });

  it('rejects run for a missing file', async () => {
    const source = new FileSource({ path: join(dir, 'missing.ndjson'), stateDir: dir });
    await expect(source.run(async () => undefined)).rejects.toThrow(/ENOENT/);
    expect(existsSync(join(dir, 'missing.ndjson.offset'))).toBe(false);
  });
});

describe('FileSource over an Avro object container file', () => {
  async function writeContainer(
    path: string,
    schema: object,
    records: object[],
    codec = 'null',
  ): Promise<void> {
    // createFileEncoder's 'finish' fires before its file stream has written everything (a timed wait
    // after it flaked under load): pipe a block encoder into a file stream and wait for that to close.
    // The schema as given (what createFileEncoder passes too), so the header keeps its short name.
    const encoder = new avro.streams.BlockEncoder(schema as unknown as avro.Type, { blockSize: 256, codec });
    const file = createWriteStream(path);
    const closed = new Promise<void>((resolve, reject) => {
      encoder.on('error', reject);
      file.on('error', reject);
      file.on('close', () => resolve());
    });
    encoder.pipe(file);
    for (const r of records) encoder.write(r);
    encoder.end();
    await closed;
  }

  it('infers the format from the extension', () => {
    expect(formatOf('/x/events.avro')).toBe('avro');
    expect(formatOf('/x/events.AVRO')).toBe('avro');
    expect(formatOf('/x/events.ndjson')).toBe('ndjson');
  });

  it('yields each record’s Avro body, which the raw decoder resolves from the file’s schema to the reader', async () => {
    const path = join(dir, 'events.avro');
    const records = Array.from({ length: 120 }, (_, i) => ({
      id: `INV-${i}`,
      kind: 'CREATED',
      amount: AMOUNT,
      qty: i,
      day: DAY,
      channel: 'edi',
    }));
    await writeContainer(path, INVOICE_V2, records);

    const writerSchema = readContainerSchema(path);
    expect(writerSchema).toMatchObject({ name: 'InvoiceEvent', namespace: 'test.erp' });
    const decoder = new AvroEventDecoder({ readerSchema: INVOICE_V1, writerSchema, wireFormat: 'raw' });
    const batches = await drain(new FileSource({ path, stateDir: dir, batchSize: 50 }));
    expect(batches.map((b) => b.messages.length)).toEqual([50, 50, 20]);
    const decoded = await Promise.all(
      batches.flatMap((b) => b.messages).map((m) => decoder.decode(m.value!)),
    );
    expect(decoded.map((d) => (d.ok ? plain(d.record) : d.failure.code))).toEqual(
      records.map((r) =>
        plain({ id: r.id, kind: r.kind, amount: r.amount, qty: r.qty, day: r.day, note: null }),
      ),
    );
  });

  it('resumes a container file after the committed record', async () => {
    const path = join(dir, 'resume.avro');
    await writeContainer(
      path,
      INVOICE_V1,
      Array.from({ length: 30 }, (_, i) => record(i)),
    );
    const stateDir = join(dir, 'state');
    const first = new FileSource({ path, stateDir, batchSize: 10 });
    await first.run(async (batch) => {
      for (const m of batch.messages) batch.resolveOffset(m.offset);
      await first.commit([{ topic: path, partition: 0, offset: '10' }]);
      void first.stop();
    });
    const rest = await drain(new FileSource({ path, stateDir, batchSize: 10 }));
    const decoder = new AvroEventDecoder({ readerSchema: INVOICE_V1, wireFormat: 'raw' });
    const ids = await Promise.all(
      rest
        .flatMap((b) => b.messages)
        .map(async (m) => ((await decoder.decode(m.value!)) as { record: { id: string } }).record.id),
    );
    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => `INV-${i + 10}`));
  });

  it('reads deflate-compressed container files', async () => {
    const path = join(dir, 'deflate.avro');
    await writeContainer(
      path,
      INVOICE_V1,
      Array.from({ length: 25 }, (_, i) => record(i)),
      'deflate',
    );
    const decoder = new AvroEventDecoder({
      readerSchema: INVOICE_V1,
      writerSchema: readContainerSchema(path),
      wireFormat: 'raw',
    });
    const messages = (await drain(new FileSource({ path, stateDir: dir }))).flatMap((b) => b.messages);
    const decoded = await Promise.all(messages.map((m) => decoder.decode(m.value!)));
    expect(decoded.map((d) => (d.ok ? (d.record as { id: string }).id : d.failure.code))).toEqual(
      Array.from({ length: 25 }, (_, i) => `INV-${i}`),
    );
  });

  it('refuses a file that is not a container file', () => {
    const path = writeNdjson('fake.avro', 1);
    expect(() => readContainerSchema(path)).toThrow(/not an Avro object container file/);
  });
});
