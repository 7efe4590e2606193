/**
 * Every IRP API through the client against the sandbox over real HTTP: success paths, business
 * rejections (never retried), both auth versions, and the signed JWT / QR handling of a real answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIrpClient, type IrnDetails, type IrpClient } from '../../../src/irp/client/index.js';
import { DEMO_BUYER_GSTIN, type RunningSandbox } from '../../../src/sandbox/index.js';
import { decodeQrPng } from '../../support/qr-decode.js';
import { clientConfig, demoInvoice, startSandbox, type Admin } from './harness.js';

let sandbox: RunningSandbox;
let admin: Admin;
let client: IrpClient;
let gstin: string;

beforeAll(async () => {
  ({ sandbox, admin } = await startSandbox());
  gstin = sandbox.credentials.gstin;
  client = createIrpClient(clientConfig(sandbox));
});

afterAll(async () => {
  await client?.close();
  await sandbox?.close();
});

function expectSuccess<T>(outcome: { kind: 'success'; data: T } | { kind: Exclude<string, 'success'> }): T {
  expect(outcome.kind, JSON.stringify(outcome)).toBe('success');
  return (outcome as { data: T }).data;
}

describe('IRP client: every API against the sandbox', () => {
  let generated: IrnDetails;
  const invoice = () => demoInvoice(gstin, { amount: 2500 });
  let submitted: ReturnType<typeof invoice>;

  it('Generate IRN returns AckNo, AckDt, Irn and both signed JWTs', async () => {
    submitted = invoice();
    const outcome = await client.generateIrn(submitted);
    generated = expectSuccess(outcome);
    expect(outcome).toMatchObject({ recovered: false });
    expect(generated.Irn).toMatch(/^[0-9a-f]{64}$/);
    expect(String(generated.AckNo)).toMatch(/^\d{15}$/);
    expect(generated.AckDt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(generated.Status).toBe('ACT');
  });

  it('SignedInvoice and SignedQRCode verify against the signing certificate and decode', async () => {
    const { invoice: inv, qr } = await client.verifySigned(generated);
    expect(inv).toMatchObject({ ok: true, value: { verified: true } });
    expect(qr).toMatchObject({
      ok: true,
      value: {
        verified: true,
        data: {
          SellerGstin: gstin,
          BuyerGstin: DEMO_BUYER_GSTIN,
          DocNo: submitted.DocDtls.No,
          TotInvVal: 2950,
          Irn: generated.Irn,
        },
      },
    });
    if (inv.ok)
      expect(inv.value.data).toMatchObject({
        Irn: generated.Irn,
        AckNo: generated.AckNo,
        BuyerDtls: { Gstin: DEMO_BUYER_GSTIN },
      });
  });

  it('renders the QR JWT as PNG (decodable to the JWT) and SVG', async () => {
    const png = await client.renderQr(generated.SignedQRCode, 'png');
    expect(decodeQrPng(png).text).toBe(generated.SignedQRCode);
    expect(await client.renderQr(generated.SignedQRCode, 'svg')).toMatch(/^<svg/);
  });

  it('Get e-invoice by IRN and Get IRN by document details return the registration', async () => {
    expect(expectSuccess(await client.getByIrn(gstin, generated.Irn))).toMatchObject({
      Irn: generated.Irn,
      AckNo: generated.AckNo,
    });
    const byDoc = await client.getByDocDetails(gstin, {
      docType: 'INV',
      docNo: submitted.DocDtls.No,
      docDate: submitted.DocDtls.Dt,
    });
    expect(expectSuccess(byDoc)).toMatchObject({ Irn: generated.Irn });
  });

  it('Get GSTIN details and Sync GSTIN', async () => {
    expect(expectSuccess(await client.gstinDetails(gstin, DEMO_BUYER_GSTIN))).toMatchObject({
      Gstin: DEMO_BUYER_GSTIN,
      Status: 'ACT',
    });
    expect(expectSuccess(await client.syncGstin(gstin, DEMO_BUYER_GSTIN))).toMatchObject({
      Gstin: DEMO_BUYER_GSTIN,
    });
  });

  it('Generate EWB by IRN, Get EWB by IRN, Cancel EWB; a repeated Generate EWB recovers the existing EWB', async () => {
    const request = { Irn: generated.Irn, Distance: 0, TransMode: '1', VehNo: 'KA01AB1234', VehType: 'R' };
    const ewb = expectSuccess(await client.generateEwb(gstin, request));
    expect(String(ewb.EwbNo)).toMatch(/^\d{12}$/);
    const again = await client.generateEwb(gstin, request);
    expect(again).toMatchObject({ kind: 'success', recovered: true, data: { EwbNo: ewb.EwbNo } });
    expect(expectSuccess(await client.getEwbByIrn(gstin, generated.Irn))).toMatchObject({
      EwbNo: ewb.EwbNo,
      Status: 'ACT',
      GenGstin: gstin,
    });
    const cancelled = expectSuccess(
      await client.cancelEwb(gstin, {
        ewbNo: Number(ewb.EwbNo),
        cancelRsnCode: 2,
        cancelRmrk: 'Order cancelled',
      }),
    );
    expect(cancelled).toMatchObject({ ewayBillNo: ewb.EwbNo });
    expect(cancelled.cancelDate).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2} [AP]M$/);
  });

  it('Cancel IRN, and a replayed cancel is a recovered success', async () => {
    const request = { Irn: generated.Irn, CnlRsn: '2' as const, CnlRem: 'Data entry mistake' };
    const first = await client.cancelIrn(gstin, request);
    expect(first).toMatchObject({ kind: 'success', recovered: false, data: { Irn: generated.Irn } });
    const replay = await client.cancelIrn(gstin, request);
    expect(replay).toMatchObject({
      kind: 'success',
      recovered: true,
      data: { Irn: generated.Irn, CancelDate: '' },
    });
  });

  it('a re-submitted invoice whose IRN was cancelled is a conflict, not a success', async () => {
    expect(await client.generateIrn(submitted)).toMatchObject({
      kind: 'conflict',
      reason: 'cancelled',
      duplicate: { Irn: generated.Irn },
    });
  });
});

describe('IRP client: rejections are final and never retried', () => {
  it('an invalid invoice is rejected with all its IRP codes in one request', async () => {
    await admin.resetStats();
    const bad = demoInvoice(gstin);
    bad.ValDtls.TotInvVal = 99_999; // 2189 total mismatch
    const outcome = await client.generateIrn(bad);
    expect(outcome.kind).toBe('rejected');
    if (outcome.kind === 'rejected') expect(outcome.errors.map((e) => e.code)).toContain('2189');
    expect((await admin.stats())['generate-irn']?.requests).toBe(1);
  });

  it('unknown IRN, unknown document, unknown EWB: rejected with the IRP code', async () => {
    expect(await client.getByIrn(gstin, 'f'.repeat(64))).toMatchObject({
      kind: 'rejected',
      errors: [{ code: '2148' }],
    });
    expect(
      await client.getByDocDetails(gstin, { docType: 'INV', docNo: 'NOPE1', docDate: '01/04/2025' }),
    ).toMatchObject({
      kind: 'rejected',
      errors: [{ code: '2154' }],
    });
    expect(
      await client.cancelEwb(gstin, { ewbNo: 181999999999, cancelRsnCode: 1, cancelRmrk: 'x' }),
    ).toMatchObject({
      kind: 'rejected',
      errors: [{ code: '4007' }],
    });
    expect(await client.cancelIrn(gstin, { Irn: 'e'.repeat(64), CnlRsn: '1', CnlRem: 'x' })).toMatchObject({
      kind: 'rejected',
      errors: [{ code: '2148' }],
    });
  });
});

describe('IRP client: auth v1.03', () => {
  it('logs in with the older auth and serves calls', async () => {
    const old = createIrpClient(clientConfig(sandbox, { authVersion: '1.03' }));
    try {
      await admin.resetStats();
      const outcome = await old.generateIrn(demoInvoice(gstin));
      expect(outcome).toMatchObject({ kind: 'success' });
      expect(old.stats().logins).toBe(1);
      expect((await admin.stats()).auth?.succeeded).toBe(1);
    } finally {
      await old.close();
    }
  });
});
