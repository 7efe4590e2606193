/**
 * `irp-bridge write-back`, the reference consumer of the results topic, as an operator runs it (the
 * real binary) on the real broker after a source registered and cancelled invoices at the sandbox: one
 * record per document and event under SAP's field names, a QR image that reads back as the signed QR
 * code, a second run that finds nothing new (its own consumer group committed), the same from the
 * document-status topic, and no file it did not write ever replaced.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encode } from '../../../connectors/testkit/avro-codec.js';
import { generateRecords } from '../../../connectors/testkit/generators.js';
import { connectors } from '../../../connectors/registry.js';
import { fileStem, type WriteBackRecord } from '../../../src/operator/write-back.js';
import { runCliAsync } from '../../support/cli.js';
import { createTopic, uniqueTopic } from '../../support/kafka.js';
import { runSourceUntil, writeConfig, type SapRecord } from '../../support/operator-harness.js';
import {
  SAP_SCHEMA,
  pipelineTopics,
  produce,
  sellerGstins,
  sourceConfig,
  startSandbox,
  today,
  type SandboxHarness,
} from '../../support/pipeline-harness.js';
import { decodeQrPng } from '../../support/qr-decode.js';

const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
let h: SandboxHarness;

beforeAll(async () => {
  h = await startSandbox();
});
afterAll(async () => {
  await h.close();
});

describe('irp-bridge write-back', () => {
  it('writes what SAP stores and the QR image, once per result, resuming where it stopped', async () => {
    // A seeded batch in which an invoice is registered and then cancelled.
    let records: SapRecord[] = [];
    let cancelledKey = '';
    for (let seed = 1; !cancelledKey; seed++) {
      records = generateRecords('sap', 20, { seed, asOf: today() }) as SapRecord[];
      const events = records.map((r) => connectors.sap.map(r));
      const i = events.findIndex(
        (e, n) =>
          e.ok &&
          e.event.kind === 'cancel' &&
          events
            .slice(0, n)
            .some((g) => g.ok && g.event.kind === 'generate' && g.event.docKey === e.event.docKey) &&
          !events.some((x) => x.ok && x.event.kind === 'ewb' && x.event.docKey === e.event.docKey),
      );
      if (i >= 0) cancelledKey = (events[i] as { ok: true; event: { docKey: string } }).event.docKey;
    }
    const topics = await pipelineTopics('write-back', 2);
    const statusTopic = await createTopic(uniqueTopic('write-back-status'), 1);
    const { config, env, dir } = await sourceConfig(h, topics, sellerGstins(records));
    config.topics.documentStatus = statusTopic;
    const file = writeConfig(dir, 'source.yaml', config);
    await produce(
      topics.input,
      records.map((r) => {
        const m = connectors.sap.map(r);
        return { key: m.ok ? m.event.docKey : 'x', value: encode(SAP_SCHEMA, r) };
      }),
    );
    const outputs = await runSourceUntil(config, dir, env, topics, records.length, log);
    const results = outputs.filter((o) => o.topic === topics.results);
    const generated = results.filter((o) => o.json!.kind === 'generate');
    expect(generated.length).toBeGreaterThan(0);

    const out = join(dir, 'write-back');
    const first = await runCliAsync(['write-back', '--config', file, '--out', out, '--once'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`${results.length} records, ${results.length} written back`);
    for (const g of generated) {
      const stem = fileStem(String(g.json!.docKey));
      const rec = JSON.parse(readFileSync(join(out, `${stem}.generate.json`), 'utf8')) as WriteBackRecord;
      expect(rec.targets[0]).toMatchObject({
        target: 'J_1IG_INVREFNUM',
        fields: { IRN: g.json!.Irn, ACK_NO: String(g.json!.AckNo), SIGNED_QRCODE: g.json!.SignedQRCode },
      });
      expect(decodeQrPng(readFileSync(join(out, `${stem}.qr.png`))).text).toBe(g.json!.SignedQRCode);
    }
    const cancel = JSON.parse(
      readFileSync(join(out, `${fileStem(cancelledKey)}.cancel.json`), 'utf8'),
    ) as WriteBackRecord;
    expect(cancel.targets[0]!.fields).toMatchObject({ IRN_STATUS: 'CNL' });
    expect(String(cancel.targets[0]!.fields.CANCEL_DATE)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);

    // Its consumer group committed: nothing new the second time.
    const again = await runCliAsync(['write-back', '--config', file, '--out', out, '--once'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(': 0 records, 0 written back');

    // From the document-status topic, for ERPNext, into another folder.
    const status = join(dir, 'from-status');
    const s = await runCliAsync(
      [
        'write-back',
        '--config',
        file,
        '--out',
        status,
        '--once',
        '--from-status',
        '--erp',
        'erpnext',
        '--group',
        'wb-status',
        '--qr',
        'svg',
      ],
      env,
    );
    expect(s.code, s.stderr).toBe(0);
    const rec = JSON.parse(
      readFileSync(join(status, `${fileStem(String(generated[0]!.json!.docKey))}.generate.json`), 'utf8'),
    ) as WriteBackRecord;
    expect(rec.targets.map((t) => t.target)).toEqual(['Sales Invoice', 'e-Invoice Log']);
    expect(readdirSync(status).some((f) => f.endsWith('.qr.svg'))).toBe(true);

    // Never a file it did not write: a folder of someone else's is refused; a file in the way stops it
    // before that record is committed.
    const foreign = join(dir, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'mine');
    const refused = await runCliAsync(['write-back', '--config', file, '--out', foreign, '--once'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^irp-bridge: refusing to use .*foreign/);
    const blocked = join(dir, 'blocked');
    mkdirSync(blocked);
    const stem = fileStem(String(generated[0]!.json!.docKey));
    const runOnce = (group: string) =>
      runCliAsync(['write-back', '--config', file, '--out', blocked, '--once', '--group', group], env);
    // The first run claims the folder; then a file of someone else's appears where a record would go.
    expect((await runOnce('wb-claim')).code).toBe(0);
    writeFileSync(join(blocked, `${stem}.generate.json`), '{"someone": "else"}');
    const stopped = await runOnce('wb-blocked');
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/refusing to overwrite .*generate\.json/);
    expect(readFileSync(join(blocked, `${stem}.generate.json`), 'utf8')).toBe('{"someone": "else"}');
    for (const bad of [
      ['--erp', 'sage'],
      ['--qr', 'gif'],
    ]) {
      const r = await runCliAsync(['write-back', '--config', file, '--out', join(dir, 'x'), ...bad], env);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
