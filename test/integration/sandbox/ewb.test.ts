import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docNo, invoice, istDate, startHarness, type Harness } from './harness.js';
import type { SpecClient } from './spec-client.js';

interface IrnData {
  Irn: string;
  EwbNo: number | null;
  EwbDt: string | null;
  EwbValidTill: string | null;
}
interface EwbData {
  EwbNo: number;
  EwbDt: string;
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

const road = { TransMode: '1', Distance: 0, VehNo: 'HP01AB1234', VehType: 'R' };
const generate = (inv: unknown) => c.post<IrnData>('/eicore/v1.03/Invoice', inv);
const generateEwb = (body: unknown) => c.post<EwbData>('/eiewb/v1.03/ewaybill', body);

function endOfDayAfter(days: number): string {
  const d = new Date(Date.now() + 330 * 60_000 + days * 86_400_000);
  return `${d.toISOString().slice(0, 10)} 23:59:00`;
}

describe('EWB inside Generate IRN', () => {
  it('generates the EWB with the IRN, auto-calculating distance 0 (EWBPPD)', async () => {
    const res = await generate(invoice({ seller: h.creds.gstin, ewb: road }));
    expect(res.envelope.Status).toBe(1);
    const d = res.data!;
    expect(String(d.EwbNo)).toMatch(/^\d{12}$/);
    expect(d.EwbDt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const info = res.envelope.InfoDtls!;
    expect(info[0]!.InfCd).toBe('EWBPPD');
    const km = Number(/Pin-Pin calc distance: (\d+)KM/.exec(info[0]!.Desc as string)![1]);
    // Validity: one day per 200 km, ending 23:59 IST.
    expect(d.EwbValidTill).toBe(endOfDayAfter(Math.ceil(km / 200)));
  });

  it('keeps the IRN when only the EWB part fails: Status 1 with EWBERR (4019 without transporter or vehicle)', async () => {
    const res = await generate(invoice({ seller: h.creds.gstin, ewb: { Distance: 0 } }));
    expect(res.envelope.Status).toBe(1);
    expect(res.data!.Irn).toMatch(/^[0-9a-f]{64}$/);
    expect(res.data!.EwbNo).toBeNull();
    expect(res.envelope.InfoDtls).toEqual([
      {
        InfCd: 'EWBERR',
        Desc: [
          {
            ErrorCode: '4019',
            ErrorMessage: 'Provide Transporter ID in order to generate Part A of e-Way Bill',
          },
        ],
      },
    ]);
  });

  it('refuses EWB for credit notes (4010) inside EWBERR', async () => {
    const res = await generate(
      invoice({ seller: h.creds.gstin, typ: 'CRN', ewb: { ...road, TransId: '12AWGPV7107B1Z1' } }),
    );
    expect(res.envelope.Status).toBe(1);
    expect((res.envelope.InfoDtls![0]!.Desc as { ErrorCode: string }[])[0]!.ErrorCode).toBe('4010');
  });
});

describe('Generate / Get / Cancel EWB by IRN', () => {
  it('runs the whole life cycle and guards IRN cancellation (2230)', async () => {
    const irn = (await generate(invoice({ seller: h.creds.gstin }))).data!.Irn;
    const ewb = await generateEwb({ Irn: irn, ...road, TransId: '12AWGPV7107B1Z1', TransName: 'Carrier' });
    expect(ewb.envelope.Status).toBe(1);
    expect(Object.keys(ewb.data!)).toEqual(['EwbNo', 'EwbDt', 'EwbValidTill', 'Remarks']);
    expect((await generateEwb({ Irn: irn, ...road })).codes).toEqual(['4002']);

    const got = await c.get<Record<string, unknown>>(`/eiewb/v1.03/ewaybill/irn/${irn}`);
    expect(got.data).toEqual({
      EwbNo: ewb.data!.EwbNo,
      Status: 'ACT',
      GenGstin: h.creds.gstin,
      EwbDt: ewb.data!.EwbDt,
      EwbValidTill: ewb.data!.EwbValidTill,
    });
    expect((await c.get<IrnData>(`/eicore/v1.03/Invoice/irn/${irn}`)).data!.EwbNo).toBe(ewb.data!.EwbNo);

    const cancelIrn = () =>
      c.post('/eicore/v1.03/Invoice/Cancel', { Irn: irn, CnlRsn: '3', CnlRem: 'order cancelled' });
    expect((await cancelIrn()).codes).toEqual(['2230']);

    for (const path of ['/ewaybillapi/v1.03/ewayapi', '/ewb/v1.03/ewayapi']) {
      expect(
        (await c.cancelEwb(path, { ewbNo: 999999999999, cancelRsnCode: 2, cancelRmrk: 'x' })).codes,
      ).toEqual(['4007']);
    }
    const cancelled = await c.cancelEwb<{ ewayBillNo: number; cancelDate: string }>('/ewb/v1.03/ewayapi', {
      ewbNo: ewb.data!.EwbNo,
      cancelRsnCode: 2,
      cancelRmrk: 'Cancelled the order',
    });
    expect(cancelled.envelope.Status).toBe(1);
    expect(cancelled.data!.ewayBillNo).toBe(ewb.data!.EwbNo);
    expect(cancelled.data!.cancelDate).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2} (AM|PM)$/);
    expect((await c.get<{ Status: string }>(`/eiewb/v1.03/ewaybill/irn/${irn}`)).data!.Status).toBe('CNL');
    expect((await cancelIrn()).envelope.Status).toBe(1);
    expect((await generateEwb({ Irn: irn, ...road })).codes).toEqual(['4000']);
  });

  it('applies the transport and distance rules', async () => {
    const irn = (await generate(invoice({ seller: h.creds.gstin }))).data!.Irn;
    const codeOf = async (body: Record<string, unknown>) => (await generateEwb({ Irn: irn, ...body })).codes;
    expect(await codeOf({ Distance: 0 })).toEqual(['4019']);
    expect(await codeOf({ TransMode: '1', Distance: 0, VehType: 'R', TransId: '12AWGPV7107B1Z1' })).toEqual([
      '4011',
    ]);
    expect(await codeOf({ TransMode: '1', Distance: 0, VehNo: 'HP01AB1234' })).toEqual(['4022']);
    expect(await codeOf({ Distance: 0, VehNo: 'HP01AB1234', VehType: 'R' })).toEqual(['4028']);
    expect(await codeOf({ TransMode: '3', Distance: 0, TransDocNo: 'AWB1' })).toEqual(['4023']);
    expect(
      await codeOf({
        TransMode: '2',
        Distance: 0,
        TransDocDt: istDate(new Date()),
        TransId: '12AWGPV7107B1Z1',
      }),
    ).toEqual(['4012']);
    const tomorrow = istDate(new Date(Date.now() + 2 * 86_400_000));
    expect(await codeOf({ TransMode: '2', Distance: 0, TransDocNo: 'RR1', TransDocDt: tomorrow })).toEqual([
      '4016',
    ]);
    expect(await codeOf({ ...road, Distance: 4001 })).toEqual(['4038']);
    expect(await codeOf({ ...road, Distance: 1.5 })).toEqual(['4013']); // not whole kilometres (distance checks: ewb-distance.test.ts)
    expect(await codeOf({ ...road, TransId: 'BAD' })).toEqual(['4018']);
    expect(
      await codeOf({ ...road, ExpShipDtls: { Addr1: 'Port', Loc: 'Port', Pin: 999999, Stcd: '36' } }),
    ).toEqual(['4033']);
    // Same PIN at both ends: 0 is refused (4029), 1-100 km accepted.
    const samePin = { Addr1: 'Next door', Loc: 'Solan', Pin: 171302, Stcd: '02' };
    expect(await codeOf({ ...road, ExpShipDtls: samePin })).toEqual(['4029']);
    expect(
      (await generateEwb({ Irn: irn, ...road, Distance: 12, ExpShipDtls: samePin })).envelope.Status,
    ).toBe(1);
  });

  it('maps IRN problems: unknown (4003), malformed (2145), no EWB yet (4005)', async () => {
    expect((await generateEwb({ Irn: 'a'.repeat(64), ...road })).codes).toEqual(['4003']);
    expect((await generateEwb({ Irn: 'xyz', ...road })).codes).toEqual(['2145']);
    expect((await generateEwb({ ...road })).codes).toEqual(['4006']);
    const irn = (await generate(invoice({ seller: h.creds.gstin, no: docNo('noewb') }))).data!.Irn;
    expect((await c.get(`/eiewb/v1.03/ewaybill/irn/${irn}`)).codes).toEqual(['4005']);
  });
});
