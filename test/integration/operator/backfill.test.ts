/**
 * `irp-bridge backfill` as an operator runs it (the real binary), to the real broker with the sandbox as
 * the IRP over real HTTP:
 * - the three export formats — NDJSON in the Avro JSON encoding, an Avro object container file, and the
 *   connector's JSON (SAP records written by hand from SAP's documentation, connectors/sap/fixtures) —
 *   each record answered by exactly one output; bad input refused in one line, nothing sent or written;
 * - 10,000 records, killed with SIGKILL mid-way and run again: every record answered, no document
 *   registered twice (the records after the last commit come back as recovered 2150s), the summary says
 *   where it resumed.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import avro from 'avsc';
import pino from 'pino';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAvroJson } from '../../../connectors/testkit/avro-codec.js';
import { readDocumented } from '../../../connectors/testkit/documented.js';
import { fromNaturalJson } from '../../../src/adapters/avro/natural-json.js';
import { generateRecords } from '../../../connectors/testkit/generators.js';
import { connectors } from '../../../connectors/registry.js';
import { supplierGstin } from '../../../connectors/types.js';
import { kafkajsClient } from '../../../src/adapters/kafka/kafkajs-client.js';
import { KafkajsTopicReader } from '../../../src/adapters/kafka/topic-reader.js';
import type { SourceConfig } from '../../../src/config/source-config.js';
import { runCliAsync } from '../../support/cli.js';
import { kafkaBrokers } from '../../support/kafka.js';
import {
  SAP_SCHEMA,
  pipelineTopics,
  sourceConfig,
  startSandbox,
  today,
  type PipelineTopics,
  type SandboxHarness,
} from '../../support/pipeline-harness.js';

const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
const BIN = fileURLToPath(new URL('../../../bin/irp-bridge.mjs', import.meta.url));
let h: SandboxHarness;

beforeAll(async () => {
  h = await startSandbox();
});
afterAll(async () => {
  await h.close();
});

interface Output {
  topic: string;
  key: string | null;
  json?: Record<string, unknown>;
  headers: Record<string, string>;
}

async function readAllOutputs(topics: PipelineTopics): Promise<Output[]> {
  const reader = new KafkajsTopicReader(
    kafkajsClient({ clientId: 't', brokers: kafkaBrokers().split(',') }, log),
  );
  const out: Output[] = [];
  try {
    await reader.read(
      [{ topic: topics.results }, { topic: topics.errors }, { topic: topics.deadLetter }],
      (r) => {
        const headers = Object.fromEntries(
          Object.entries(r.headers).map(([k, v]) => [k, v.toString('utf8')]),
        );
        out.push({
          topic: r.topic,
          key: r.key?.toString('utf8') ?? null,
          headers,
          ...(r.topic === topics.deadLetter
            ? {}
            : { json: JSON.parse(r.value!.toString('utf8')) as Record<string, unknown> }),
        });
      },
    );
  } finally {
    await reader.close();
  }
  return out;
}

/** `file:<name>#<index>` of the input an output answers. */
function inputOf(o: Output): string {
  if (o.json) {
    const s = o.json.source as { topic: string; offset: string };
    return `${s.topic}#${s.offset}`;
  }
  return `${o.headers['irp-bridge.errors.topic']}#${o.headers['irp-bridge.errors.offset']}`;
}

function sellersOf(records: unknown[]): string[] {
  const s = new Set<string>();
  for (const r of records) {
    const m = connectors.sap.map(r);
    if (m.ok) s.add(supplierGstin(m.event));
  }
  return [...s];
}

function writeAvroContainer(path: string, records: unknown[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const encoder = avro.createFileEncoder(path, avro.Type.forSchema(SAP_SCHEMA as avro.Schema), {
      codec: 'deflate',
    });
    encoder.on('finish', () => resolve());
    encoder.on('error', reject);
    for (const r of records) encoder.write(r);
    encoder.end();
  });
}

async function setup(prefix: string, sellers: string[]) {
  const topics = await pipelineTopics(prefix, 1);
  const { config, env, dir } = await sourceConfig(h, topics, sellers);
  const file = join(dir, 'source.yaml');
  writeFileSync(file, stringify(config));
  return { topics, config, env, dir, file };
}

describe('irp-bridge backfill', () => {
  it('NDJSON, an Avro container and the connector’s JSON: one output per record; bad input touches nothing', async () => {
    const generated = generateRecords('sap', 30, { seed: 404, asOf: today() });
    const documented = readDocumented('sap').filter((f) => f.tables === undefined);
    const natural = documented.map((f) => f.record);
    const decodedDocumented = natural.map((r) => fromNaturalJson(SAP_SCHEMA, r));
    const { topics, env, dir, file } = await setup(
      'backfill-formats',
      sellersOf([...generated, ...decodedDocumented]),
    );
    const exports = join(dir, 'exports');
    mkdirSync(join(exports, '2025'), { recursive: true });
    writeFileSync(
      join(exports, '2025', 'a.ndjson'),
      `${generated
        .slice(0, 20)
        .map((r) => toAvroJson(SAP_SCHEMA, r))
        .join('\n')}\n{"not": "a record"}\n\n`,
    );
    await writeAvroContainer(join(exports, '2025', 'b.avro'), generated.slice(20));
    writeFileSync(join(exports, 'sap-odata.json'), JSON.stringify(natural, null, 2));
    writeFileSync(join(exports, 'README.txt'), 'not an export');
    const state = join(dir, 'state');

    const r = await runCliAsync(
      ['backfill', '--config', file, '--from', exports, '--state', state, '--json', '--no-progress'],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as {
      files: { name: string; format: string; records: number; processed: number }[];
      ignored: string[];
      totals: { records: number; processed: number; tally: { deadLetters: Record<string, number> } };
    };
    expect(summary.files.map((f) => [f.name, f.format, f.records])).toEqual([
      ['2025/a.ndjson', 'ndjson', 21],
      ['2025/b.avro', 'avro', 10],
      ['sap-odata.json', 'json', natural.length],
    ]);
    expect(summary.ignored).toEqual(['README.txt']);
    expect(summary.totals.processed).toBe(31 + natural.length);

    const outputs = await readAllOutputs(topics);
    const byInput = new Map<string, number>();
    for (const o of outputs) byInput.set(inputOf(o), (byInput.get(inputOf(o)) ?? 0) + 1);
    expect(byInput.size).toBe(31 + natural.length);
    expect([...byInput.values()].every((n) => n === 1)).toBe(true);
    // The line that is not a record is a dead letter pointing at its line; nothing else is.
    const dead = outputs.filter((o) => o.topic === topics.deadLetter);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.headers).toMatchObject({
      'irp-bridge.errors.topic': 'file:2025/a.ndjson',
      'irp-bridge.errors.code': 'AVRO_JSON_INVALID',
      'irp-bridge.source.line': '21',
    });
    // SAP's documented records decode as the connector's JSON: they map, or fail with the codes their
    // fixtures expect (the ERP's own data problems), never as undecodable.
    for (const [i, f] of documented.entries()) {
      const o = outputs.find((x) => inputOf(x) === `file:sap-odata.json#${i}`)!;
      if (!f.expect.ok) {
        expect(o.topic).toBe(topics.errors);
        expect((o.json!.errors as { code: string }[]).map((e) => e.code)).toEqual(
          f.expect.errors.map((e) => e.code),
        );
      } else expect(o.topic === topics.results || o.json!.stage === 'submit', f.name).toBe(true);
    }

    // Again: everything was finished, nothing is sent twice.
    const again = await runCliAsync(
      ['backfill', '--config', file, '--from', exports, '--state', state, '--json', '--no-progress'],
      env,
    );
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as { totals: { processed: number } }).totals.processed).toBe(0);
    expect(await readAllOutputs(topics)).toHaveLength(outputs.length);

    // Bad input: one line, exit 2, nothing sent, no file written.
    const other = join(dir, 'not-mine');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'mine');
    writeFileSync(join(dir, 'broken.avro'), 'not a container');
    writeFileSync(join(dir, 'broken.json'), '[{"VBRK": ');
    const fresh = join(dir, 'fresh-state');
    for (const args of [
      ['--from', join(dir, 'nowhere')],
      ['--from', join(dir, 'broken.avro'), '--state', fresh],
      ['--from', join(dir, 'broken.json'), '--state', fresh],
      ['--from', join(dir, 'source.yaml'), '--state', fresh],
      ['--from', exports, '--format', 'xml', '--state', fresh],
      ['--from', exports, '--batch-size', '0', '--state', fresh],
      ['--from', exports, '--state', other],
      ['--from', join(dir, 'not-mine')],
    ]) {
      const bad = await runCliAsync(['backfill', '--config', file, ...args], env);
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(existsSync(fresh)).toBe(false);
    expect(readdirSync(other)).toEqual(['notes.txt']);
    expect(await readAllOutputs(topics)).toHaveLength(outputs.length);
    const missingTopics = join(dir, 'missing-topics.yaml');
    writeFileSync(
      missingTopics,
      stringify({
        ...JSON.parse(JSON.stringify(await configOf(file))),
        topics: { ...(await configOf(file)).topics, results: 'no-such-results-topic' },
      }),
    );
    const noTopic = await runCliAsync(
      ['backfill', '--config', missingTopics, '--from', exports, '--state', fresh],
      env,
    );
    expect(noTopic.code).toBe(2);
    expect(noTopic.stderr).toMatch(/^irp-bridge: output topic no-such-results-topic does not exist/);
    expect(existsSync(fresh)).toBe(false);
  });

  it(
    '10,000 records, killed with SIGKILL mid-way, resumed: every record answered, no document registered twice',
    { timeout: 900_000 },
    async () => {
      const records = generateRecords('sap', 10_000, { seed: 10_000, asOf: today() });
      const { topics, env, dir, file } = await setup('backfill-10k', sellersOf(records));
      const exports = join(dir, 'exports');
      mkdirSync(exports);
      writeFileSync(
        join(exports, 'part-1.ndjson'),
        `${records
          .slice(0, 6000)
          .map((r) => toAvroJson(SAP_SCHEMA, r))
          .join('\n')}\n`,
      );
      await writeAvroContainer(join(exports, 'part-2.avro'), records.slice(6000));
      const state = join(dir, 'state');
      const args = ['backfill', '--config', file, '--from', exports, '--state', state];
      const registeredBefore = await h.registrations();

      // First run: killed without warning once a third of the first file is committed.
      const child = spawn(process.execPath, [BIN, ...args], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('close', (code, signal) => resolve({ code, signal })),
      );
      const committed = () => {
        if (!existsSync(state)) return 0;
        const f = readdirSync(state).find((n) => n.startsWith('part-1.ndjson') && n.endsWith('.offset'));
        if (!f) return 0;
        try {
          return Number((JSON.parse(readFileSync(join(state, f), 'utf8')) as { offset: string }).offset);
        } catch {
          return 0;
        }
      };
      const started = Date.now();
      while (committed() < 2000 && Date.now() - started < 300_000 && child.exitCode === null)
        await new Promise((r) => setTimeout(r, 100));
      expect(child.exitCode, stderr).toBeNull();
      child.kill('SIGKILL');
      expect((await exited).signal).toBe('SIGKILL');
      const atKill = committed();
      expect(atKill).toBeGreaterThanOrEqual(2000);
      expect(atKill).toBeLessThan(6000);

      // Second run: resumes at the committed offset and finishes.
      const second = await runCliAsync([...args, '--json', '--no-progress'], env, 600_000);
      expect(second.stderr).toBe('');
      expect(second.code).toBe(0);
      const summary = JSON.parse(second.stdout) as {
        seconds: number;
        files: { name: string; records: number; resumedFrom: number; processed: number }[];
        totals: { records: number; processed: number; tally: { recovered: number } };
      };
      expect(summary.files.map((f) => [f.name, f.records, f.resumedFrom])).toEqual([
        ['part-1.ndjson', 6000, atKill],
        ['part-2.avro', 4000, 0],
      ]);
      expect(summary.totals.processed).toBe(10_000 - atKill);
      process.stdout.write(
        `backfill 10k: killed at ${atKill} committed; resumed run ${summary.totals.processed} records in ${summary.seconds.toFixed(1)} s (${Math.round(summary.totals.processed / summary.seconds)}/s), ${summary.totals.tally.recovered} recovered\n`,
      );

      // Every record has an output; the ones answered twice are those after the last commit before the kill.
      const outputs = await readAllOutputs(topics);
      const byInput = new Map<string, Output[]>();
      for (const o of outputs) byInput.set(inputOf(o), [...(byInput.get(inputOf(o)) ?? []), o]);
      for (let i = 0; i < 6000; i++)
        expect(byInput.has(`file:part-1.ndjson#${i}`), `part-1 #${i}`).toBe(true);
      for (let i = 0; i < 4000; i++) expect(byInput.has(`file:part-2.avro#${i}`), `part-2 #${i}`).toBe(true);
      expect(byInput.size).toBe(10_000);
      const twice = [...byInput.entries()].filter(([, os]) => os.length > 1);
      for (const [input] of twice) expect(Number(input.split('#')[1])).toBeGreaterThanOrEqual(atKill);
      // No document registered twice: one IRN per document, and the IRP counted one registration each.
      const irns = new Map<string, Set<string>>();
      for (const o of outputs)
        if (o.topic === topics.results && o.json!.kind === 'generate')
          irns.set(
            String(o.json!.docKey),
            new Set([...(irns.get(String(o.json!.docKey)) ?? []), String(o.json!.Irn)]),
          );
      expect([...irns.values()].every((s) => s.size === 1)).toBe(true);
      expect((await h.registrations()) - registeredBefore).toBe(irns.size);
      // Answered twice means: the second answer recovered the first registration.
      for (const [, os] of twice) {
        const results = os.filter((o) => o.topic === topics.results && o.json!.kind === 'generate');
        if (results.length === 2) expect(results.some((o) => o.json!.recovered === true)).toBe(true);
      }
    },
  );
});

async function configOf(file: string): Promise<SourceConfig> {
  const { parse } = await import('yaml');
  return parse(readFileSync(file, 'utf8')) as SourceConfig;
}
