/**
 * The embedded demo's plumbing with the real runner: an NDJSON file of SAP events → FileSource →
 * JsonEventDecoder → SAP connector → validator → (a gateway that accepts everything) → FileSink. Pins
 * what the runner relies on from the file adapters: `run` ends when the file is exhausted, one output
 * per input, the offset side file says where to resume, and a re-run does not repeat work.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sapConnector } from '../../../../connectors/sap/index.js';
import { JsonEventDecoder } from '../../../../src/adapters/avro/json-decoder.js';
import { FileSink, parseFileSinkLine } from '../../../../src/adapters/file/file-sink.js';
import { FileSource, LINE_HEADER } from '../../../../src/adapters/file/file-source.js';
import { createPipelineMetrics } from '../../../../src/ops/metrics.js';
import type { IrpGateway } from '../../../../src/pipeline/ports.js';
import { DEFAULT_RUNNER_CONFIG, PipelineRunner } from '../../../../src/pipeline/runner.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'irp-bridge-file-pipeline-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const topics = { results: 'demo.results', errors: 'demo.errors', deadLetter: 'demo.dead-letter' };

/** Accepts every event; the IRP itself is not what this test is about. */
const acceptAll: IrpGateway = {
  submit: async (event) => ({
    ok: true,
    success: { data: { Irn: `irn-${event.docKey}`, AckNo: 1 }, recovered: false },
  }),
  available: () => true,
  waitUntilAvailable: async () => undefined,
  close: async () => undefined,
};

async function runDemo(input: string, out: string) {
  const source = new FileSource({ path: input, stateDir: out, batchSize: 4 });
  const sink = new FileSink({ dir: out });
  const runner = new PipelineRunner(
    source,
    sink,
    {
      sourceId: 'demo',
      connector: 'sap',
      topics,
      now: () => new Date(),
      connectorImpl: sapConnector,
      decoder: new JsonEventDecoder({ readerSchema: sapConnector.avroSchema }),
      gateway: acceptAll,
    },
    {
      ...DEFAULT_RUNNER_CONFIG,
      sourceId: 'demo',
      groupId: 'demo',
      commitIntervalMs: 20,
      heartbeatIntervalMs: 50,
    },
    createPipelineMetrics(undefined, false),
    pino({ level: 'silent' }),
  );
  const status = await runner.run();
  await sink.close();
  return { status, source };
}

function outputs(out: string) {
  return readdirSync(out)
    .filter((f) => f.endsWith('.ndjson'))
    .flatMap((f) =>
      readFileSync(join(out, f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => parseFileSinkLine(l)),
    );
}

describe('file source and sink under the pipeline runner', () => {
  it('turns every line into exactly one output, ends with the file, and resumes without repeating', async () => {
    const fixtures = join(import.meta.dirname, '../../../../connectors/sap/fixtures/generated');
    const lines = readdirSync(fixtures)
      .filter((f) => f.endsWith('.input.json'))
      .slice(0, 9)
      .map((f) => JSON.stringify(JSON.parse(readFileSync(join(fixtures, f), 'utf8'))));
    lines.splice(3, 0, '{"EVENT": "CREATED", "this is": "not a billing document"}');
    const input = join(dir, 'events.ndjson');
    writeFileSync(input, `${lines.join('\n')}\n`);
    const out = join(dir, 'out');

    const first = await runDemo(input, out);
    expect(first.status.counts.in).toBe(lines.length);
    const written = outputs(out);
    expect(written).toHaveLength(lines.length);
    expect(first.status.counts.result + first.status.counts.error + first.status.counts['dead-letter']).toBe(
      lines.length,
    );

    const dead = written.filter((r) => r.topic === topics.deadLetter);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.headers).toMatchObject({
      [LINE_HEADER]: '4',
      'irp-bridge.errors.code': 'AVRO_JSON_INVALID',
      'irp-bridge.errors.offset': '3',
    });
    expect(String(dead[0]!.value)).toContain('not a billing document');

    expect(JSON.parse(readFileSync(first.source.offsetFile, 'utf8'))).toMatchObject({
      offset: String(lines.length),
    });

    const second = await runDemo(input, out);
    expect(second.status.counts.in).toBe(0);
    expect(outputs(out)).toHaveLength(lines.length);
  });
});
