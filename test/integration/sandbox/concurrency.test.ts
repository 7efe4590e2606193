import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docNo, invoice, startHarness, type Harness } from './harness.js';
import { SpecClient } from './spec-client.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

interface IrnData {
  AckNo: number;
  Irn: string;
}

describe('many clients at once', () => {
  it('the same document submitted concurrently yields one IRN and 2150 for all the others', async () => {
    const clients = await Promise.all(Array.from({ length: 4 }, () => h.loggedIn()));
    const inv = invoice({ seller: h.creds.gstin, no: docNo('race') });
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        clients[i % clients.length]!.post<IrnData>('/eicore/v1.03/Invoice', inv),
      ),
    );
    const winners = results.filter((r) => r.envelope.Status === 1);
    const losers = results.filter((r) => r.envelope.Status === 0);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(23);
    const { Irn, AckNo } = winners[0]!.data!;
    for (const loser of losers) {
      expect(loser.codes).toEqual(['2150']);
      expect(loser.envelope.InfoDtls![0]).toMatchObject({ InfCd: 'DUPIRN', Desc: { Irn, AckNo } });
    }
  });

  it('different documents from several taxpayers in parallel all register, with unique AckNos', async () => {
    const sellers = ['01AMBPG7773M002', '02AMBPG7773M002', '24AAFCD5862R005'];
    const clients: { client: SpecClient; seller: string }[] = [
      { client: await h.loggedIn(), seller: h.creds.gstin },
    ];
    for (const [i, seller] of sellers.entries()) {
      const account = await h.admin.createAccount({ userName: `par_user_${i}`, gstin: seller });
      const client = new SpecClient({ ...h.creds, ...account });
      await client.authV104();
      clients.push({ client, seller });
    }
    const jobs = clients.flatMap(({ client, seller }) =>
      Array.from({ length: 15 }, () => {
        const inv = invoice({ seller, no: docNo('par') });
        if (seller.startsWith('01')) Object.assign(inv.SellerDtls, { Stcd: '01', Pin: 193501 });
        if (seller.startsWith('24')) Object.assign(inv.SellerDtls, { Stcd: '24', Pin: 382010 });
        return client.post<IrnData>('/eicore/v1.03/Invoice', inv);
      }),
    );
    const results = await Promise.all(jobs);
    expect(results.map((r) => r.codes.join(',') || 'ok')).toEqual(results.map(() => 'ok'));
    const ackNos = new Set(results.map((r) => r.data!.AckNo));
    expect(ackNos.size).toBe(results.length);
  });
});
