/**
 * E-way-bill distance, lenient by default and strict on a flag, over real HTTP, on NIC's own sample
 * route (data/irp/samples/b2b-goods-with-ewb: dispatch 193501 → ship-to 500055, which NIC's sandbox
 * reported as "Pin-Pin calc distance: 2467KM").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoiceSample } from '../../support/irp-samples.js';
import { docNo, istDate, startHarness, type Harness } from './harness.js';
import { SpecClient } from './spec-client.js';

const SELLER = '01AMBPG7773M002';

async function sellerClient(h: Harness): Promise<SpecClient> {
  const account = (await h.admin.createAccount({
    userName: 'ewb_seller',
    password: 'Ew1@seller',
    gstin: SELLER,
  })) as {
    clientId: string;
    clientSecret: string;
    userName: string;
    password: string;
    gstin: string;
  };
  const c = new SpecClient({ ...h.creds, ...account });
  await c.authV104();
  return c;
}

/** NIC's sample invoice with a fresh number and today's date, and the given EwbDtls. */
function sample(ewb: Record<string, unknown>) {
  const inv = invoiceSample('b2b-goods-with-ewb.request.json');
  inv.DocDtls = { ...inv.DocDtls, No: docNo('EWBD'), Dt: istDate(new Date()) };
  inv.EwbDtls = ewb;
  return inv;
}

const road = { TransMode: '1', VehNo: 'GJ07DL9009', VehType: 'R' };

describe('lenient (default)', () => {
  let h: Harness;
  let c: SpecClient;
  beforeAll(async () => {
    h = await startHarness();
    c = await sellerClient(h);
  });
  afterAll(() => h.close());

  it("NIC's declared 2,467 km passes, with the sandbox's estimate reported (ADDNLNFO, not EWBPPD)", async () => {
    const res = await c.post<{ EwbNo: number | null }>(
      '/eicore/v1.03/Invoice',
      sample({ ...road, Distance: 2467 }),
    );
    expect(res.envelope.Status).toBe(1);
    expect(res.data!.EwbNo).not.toBeNull();
    expect(res.envelope.InfoDtls).toEqual([
      {
        InfCd: 'ADDNLNFO',
        Desc: "Declared distance 2467KM accepted; sandbox PIN-to-PIN estimate 2459KM (not checked: NIC's PIN master is not public)",
      },
    ]);
  });

  it('a distance far from the estimate is accepted too, within the published limit of 4000 km', async () => {
    const res = await c.post('/eicore/v1.03/Invoice', sample({ ...road, Distance: 3900 }));
    expect(res.envelope.Status).toBe(1);
    expect(res.envelope.InfoDtls![0]!.InfCd).toBe('ADDNLNFO');
    const over = await c.post('/eicore/v1.03/Invoice', sample({ ...road, Distance: 4001 }));
    // EwbDtls.Distance over 4000 is a schema finding of the invoice itself.
    expect(over.codes.length).toBeGreaterThan(0);
  });

  it('distance 0 is filled with the estimate and reported as EWBPPD, as NIC does', async () => {
    const res = await c.post('/eicore/v1.03/Invoice', sample({ ...road, Distance: 0 }));
    expect(res.envelope.InfoDtls).toEqual([{ InfCd: 'EWBPPD', Desc: 'Pin-Pin calc distance: 2459KM' }]);
  });
});

describe('strict (strictEwbDistance / --strict-ewb-distance)', () => {
  let h: Harness;
  let c: SpecClient;
  beforeAll(async () => {
    h = await startHarness({ strictEwbDistance: true });
    c = await sellerClient(h);
  });
  afterAll(() => h.close());

  it("NIC's 2,467 km is within ±10 % of the PIN-centroid estimate (2,459 km); 1,501 km is 4013", async () => {
    const ok = await c.post('/eicore/v1.03/Invoice', sample({ ...road, Distance: 2467 }));
    expect(ok.envelope.Status).toBe(1);
    expect(ok.envelope.InfoDtls).toBeNull();
    const far = await c.post('/eicore/v1.03/Invoice', sample({ ...road, Distance: 1501 }));
    expect(far.envelope.Status).toBe(1); // the IRN stands; the EWB part fails
    expect(far.envelope.InfoDtls).toEqual([
      {
        InfCd: 'EWBERR',
        Desc: [
          {
            ErrorCode: '4013',
            ErrorMessage:
              'The distance between the pincodes given is too high or low. - Distance 1501 km is not within ±10 % of the PIN-to-PIN distance 2459 km',
          },
        ],
      },
    ]);
  });
});
