import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { invoice, startHarness } from './harness.js';
import { certThumbprintHex, SpecClient, verifySignedJwt } from './spec-client.js';

const dir = mkdtempSync(join(tmpdir(), 'irp-sandbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('persistence in an SQLite file', () => {
  it('keeps keys, certificate, accounts, tokens and IRNs across a restart', async () => {
    const db = join(dir, 'sandbox.db');
    const first = await startHarness({ db });
    const c = await first.loggedIn();
    const gen = await c.post<{ Irn: string; AckNo: number; SignedInvoice: string }>(
      '/eicore/v1.03/Invoice',
      invoice({ seller: first.creds.gstin }),
    );
    expect(gen.envelope.Status).toBe(1);
    const before = first.creds;
    await first.close();

    const second = await startHarness({ db });
    try {
      const after = second.creds;
      expect(after.publicKeyPem).toBe(before.publicKeyPem);
      expect(after.signingCertPem).toBe(before.signingCertPem);
      expect(certThumbprintHex(after.signingCertPem)).toBe(certThumbprintHex(before.signingCertPem));
      expect({ ...after, baseUrl: '', adminSecret: '' }).toEqual({ ...before, baseUrl: '', adminSecret: '' });

      // The old client's token and SEK still work against the restarted server.
      const restarted = new SpecClient({ ...c.creds, baseUrl: after.baseUrl });
      restarted.sek = c.sek;
      restarted.authToken = c.authToken;
      const got = await restarted.get<{ Irn: string; AckNo: number; SignedInvoice: string }>(
        `/eicore/v1.03/Invoice/irn/${gen.data!.Irn}`,
      );
      expect(got.data).toMatchObject({ Irn: gen.data!.Irn, AckNo: gen.data!.AckNo });
      verifySignedJwt(got.data!.SignedInvoice, after.signingCertPem);

      // AckNos continue, never reused.
      const next = await restarted.post<{ AckNo: number }>(
        '/eicore/v1.03/Invoice',
        invoice({ seller: after.gstin }),
      );
      expect(next.data!.AckNo).toBeGreaterThan(gen.data!.AckNo);
    } finally {
      await second.close();
    }
  });
});
