/**
 * Issue 14, items 2 and 3, against the sandbox over real HTTP with its settable clock and faults: a
 * document the IRP confirms as registered is never published as an error — past the three-day
 * retrieval window (2283), while the registration is not yet readable after DUPIRN, or after NIC
 * rotates its signing certificate.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createIrpClient, type IrpClient } from '../../../src/irp/client/index.js';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import { clientConfig, demoInvoice, startSandbox, type Admin } from './harness.js';

const DAY_MS = 24 * 60 * 60_000;

let sandbox: RunningSandbox;
let admin: Admin;
let client: IrpClient;
let gstin: string;

beforeAll(async () => {
  ({ sandbox, admin } = await startSandbox());
  gstin = sandbox.credentials.gstin;
  client = createIrpClient(clientConfig(sandbox));
});

afterEach(async () => {
  await admin.clearFaults();
  await admin.clock({ reset: true });
  await admin.resetStats();
});

afterAll(async () => {
  await client?.close();
  await sandbox?.close();
});

describe('a replay past the IRP retrieval window (item 2)', () => {
  it('publishes the IRN, AckNo and AckDt from DUPIRN, marked recovered and partial, not a conflict', async () => {
    const invoice = demoInvoice(gstin);
    const first = await client.generateIrn(invoice);
    if (first.kind !== 'success') throw new Error(JSON.stringify(first));
    await admin.clock({ advanceMs: 4 * DAY_MS });

    const replay = await client.generateIrn(invoice);
    expect(replay).toMatchObject({
      kind: 'recovered-partial',
      recovered: true,
      data: { Irn: first.data.Irn, AckNo: first.data.AckNo, AckDt: first.data.AckDt },
      missing: ['SignedInvoice', 'SignedQRCode'],
      unverified: ['BuyerDtls.Gstin', 'ValDtls.TotInvVal', 'Status'],
      errors: [{ code: '2150' }, { code: '2283' }],
    });
    const stats = await admin.stats();
    expect(stats['get-irn']).toMatchObject({ failed: { '2283': 1 } });
  });

  it('a replayed cancel past the window is recovered in part, not a 9999 rejection', async () => {
    const first = await client.generateIrn(demoInvoice(gstin));
    if (first.kind !== 'success') throw new Error(JSON.stringify(first));
    const cancel = { Irn: first.data.Irn, CnlRsn: '1' as const, CnlRem: 'duplicate' };
    expect(await client.cancelIrn(gstin, cancel)).toMatchObject({ kind: 'success', recovered: false });
    await admin.clock({ advanceMs: 4 * DAY_MS });

    const replay = await client.cancelIrn(gstin, cancel);
    expect(replay).toMatchObject({
      kind: 'recovered-partial',
      data: { Irn: first.data.Irn },
      missing: ['CancelDate'],
      unverified: ['Status'],
      errors: [{ code: '9999' }, { code: '2283' }],
    });
  });

  it('inside the window a replayed cancel is still a full recovery', async () => {
    const first = await client.generateIrn(demoInvoice(gstin));
    if (first.kind !== 'success') throw new Error(JSON.stringify(first));
    const cancel = { Irn: first.data.Irn, CnlRsn: '2' as const, CnlRem: 'typo' };
    expect(await client.cancelIrn(gstin, cancel)).toMatchObject({ kind: 'success' });
    expect(await client.cancelIrn(gstin, cancel)).toMatchObject({
      kind: 'success',
      recovered: true,
      data: { Irn: first.data.Irn },
    });
  });
});

describe('2150 recovery without false conflicts (item 3)', () => {
  it('a registration readable only 5 s after DUPIRN is adopted (the settle deadline is tens of seconds)', async () => {
    const invoice = demoInvoice(gstin);
    const first = await client.generateIrn(invoice);
    if (first.kind !== 'success') throw new Error(JSON.stringify(first));
    // The IRP's read side lags its de-duplication registry: Get by IRN says "not available" for 5 s.
    await admin.addFault({
      name: 'read-lag',
      scope: { apis: ['get-irn'] },
      failure: { kind: 'envelope-error', code: '2148' },
      window: { forMs: 5_000 },
    });
    const started = Date.now();
    const replay = await client.generateIrn(invoice);
    expect(replay, JSON.stringify(replay)).toMatchObject({
      kind: 'success',
      recovered: true,
      data: { Irn: first.data.Irn, AckNo: first.data.AckNo },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);
    const stats = await admin.stats();
    expect(stats['get-irn']!.faults['read-lag']).toBeGreaterThan(3);
  });

  it('adopts registrations signed before NIC rotated its signing certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'irp-rotation-'));
    const db = join(dir, 'sandbox.db');
    try {
      const before = await startSandbox({ db });
      const oldCert = before.sandbox.credentials.signingCertPem;
      const early = createIrpClient(clientConfig(before.sandbox));
      const invoice = demoInvoice(before.sandbox.credentials.gstin);
      const first = await early.generateIrn(invoice);
      await early.close();
      await before.sandbox.close();
      if (first.kind !== 'success') throw new Error(JSON.stringify(first));

      // The IRP's operator rotates the signing key: the restarted sandbox signs with a new certificate,
      // while the registration keeps the signature it was made with.
      const sqlite = new Database(db);
      sqlite.prepare("DELETE FROM key_material WHERE purpose = 'signing'").run();
      sqlite.close();
      const after = await startSandbox({ db });
      try {
        const newCert = after.sandbox.credentials.signingCertPem;
        expect(newCert).not.toBe(oldCert);

        const onlyNew = createIrpClient(clientConfig(after.sandbox, { signingCertPem: newCert }));
        const strict = await onlyNew.generateIrn(invoice);
        await onlyNew.close();
        expect(strict).toMatchObject({ kind: 'conflict', reason: 'unverifiable' });

        // The certificate set: the current certificate first, the earlier one after it (one PEM bundle).
        const both = createIrpClient(
          clientConfig(after.sandbox, { signingCertPem: `${newCert}\n${oldCert}` }),
        );
        const replay = await both.generateIrn(invoice);
        const fresh = await both.generateIrn(demoInvoice(after.sandbox.credentials.gstin));
        const again = fresh.kind === 'success' ? await both.generateIrn(structuredClone(invoice)) : fresh;
        await both.close();
        expect(replay, JSON.stringify(replay)).toMatchObject({
          kind: 'success',
          recovered: true,
          data: { Irn: first.data.Irn },
        });
        expect(again).toMatchObject({ kind: 'success', recovered: true });
      } finally {
        await after.sandbox.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
