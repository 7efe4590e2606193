/**
 * Two sandbox processes on one database file (no HTTP 500 under concurrent load), files created 0600,
 * HTTPS with a self-signed certificate, and NIC's `:00` seconds in response times — over real HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { docNo, invoice, startHarness } from './harness.js';
import { SpecClient, type SpecCredentials } from './spec-client.js';

const BIN = fileURLToPath(new URL('../../../bin/irp-bridge.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'irp-sandbox-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function spawnSandbox(db: string, credentialsOut: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [BIN, 'sandbox', '--port', '0', '--db', db, '--credentials-out', credentialsOut, '--log-level', 'warn'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const started = Date.now();
  while (!existsSync(credentialsOut)) {
    if (child.exitCode !== null) throw new Error(`sandbox exited early: ${output}`);
    if (Date.now() - started > 60_000) throw new Error(`no credentials file after 60 s: ${output}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return child;
}

describe('two processes on one database file', () => {
  let inProcess: RunningSandbox;
  let child: ChildProcess;
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGTERM');
    await inProcess?.close();
  });

  it('200 concurrent requests spread over both never get HTTP 500; one document still gets one IRN', async () => {
    const db = join(dir, 'shared.db');
    inProcess = await createSandbox({ port: 0, db, limits: { requestsPerSecond: 10_000, burst: 10_000 } });
    const childCreds = join(dir, 'child-credentials.json');
    child = await spawnSandbox(db, childCreds);
    const other = JSON.parse(readFileSync(childCreds, 'utf8')) as SpecCredentials;
    expect(other.clientId).toBe(inProcess.credentials.clientId); // the same demo account, from the file

    const a = new SpecClient(inProcess.credentials);
    const b = new SpecClient(other);
    await a.authV104();
    await b.authV104();
    expect(b.authToken).toBe(a.authToken); // one credential set, one session, across processes

    const statuses: number[] = [];
    const irns = new Map<string, Set<string>>();
    const shared = invoice({ seller: inProcess.credentials.gstin, no: docNo('SHARED') });
    const jobs = Array.from({ length: 200 }, (_, i) => async () => {
      const client = i % 2 === 0 ? a : b;
      const inv = i % 10 === 0 ? shared : invoice({ seller: inProcess.credentials.gstin });
      const res =
        i % 7 === 0
          ? await client.authV104()
          : await client.post<{ Irn: string }>('/eicore/v1.03/Invoice', inv);
      statuses.push(res.httpStatus);
      const irn =
        (res.data as { Irn?: string } | undefined)?.Irn ??
        (res.envelope.InfoDtls?.[0]?.Desc as { Irn?: string } | undefined)?.Irn;
      if (irn) irns.set(inv.DocDtls.No as string, (irns.get(inv.DocDtls.No as string) ?? new Set()).add(irn));
    });
    // 20 in flight at a time, alternating the two processes.
    const queue = [...jobs];
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (let job = queue.shift(); job; job = queue.shift()) await job();
      }),
    );
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(irns.get(shared.DocDtls.No as string)?.size).toBe(1);
  });

  it('created the database, its WAL and the credentials file readable by the owner only (0600)', () => {
    for (const f of ['shared.db', 'shared.db-wal', 'child-credentials.json'])
      expect((statSync(join(dir, f)).mode & 0o777).toString(8), f).toBe('600');
  });
});

describe('HTTPS', () => {
  it('--tls self-signed: the credentials carry the certificate; a client trusting it logs in', async () => {
    const h = await startHarness({ tls: 'self-signed' });
    try {
      const creds = h.sandbox.credentials;
      expect(creds.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(creds.tlsCertPem).toMatch(/BEGIN CERTIFICATE/);
      const login = new SpecClient(creds).authV104Body();
      const url = new URL('/eivital/v1.04/auth', creds.baseUrl);
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpsRequest(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            ca: creds.tlsCertPem,
            headers: {
              'content-type': 'application/json',
              client_id: creds.clientId,
              client_secret: creds.clientSecret,
              Gstin: creds.gstin,
            },
          },
          (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode!, body }));
          },
        );
        req.on('error', reject);
        req.end(login);
      });
      expect(answer.status).toBe(200);
      const env = JSON.parse(answer.body) as { Status: number; Data: { TokenExpiry: string } };
      expect(env.Status).toBe(1);
      expect(env.Data.TokenExpiry).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:00$/);
      // Plain HTTP to the HTTPS port is not served.
      await expect(fetch(creds.baseUrl.replace('https', 'http') + '/sandbox/health')).rejects.toThrow();
    } finally {
      await h.close();
    }
  });
});

describe("NIC's :00 seconds", () => {
  it('TokenExpiry, AckDt, EwbDt, EwbValidTill, CancelDate and Cancel EWB cancelDate end in :00', async () => {
    const h = await startHarness({ now: new Date('2026-03-02T06:07:38.123Z') });
    try {
      await h.admin.clock({ freeze: true });
      const c = await h.loggedIn();
      expect(c.tokenExpiry).toBe('2026-03-02 12:37:00');
      const road = { TransMode: '1', Distance: 0, VehNo: 'HP01AB1234', VehType: 'R' };
      const res = await c.post<{
        Irn: string;
        AckDt: string;
        EwbNo: number;
        EwbDt: string;
        EwbValidTill: string;
      }>('/eicore/v1.03/Invoice', invoice({ seller: h.creds.gstin, date: '02/03/2026', ewb: road }));
      const d = res.data!;
      for (const t of [d.AckDt, d.EwbDt, d.EwbValidTill]) expect(t).toMatch(/:00$/);
      expect(d.AckDt).toBe('2026-03-02 11:37:00');
      const cancelEwb = await c.cancelEwb<{ cancelDate: string }>('/ewaybillapi/v1.03/ewayapi', {
        ewbNo: d.EwbNo,
        cancelRsnCode: '2',
        cancelRmrk: 'test',
      });
      expect(cancelEwb.data!.cancelDate).toBe('02/03/2026 11:37:00 AM');
      const cancel = await c.post<{ CancelDate: string }>('/eicore/v1.03/Invoice/Cancel', {
        Irn: d.Irn,
        CnlRsn: '1',
        CnlRem: 'test',
      });
      expect(cancel.data!.CancelDate).toBe('2026-03-02 11:37:00');
    } finally {
      await h.close();
    }
  });
});
