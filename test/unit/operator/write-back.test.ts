/**
 * The write-back records each ERP gets (docs/erp-write-back.md), from a result built with the pipeline's
 * own builder around NIC's signed sample, and the files the reference consumer writes: the QR image
 * reads back as NIC's SignedQRCode, a redelivered result keeps what the earlier one had, a file it did
 * not write is never replaced.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MappedEvent } from '../../../connectors/types.js';
import { renderQrPng } from '../../../src/irp/client/index.js';
import {
  WriteBackFiles,
  fileStem,
  writeBackRecord,
  type WriteBackRecord,
} from '../../../src/operator/write-back.js';
import { resultRecord, type OutputContext } from '../../../src/pipeline/outputs.js';
import type { SourceMessage } from '../../../src/pipeline/ports.js';
import { invoiceSample, readSample } from '../../support/irp-samples.js';
import { decodeQrPng } from '../../support/qr-decode.js';

const NIC = readSample<{ result: Record<string, unknown> }>(
  'b2b-inter-state.response.gsp-wrapped.json',
).result;
const KEY = '02AMBPG7773M002/INV/9SQ5E2/2023-24';
const ctx: OutputContext = {
  sourceId: 's',
  connector: 'sap',
  topics: { results: 'r', errors: 'e', deadLetter: 'd' },
  now: () => new Date('2023-10-03T10:00:00Z'),
};
const msg: SourceMessage = { topic: 'in', partition: 0, offset: '5', key: null, value: null, headers: {} };
const result = (kind: 'generate' | 'cancel' | 'ewb', data: Record<string, unknown>) =>
  JSON.parse(
    String(
      resultRecord(
        ctx,
        msg,
        { kind, docKey: KEY, invoice: invoiceSample('b2b-inter-state.request.json') } as MappedEvent,
        data,
        false,
      ).value,
    ),
  ) as Record<string, unknown>;
const generated = result('generate', NIC);

describe('write-back records', () => {
  it('SAP: J_1IG_INVREFNUM with the number as NIC signed it and the financial year', () => {
    const r = writeBackRecord('sap', generated)!;
    expect(r.targets[0]).toMatchObject({
      target: 'J_1IG_INVREFNUM',
      key: { DOC_TYPE: 'INV', ODN: '9sQ5E2', DOC_YEAR: '2023', BUKRS: null, DOCNO: null },
      fields: {
        IRN: NIC.Irn,
        ACK_NO: String(NIC.AckNo),
        ACK_DATE: NIC.AckDt,
        IRN_STATUS: 'ACT',
        SIGNED_INV: NIC.SignedInvoice,
        SIGNED_QRCODE: NIC.SignedQRCode,
      },
    });
    const ewb = writeBackRecord(
      'sap',
      result('ewb', {
        Irn: NIC.Irn,
        EwbNo: 181010001234,
        EwbDt: '2023-10-03 16:05:00',
        EwbValidTill: '2023-10-04 23:59:00',
      }),
    )!;
    expect(ewb.targets.map((t) => t.target)).toEqual(['J_1IG_EWAYBILL']);
    expect(ewb.targets[0]!.fields).toMatchObject({
      EBILLNO: '181010001234',
      EGEN_DAT: '2023-10-03 16:05:00',
    });
    expect(ewb.targets[0]!.key.GJAHR).toBe('2023');
  });

  it('ERPNext: Sales Invoice (irn, einvoice_status) and the e-Invoice Log; a cancel clears irn as india-compliance does', () => {
    const r = writeBackRecord('erpnext', generated)!;
    expect(r.targets).toEqual([
      expect.objectContaining({
        target: 'Sales Invoice',
        fields: { irn: NIC.Irn, einvoice_status: 'Generated' },
      }),
      expect.objectContaining({
        target: 'e-Invoice Log',
        fields: expect.objectContaining({
          irn: NIC.Irn,
          acknowledgement_number: String(NIC.AckNo),
          signed_qr_code: NIC.SignedQRCode,
        }),
      }),
    ]);
    const c = writeBackRecord(
      'erpnext',
      result('cancel', { Irn: NIC.Irn, CancelDate: '2023-10-03 17:00:00' }),
    )!;
    expect(c.targets[0]!.fields).toEqual({ irn: '', einvoice_status: 'Cancelled' });
    expect(c.targets[1]!.fields).toEqual({ is_cancelled: 1, cancelled_on: '2023-10-03 17:00:00' });
  });

  it('Tally: IRN, IRNACKNO, IRNACKDATE on the voucher; the QR code cannot be imported', () => {
    const r = writeBackRecord('tally', generated)!;
    expect(r.targets[0]!.fields).toEqual({
      IRN: NIC.Irn,
      IRNACKNO: String(NIC.AckNo),
      IRNACKDATE: String(NIC.AckDt).slice(0, 10),
    });
    expect(r.targets[0]!.notes!.join(' ')).toContain('IRNQRCode cannot be pushed');
  });

  it('Odoo: the IRP response as the e-invoice attachment; D365, Oracle and canonical: the IRP response', () => {
    const o = writeBackRecord('odoo', generated)!;
    expect(o.targets[0]!.fields).toMatchObject({
      l10n_in_edi_status: 'sent',
      l10n_in_edi_attachment_file: { Irn: NIC.Irn, SignedQRCode: NIC.SignedQRCode },
    });
    expect(writeBackRecord('odoo', result('cancel', { Irn: NIC.Irn }))!.targets[0]!.fields).toEqual({
      l10n_in_edi_status: 'cancelled',
    });
    for (const erp of ['d365', 'oracle', 'canonical'] as const)
      expect(writeBackRecord(erp, generated)!.targets[0]!.fields).toMatchObject({
        Irn: NIC.Irn,
        AckNo: String(NIC.AckNo),
      });
    expect(writeBackRecord('oracle', generated)!.targets[0]!.key).toEqual({
      FIRST_PTY_REG_NUM: '02AMBPG7773M002',
      TAX_INVOICE_NUMBER: '9sQ5E2',
      TAX_INVOICE_DATE: '02/10/2023',
    });
    expect(writeBackRecord('sap', { kind: 'x' })).toBeUndefined();
  });
});

describe('write-back files', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'write-back-'));

  it('writes the record and a QR image that reads back as the SignedQRCode NIC signed', async () => {
    const d = dir();
    const files = new WriteBackFiles(d, (jwt) => renderQrPng(jwt), 'png');
    const written = await files.write(writeBackRecord('sap', generated)!, String(NIC.SignedQRCode));
    const stem = fileStem(KEY);
    expect(written).toEqual([join(d, `${stem}.generate.json`), join(d, `${stem}.qr.png`)]);
    expect(decodeQrPng(readFileSync(join(d, `${stem}.qr.png`))).text).toBe(NIC.SignedQRCode);
  });

  it('a redelivered result keeps what the earlier one had; a file it did not write is never replaced', async () => {
    const d = dir();
    const files = new WriteBackFiles(d, async () => 'svg', 'svg');
    await files.write(
      writeBackRecord('sap', result('cancel', { Irn: NIC.Irn, CancelDate: '2023-10-03 17:00:00' }))!,
      undefined,
    );
    // A replayed cancel is recovered without a cancel date.
    await files.write(writeBackRecord('sap', result('cancel', { Irn: NIC.Irn, CancelDate: '' }))!, undefined);
    const back = JSON.parse(readFileSync(join(d, `${fileStem(KEY)}.cancel.json`), 'utf8')) as WriteBackRecord;
    expect(back.targets[0]!.fields).toMatchObject({ IRN_STATUS: 'CNL', CANCEL_DATE: '2023-10-03 17:00:00' });

    writeFileSync(join(d, `${fileStem(KEY)}.generate.json`), '{"mine": true}');
    await expect(files.write(writeBackRecord('sap', generated)!, String(NIC.SignedQRCode))).rejects.toThrow(
      /refusing to overwrite .*generate\.json/,
    );
    const other = dir();
    writeFileSync(join(other, `${fileStem(KEY)}.qr.svg`), '<svg>mine</svg>');
    await expect(
      new WriteBackFiles(other, async () => 'x', 'svg').write(writeBackRecord('sap', generated)!, 'jwt'),
    ).rejects.toThrow(/qr\.svg/);
    expect(readFileSync(join(other, `${fileStem(KEY)}.qr.svg`), 'utf8')).toBe('<svg>mine</svg>');
  });
});
