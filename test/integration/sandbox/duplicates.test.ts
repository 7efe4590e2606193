/**
 * Duplicates by document identity (seller, FY, type, number without case) over real HTTP, across the
 * 1 June 2025 change of the IRN hash, the ordering "2150 before validation", and a sent Irn.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoice, istDate, startHarness, type Harness } from './harness.js';
import { expectedIrn, SpecClient } from './spec-client.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const generate = (c: SpecClient, inv: unknown) =>
  c.post<{ Irn: string; AckNo: number }>('/eicore/v1.03/Invoice', inv);

async function at(iso: string): Promise<SpecClient> {
  await h.admin.clock({ now: iso });
  return h.loggedIn(); // a token issued on the moved clock
}

describe('one document, one IRN', () => {
  afterAll(() => h.admin.clock({ reset: true }));

  it('a mixed-case number registered before 1 June 2025 is 2150 when sent again after it, in any case', async () => {
    let c = await at('2025-05-31T06:00:00Z');
    const inv = invoice({ seller: h.creds.gstin, no: 'AbC/77', date: '31/05/2025' });
    const first = await generate(c, inv);
    expect(first.envelope.Status).toBe(1);
    // Before June 2025 the number was hashed as sent.
    // Before June 2025 the number was hashed as sent; the spec client's helper upper-cases (June rule).
    expect(first.data!.Irn).not.toBe(expectedIrn(h.creds.gstin, 'INV', 'AbC/77', '31/05/2025'));
    c = await at('2025-06-02T06:00:00Z');
    for (const no of ['ABC/77', 'abc/77', 'AbC/77']) {
      const again = await generate(c, { ...inv, DocDtls: { ...inv.DocDtls, No: no } });
      expect(again.codes).toEqual(['2150']);
      expect(again.envelope.InfoDtls).toEqual([
        { InfCd: 'DUPIRN', Desc: expect.objectContaining({ Irn: first.data!.Irn }) as unknown },
      ]);
    }
    // … and Get by document details finds it under the upper-case number too.
    const byDoc = await c.get<{ Irn: string }>(
      '/eicore/v1.03/Invoice/irnbydocdetails?doctype=INV&docnum=ABC/77&docdate=31/05/2025',
    );
    expect(byDoc.data?.Irn).toBe(first.data!.Irn);
  });
});

describe('2150 wins over validation for a registered document', () => {
  afterAll(() => h.admin.clock({ reset: true }));

  it('after the 30-day window has passed, a large taxpayer still gets 2150 and its IRN, not 2305', async () => {
    const account = (await h.admin.createAccount({
      userName: 'large_taxpayer',
      password: 'Lt1@large',
      gstin: '27AAPFU0939F1ZV',
    })) as { clientId: string; clientSecret: string; userName: string; password: string; gstin: string };
    const c = new SpecClient({ ...h.creds, ...account });
    await c.authV104();
    const inv = invoice({ seller: account.gstin });
    inv.SellerDtls.Stcd = '27';
    inv.SellerDtls.Pin = 400001;
    const first = await generate(c, inv);
    expect(first.envelope.Status, JSON.stringify(first.envelope.ErrorDetails)).toBe(1);

    await h.admin.advanceHours(31 * 24);
    await c.authV104();
    const fresh = await generate(c, { ...inv, DocDtls: { ...inv.DocDtls, No: 'LATE/1' } });
    expect(fresh.codes).toContain('2305'); // the window applies to a new document …
    const again = await generate(c, inv);
    expect(again.codes).toEqual(['2150']); // … but the registered one is recovered
    expect((again.envelope.InfoDtls![0]!.Desc as { Irn: string }).Irn).toBe(first.data!.Irn);
  });

  it("after the buyer's GSTIN is cancelled, the registered document is 2150, a new one 3029", async () => {
    const c = await h.loggedIn();
    const inv = invoice({ seller: h.creds.gstin });
    const buyer = inv.BuyerDtls.Gstin as string;
    expect((await generate(c, inv)).envelope.Status).toBe(1);
    await h.admin.putTaxpayer(buyer, { status: 'CNL' });
    try {
      expect((await generate(c, inv)).codes).toEqual(['2150']);
      const other = invoice({ seller: h.creds.gstin });
      other.BuyerDtls = inv.BuyerDtls;
      expect((await generate(c, other)).codes).toContain('3029');
    } finally {
      await h.admin.putTaxpayer(buyer, { status: 'ACT' });
    }
  });

  it("another GSTIN's registered document is never answered with its DUPIRN", async () => {
    const account = (await h.admin.createAccount({
      userName: 'other_seller',
      password: 'Os1@other',
      gstin: '02AMBPG7773M002',
    })) as { clientId: string; clientSecret: string; userName: string; password: string; gstin: string };
    const owner = new SpecClient({ ...h.creds, ...account });
    await owner.authV104();
    const inv = invoice({ seller: account.gstin });
    expect((await generate(owner, inv)).envelope.Status).toBe(1);
    const res = await generate(await h.loggedIn(), inv);
    expect(res.codes).toEqual(['2169']);
    expect(res.envelope.InfoDtls).toBeNull();
  });
});

describe('a sent Irn is not silently ignored', () => {
  it('the same value: registered, with ADDNLNFO saying it need not be sent', async () => {
    const c = await h.loggedIn();
    const inv = invoice({ seller: h.creds.gstin, date: istDate(new Date()) });
    inv.Irn = expectedIrn(h.creds.gstin, 'INV', inv.DocDtls.No, inv.DocDtls.Dt);
    const res = await generate(c, inv);
    expect(res.envelope.Status).toBe(1);
    expect(res.envelope.InfoDtls).toEqual([
      { InfCd: 'ADDNLNFO', Desc: 'Irn need not be sent: the IRP computes it (the sent value equals it)' },
    ]);
  });

  it('another value: registered under the computed IRN, and ADDNLNFO says the sent one was ignored', async () => {
    const c = await h.loggedIn();
    const inv = invoice({ seller: h.creds.gstin });
    inv.Irn = 'f'.repeat(64);
    const res = await generate(c, inv);
    expect(res.data!.Irn).toBe(expectedIrn(h.creds.gstin, 'INV', inv.DocDtls.No, inv.DocDtls.Dt));
    expect(res.envelope.InfoDtls![0]).toEqual({
      InfCd: 'ADDNLNFO',
      Desc: `Irn must not be sent: the sent value ${'f'.repeat(64)} is ignored; the IRP computed ${res.data!.Irn}`,
    });
  });
});
