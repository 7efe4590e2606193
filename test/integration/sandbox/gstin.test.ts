import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';
import type { SpecClient } from './spec-client.js';

let h: Harness;
let c: SpecClient;
beforeAll(async () => {
  h = await startHarness();
  c = await h.loggedIn();
});
afterAll(() => h.close());

describe('Get GSTIN details', () => {
  it('answers from the taxpayer master, field names as NIC prints them', async () => {
    const res = await c.get<Record<string, unknown>>('/eivital/v1.03/Master/gstin/29AWGPV7107B1Z1');
    expect(res.envelope.Status).toBe(1);
    expect(res.data).toEqual({
      Gstin: '29AWGPV7107B1Z1',
      TradeName: 'VIKAS EXPORTS',
      LegalName: 'VIKASEXPORTS ',
      AddrBnm: 'RAMANAGARA',
      AddrBno: '562160',
      AddrFlno: '1st floor',
      AddrSt: '6th main',
      AddrLoc: 'CHANNAPATNA',
      StateCode: 29,
      AddrPncd: 562160,
      TxpType: 'REG',
      Status: 'ACT',
      BlkStatus: null,
      DtReg: '2021-05-03',
      DtDReg: null,
    });
    expect((await c.get('/eivital/v1.04/Master/gstin/29AWGPV7107B1Z1')).envelope.Status).toBe(1);
  });

  it('treats an unknown well-formed GSTIN as an active regular taxpayer; malformed is 3028', async () => {
    const res = await c.get<{ Status: string; TxpType: string; StateCode: number }>(
      '/eivital/v1.03/Master/gstin/33ABCDE1234F1Z5',
    );
    expect(res.data).toMatchObject({ Status: 'ACT', TxpType: 'REG', StateCode: 33 });
    expect((await c.get('/eivital/v1.03/Master/gstin/NOTAGSTIN')).codes).toEqual(['3028']);
  });

  it('Sync GSTIN brings the common portal status over (both v1.03 and v1.04 paths)', async () => {
    await h.admin.putTaxpayer('24AAFCD5862R005', { portalStatus: 'CNL', dtDReg: '2026-01-31' });
    expect(
      (await c.get<{ Status: string }>('/eivital/v1.03/Master/gstin/24AAFCD5862R005')).data!.Status,
    ).toBe('ACT');
    const synced = await c.get<{ Status: string; DtDReg: string }>(
      '/eivital/v1.04/Master/syncgstin/24AAFCD5862R005',
    );
    expect(synced.data).toMatchObject({ Status: 'CNL', DtDReg: '2026-01-31' });
    expect(
      (await c.get<{ Status: string }>('/eivital/v1.03/Master/gstin/24AAFCD5862R005')).data!.Status,
    ).toBe('CNL');
  });
});

describe('strict GSTIN mode', () => {
  it('an unknown GSTIN is 3001 on lookup and 3028 as a buyer', async () => {
    const strict = await startHarness({ strictGstin: true });
    try {
      const sc = await strict.loggedIn();
      expect((await sc.get('/eivital/v1.03/Master/gstin/33ABCDE1234F1Z5')).codes).toEqual(['3001']);
      const { invoice } = await import('./harness.js');
      const inv = invoice({ seller: strict.creds.gstin });
      inv.BuyerDtls.Gstin = '36ABCDE1234F1Z5';
      expect((await sc.post('/eicore/v1.03/Invoice', inv)).codes).toEqual(['3028']);
    } finally {
      await strict.close();
    }
  });
});
