/**
 * The console's API over real HTTP (runs without a browser): each step's values are the real ones
 * (the SEK shown decrypts the answers), a substituted payload is judged right, every one-click
 * scenario meets its code, and a JWT is verified against the signing certificate.
 */
import { createDecipheriv } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptJsonPayload } from '../../src/irp/crypto.js';
import { SCENARIOS } from '../../src/sandbox/portal/console/scenarios.js';
import { decodeQrPng } from '../support/qr-decode.js';
import { FormClient } from './support/form-client.js';
import { startPortalHarness, type PortalHarness } from './support/portal-harness.js';

let h: PortalHarness;
let browser: FormClient;
beforeAll(async () => {
  h = await startPortalHarness();
  browser = new FormClient(h.baseUrl);
  await browser.get('/console');
});
afterAll(() => h?.close());

const login = () => {
  const c = h.sandbox.credentials;
  return browser.json('/console/api/auth', {
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    userName: c.userName,
    password: c.password,
    gstin: c.gstin,
  });
};

describe('console API', () => {
  it('refuses calls without the page\u2019s CSRF token', async () => {
    const res = await fetch(`${h.baseUrl}/console/api/state`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      body: '{}',
    });
    expect(res.status).toBe(403);
  });

  it('says what is missing before logging in', async () => {
    const r = await browser.json('/console/api/auth', { clientId: '', clientSecret: 'x' });
    expect(r.json).toEqual({ ok: false, error: 'Fill in: clientId, userName, password, gstin.' });
    const send = await browser.json('/console/api/send', { api: 'generate-irn', payload: '{}' });
    expect(send.json.error).toBe('Log in first.');
  });

  it('logs in and shows AppKey, RSA body and SEK, which really is the session key', async () => {
    const r = await login();
    expect(r.json.ok).toBe(true);
    const v = r.json.value;
    expect(v.plaintext.Password).toBe('••••••••');
    expect(Buffer.from(v.appKey.base64, 'base64')).toHaveLength(32);
    expect(v.rsaBody.Data).toMatch(/^[A-Za-z0-9+/]{342}==$/);
    expect(v.sekEncrypted).toHaveLength(64);
    const decipher = createDecipheriv('aes-256-ecb', Buffer.from(v.appKey.hex, 'hex'), null);
    const sek = Buffer.concat([decipher.update(Buffer.from(v.sekEncrypted, 'base64')), decipher.final()]);
    expect(sek.toString('hex')).toBe(v.sek.hex);
    expect(v.transcript.request.headers.client_secret).toBe('••••••••');
    expect(JSON.stringify(v)).not.toContain(h.sandbox.credentials.password);
    expect(JSON.stringify(v)).not.toContain(h.sandbox.credentials.clientSecret);
  });

  it('generates an IRN from the sample, decrypting the answer', async () => {
    const sample = await browser.json('/console/api/sample', { api: 'generate-irn' });
    expect(JSON.parse(sample.json.value.payload).SellerDtls.Gstin).toBe(h.sandbox.credentials.gstin);
    const sent = await browser.json('/console/api/send', {
      api: 'generate-irn',
      payload: sample.json.value.payload,
    });
    expect(sent.json.value.status).toBe(1);
    expect(sent.json.value.decrypted.Irn).toMatch(/^[0-9a-f]{64}$/);
    const byIrn = await browser.json('/console/api/sample', { api: 'get-irn' });
    expect(byIrn.json.value.params.irn).toBe(sent.json.value.decrypted.Irn);
    const verified = await browser.json('/console/api/verify', {
      jwt: sent.json.value.decrypted.SignedQRCode,
    });
    expect(verified.json.value.kind).toBe('SignedQRCode');
    expect(verified.json.value.data.Irn).toBe(sent.json.value.decrypted.Irn);
    const png = Buffer.from(verified.json.value.qrPng.replace(/^data:image\/png;base64,/, ''), 'base64');
    expect(decodeQrPng(png).text).toBe(sent.json.value.decrypted.SignedQRCode);
    const invoice = await browser.json('/console/api/verify', {
      jwt: sent.json.value.decrypted.SignedInvoice,
    });
    expect(invoice.json.value.kind).toBe('SignedInvoice');
    const tampered = sent.json.value.decrypted.SignedQRCode.replace(
      /\.([A-Za-z0-9_-])/,
      (_m: string, c: string) => `.${c === 'e' ? 'f' : 'e'}`,
    );
    expect((await browser.json('/console/api/verify', { jwt: tampered })).json.error).toMatch(
      /^Not verified/,
    );
    expect((await browser.json('/console/api/verify', { jwt: 'hello' })).json.error).toContain(
      'three base64url parts',
    );
  });

  it('judges a substituted payload: good, corrupted, another key, findings with paths', async () => {
    const sample = await browser.json('/console/api/sample', { api: 'generate-irn' });
    const enc = await browser.json('/console/api/encrypt', {
      api: 'generate-irn',
      payload: sample.json.value.payload,
    });
    const steps = async (encrypted: string) =>
      (await browser.json('/console/api/inspect', { api: 'generate-irn', encrypted })).json.value;
    const good = await steps(enc.json.value.data);
    expect(good.steps.map((s: { ok: boolean }) => s.ok)).toEqual([true, true, true, true]);
    const whole = await steps(JSON.stringify(enc.json.value.body));
    expect(whole.steps[0].name).toBe('Body');
    const other = await steps(encryptJsonPayload(Buffer.alloc(32, 7), JSON.parse(sample.json.value.payload)));
    expect(other.steps.at(-1)).toMatchObject({ name: 'Decrypts under your SEK', ok: false });
    expect((await steps('not base64!')).steps.at(-1)).toMatchObject({ name: 'Base64', ok: false });
    const invoice = JSON.parse(sample.json.value.payload);
    invoice.ItemList[0].HsnCd = '12';
    delete invoice.SellerDtls.LglNm;
    const bad = await browser.json('/console/api/encrypt', {
      api: 'generate-irn',
      payload: JSON.stringify(invoice),
    });
    const findings = (await steps(bad.json.value.data)).findings as { code: string; path: string }[];
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: '2176', path: 'ItemList[0].HsnCd' }),
        expect.objectContaining({ path: 'SellerDtls.LglNm' }),
      ]),
    );
    const cancel = await browser.json('/console/api/encrypt', { api: 'cancel-irn', payload: '{"Irn": "x"}' });
    const cancelFindings = (
      await browser.json('/console/api/inspect', { api: 'cancel-irn', encrypted: cancel.json.value.data })
    ).json.value.findings;
    expect(cancelFindings.map((f: { code: string; path: string }) => `${f.code}@${f.path}`)).toEqual([
      '2142@Irn',
      '2142@CnlRsn',
      '2142@CnlRem',
    ]);
  });

  it.each(SCENARIOS.map((s) => [s.name, s.expected]))(
    'scenario %s answers %s, explained',
    async (name, expected) => {
      const r = await browser.json('/console/api/scenario', { name });
      expect(r.json.ok, r.json.error).toBe(true);
      expect(r.json.value.got).toContain(expected);
      expect(r.json.value.explanation.code).toBe(expected);
      expect(r.json.value.explanation.explanation.length).toBeGreaterThan(20);
      // The session still works afterwards (the expired-token scenario logs in again).
      const state = await browser.json('/console/api/send', {
        api: 'gstin-details',
        params: { gstin: h.sandbox.credentials.gstin },
      });
      expect(state.json.value.status).toBe(1);
    },
  );
});
