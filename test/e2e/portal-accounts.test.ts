/**
 * The portal's account side over real HTTP (no browser needed): registration with two OTPs, the
 * outbox and the server log, expiry, attempts and rate limits, login and sessions, the account page
 * (client secret, password reset, more GSTINs), CSRF, and "bad input stores nothing". The credentials
 * the portal issues are checked against the IRP API with the independent spec client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpecClient } from '../integration/sandbox/spec-client.js';
import { credentials, FormClient, outboxOtps, textOf } from './support/form-client.js';
import { startPortalHarness, type PortalHarness } from './support/portal-harness.js';

let h: PortalHarness;
beforeAll(async () => {
  h = await startPortalHarness();
});
afterAll(() => h?.close());

/** GSTINs of one made-up PAN, with correct check characters where it matters little. */
const PAN = 'AAKCS1234F';
const gstinOf = (state: string, entity = '1', pan = PAN) => `${state}${pan}${entity}ZX`;

async function startRegistration(
  client: FormClient,
  fields: { gstin: string; mobile: string; email: string },
) {
  await client.get('/register');
  return client.post('/register', fields);
}

async function register(gstin: string, mobile = '9876543210', email = 'dev@example.com') {
  const browser = new FormClient(h.baseUrl);
  const started = await startRegistration(browser, { gstin, mobile, email });
  expect(started.status, started.text).toBe(303);
  const verifyPath = started.location!;
  const outbox = await browser.get('/outbox');
  const otps = outboxOtps(outbox.text);
  await browser.get(verifyPath);
  const done = await browser.post(verifyPath, { mobileOtp: otps.mobile[0]!, emailOtp: otps.email[0]! });
  expect(done.status, done.text).toBe(200);
  return { browser, creds: credentials(done.text) };
}

async function apiLogin(c: Record<string, string>, overrides: Partial<Record<string, string>> = {}) {
  const client = new SpecClient({
    baseUrl: h.baseUrl,
    clientId: c['Client id']!,
    clientSecret: c['Client secret']!,
    userName: c['User name']!,
    password: c.Password!,
    gstin: c.GSTIN!,
    publicKeyPem: h.sandbox.credentials.publicKeyPem,
    ...overrides,
  });
  return { client, result: await client.authV104() };
}

describe('registration', () => {
  it('sends two OTPs to the outbox and the log, and issues working credentials once', async () => {
    const gstin = gstinOf('29');
    const browser = new FormClient(h.baseUrl);
    const started = await startRegistration(browser, {
      gstin,
      mobile: '+91 98765 43210',
      email: 'dev@example.com',
    });
    expect(started.status).toBe(303);
    expect(started.location).toMatch(/^\/register\/verify\?flow=/);

    const verify = await browser.get(started.location!);
    expect(verify.text).toContain('OTP sent by SMS to 98******10');
    expect(verify.text).toContain('OTP sent by e-mail to d***@example.com');

    const outbox = await browser.get('/outbox');
    const otps = outboxOtps(outbox.text);
    expect(otps.mobile).toHaveLength(1);
    expect(otps.email).toHaveLength(1);
    expect(otps.mobile[0]).toMatch(/^\d{6}$/);
    const logged = h
      .logLines()
      .filter((l) => l.msg === 'portal outbox: OTP sent' && String(l.purpose).includes(gstin));
    expect(logged.map((l) => l.otp).sort()).toEqual([otps.mobile[0], otps.email[0]].sort());

    // Another browser sees none of these messages.
    const stranger = new FormClient(h.baseUrl);
    expect(outboxOtps((await stranger.get('/outbox')).text).mobile).toHaveLength(0);

    const done = await browser.post(started.location!, {
      mobileOtp: otps.mobile[0]!,
      emailOtp: otps.email[0]!,
    });
    expect(done.status).toBe(200);
    expect(done.headers.get('cache-control')).toBe('no-store');
    const creds = credentials(done.text);
    expect(creds.GSTIN).toBe(gstin);
    expect(creds['User name']).toBe(`API_${gstin}`);
    expect(creds['Client id']).toMatch(/^SBX[0-9A-F]{16}$/);
    expect(creds.Password).toMatch(/^(?=.*[A-Z])(?=.*[a-z])(?=.*[0-9])(?=.*[%$#@_!*]).{8,15}$/);

    const { result } = await apiLogin(creds);
    expect(result.envelope.Status).toBe(1);

    // Shown once: sending the form again does not show them again.
    const again = await browser.post(started.location!, {
      mobileOtp: otps.mobile[0]!,
      emailOtp: otps.email[0]!,
    });
    expect(again.status).toBe(400);
    expect(again.text).not.toContain(creds['Client secret']!);

    // Only hashes are stored: neither secret is anywhere in the database file.
    const bytes = h.dbBytes();
    expect(bytes.includes(Buffer.from(creds['Client secret']!))).toBe(false);
    expect(bytes.includes(Buffer.from(creds.Password!))).toBe(false);
    expect(bytes.includes(Buffer.from(`${otps.mobile[0]} is your OTP`))).toBe(true); // the outbox is the sandbox's SMS
  });

  it('refuses bad registration input with a message per field and stores nothing', async () => {
    const browser = new FormClient(h.baseUrl);
    await browser.get('/register');
    const before = h.rowCounts();
    const cases: [Record<string, string>, string, string][] = [
      [{ gstin: '', mobile: '9876543210', email: 'a@b.co' }, 'f-gstin', 'Enter the GSTIN'],
      [
        { gstin: '29AAKCS1234F1Z', mobile: '9876543210', email: 'a@b.co' },
        'f-gstin',
        'A GSTIN is 15 characters',
      ],
      [{ gstin: '99AAKCS1234F1ZX', mobile: '9876543210', email: 'a@b.co' }, 'f-gstin', 'not a state code'],
      [{ gstin: '2912345678901ZX', mobile: '9876543210', email: 'a@b.co' }, 'f-gstin', 'are the PAN'],
      [
        { gstin: h.sandbox.credentials.gstin, mobile: '9876543210', email: 'a@b.co' },
        'f-gstin',
        'already registered',
      ],
      [{ gstin: gstinOf('27'), mobile: '12345', email: 'a@b.co' }, 'f-mobile', '10-digit Indian mobile'],
      [{ gstin: gstinOf('27'), mobile: '9876543210', email: 'not-an-email' }, 'f-email', 'e-mail address'],
    ];
    for (const [fields, fieldId, message] of cases) {
      const res = await browser.post('/register', fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(res.text).toContain('There is a problem');
      expect(res.text).toContain(message);
      expect(res.text).toContain(`href="#${fieldId}"`);
      expect(res.text).toContain('aria-invalid="true"');
    }
    expect(h.rowCounts()).toEqual(before);
  });

  it('counts wrong OTPs, lets a malformed one cost nothing, and expires them', async () => {
    const browser = new FormClient(h.baseUrl);
    const started = await startRegistration(browser, {
      gstin: gstinOf('33'),
      mobile: '9123456780',
      email: 'x@example.org',
    });
    const path = started.location!;
    const otps = outboxOtps((await browser.get('/outbox')).text);
    const wrong = otps.mobile[0] === '000000' ? '111111' : '000000';

    const malformed = await browser.post(path, { mobileOtp: '12ab', emailOtp: otps.email[0]! });
    expect(malformed.status).toBe(400);
    expect(malformed.text).toContain('Enter the 6-digit OTP sent by SMS');

    const first = await browser.post(path, { mobileOtp: wrong, emailOtp: otps.email[0]! });
    expect(first.text).toContain('Wrong OTP: 2 attempts left.');
    // The e-mail OTP was right: it stays verified.
    expect(first.text).toContain('is verified');
    await browser.post(path, { mobileOtp: wrong });
    const third = await browser.post(path, { mobileOtp: wrong });
    expect(third.text).toContain('no attempts are left');
    const fourth = await browser.post(path, { mobileOtp: otps.mobile[0]! });
    expect(fourth.text).toContain('Too many wrong attempts');

    // A new pair (only the unverified channel is resent) works.
    const resent = await browser.post(path.replace('/verify', '/resend'), {});
    expect(resent.status).toBe(303);
    const fresh = outboxOtps((await browser.get('/outbox')).text);
    expect(fresh.mobile).toHaveLength(2);
    expect(fresh.email).toHaveLength(1);

    await h.admin.clock({ advanceMs: 11 * 60_000 });
    try {
      const expired = await browser.post(path, { mobileOtp: fresh.mobile[0]! });
      expect(expired.text).toContain('This OTP has expired');
    } finally {
      await h.admin.clock({ reset: true });
    }
  });

  it('rate-limits OTPs per GSTIN and per address', async () => {
    const browser = new FormClient(h.baseUrl);
    await browser.get('/register');
    const gstin = gstinOf('24', '2');
    for (let i = 0; i < 5; i++) {
      const res = await browser.post('/register', {
        gstin,
        mobile: `70000000${10 + i}`,
        email: `r${i}@example.com`,
      });
      expect(res.status).toBe(303);
    }
    const before = h.rowCounts();
    const refused = await browser.post('/register', { gstin, mobile: '7000000020', email: 'r9@example.com' });
    expect(refused.status).toBe(400);
    expect(refused.text).toMatch(
      /Too many OTPs were requested for GSTIN 24AAKCS1234F2ZX in the last hour\. Try again in \d+ minutes\./,
    );
    expect(h.rowCounts()).toEqual(before);

    const mobile = '8111111111';
    for (let i = 0; i < 5; i++) {
      const res = await browser.post('/register', {
        gstin: gstinOf('0' + (i + 3), '3'),
        mobile,
        email: `m${i}@example.com`,
      });
      expect(res.status, /class="error-summary"[\s\S]*?<\/ul>/.exec(res.text)?.[0]).toBe(303);
    }
    const byAddress = await browser.post('/register', {
      gstin: gstinOf('10', '3'),
      mobile,
      email: 'm9@example.com',
    });
    expect(byAddress.text).toContain('Too many OTPs were sent to 81******11');
  });
});

describe('login and account', () => {
  it('logs in with the issued credentials, with hardened cookies, and out again', async () => {
    const { creds } = await register(gstinOf('32'), '9000000001', 'login@example.com');
    const browser = new FormClient(h.baseUrl);
    await browser.get('/login');
    const before = h.rowCounts();
    const bad = await browser.post('/login', { userName: creds['User name']!, password: 'Wrong#Pass1' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Wrong user name or password.');
    const empty = await browser.post('/login', { userName: '', password: '' });
    expect(empty.text).toContain('Enter your user name.');
    expect(empty.text).toContain('Enter your password.');
    expect(h.rowCounts()).toEqual(before);

    const ok = await browser.post('/login', { userName: creds['User name']!, password: creds.Password! });
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/account');
    const setCookie = ok.headers.getSetCookie().find((c) => c.startsWith('__Host-irp-portal-session='))!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const account = await browser.get('/account');
    expect(account.status).toBe(200);
    expect(account.text).toContain(creds['Client id']!);
    expect(account.headers.get('content-security-policy')).toContain("script-src 'self'");

    await browser.post('/logout', {});
    expect((await browser.get('/account')).location).toBe('/login');
  });

  it('locks a user name after five failed logins', async () => {
    const { creds } = await register(gstinOf('30'), '9000000002', 'lock@example.com');
    const browser = new FormClient(h.baseUrl);
    await browser.get('/login');
    for (let i = 0; i < 5; i++)
      await browser.post('/login', { userName: creds['User name']!, password: 'Nope#1234' });
    const locked = await browser.post('/login', { userName: creds['User name']!, password: creds.Password! });
    expect(locked.text).toContain('Too many failed logins');
  });

  it('refuses forms without the CSRF token or from another site, changing nothing', async () => {
    const browser = new FormClient(h.baseUrl);
    await browser.get('/register');
    const before = h.rowCounts();
    const fields = { gstin: gstinOf('19', '5'), mobile: '9000000003', email: 'csrf@example.com' };
    const noToken = await browser.post('/register', fields, { csrf: '' });
    expect(noToken.status).toBe(403);
    expect(noToken.text).toContain('nothing was changed');
    const otherBrowser = new FormClient(h.baseUrl);
    await otherBrowser.get('/register');
    expect((await browser.post('/register', fields, { csrf: otherBrowser.csrf })).status).toBe(403);
    const crossSite = await browser.post('/register', fields, { headers: { origin: 'http://evil.example' } });
    expect(crossSite.status).toBe(403);
    expect(h.rowCounts()).toEqual(before);
  });

  it('regenerates the client secret, resets the password with an OTP, adds a GSTIN of the same PAN', async () => {
    const pan = 'AAKCT9876Q';
    const first = gstinOf('07', '1', pan);
    const { browser, creds } = await register(first, '9000000004', 'acct@example.com');
    await browser.get('/login');
    await browser.post('/login', { userName: creds['User name']!, password: creds.Password! });
    await browser.get('/account');

    // Client secret.
    const regenerated = await browser.post('/account/secret', {});
    expect(regenerated.status).toBe(200);
    const newSecret = credentials(regenerated.text)['Client secret']!;
    expect(newSecret).not.toBe(creds['Client secret']);
    expect((await apiLogin(creds)).result.codes).toEqual(['1010']);
    expect((await apiLogin(creds, { clientSecret: newSecret })).result.envelope.Status).toBe(1);

    // Password reset: bad input first.
    const start = await browser.post('/account/password/start', {});
    expect(start.status).toBe(303);
    const resetPage = await browser.get(start.location!);
    const flow = /name="flow" value="([^"]+)"/.exec(resetPage.text)![1]!;
    const otp = outboxOtps((await browser.get('/outbox')).text).mobile[0]!;
    const before = h.rowCounts();
    const weak = await browser.post('/account/password', {
      flow,
      mobileOtp: otp,
      password: 'password',
      confirm: 'password',
    });
    expect(weak.status).toBe(400);
    expect(weak.text).toContain('IRP 3003');
    const differ = await browser.post('/account/password', {
      flow,
      mobileOtp: otp,
      password: 'Good#Pass12',
      confirm: 'Good#Pass13',
    });
    expect(differ.text).toContain('The two passwords differ.');
    expect(h.rowCounts()).toEqual(before);
    expect((await apiLogin(creds, { clientSecret: newSecret })).result.envelope.Status).toBe(1);

    const reset = await browser.post('/account/password', {
      flow,
      mobileOtp: otp,
      password: 'Good#Pass12',
      confirm: 'Good#Pass12',
    });
    expect(reset.status).toBe(303);
    expect((await apiLogin(creds, { clientSecret: newSecret })).result.codes).toEqual(['1019']);
    expect(
      (await apiLogin(creds, { clientSecret: newSecret, password: 'Good#Pass12' })).result.envelope.Status,
    ).toBe(1);

    // Another GSTIN: a different PAN is refused, the same PAN gets a new user under the same client.
    const account = await browser.get('/account');
    expect(account.status).toBe(200);
    const countsBefore = h.rowCounts();
    const otherPan = await browser.post('/account/gstins', { gstin: gstinOf('08', '1', 'AAKCZ1111Q') });
    expect(otherPan.status).toBe(400);
    expect(otherPan.text).toContain(`can only add GSTINs of PAN ${pan}`);
    const malformed = await browser.post('/account/gstins', { gstin: 'hello' });
    expect(malformed.text).toContain('A GSTIN is 15 characters');
    expect(h.rowCounts()).toEqual(countsBefore);

    const second = gstinOf('08', '2', pan);
    const added = await browser.post('/account/gstins', { gstin: second });
    expect(added.status).toBe(200);
    const addedCreds = credentials(added.text);
    expect(addedCreds['Client id']).toBe(creds['Client id']);
    expect(addedCreds['Client secret']).toBeUndefined();
    const login2 = await apiLogin({ ...addedCreds, 'Client secret': newSecret });
    expect(login2.result.envelope.Status).toBe(1);
    const page = await browser.get('/account');
    expect(page.text).toContain(second);
    expect(textOf(page.text, 'error')).toEqual([]);
  });

  it('serves the key downloads linked from the account page', async () => {
    const browser = new FormClient(h.baseUrl);
    const key = await browser.get('/sandbox/public-key.pem');
    expect(key.text).toBe(h.sandbox.credentials.publicKeyPem);
    const cert = await browser.get('/sandbox/signing-cert.pem');
    expect(cert.text).toBe(h.sandbox.credentials.signingCertPem);
  });
});
