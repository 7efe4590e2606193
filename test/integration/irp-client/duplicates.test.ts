/**
 * 2150 recovery against the sandbox: concurrent submissions of one invoice all end with the same
 * registration, and a duplicate that is not the submitted invoice ends as a clear conflict.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createIrpClient, type IrpClient } from '../../../src/irp/client/index.js';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import { clientConfig, demoInvoice, startSandbox, uniqueDocNo, type Admin } from './harness.js';

let sandbox: RunningSandbox;
let admin: Admin;
let client: IrpClient;
let gstin: string;

beforeAll(async () => {
  ({ sandbox, admin } = await startSandbox());
  gstin = sandbox.credentials.gstin;
  client = createIrpClient(clientConfig(sandbox, { concurrency: { perGstin: 16 } }));
});

afterEach(async () => {
  await admin.clock({ reset: true });
  await admin.resetStats();
});

afterAll(async () => {
  await client?.close();
  await sandbox?.close();
});

describe('IRP client: duplicate IRN (2150) recovery', () => {
  it('12 concurrent submissions of one invoice: one registration, the others recovered to the same IRN', async () => {
    const invoice = demoInvoice(gstin);
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, () => client.generateIrn(structuredClone(invoice))),
    );
    expect(
      outcomes.every((o) => o.kind === 'success'),
      JSON.stringify(outcomes.filter((o) => o.kind !== 'success')),
    ).toBe(true);
    const successes = outcomes.flatMap((o) => (o.kind === 'success' ? [o] : []));
    expect(successes.filter((o) => !o.recovered)).toHaveLength(1);
    expect(successes.filter((o) => o.recovered)).toHaveLength(11);
    expect(new Set(successes.map((o) => o.data.Irn)).size).toBe(1);
    expect(new Set(successes.map((o) => String(o.data.AckNo))).size).toBe(1);
    const stats = await admin.stats();
    expect(stats['generate-irn']).toMatchObject({ requests: 12, succeeded: 1, failed: { '2150': 11 } });
  });

  it('a replay of a registered invoice is recovered and verifiably signed', async () => {
    const invoice = demoInvoice(gstin);
    const first = await client.generateIrn(invoice);
    const replay = await client.generateIrn(invoice);
    expect(replay).toMatchObject({ kind: 'success', recovered: true });
    if (first.kind !== 'success' || replay.kind !== 'success') return;
    expect(replay.data).toMatchObject({
      Irn: first.data.Irn,
      AckNo: first.data.AckNo,
      AckDt: first.data.AckDt,
    });
    expect(replay.info).toEqual([
      { InfCd: 'DUPIRN', Desc: { AckNo: first.data.AckNo, AckDt: first.data.AckDt, Irn: first.data.Irn } },
    ]);
    const verified = await client.verifySigned(replay.data);
    expect(verified.qr).toMatchObject({ ok: true, value: { verified: true } });
  });

  it('same document number with another total: conflict "total-mismatch"', async () => {
    const docNo = uniqueDocNo();
    expect((await client.generateIrn(demoInvoice(gstin, { docNo, amount: 1000 }))).kind).toBe('success');
    const outcome = await client.generateIrn(demoInvoice(gstin, { docNo, amount: 2000 }));
    expect(outcome).toMatchObject({
      kind: 'conflict',
      reason: 'total-mismatch',
      mismatches: [{ field: 'ValDtls.TotInvVal', submitted: 2360, registered: 1180 }],
    });
  });

  it('same document number with another buyer: conflict "buyer-gstin-mismatch"', async () => {
    const docNo = uniqueDocNo();
    expect((await client.generateIrn(demoInvoice(gstin, { docNo }))).kind).toBe('success');
    const outcome = await client.generateIrn(
      demoInvoice(gstin, { docNo, buyer: { gstin: '36AMBPG7773M002', stcd: '36', pin: 500055 } }),
    );
    expect(outcome).toMatchObject({
      kind: 'conflict',
      reason: 'buyer-gstin-mismatch',
      mismatches: [{ field: 'BuyerDtls.Gstin', submitted: '36AMBPG7773M002' }],
    });
  });

  it('a registration older than the retrieval window: recovered in part with 2150 and 2283', async () => {
    const invoice = demoInvoice(gstin);
    expect((await client.generateIrn(invoice)).kind).toBe('success');
    await admin.clock({ advanceMs: 4 * 24 * 60 * 60_000 });
    const outcome = await client.generateIrn(invoice);
    expect(outcome).toMatchObject({
      kind: 'recovered-partial',
      errors: [{ code: '2150' }, { code: '2283' }],
    });
  });
});
