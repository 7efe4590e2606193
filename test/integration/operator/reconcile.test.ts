/**
 * `irp-bridge reconcile` as an operator runs it (the real binary), on the real broker with the sandbox as
 * the IRP. A source registers, cancels and has rejected a few SAP invoices; the IRP's clock then moves
 * four days on (past its retrieval window); two documents are registered at the IRP outside the source
 * (as through a GSP's portal) — one the ERP lists but the source never saw, one the source then sends
 * again with another total (a 2150 conflict); one more goes through the source. The ERP's list omits one
 * registered document and has a wrong total and a wrong date for two others. The report finds one of
 * each status, checks every document at the IRP (the old ones are "not checkable", never a mismatch),
 * agrees between the full topics and the document-status topic, and exits 1 because one is missing.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encode } from '../../../connectors/testkit/avro-codec.js';
import { generateRecords } from '../../../connectors/testkit/generators.js';
import { connectors } from '../../../connectors/registry.js';
import type { GenerateEvent, MappedEvent } from '../../../connectors/types.js';
import { createIrpClient } from '../../../src/irp/client/index.js';
import { runCliAsync } from '../../support/cli.js';
import { renumbered, runSourceUntil, type SapRecord } from '../../support/operator-harness.js';
import { createTopic, uniqueTopic } from '../../support/kafka.js';
import {
  SAP_SCHEMA,
  pipelineTopics,
  produce,
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

const mapped = (r: SapRecord): MappedEvent => {
  const m = connectors.sap.map(r);
  if (!m.ok) throw new Error(`unmappable: ${JSON.stringify(m.errors)}`);
  return m.event;
};

/** From a seeded batch: plain B2B invoices, an invoice with its cancel, an SEZ supply (the IRP refuses it). */
function pick() {
  for (let seed = 1; ; seed++) {
    const records = generateRecords('sap', 60, { seed, asOf: today() }) as SapRecord[];
    const events = records.map(mapped);
    const b2b = records.filter(
      (_, i) =>
        events[i]!.kind === 'generate' && (events[i] as GenerateEvent).invoice.TranDtls.SupTyp === 'B2B',
    );
    const cancelAt = events.findIndex(
      (e, i) =>
        e.kind === 'cancel' &&
        events.slice(0, i).some((g) => g.kind === 'generate' && g.docKey === e.docKey) &&
        !events.some((x) => x.kind === 'ewb' && x.docKey === e.docKey),
    );
    const sez = records.find(
      (_, i) =>
        events[i]!.kind === 'generate' &&
        (events[i] as GenerateEvent).invoice.TranDtls.SupTyp.startsWith('SEZ'),
    );
    if (cancelAt < 0 || !sez || b2b.length < 8) continue;
    const cancel = records[cancelAt]!;
    const cancelled = records.find(
      (r, i) => events[i]!.kind === 'generate' && events[i]!.docKey === events[cancelAt]!.docKey,
    )!;
    const plain = b2b.filter((r) => mapped(r).docKey !== mapped(cancelled).docKey);
    // Seller, type and financial year: what a document number is unique within.
    const seller = (r: SapRecord) => {
      const k = mapped(r).docKey.split('/');
      return `${k[0]}/${k[1]}/${k[k.length - 1]}`;
    };
    // Two invoices of one seller: the second's contents will be sent under the first's number.
    const conflictBase = plain.find((a) => plain.some((b) => b !== a && seller(b) === seller(a)));
    if (!conflictBase) continue;
    const swapSource = plain.find((b) => b !== conflictBase && seller(b) === seller(conflictBase))!;
    const rest = plain.filter((r) => r !== conflictBase && r !== swapSource).slice(0, 6);
    if (rest.length < 6) continue;
    return { plain: rest, conflictBase, swapSource, cancelled, cancel, sez };
  }
}

interface Doc {
  status: string;
  docKey: string;
  date?: string;
  Irn?: string;
  irpTotal?: number;
  codes: string[];
  irp?: { check: string; detail: string };
}

describe('irp-bridge reconcile', () => {
  it('finds one document of each status, checks them at the IRP, and exits 1 for the missing one', async () => {
    const { plain, conflictBase, swapSource, cancelled, cancel, sez } = pick();
    const [p1, p2, p3, p4, late, outside] = plain as [
      SapRecord,
      SapRecord,
      SapRecord,
      SapRecord,
      SapRecord,
      SapRecord,
    ];
    const topics = await pipelineTopics('reconcile', 2);
    const statusTopic = await createTopic(uniqueTopic('reconcile-status'), 1);
    const sellers = [
      ...new Set(plain.concat(cancelled, sez, conflictBase).map((r) => mapped(r).docKey.split('/')[0]!)),
    ];
    const { config, env, dir } = await sourceConfig(h, topics, sellers);
    config.topics.documentStatus = statusTopic;
    const file = join(dir, 'source.yaml');
    writeFileSync(file, stringify(config));
    const msg = (r: SapRecord) => ({ key: mapped(r).docKey, value: encode(SAP_SCHEMA, r) });

    // The source's first days: four invoices, one of them cancelled, an SEZ supply refused, garbage.
    await produce(topics.input, [
      msg(p1),
      msg(p2),
      msg(p3),
      msg(p4),
      msg(cancelled),
      msg(cancel),
      msg(sez),
      { key: 'x', value: Buffer.from('not avro') },
    ]);
    await runSourceUntil(config, dir, env, topics, 8, log);

    // Four days later: past the IRP's retrieval window for all of that.
    await h.admin('POST', 'clock', { advanceMs: 4 * 86_400_000 });
    // Two documents registered at the IRP outside the source.
    const seller = mapped(outside).docKey.split('/')[0]!;
    const irp = createIrpClient({
      baseUrl: h.sandbox.baseUrl,
      publicKeyPem: h.sandbox.credentials.publicKeyPem,
      credentials: await Promise.all(
        [...new Set([seller, mapped(conflictBase).docKey.split('/')[0]!])].map((g) => h.account(g)),
      ),
    });
    const outsideIrn = await irp.generateIrn((mapped(outside) as GenerateEvent).invoice);
    const conflictIrn = await irp.generateIrn((mapped(conflictBase) as GenerateEvent).invoice);
    await irp.close();
    expect(outsideIrn.kind).toBe('success');
    expect(conflictIrn.kind).toBe('success');
    // The source then sends another invoice's contents under the number registered outside (a 2150
    // for a different document: a conflict), and one more invoice.
    const swapped = renumbered(swapSource, (mapped(conflictBase) as GenerateEvent).invoice.DocDtls.No);
    expect(mapped(swapped).docKey).toBe(mapped(conflictBase).docKey);
    await produce(topics.input, [
      { key: mapped(swapped).docKey, value: encode(SAP_SCHEMA, swapped) },
      msg(late),
    ]);
    await runSourceUntil(config, dir, env, topics, 10, log);

    // The ERP's list: all but p4 (an orphan), p2 with another total, p3 with another date in the same
    // year, the document registered outside (missing), the conflicting one, the refused one.
    const erp = (r: SapRecord, change: { total?: number; date?: string } = {}) => {
      const e = mapped(r) as GenerateEvent;
      const d = e.invoice.DocDtls;
      return `${e.invoice.SellerDtls.Gstin},${d.Typ},${d.No},${change.date ?? d.Dt},${(change.total ?? e.invoice.ValDtls.TotInvVal).toFixed(2)}`;
    };
    const p2Total = (mapped(p2) as GenerateEvent).invoice.ValDtls.TotInvVal + 500;
    const p3Date = (mapped(p3) as GenerateEvent).invoice.DocDtls.Dt;
    const [dd, mm, yyyy] = p3Date.split('/');
    const otherDay = `${dd === '01' ? '02' : '01'}/${mm}/${yyyy}`;
    const list = join(dir, 'erp.csv');
    writeFileSync(
      list,
      [
        'seller,type,number,date,total',
        erp(p1),
        erp(p2, { total: p2Total }),
        erp(p3, { date: otherDay }),
        erp(cancelled),
        erp(sez),
        erp(outside),
        erp(swapped),
        erp(late),
      ].join('\n'),
    );

    const r = await runCliAsync(
      [
        'reconcile',
        '--config',
        file,
        '--erp',
        list,
        '--check-irp',
        '--irp-since',
        '2017-07-01',
        '--format',
        'json',
      ],
      env,
    );
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as {
      counts: Record<string, number>;
      documents: Doc[];
      unattributed: { kind: string; codes: string[] }[];
      irp: { counts: Record<string, number> };
    };
    const by = new Map(report.documents.map((d) => [d.docKey, d]));
    const of = (rec: SapRecord) => by.get(mapped(rec).docKey)!;
    expect(of(p1).status).toBe('registered');
    expect(of(p2).status).toBe('amount-mismatch');
    expect(of(p3).status).toBe('date-mismatch');
    expect(of(p4).status).toBe('orphan');
    expect(of(cancelled).status).toBe('cancelled');
    expect(of(sez).status).toBe('rejected');
    expect(of(sez).codes.length).toBeGreaterThan(0);
    expect(of(outside).status).toBe('missing');
    expect(of(swapped).status).toBe('conflict');
    expect(of(swapped).codes).toContain('2150');
    expect(of(late).status).toBe('registered');
    expect(report.counts).toEqual({
      registered: 2,
      'amount-mismatch': 1,
      'date-mismatch': 1,
      orphan: 1,
      cancelled: 1,
      rejected: 1,
      missing: 1,
      conflict: 1,
    });
    expect(report.unattributed).toEqual([expect.objectContaining({ kind: 'dead-letter' })]);
    // At the IRP: what it registered four days ago it will not show (2283) — not a mismatch; what it
    // registered since, it confirms; what the outputs lack, it reveals.
    expect(of(p1).irp).toMatchObject({ check: 'not-checkable', detail: expect.stringContaining('2283') });
    expect(of(cancelled).irp!.check).toBe('not-checkable');
    expect(of(late).irp!.check).toBe('agrees');
    expect(of(outside).irp).toMatchObject({
      check: 'irp-registered',
      detail: expect.stringContaining(outsideIrn.kind === 'success' ? outsideIrn.data.Irn : ''),
    });
    expect(of(swapped).irp!.check).toBe('irp-registered');
    expect(of(sez).irp!.check).toBe('agrees');

    // The same from the document-status topic (one record per document), as CSV into a new file.
    const csv = join(dir, 'report.csv');
    const s = await runCliAsync(
      ['reconcile', '--config', file, '--erp', list, '--from-status', '--format', 'csv', '--out', csv],
      env,
    );
    expect(s.code, s.stderr).toBe(1);
    expect(s.stderr).toMatch(/^reconcile .*written to /);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(
      'status,doc_key,seller,type,number,date,erp_total,irp_total,irn,ack_no,ack_date,irp_status,ewb_no,codes,detail,irp_check,irp_detail,erp_line',
    );
    const statuses = new Map(lines.slice(1).map((l) => [l.split(',')[1], l.split(',')[0]]));
    for (const [key, d] of by) expect(statuses.get(key), key).toBe(d.status);

    // The table, and an exit code of 0 when nothing fails (missing allowed).
    const table = await runCliAsync(
      ['reconcile', '--config', file, '--erp', list, '--fail-on', 'orphan', '--only', 'missing', 'conflict'],
      env,
    );
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(
      /^reconcile test-\S+: 9 document\(s\) — registered 2, cancelled 1, rejected 1, conflict 1, missing 1, orphan 1, amount-mismatch 1, date-mismatch 1/,
    );
    expect(table.stdout.split('\n').filter((l) => /^ {2}(missing|conflict) /.test(l))).toHaveLength(2);
    const ok = await runCliAsync(['reconcile', '--config', file, '--fail-on', 'missing'], env);
    expect(ok.code, ok.stderr).toBe(0);

    // Bad input: one line, exit 2, nothing written.
    writeFileSync(
      join(dir, 'bad.csv'),
      'seller,type,number,date,total\n29AAACI1681G1ZI,INV,A1,31/02/2025,100\n',
    );
    writeFileSync(join(dir, 'nohead.csv'), 'gstin,no\n29AAACI1681G1ZI,A1\n');
    for (const args of [
      ['--erp', join(dir, 'bad.csv')],
      ['--erp', join(dir, 'nohead.csv')],
      ['--erp', join(dir, 'nowhere.csv')],
      ['--erp', join(dir, 'source.yaml')],
      ['--format', 'xml'],
      ['--fail-on', 'gone'],
      ['--since', '2025-13-01'],
      ['--sample', '5'],
      ['--out', csv],
    ]) {
      const bad = await runCliAsync(['reconcile', '--config', file, ...args], env);
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(readFileSync(csv, 'utf8').trim().split('\n')).toHaveLength(lines.length);
    const noStatus = join(dir, 'no-status.yaml');
    writeFileSync(
      noStatus,
      stringify({ ...config, topics: { ...config.topics, documentStatus: undefined } }),
    );
    const ns = await runCliAsync(['reconcile', '--config', noStatus, '--from-status'], env);
    expect(ns.code).toBe(2);
    expect(existsSync(join(dir, 'nowhere.csv'))).toBe(false);
  });
});
