import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';
import { aesDecrypt, SpecClient } from './spec-client.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const otherPublicKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .publicKey.export({ type: 'spki', format: 'pem' })
  .toString();

describe('auth v1.04', () => {
  it('returns a plain Data object whose Sek is the SEK under the AppKey (64 base64 chars)', async () => {
    const c = h.client();
    const res = await c.authV104();
    expect(res.httpStatus).toBe(200);
    expect(res.envelope).toMatchObject({ Status: 1, ErrorDetails: null, InfoDtls: null });
    const data = res.data!;
    expect(data.ClientId).toBe(h.creds.clientId);
    expect(data.UserName).toBe(h.creds.userName);
    expect(data.AuthToken).toMatch(/^[A-Za-z0-9]{25}$/);
    expect(data.Sek).toHaveLength(64);
    expect(aesDecrypt(c.appKey, Buffer.from(data.Sek, 'base64'))).toHaveLength(32);
    expect(data.TokenExpiry).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('accepts the hyphenated header spelling (client-id/client-secret)', async () => {
    const res = await h.client('hyphen').authV104();
    expect(res.envelope.Status).toBe(1);
  });

  it('gives the same token (and SEK) on re-auth within validity, even with a new AppKey', async () => {
    const a = h.client();
    const b = h.client();
    await a.authV104();
    await b.authV104();
    expect(b.authToken).toBe(a.authToken);
    expect(b.sek!.equals(a.sek!)).toBe(true);
  });

  it('ForceRefreshAccessToken early is lenient (same token); in the last 10 minutes it issues a new one', async () => {
    const x = await h.loggedIn();
    const early = h.client();
    await early.authV104({ forceRefresh: true });
    expect(early.authToken).toBe(x.authToken);

    await h.admin.clock({ advanceMs: 51 * 60_000 });
    try {
      const late = h.client();
      await late.authV104({ forceRefresh: true });
      expect(late.authToken).not.toBe(x.authToken);
      // One credential set is one session: the replaced token is dead.
      expect((await x.get(`/eivital/v1.03/Master/gstin/${h.creds.gstin}`)).codes).toEqual(['1005']);
      expect((await late.get(`/eivital/v1.03/Master/gstin/${h.creds.gstin}`)).envelope.Status).toBe(1);
    } finally {
      await h.admin.clock({ reset: true });
    }
  });

  it('an expired token is 1005 and a new login then gets a fresh token', async () => {
    const c = await h.loggedIn();
    // Earlier tests may have refreshed the session's token: expire whichever token this is.
    const expiresAt = Date.parse(`${c.tokenExpiry!.replace(' ', 'T')}+05:30`);
    await h.admin.clock({ now: new Date(expiresAt + 1000).toISOString() });
    try {
      expect((await c.get(`/eivital/v1.03/Master/gstin/${h.creds.gstin}`)).codes).toEqual(['1005']);
      const again = h.client();
      await again.authV104();
      expect(again.authToken).not.toBe(c.authToken);
    } finally {
      await h.admin.clock({ reset: true });
    }
  });

  it('maps every credential and header failure to its code', async () => {
    const c = h.client();
    const code = async (p: Promise<{ codes: string[] }>) => (await p).codes;
    const base = { Gstin: h.creds.gstin };
    expect(await code(c.authV104({ headers: { ...base, client_secret: h.creds.clientSecret } }))).toEqual([
      '1011',
    ]);
    expect(await code(c.authV104({ headers: { ...base, client_id: h.creds.clientId } }))).toEqual(['1012']);
    expect(
      await code(
        c.authV104({ headers: { client_id: h.creds.clientId, client_secret: h.creds.clientSecret } }),
      ),
    ).toEqual(['1004']);
    expect(
      await code(c.authV104({ headers: { ...base, client_id: h.creds.clientId, client_secret: 'wrong' } })),
    ).toEqual(['1010']);
    expect(
      await code(c.authV104({ headers: { ...base, client_id: 'NOSUCHCLIENT', client_secret: 'x' } })),
    ).toEqual(['1010']);
    expect(await code(c.authV104({ userName: 'nobody' }))).toEqual(['1008']);
    expect(await code(c.authV104({ password: 'wrong-password' }))).toEqual(['1019']);
    expect(await code(c.authV104({ publicKeyPem: otherPublicKey }))).toEqual(['1013']);
    expect(await code(c.authV104({ appKeyText: 'not-an-aes-key' }))).toEqual(['1016']);
    expect(await code(c.authV104({ userName: '' }))).toEqual(['1006']);
    const headers = {
      client_id: h.creds.clientId,
      client_secret: h.creds.clientSecret,
      Gstin: '29AABCB2026E1Z6',
    };
    expect(await code(c.authV104({ headers }))).toEqual(['1015']);
  });

  it('answers a body that is not JSON, or has no Data, with 1007', async () => {
    const headers = {
      client_id: h.creds.clientId,
      client_secret: h.creds.clientSecret,
      Gstin: h.creds.gstin,
    };
    for (const body of ['{not json', '', '{"Nope":1}', '{"Data":"%%%"}']) {
      const res = await h.client().raw('POST', '/eivital/v1.04/auth', { headers, body });
      expect(res.status).toBe(200);
      expect((res.json as { ErrorDetails: { ErrorCode: string }[] }).ErrorDetails[0]!.ErrorCode).toMatch(
        /^(1007|1013)$/,
      );
    }
  });
});

describe('account state', () => {
  it('1018 for a user of another client, 1014 for a user whose GSTIN is not active', async () => {
    const other = await h.admin.createAccount({
      userName: 'client_b_user',
      password: 'Cb1@user',
      gstin: '01AMBPG7773M002',
    });
    const viaDemoClient = new SpecClient({
      ...h.creds,
      userName: other.userName,
      password: other.password,
      gstin: other.gstin,
    });
    expect((await viaDemoClient.authV104()).codes).toEqual(['1018']);

    const inactive = await h.admin.createAccount({
      userName: 'inactive_user',
      password: 'In1@user',
      gstin: '33AABCI9999Z1ZZ',
    });
    await h.admin.putTaxpayer('33AABCI9999Z1ZZ', { status: 'CNL' });
    expect((await new SpecClient({ ...h.creds, ...inactive }).authV104()).codes).toEqual(['1014']);
  });
});

describe('auth v1.03', () => {
  it('logs in with separately RSA-encrypted password and AppKey, into the same session', async () => {
    const v104 = await h.loggedIn();
    const c = h.client();
    const res = await c.authV103();
    expect(res.envelope.Status).toBe(1);
    expect(c.authToken).toBe(v104.authToken);
    expect(c.sek).toHaveLength(32);
  });
});

describe('token check on API calls', () => {
  it('1005 for an unknown token, 1015 for another GSTIN, 1004/1006/1011/1012 for missing headers', async () => {
    const c = await h.loggedIn();
    const path = `/eivital/v1.03/Master/gstin/${h.creds.gstin}`;
    const headers = c.sessionHeaders();
    const without = (name: string) => Object.fromEntries(Object.entries(headers).filter(([k]) => k !== name));
    const codeOf = async (hdrs: Record<string, string>) =>
      ((await c.raw('GET', path, { headers: hdrs })).json as { ErrorDetails: { ErrorCode: string }[] })
        .ErrorDetails[0]!.ErrorCode;
    expect(await codeOf({ ...headers, AuthToken: 'AAAAAAAAAAAAAAAAAAAAAAAAA' })).toBe('1005');
    expect(await codeOf({ ...headers, Gstin: '29AABCB2026E1Z6' })).toBe('1015');
    expect(await codeOf(without('Gstin'))).toBe('1004');
    expect(await codeOf(without('user_name'))).toBe('1006');
    expect(await codeOf(without('client_id'))).toBe('1011');
    expect(await codeOf(without('client_secret'))).toBe('1012');
    expect(await codeOf(without('AuthToken'))).toBe('1005');
    expect(await codeOf({ ...headers, user_name: 'someone_else' })).toBe('1005');
    expect(await codeOf({ ...headers, client_secret: 'bad' })).toBe('1010');
  });

  it('reads lower-case and hyphenated spellings (gstin, authtoken, username)', async () => {
    const c = await h.loggedIn('hyphen');
    const res = await c.raw('GET', `/eivital/v1.03/Master/gstin/${h.creds.gstin}`, {
      headers: {
        'client-id': h.creds.clientId,
        'client-secret': h.creds.clientSecret,
        gstin: h.creds.gstin,
        username: h.creds.userName,
        authtoken: c.authToken!,
      },
    });
    expect((res.json as { Status: number }).Status).toBe(1);
  });

  it('a token is not valid for another client of the same GSTIN', async () => {
    const other = await h.admin.createAccount({
      userName: 'second_user',
      password: 'Pw1@second',
      gstin: '36AMBPG7773M002',
    });
    const c = new SpecClient({ ...h.creds, ...other });
    expect((await c.authV104()).envelope.Status).toBe(1);
    const demo = await h.loggedIn();
    const res = await demo.raw('GET', `/eivital/v1.03/Master/gstin/${h.creds.gstin}`, {
      headers: { ...demo.sessionHeaders(), client_id: other.clientId, client_secret: other.clientSecret },
    });
    expect((res.json as { ErrorDetails: { ErrorCode: string }[] }).ErrorDetails[0]!.ErrorCode).toBe('1005');
  });
});
