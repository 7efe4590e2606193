/**
 * Load and probing limits over real HTTP: credentials and the declared body size are checked before a
 * body is read, connections and per-client rates are capped, failed logins lock a user name for a while
 * (no password oracle through 1008/1018/1019), admin inputs are bounded, and logins decrypt in workers.
 */
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';
import { rawRequest, SpecClient, type Envelope } from './spec-client.js';

/** Sends headers (and at most `send` bytes of a declared body) and resolves with the first answer. */
function partialPost(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
  declared: number,
  send = 0,
): Promise<{ status: number; headers: Record<string, unknown>; json: Envelope }> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(declared) },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, json: JSON.parse(text) as Envelope }),
        );
      },
    );
    req.on('error', reject);
    req.flushHeaders();
    if (send > 0) req.write(Buffer.alloc(send, 0x20));
    // Deliberately never end: the rest of the body is never sent.
  });
}

describe('before the body is read', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ maxBodyBytes: 64 * 1024 });
  });
  afterAll(() => h.close());

  it('a declared body over the limit is 5002 at once, the body never sent', async () => {
    const c = await h.loggedIn();
    const res = await partialPost(
      h.creds.baseUrl,
      '/eicore/v1.03/Invoice',
      c.sessionHeaders(),
      10 * 1024 * 1024,
    );
    expect(res.status).toBe(200);
    expect(res.json.ErrorDetails?.[0]?.ErrorCode).toBe('5002');
    expect(res.headers.connection).toBe('close');
  });

  it('a bad token is 1005 before the (unsent) body, a bad client secret 1010 before a login body', async () => {
    const c = await h.loggedIn();
    const bad = await partialPost(
      h.creds.baseUrl,
      '/eicore/v1.03/Invoice',
      { ...c.sessionHeaders(), AuthToken: 'ZZZZZZZZZZZZZZZZZZZZZZZZZ' },
      60 * 1024,
      100,
    );
    expect(bad.json.ErrorDetails?.[0]?.ErrorCode).toBe('1005');
    const login = await partialPost(
      h.creds.baseUrl,
      '/eivital/v1.04/auth',
      { client_id: h.creds.clientId, client_secret: 'wrong', Gstin: h.creds.gstin },
      60 * 1024,
      100,
    );
    expect(login.json.ErrorDetails?.[0]?.ErrorCode).toBe('1010');
  });

  it('the admin API refuses a request without its secret before reading the body', async () => {
    const url = new URL('/sandbox/admin/clock', h.creds.baseUrl);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'content-length': '1000000' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on('error', reject);
      req.write('{');
    });
    expect(status).toBe(401);
  });
});

describe('connection limit', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ limits: { maxConnections: 4 } });
  });
  afterAll(() => h.close());

  it('past the connection cap a new connection gets 503 with Retry-After and is closed', async () => {
    const open: Socket[] = [];
    const url = new URL(h.creds.baseUrl);
    for (let i = 0; i < 4; i++) {
      const s = connect(Number(url.port), url.hostname);
      await new Promise((r) => s.once('connect', r));
      open.push(s);
    }
    try {
      // The server counts a connection when it accepts it: wait until the fifth is refused.
      const answer = await new Promise<string>((resolve) => {
        const s = connect(Number(url.port), url.hostname);
        let text = '';
        s.on('data', (d) => (text += d.toString()));
        s.on('close', () => resolve(text));
        s.on('error', () => resolve(text));
        s.write('GET /sandbox/health HTTP/1.1\r\nHost: x\r\n\r\n');
      });
      expect(answer).toMatch(/^HTTP\/1\.1 503/);
      expect(answer).toMatch(/Retry-After: 1/);
      expect(answer).toContain('"ErrorCode":"5002"');
    } finally {
      for (const s of open) s.destroy();
    }
  });
});

describe('per-client rate limit', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ limits: { requestsPerSecond: 5, burst: 5 } });
  });
  afterAll(() => h.close());

  it('over the per-client rate: HTTP 429, Retry-After and 5002 naming the limit', async () => {
    const c = await h.loggedIn(); // one request of the bucket
    const results = await Promise.all(
      Array.from({ length: 8 }, () => c.get(`/eivital/v1.03/Master/gstin/${h.creds.gstin}`)),
    );
    const refused = results.filter((r) => r.httpStatus === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.codes).toEqual(['5002']);
    expect(refused[0]!.envelope.ErrorDetails![0]!.ErrorMessage).toMatch(
      /more than 5 requests per second for this client$/,
    );
    const raw = await c.raw('GET', `/eivital/v1.03/Master/gstin/${h.creds.gstin}`, {
      headers: c.sessionHeaders(),
    });
    if (raw.status === 429) expect(Number(raw.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});

describe('login probing is bounded', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ limits: { maxLoginFailures: 3 } });
  });
  afterAll(() => h.close());

  it('another client cannot learn a password: 1018 whether the guess is right or wrong', async () => {
    const other = (await h.admin.createAccount({
      userName: 'probe_target',
      password: 'Pt1@right',
      gstin: '01AMBPG7773M002',
    })) as { password: string };
    const viaDemo = (password: string) =>
      new SpecClient({ ...h.creds, userName: 'probe_target', password }).authV104();
    expect((await viaDemo('Pt1@wrong')).codes).toEqual(['1018']);
    expect((await viaDemo(other.password)).codes).toEqual(['1018']);
  });

  it('after 3 failures a user name is locked (429, 5002) even for the right password, until the window passes', async () => {
    const wrong = () => h.client().authV104({ password: 'not-it' });
    for (let i = 0; i < 3; i++) expect((await wrong()).codes).toEqual(['1019']);
    const locked = await h.client().authV104();
    expect(locked.httpStatus).toBe(429);
    expect(locked.codes).toEqual(['5002']);
    expect(locked.envelope.ErrorDetails![0]!.ErrorMessage).toMatch(
      /too many failed logins for this user name/,
    );
    await h.admin.clock({ advanceMs: 15 * 60_000 + 1000 });
    try {
      expect((await h.client().authV104()).envelope.Status).toBe(1);
    } finally {
      await h.admin.clock({ reset: true });
    }
  });

  it('unknown user names are counted too (no unlimited 1008 enumeration)', async () => {
    const c = h.client();
    for (let i = 0; i < 3; i++)
      expect((await c.authV104({ userName: 'nobody_here' })).codes).toEqual(['1008']);
    expect((await c.authV104({ userName: 'nobody_here' })).httpStatus).toBe(429);
  });
});

describe('admin inputs are bounded', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('advanceMs: 1e308 is refused and every API keeps answering', async () => {
    const res = await h.admin.call('POST', '/clock', { advanceMs: 1e308 });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).toMatch(/the clock must stay between/);
    expect((await h.admin.call('POST', '/clock', { now: '9999-12-31T00:00:00Z' })).status).toBe(400);
    const c = await h.loggedIn();
    expect((await c.get(`/eivital/v1.03/Master/gstin/${h.creds.gstin}`)).envelope.Status).toBe(1);
  });

  it('a fault latency of 1e309 (Infinity in JSON) and over-long account fields are refused', async () => {
    const fault = await rawRequest(h.creds.baseUrl, 'POST', '/sandbox/admin/faults/rules', {
      headers: { 'x-admin-secret': h.creds.adminSecret },
      body: '{"latency": {"fixedMs": 1e309}}',
    });
    expect(fault.status).toBe(400);
    expect(fault.text).toContain('rule.latency.fixedMs must be a finite number');
    const account = await h.admin.call('POST', '/accounts', {
      userName: 'x'.repeat(300),
      gstin: '01AMBPG7773M002',
    });
    expect(account.status).toBe(400);
  });
});
