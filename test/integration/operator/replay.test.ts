/**
 * `irp-bridge replay` as an operator runs it (the real binary), on the real broker with the sandbox as
 * the IRP over real HTTP. A source meets three kinds of trouble — SEZ supplies to a buyer the IRP's
 * master does not know as SEZ (rejected at submit), a sales unit without a UQC (a mapping error), a
 * producer that moved to a newer writer schema (a dead letter) — plus garbage. The operator fixes the
 * master, the site table and the schema, then replays: a dry run shows what would be sent and sends
 * nothing; the replay sends only what now passes, never a document that already has an IRN, and its
 * outputs name the failure record they re-drive; a second replay sends nothing. Bad input is one
 * line, exit 2, nothing written.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encode } from '../../../connectors/testkit/avro-codec.js';
import { generateRecords } from '../../../connectors/testkit/generators.js';
import { connectors } from '../../../connectors/registry.js';
import type { SourceConfig } from '../../../src/config/source-config.js';
import { runCliAsync } from '../../support/cli.js';
import {
  renumbered,
  runSourceUntil,
  sapDocKey,
  writeConfig,
  type SapRecord,
} from '../../support/operator-harness.js';
import { createTopic, uniqueTopic } from '../../support/kafka.js';
import {
  SAP_SCHEMA,
  pipelineTopics,
  produce,
  readOutputs,
  sourceConfig,
  startSandbox,
  today,
  type SandboxHarness,
} from '../../support/pipeline-harness.js';

const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
let h: SandboxHarness;

beforeAll(async () => {
  h = await startSandbox();
});
afterAll(async () => {
  await h.close();
});

/** Generated SAP invoices: plain B2B ones, and one SEZ supply. */
function invoices(): { b2b: SapRecord[]; sez: SapRecord } {
  for (let seed = 70; ; seed++) {
    const records = generateRecords('sap', 60, { seed, asOf: today() }) as SapRecord[];
    const kind = (r: SapRecord) => {
      const m = connectors.sap.map(r);
      return m.ok && m.event.kind === 'generate' ? m.event.invoice.TranDtls.SupTyp : undefined;
    };
    const sez = records.find((r) => kind(r)?.startsWith('SEZ'));
    const b2b = records.filter((r) => kind(r) === 'B2B').slice(0, 6);
    if (sez && b2b.length === 6) return { b2b, sez };
  }
}

describe('irp-bridge replay', () => {
  it('re-drives fixed dead letters and rejections, never a document that has an IRN', async () => {
    const topics = await pipelineTopics('replay', 2);
    const statusTopic = await createTopic(uniqueTopic('replay-status'), 1);
    const { b2b, sez } = invoices();
    const sezA = sez;
    const sezB = renumbered(sez, 'SEZB0001');
    const badUnit = renumbered(b2b[0]!, 'UNIT0001');
    const badUnitKey = sapDocKey(badUnit);
    badUnit.VBRP[0]!.VRKME = 'ZZZ';
    const newSchema = renumbered(b2b[1]!, 'NEWS0001');
    const v2 = structuredClone(SAP_SCHEMA) as { fields: Record<string, unknown>[] };
    v2.fields.push({ name: 'SOURCE_SYSTEM', type: 'string', default: 'S4H' });
    const plain = b2b.slice(2);
    const sellers = [
      ...new Set([...plain, sezA, b2b[0]!, newSchema].map((r) => sapDocKey(r).split('/')[0]!)),
    ];
    const { config, env, dir } = await sourceConfig(h, topics, sellers);
    config.topics.documentStatus = statusTopic;
    const baseFile = writeConfig(dir, 'source.yaml', config);

    const msg = (r: SapRecord, schema = SAP_SCHEMA, key = sapDocKey(r)) => ({
      key,
      value: encode(schema, r),
    });
    await produce(topics.input, [
      ...plain.map((r) => msg(r)),
      msg(sezA),
      msg(sezB),
      msg(badUnit, SAP_SCHEMA, badUnitKey),
      msg({ ...newSchema, SOURCE_SYSTEM: 'S4H' }, v2 as never),
      { key: 'garbage', value: Buffer.from('not avro \u0000\u0001\u0002') },
    ]);
    let outputs = await runSourceUntil(config, dir, env, topics, plain.length + 5, log);
    const errors = outputs.filter((o) => o.topic === topics.errors);
    const dead = outputs.filter((o) => o.topic === topics.deadLetter);
    expect(outputs.filter((o) => o.topic === topics.results)).toHaveLength(plain.length);
    expect(errors.map((e) => e.json!.docKey).sort()).toEqual([sapDocKey(sezA), sapDocKey(sezB), null].sort());
    expect(errors.find((e) => e.json!.docKey === null)!.headers['irp-bridge.errors.code']).toBe(
      'MAP_UNKNOWN_UNIT',
    );
    expect(dead).toHaveLength(2);

    // The operator records the SEZ buyer in the IRP's master; the ERP sends invoice A once more itself.
    const buyer = (
      connectors.sap.map(sezA) as { ok: true; event: { invoice: { BuyerDtls: { Gstin: string } } } }
    ).event.invoice.BuyerDtls.Gstin;
    await h.admin('PUT', `taxpayers/${buyer}`, {
      txpType: 'SEZ',
      status: 'ACT',
      stateCode: buyer.slice(0, 2),
    });
    await produce(topics.input, [msg(sezA)]);
    outputs = await runSourceUntil(config, dir, env, topics, plain.length + 6, log);
    const resultA = outputs.find((o) => o.topic === topics.results && o.json!.docKey === sapDocKey(sezA))!;
    expect(resultA.json!.Irn).toMatch(/^[0-9a-f]{64}$/);
    const before = outputs.length;
    const registrations = await h.registrations();

    // Dry run of the rejections at submit: B would be sent (its payload shown), A never (it has an IRN).
    const dry = await runCliAsync(
      ['replay', '--config', baseFile, '--from', 'errors', '--stage', 'submit', '--dry-run', '--json'],
      env,
    );
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    const plan = JSON.parse(dry.stdout) as {
      dryRun: boolean;
      send: number;
      items: {
        action: string;
        reason?: string;
        docKey: string;
        payload?: { DocDtls: { No: string } };
        detail?: string;
      }[];
    };
    expect(plan.dryRun).toBe(true);
    const byDoc = new Map(plan.items.map((i) => [i.docKey, i]));
    expect(byDoc.get(sapDocKey(sezB))).toMatchObject({
      action: 'send',
      payload: { DocDtls: { No: 'SEZB0001' } },
    });
    expect(byDoc.get(sapDocKey(sezA))).toMatchObject({ action: 'skip', reason: 'has-irn' });
    expect(byDoc.get(sapDocKey(sezA))!.detail).toContain(String(resultA.json!.Irn));
    expect(plan.send).toBe(1);
    expect(await readOutputs(topics, before, 3000, 300)).toHaveLength(before);

    // The replay: B is registered, its result names the rejection it re-drives and its own input.
    const errorB = errors.find((e) => e.json!.docKey === sapDocKey(sezB))!;
    const errorBAt = await offsetOf(topics.errors, sapDocKey(sezB));
    const run = await runCliAsync(
      ['replay', '--config', baseFile, '--from', 'errors', '--stage', 'submit'],
      env,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/sent 1, skipped has-irn 1/);
    expect(run.stdout).toMatch(/→ IRN [0-9a-f]{64}/);
    outputs = await readOutputs(topics, before + 1, 20_000, 500);
    const resultB = outputs.find((o) => o.topic === topics.results && o.json!.docKey === sapDocKey(sezB))!;
    expect(resultB.json!.Irn).toMatch(/^[0-9a-f]{64}$/);
    expect(resultB.json!.source).toEqual(errorB.json!.source);
    expect(resultB.headers).toMatchObject({
      'irp-bridge.replay.topic': topics.errors,
      'irp-bridge.replay.offset': errorBAt,
    });
    expect(resultB.headers['irp-bridge.replay.id']).toMatch(/^replay-/);
    expect(await h.registrations()).toBe(registrations + 1);
    // The document-status topic follows: B registered.
    const status = await readValues(statusTopic);
    expect(status.some((s) => s.docKey === sapDocKey(sezB) && s.state === 'registered')).toBe(true);

    // Replaying again sends nothing: B's input has a result now, A's document an IRN.
    const again = await runCliAsync(
      ['replay', '--config', baseFile, '--from', 'errors', '--stage', 'submit', '--json'],
      env,
    );
    expect(again.code).toBe(0);
    const second = JSON.parse(again.stdout) as { send: number; skipped: Record<string, number> };
    expect(second.send).toBe(0);
    expect(second.skipped).toEqual({ answered: 1, 'has-irn': 1 });

    // The mapping fix: a site table for the unit. Only the MAP_UNKNOWN_UNIT rejection is re-driven.
    const unitsFixed = writeConfig(dir, 'units-fixed.yaml', {
      ...config,
      tables: { units: { ZZZ: 'BOX' } },
    } as SourceConfig);
    const units = await runCliAsync(
      ['replay', '--config', unitsFixed, '--from', 'errors', '--code', 'MAP_UNKNOWN_UNIT'],
      env,
    );
    expect(units.code).toBe(0);
    expect(units.stdout).toMatch(/sent 1\b/);

    // The schema fix: the producer's new writer schema. The dead letter of that record is re-driven; the
    // garbage still fails to decode and is only reported.
    writeFileSync(join(dir, 'sap-v2.avsc'), JSON.stringify(v2));
    const schemaFixed = writeConfig(dir, 'schema-fixed.yaml', {
      ...config,
      avro: { wireFormat: 'raw', schemaFile: 'sap-v2.avsc' },
    });
    const dlDry = await runCliAsync(
      ['replay', '--config', schemaFixed, '--from', 'dead-letter', '--dry-run'],
      env,
    );
    expect(dlDry.code).toBe(0);
    expect(dlDry.stdout).toMatch(/would send 1, skipped still-fails 1/);
    expect(dlDry.stdout).toContain(`would send generate ${sapDocKey(newSchema)}`);
    const dl = await runCliAsync(['replay', '--config', schemaFixed, '--from', 'dead-letter'], env);
    expect(dl.code).toBe(0);
    outputs = await readOutputs(topics, before + 3, 20_000, 500);
    const resultC = outputs.find(
      (o) => o.topic === topics.results && o.json!.docKey === sapDocKey(newSchema),
    )!;
    expect(resultC.json!.Irn).toMatch(/^[0-9a-f]{64}$/);
    expect(resultC.headers['irp-bridge.replay.topic']).toBe(topics.deadLetter);
    expect(outputs.filter((o) => o.topic === topics.results && o.json!.docKey === badUnitKey)).toHaveLength(
      1,
    );
    expect(outputs).toHaveLength(before + 3);

    // Bad input: one line, exit 2, nothing written.
    const count = outputs.length;
    const missingTopic = writeConfig(dir, 'missing-topic.yaml', {
      ...config,
      topics: { ...config.topics, deadLetter: uniqueTopic('replay-nope') },
    });
    for (const args of [
      ['--config', baseFile, '--from', 'somewhere'],
      ['--config', baseFile, '--from', 'errors', '--since', 'yesterday'],
      ['--config', baseFile, '--from', 'errors', '--since', '2025-05-02', '--until', '2025-05-01'],
      ['--config', baseFile, '--from', 'errors', '--stage', 'publishing'],
      ['--config', baseFile, '--from', 'errors', '--doc-key', 'not-a-key'],
      ['--config', join(dir, 'nope.yaml'), '--from', 'errors'],
      ['--config', missingTopic, '--from', 'dead-letter'],
    ]) {
      const r = await runCliAsync(['replay', ...args], env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^irp-bridge: /);
    }
    expect(await readOutputs(topics, count, 3000, 300)).toHaveLength(count);
  });
});

/** The JSON values on a topic, through the tools' own reader. */
async function readValues(topic: string): Promise<Record<string, unknown>[]> {
  const { kafkajsClient } = await import('../../../src/adapters/kafka/kafkajs-client.js');
  const { KafkajsTopicReader } = await import('../../../src/adapters/kafka/topic-reader.js');
  const { kafkaBrokers } = await import('../../support/kafka.js');
  const reader = new KafkajsTopicReader(
    kafkajsClient({ clientId: 't', brokers: kafkaBrokers().split(',') }, log),
  );
  const values: Record<string, unknown>[] = [];
  try {
    await reader.read([{ topic }], (r) => void values.push(JSON.parse(r.value!.toString('utf8'))));
  } finally {
    await reader.close();
  }
  return values;
}

/** The offset of the errors record of `docKey` (the one the replay headers must name). */
async function offsetOf(topic: string, docKey: string): Promise<string> {
  const { kafkaClient, uniqueGroupId } = await import('../../support/kafka.js');
  const consumer = kafkaClient().consumer({ groupId: uniqueGroupId('offset-of'), maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let found: string | undefined;
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (message.key?.toString() === docKey) found ??= message.offset;
    },
  });
  const started = Date.now();
  while (!found && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 100));
  await consumer.disconnect();
  return found!;
}
