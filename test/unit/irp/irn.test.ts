import { describe, expect, it } from 'vitest';
import { parseIrpDateTime } from '../../../src/irp/dates.js';
import { computeIrn, irnPreimage, type DocType } from '../../../src/irp/irn.js';
import { readSample, sampleNames, type Json } from '../../support/irp-samples.js';

/** Every SignedInvoice JWT anywhere in a sample, decoded: the invoice as the IRP registered it. */
function signedInvoices(value: unknown, out: Json[] = []): Json[] {
  if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'SignedInvoice' && typeof v === 'string') {
        const payload = JSON.parse(Buffer.from(v.split('.')[1]!, 'base64url').toString('utf8'));
        out.push(typeof payload.data === 'string' ? JSON.parse(payload.data) : payload.data);
      } else signedInvoices(v, out);
    }
  }
  return out;
}

const registered = sampleNames().flatMap((name) =>
  signedInvoices(readSample(name)).map((data) => ({ name, data })),
);

describe('IRN', () => {
  it('finds registered invoices in the samples', () => expect(registered.length).toBeGreaterThanOrEqual(5));

  it.each(registered.map((r) => [r.name, r.data.DocDtls.No, r.data] as const))(
    '%s (%s): computed IRN equals the one NIC signed',
    (_name, _no, data) => {
      const irn = computeIrn({
        gstin: data.SellerDtls.Gstin,
        docType: data.DocDtls.Typ as DocType,
        docNo: data.DocDtls.No,
        docDate: data.DocDtls.Dt,
        asOf: parseIrpDateTime(data.AckDt)!,
      });
      expect(irn).toBe(data.Irn);
    },
  );

  it("reproduces the IRN of NIC's documentation sample (58f1669d…)", () => {
    const inv = readSample<Json>('nic-doc-sample-full.request.json');
    const response = readSample<Json>('nic-doc-sample-full.response.cleartax-wrapped.json');
    const expected = JSON.stringify(response).match(/"Irn":"([0-9a-f]{64})"/)![1];
    const irn = computeIrn({
      gstin: inv.SellerDtls.Gstin,
      docType: inv.DocDtls.Typ,
      docNo: inv.DocDtls.No,
      docDate: inv.DocDtls.Dt,
      asOf: new Date('2020-08-08T06:00:00Z'),
    });
    expect(irn).toBe(expected);
  });

  it("hashes NIC's example pre-image format: GSTIN + FY + type + number, no separators", () => {
    const preimage = irnPreimage({
      gstin: '01AAAAA9999A19N',
      docType: 'INV',
      docNo: 'ABC01234',
      docDate: '03/01/2020',
      asOf: new Date('2020-01-03'),
    });
    expect(preimage).toBe('01AAAAA9999A19N2019-20INVABC01234');
  });

  it('upper-cases the document number from 1 June 2025 (IST), not before', () => {
    const base = { gstin: '02AMBPG7773M002', docType: 'INV' as const, docDate: '01/05/2025' };
    const before = new Date('2025-05-31T18:29:59Z'); // 23:59:59 IST on 31 May
    const after = new Date('2025-05-31T18:30:00Z'); // 00:00 IST on 1 June
    expect(computeIrn({ ...base, docNo: 'abc/1', asOf: before })).not.toBe(
      computeIrn({ ...base, docNo: 'ABC/1', asOf: before }),
    );
    expect(computeIrn({ ...base, docNo: 'abc/1', asOf: after })).toBe(
      computeIrn({ ...base, docNo: 'ABC/1', asOf: after }),
    );
  });

  it('takes the financial year from the document date (April to March)', () => {
    const at = (docDate: string) =>
      irnPreimage({ gstin: '02AMBPG7773M002', docType: 'CRN', docNo: 'X1', docDate, asOf: new Date() });
    expect(at('31/03/2024')).toContain('2023-24CRN');
    expect(at('01/04/2024')).toContain('2024-25CRN');
    expect(at('15/06/1999')).toContain('1999-00CRN');
  });

  it('refuses a malformed document date', () => {
    expect(() =>
      computeIrn({
        gstin: '02AMBPG7773M002',
        docType: 'INV',
        docNo: 'X1',
        docDate: '2024-04-01',
        asOf: new Date(),
      }),
    ).toThrow(RangeError);
  });
});
