import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docNo, invoice, istDate, startHarness, type Harness } from './harness.js';
import { certThumbprintHex, expectedIrn, SpecClient, verifySignedJwt } from './spec-client.js';

interface IrnData {
  AckNo: number;
  AckDt: string;
  Irn: string;
  SignedInvoice: string;
  SignedQRCode: string;
  Status: string;
  EwbNo: number | null;
  EwbDt: string | null;
  EwbValidTill: string | null;
  Remarks: string | null;
}

let h: Harness;
let c: SpecClient;
beforeAll(async () => {
  h = await startHarness();
  c = await h.loggedIn();
});
afterAll(() => h.close());

const generate = (client: SpecClient, inv: unknown) => client.post<IrnData>('/eicore/v1.03/Invoice', inv);
const withClock = async <T>(advanceHours: number, fn: () => Promise<T>): Promise<T> => {
  await h.admin.advanceHours(advanceHours);
  try {
    // The token must outlive the jump: log in again at the new time.
    await c.authV104();
    return await fn();
  } finally {
    await h.admin.clock({ reset: true });
    await c.authV104();
  }
};

describe('Generate IRN', () => {
  it('registers a valid invoice: IRN per §5, 15-digit AckNo, signed invoice and QR per §6', async () => {
    const inv = invoice({ seller: h.creds.gstin, no: docNo('gen') });
    const res = await generate(c, inv);
    expect(res.envelope).toMatchObject({ Status: 1, ErrorDetails: null });
    const d = res.data!;
    expect(Object.keys(d)).toEqual([
      'AckNo',
      'AckDt',
      'Irn',
      'SignedInvoice',
      'SignedQRCode',
      'Status',
      'EwbNo',
      'EwbDt',
      'EwbValidTill',
      'Remarks',
    ]);
    expect(d.Irn).toBe(expectedIrn(h.creds.gstin, 'INV', inv.DocDtls.No, inv.DocDtls.Dt));
    expect(typeof d.AckNo).toBe('number');
    expect(String(d.AckNo)).toMatch(/^\d{15}$/);
    expect(String(d.AckNo).slice(2, 4)).toBe(istDate(new Date()).slice(8, 10));
    expect(d.AckDt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:00$/);
    expect(d.Status).toBe('ACT');
    expect(d.EwbNo).toBeNull();

    const cert = (await c.raw('GET', '/sandbox/signing-cert.pem')).text;
    expect(cert).toBe(h.creds.signingCertPem);
    const kid = certThumbprintHex(cert);
    const signed = verifySignedJwt(d.SignedInvoice, cert);
    expect(signed.header).toEqual({
      alg: 'RS256',
      kid,
      typ: 'JWT',
      x5t: Buffer.from(kid, 'hex').toString('base64url'),
    });
    expect(signed.payload.iss).toBe('NIC');
    expect(typeof signed.payload.data).toBe('string');
    expect(Object.keys(signed.data).slice(0, 4)).toEqual(['AckNo', 'AckDt', 'Irn', 'Version']);
    expect(signed.data).toMatchObject({
      AckNo: d.AckNo,
      Irn: d.Irn,
      DocDtls: inv.DocDtls,
      SellerDtls: { Gstin: h.creds.gstin },
    });
    expect((signed.data.ItemList as Record<string, unknown>[])[0]).toMatchObject({
      ItemNo: 0,
      SlNo: '1',
      HsnCd: '61149090',
    });
    expect(Object.keys((signed.data.ItemList as Record<string, unknown>[])[0]!)[0]).toBe('ItemNo');

    const qr = verifySignedJwt(d.SignedQRCode, cert);
    expect(qr.data).toEqual({
      SellerGstin: h.creds.gstin,
      BuyerGstin: '36AMBPG7773M002',
      DocNo: inv.DocDtls.No,
      DocTyp: 'INV',
      DocDt: inv.DocDtls.Dt,
      TotInvVal: 1416,
      ItemCnt: 1,
      MainHsnCode: '61149090',
      Irn: d.Irn,
      IrnDt: d.AckDt,
    });
  });

  it('returns every validator finding at once', async () => {
    const inv = invoice({ seller: h.creds.gstin });
    inv.ValDtls.TotInvVal = 99999;
    inv.ItemList[0].Unit = 'XYZZY';
    const res = await generate(c, inv);
    expect(res.envelope.Status).toBe(0);
    expect(res.envelope.Data).toBeNull();
    expect(res.codes).toEqual(expect.arrayContaining(['2189', '2177']));
    expect(res.codes.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses an invoice of another supplier (2169)', async () => {
    const res = await generate(c, invoice({ seller: '02AMBPG7773M002' }));
    expect(res.codes).toEqual(['2169']);
  });

  it('answers a duplicate with 2150 and DUPIRN carrying the first registration (§7), case-insensitively', async () => {
    const no = docNo('dup');
    const first = await generate(c, invoice({ seller: h.creds.gstin, no }));
    const again = await generate(c, invoice({ seller: h.creds.gstin, no: no.toLowerCase() }));
    expect(again.envelope.Status).toBe(0);
    expect(again.envelope.ErrorDetails).toEqual([{ ErrorCode: '2150', ErrorMessage: 'Duplicate IRN' }]);
    expect(again.envelope.InfoDtls).toEqual([
      { InfCd: 'DUPIRN', Desc: { AckNo: first.data!.AckNo, AckDt: first.data!.AckDt, Irn: first.data!.Irn } },
    ]);
  });

  it('applies the 30-day reporting window to large taxpayers only (§8)', async () => {
    const large = await h.admin.createAccount({
      userName: 'large_user',
      password: 'Lg1@large',
      gstin: '27AAPFU0939F1ZV',
    });
    const lc = new SpecClient({ ...h.creds, ...large });
    await lc.authV104();
    const old = istDate(new Date(Date.now() - 31 * 86_400_000));
    const inv = invoice({ seller: '27AAPFU0939F1ZV', date: old });
    inv.SellerDtls.Stcd = '27';
    inv.SellerDtls.Pin = 400001;
    const refused = await generate(lc, inv);
    expect(refused.codes).toContain('2305');
    const small = await generate(c, invoice({ seller: h.creds.gstin, date: old }));
    expect(small.envelope.Status).toBe(1);
  });

  it('refuses an inactive buyer (3029); Sync GSTIN brings a newer portal status and the retry passes', async () => {
    const buyer = '36AMBPG7773M002';
    await h.admin.putTaxpayer(buyer, { status: 'SUS', portalStatus: 'ACT' });
    try {
      const inv = invoice({ seller: h.creds.gstin });
      expect((await generate(c, inv)).codes).toEqual(['3029']);
      const synced = await c.get<{ Status: string }>(`/eivital/v1.03/Master/syncgstin/${buyer}`);
      expect(synced.data!.Status).toBe('ACT');
      expect((await generate(c, inv)).envelope.Status).toBe(1);
    } finally {
      await h.admin.putTaxpayer(buyer, { status: 'ACT', portalStatus: null });
    }
  });
});

describe('Get e-invoice by IRN / by document details', () => {
  it('returns the registration within 3 days and 2283 after (§2 notes)', async () => {
    const inv = invoice({ seller: h.creds.gstin });
    const gen = (await generate(c, inv)).data!;
    const byIrn = await c.get<IrnData>(`/eicore/v1.03/Invoice/irn/${gen.Irn}`);
    expect(byIrn.data).toEqual(gen);
    const query = `doctype=INV&docnum=${encodeURIComponent(inv.DocDtls.No)}&docdate=${inv.DocDtls.Dt}`;
    const byDoc = await c.get<IrnData>(`/eicore/v1.03/Invoice/irnbydocdetails?${query}`);
    expect(byDoc.data).toEqual(gen);

    await withClock(71, async () => {
      expect((await c.get(`/eicore/v1.03/Invoice/irn/${gen.Irn}`)).envelope.Status).toBe(1);
    });
    await withClock(73, async () => {
      const late = await c.get(`/eicore/v1.03/Invoice/irn/${gen.Irn}`);
      expect(late.envelope.ErrorDetails).toEqual([
        {
          ErrorCode: '2283',
          ErrorMessage: 'IRN details cannot be provided as it is generated more than 3 days prior',
        },
      ]);
      expect((await c.get(`/eicore/v1.03/Invoice/irnbydocdetails?${query}`)).codes).toEqual(['2283']);
    });
  });

  it('maps unknown, malformed and foreign IRNs and bad document queries', async () => {
    expect((await c.get(`/eicore/v1.03/Invoice/irn/${'0'.repeat(64)}`)).codes).toEqual(['2148']);
    expect((await c.get('/eicore/v1.03/Invoice/irn/not-an-irn')).codes).toEqual(['2145']);
    expect(
      (await c.get('/eicore/v1.03/Invoice/irnbydocdetails?doctype=INV&docnum=NOPE1&docdate=01/11/2026'))
        .codes,
    ).toEqual(['2154']);
    expect(
      (await c.get('/eicore/v1.03/Invoice/irnbydocdetails?doctype=XYZ&docnum=A1&docdate=01/11/2026')).codes,
    ).toEqual(['2161']);
    expect(
      (await c.get('/eicore/v1.03/Invoice/irnbydocdetails?doctype=INV&docnum=A1&docdate=2026-11-01')).codes,
    ).toEqual(['2144']);
    expect((await c.get('/eicore/v1.03/Invoice/irnbydocdetails?doctype=INV')).codes).toEqual(['2142']);

    const other = await h.admin.createAccount({
      userName: 'reader_36',
      password: 'Rd1@reader',
      gstin: '36AMBPG7773M002',
    });
    const oc = new SpecClient({ ...h.creds, ...other });
    await oc.authV104();
    const gen = (await generate(c, invoice({ seller: h.creds.gstin }))).data!;
    expect((await oc.get(`/eicore/v1.03/Invoice/irn/${gen.Irn}`)).codes).toEqual(['2226']);
  });
});

describe('Cancel IRN', () => {
  const cancel = (client: SpecClient, body: unknown) =>
    client.post<{ Irn: string; CancelDate: string }>('/eicore/v1.03/Invoice/Cancel', body);

  it('cancels within 24 hours; a second cancel is 9999; the number stays burnt (2150)', async () => {
    const inv = invoice({ seller: h.creds.gstin });
    const gen = (await generate(c, inv)).data!;
    const res = await cancel(c, { Irn: gen.Irn, CnlRsn: '1', CnlRem: 'Wrong entry' });
    expect(res.envelope.Status).toBe(1);
    expect(res.data!.Irn).toBe(gen.Irn);
    expect(res.data!.CancelDate).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect((await cancel(c, { Irn: gen.Irn, CnlRsn: '1', CnlRem: 'again' })).codes).toEqual(['9999']);
    expect((await c.get<IrnData>(`/eicore/v1.03/Invoice/irn/${gen.Irn}`)).data!.Status).toBe('CNL');
    expect((await generate(c, inv)).codes).toEqual(['2150']);
  });

  it('binds member names case-insensitively (Cnlrsn/Cnlrem as in the fixture)', async () => {
    const gen = (await generate(c, invoice({ seller: h.creds.gstin }))).data!;
    expect(
      (await cancel(c, { irn: gen.Irn, Cnlrsn: '2', Cnlrem: 'Data entry mistake' })).envelope.Status,
    ).toBe(1);
  });

  it('refuses after 24 hours (2270), for another GSTIN (2143), with bad parameters (2142/2145/2148)', async () => {
    const gen = (await generate(c, invoice({ seller: h.creds.gstin }))).data!;
    await withClock(24.1, async () => {
      expect((await cancel(c, { Irn: gen.Irn, CnlRsn: '1', CnlRem: 'late' })).envelope.ErrorDetails).toEqual([
        {
          ErrorCode: '2270',
          ErrorMessage: 'The allowed cancellation time limit is crossed, you cannot cancel the IRN',
        },
      ]);
    });
    const other = await h.admin.createAccount({
      userName: 'canceller_01',
      password: 'Cn1@cancel',
      gstin: '01AMBPG7773M002',
    });
    const oc = new SpecClient({ ...h.creds, ...other });
    await oc.authV104();
    expect((await cancel(oc, { Irn: gen.Irn, CnlRsn: '1', CnlRem: 'not mine' })).codes).toEqual(['2143']);
    expect((await cancel(c, { Irn: gen.Irn, CnlRsn: '7', CnlRem: 'x' })).codes).toEqual(['2142']);
    expect((await cancel(c, { CnlRsn: '1' })).codes).toEqual(['2142']);
    expect((await cancel(c, { Irn: 'abc', CnlRsn: '1' })).codes).toEqual(['2145']);
    expect((await cancel(c, { Irn: 'f'.repeat(64), CnlRsn: '1' })).codes).toEqual(['2148']);
  });
});
