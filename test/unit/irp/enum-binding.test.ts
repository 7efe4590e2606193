/**
 * Enumerated values bind as NIC binds them (RECORD.md §1): `DocDtls.Typ` and `TranDtls.SupTyp` are
 * case-insensitive (NIC's schema writes them with `(?i)`) and are upper-cased before the IRN, the signed
 * invoice and the QR.
 */
import { describe, expect, it } from 'vitest';
import { computeIrn } from '../../../src/irp/irn.js';
import { validateInvoice } from '../../../src/irp/validate/index.js';
import { dayAfter, invoiceSample } from '../../support/irp-samples.js';

describe('case-insensitive DocDtls.Typ and TranDtls.SupTyp', () => {
  it('accepts "inv" / "b2b" and hands on the upper-case values', () => {
    const inv = invoiceSample('b2b-inter-state.request.json');
    inv.DocDtls.Typ = 'inv';
    inv.TranDtls.SupTyp = 'b2b';
    const result = validateInvoice(inv, { now: dayAfter(inv) });
    expect(result.errors).toEqual([]);
    expect(result.invoice?.DocDtls.Typ).toBe('INV');
    expect(result.invoice?.TranDtls.SupTyp).toBe('B2B');
  });

  it('business rules see the bound value even when another field fails the schema ("crn" needs RefDtls)', () => {
    const inv = invoiceSample('b2b-inter-state.request.json');
    inv.DocDtls.Typ = 'crn';
    inv.SellerDtls.LglNm = 'x'; // a schema failure elsewhere: rules read the undecoded invoice
    const codes = validateInvoice(inv, { now: dayAfter(inv) }).errors.map((e) => e.code);
    expect(codes).toContain('2191'); // a credit note without its preceding document
  });

  it('still refuses values outside the enumeration, in any case', () => {
    const inv = invoiceSample('b2b-inter-state.request.json');
    inv.DocDtls.Typ = 'bill';
    inv.TranDtls.SupTyp = 'b2c';
    const errors = validateInvoice(inv, { now: dayAfter(inv) }).errors;
    expect(errors.map((e) => [e.code, e.path])).toEqual(
      expect.arrayContaining([
        ['2161', 'DocDtls.Typ'],
        ['2140', 'TranDtls.SupTyp'],
      ]),
    );
  });

  it('reproduces the IRN of a SignedQRCode NIC issued for Typ "inv" (Mittal-Analytics/gst-e-invoicing tests/test.py)', () => {
    // The QR's data: SellerGstin 09AAJCM7191E1Z5, DocNo 35d7df8d-fce7-49, DocTyp INV, DocDt 12/11/2021,
    // IrnDt 2022-09-09 13:33:00 — the number hashed as sent (before June 2025), the type upper-cased.
    const inv = invoiceSample('b2b-inter-state.request.json');
    inv.DocDtls = { Typ: 'inv', No: '35d7df8d-fce7-49', Dt: '12/11/2021' };
    const bound = validateInvoice(inv, { now: new Date('2022-09-09T08:03:00Z') }).invoice!;
    expect(bound.DocDtls.Typ).toBe('INV');
    expect(
      computeIrn({
        gstin: '09AAJCM7191E1Z5',
        docType: bound.DocDtls.Typ,
        docNo: bound.DocDtls.No,
        docDate: bound.DocDtls.Dt,
        asOf: new Date('2022-09-09T08:03:00Z'),
      }),
    ).toBe('3997d6dbe585dbfc93a855cf2aad1a412ac7df0231ab7875851a15e1ba3f4df4');
  });
});
