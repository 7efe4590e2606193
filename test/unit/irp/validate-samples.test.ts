import { describe, expect, it } from 'vitest';
import { validateInvoice } from '../../../src/irp/validate/index.js';
import {
  dayAfter,
  FIXTURE_INVOICES,
  invoiceSample,
  readSample,
  REGISTERED_INVOICES,
} from '../../support/irp-samples.js';

describe('shared samples', () => {
  it.each([...REGISTERED_INVOICES, ...FIXTURE_INVOICES])('%s validates clean', (name) => {
    const inv = invoiceSample(name);
    const result = validateInvoice(inv, { now: dayAfter(inv) });
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.invoice?.DocDtls.No).toBe(inv.DocDtls.No);
  });

  it("binds NIC's odd property casing and drops nulls (nic-doc-sample-full)", () => {
    const inv = readSample('nic-doc-sample-full.request.json');
    const result = validateInvoice(inv, { now: dayAfter(inv) });
    expect(result.invoice?.PayDtls?.FinInsBr).toBe('SBIN11000');
    expect(result.invoice?.RefDtls?.ContrDtls?.[0]?.TendRefr).toBeDefined();
    expect(result.invoice?.TranDtls).not.toHaveProperty('EcmGstin');
    expect(result.warnings.map((w) => w.code)).toContain('W_PROPERTY_CASE');
  });

  it('warns (never rejects) on GSTIN check characters, as NIC accepts its own failing GSTINs', () => {
    const inv = invoiceSample('b2b-inter-state.request.json');
    const result = validateInvoice(inv, { now: dayAfter(inv) });
    expect(result.valid).toBe(true);
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ code: 'W_GSTIN_CHECK_DIGIT', path: 'SellerDtls.Gstin' }),
    );
  });

  it('keeps the placeholders of the raw fixtures as findings', () => {
    const inv = readSample('b2b-intra-state.fixture.request.json');
    const result = validateInvoice(inv, { now: new Date() });
    expect(result.errors).toContainEqual(expect.objectContaining({ code: '2140', path: 'DocDtls.No' }));
  });
});
