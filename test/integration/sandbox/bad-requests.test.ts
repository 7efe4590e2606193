import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoice, startHarness, type Harness } from './harness.js';
import { aesEncrypt, type Envelope, type SpecClient } from './spec-client.js';

let h: Harness;
let c: SpecClient;
beforeAll(async () => {
  h = await startHarness({ maxBodyBytes: 64 * 1024 });
  c = await h.loggedIn();
});
afterAll(() => h.close());

const generatePath = '/eicore/v1.03/Invoice';

async function postRaw(body: string | Buffer, headers: Record<string, string> = c.sessionHeaders()) {
  const res = await c.raw('POST', generatePath, { headers, body });
  return { status: res.status, text: res.text, envelope: res.json as Envelope };
}

function expectEnvelope(res: { status: number; text: string; envelope: Envelope }, code: string): void {
  expect(res.status).toBe(200);
  expect(res.envelope).toMatchObject({ Status: 0, Data: null, InfoDtls: null });
  expect(res.envelope.ErrorDetails![0]!.ErrorCode).toBe(code);
  expect(res.text).not.toMatch(/at .*\(.*:\d+:\d+\)|Error:/);
}

describe('bad requests get an IRP envelope with a code', () => {
  it('malformed JSON, a non-object, missing Data, non-string Data', async () => {
    expectEnvelope(await postRaw('{"Data": '), '3009');
    expectEnvelope(await postRaw('[1,2]'), '3009');
    expectEnvelope(await postRaw('{"Data": 42}'), '3009');
    expectEnvelope(await postRaw('{}'), '2255');
    expectEnvelope(await postRaw(''), '2255');
  });

  it('an invoice nested 2000 levels deep (26 KB) is 2140 naming the bound, not HTTP 500 / 5001', async () => {
    const deep = `${'{"ItemList":'.repeat(2000)}1${'}'.repeat(2000)}`;
    const res = await postRaw(
      JSON.stringify({ Data: aesEncrypt(c.sek!, Buffer.from(deep)).toString('base64') }),
    );
    expectEnvelope(res, '2140');
    expect(res.envelope.ErrorDetails![0]!.ErrorMessage).toMatch(/nested more than 64 levels deep/);
  });

  it('adversarial member names and values (toString, __proto__, constructor) are findings, not crashes', async () => {
    const inv = invoice({ seller: h.creds.gstin });
    const text = JSON.stringify(inv)
      .replace('"Loc":', '"toString":{"valueOf":null},"__proto__":{"x":1},"constructor":[],"Loc":')
      .replace(/"TotInvVal":[0-9.]+/, '"TotInvVal":{"toString":1,"valueOf":2}');
    const res = await postRaw(
      JSON.stringify({ Data: aesEncrypt(c.sek!, Buffer.from(text)).toString('base64') }),
    );
    expectEnvelope(res, '2140');
    expect(res.envelope.ErrorDetails![0]!.ErrorMessage).toMatch(/ValDtls\.TotInvVal must be a number/);
  });

  it('bad base64, the wrong key, and ciphertext that is not JSON', async () => {
    expectEnvelope(await postRaw(JSON.stringify({ Data: 'not*base64' })), '3009');
    const wrongKey = aesEncrypt(
      randomBytes(32),
      Buffer.from(JSON.stringify(invoice({ seller: h.creds.gstin }))),
    );
    expectEnvelope(await postRaw(JSON.stringify({ Data: wrongKey.toString('base64') })), '3009');
    const notJson = aesEncrypt(c.sek!, Buffer.from('this is not json'));
    expectEnvelope(await postRaw(JSON.stringify({ Data: notJson.toString('base64') })), '3009');
    const emptyInvoice = aesEncrypt(c.sek!, Buffer.from('{}'));
    expectEnvelope(await postRaw(JSON.stringify({ Data: emptyInvoice.toString('base64') })), '2255');
  });

  it('an oversize body is 5002, answered after the body is drained (no reset, no hang)', async () => {
    const big = JSON.stringify({ Data: 'A'.repeat(200 * 1024) });
    expectEnvelope(await postRaw(big), '5002');
    // The connection and the server remain usable.
    expect((await c.get(`/eivital/v1.03/Master/gstin/${h.creds.gstin}`)).envelope.Status).toBe(1);
  });

  it('a body far beyond the limit is cut off without taking the server down', async () => {
    const url = new URL(h.creds.baseUrl);
    await new Promise<void>((resolve) => {
      const req = request({
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: generatePath,
        headers: c.sessionHeaders(),
      });
      req.on('error', () => resolve());
      req.on('response', (res) => {
        res.resume();
        res.on('end', resolve);
      });
      const chunk = Buffer.alloc(64 * 1024, 65);
      let sent = 0;
      const pump = () => {
        while (sent < 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect((await c.get(`/eivital/v1.03/Master/gstin/${h.creds.gstin}`)).envelope.Status).toBe(1);
  });

  it('missing headers are codes, not crashes', async () => {
    expectEnvelope(await postRaw('{}', {}), '1011');
    expectEnvelope(await postRaw('{}', { client_id: 'x' }), '1012');
  });

  it('unknown paths and methods still answer with an envelope', async () => {
    const res = await c.raw('GET', '/eicore/v1.03/NoSuchThing', { headers: c.sessionHeaders() });
    expect(res.status).toBe(404);
    expect((res.json as Envelope).ErrorDetails![0]!.ErrorCode).toBe('5001');
    const wrongMethod = await c.raw('GET', generatePath, { headers: c.sessionHeaders() });
    expect(wrongMethod.status).toBe(405);
    expect((wrongMethod.json as Envelope).Status).toBe(0);
  });

  it('paths are case-insensitive, as on the IRP', async () => {
    const res = await c.get(`/EIVITAL/v1.03/master/GSTIN/${h.creds.gstin}`);
    expect(res.envelope.Status).toBe(1);
  });

  it('serves the public key and signing certificate; the admin API needs its secret', async () => {
    const pem = await c.raw('GET', '/sandbox/public-key.pem');
    expect(pem.text).toBe(h.creds.publicKeyPem);
    expect(pem.text).toContain('BEGIN PUBLIC KEY');
    expect((await c.raw('GET', '/sandbox/admin/clock')).status).toBe(401);
    expect(
      (await c.raw('GET', '/sandbox/admin/clock', { headers: { 'x-admin-secret': 'nope' } })).status,
    ).toBe(401);
    expect((await h.admin.call('GET', '/clock')).status).toBe(200);
    expect((await h.admin.call('PUT', '/faults', { rules: [{ latncy: { fixedMs: 1 } }] })).status).toBe(400);
  });

  it('never puts secrets in the envelope', async () => {
    const res = await postRaw(JSON.stringify({ Data: 'not*base64' }));
    for (const secret of [h.creds.clientSecret, h.creds.password, c.authToken!, c.sek!.toString('base64')]) {
      expect(res.text).not.toContain(secret);
    }
  });
});
