/**
 * `irp-bridge sandbox` as a user runs it: a subprocess, a credentials file, and a client that knows
 * only the public IRP record (the spec client).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxAdmin } from '../../../src/sandbox/admin-client.js';
import { docNo, invoice } from './harness.js';
import { SpecClient, type SpecCredentials } from './spec-client.js';

const BIN = fileURLToPath(new URL('../../../bin/irp-bridge.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'irp-sandbox-cli-'));
const credentialsFile = join(dir, 'credentials.json');
let child: ChildProcess;
let creds: SpecCredentials & { adminSecret: string; signingCertPem: string };
let output = '';
let startupMs = 0;

beforeAll(async () => {
  const started = Date.now();
  child = spawn(
    process.execPath,
    [
      BIN,
      'sandbox',
      '--port',
      '0',
      '--db',
      ':memory:',
      '--credentials-out',
      credentialsFile,
      // The other tests send one request at a time; the bound is exercised by its own test below.
      '--max-in-flight',
      '2',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  while (!existsSync(credentialsFile)) {
    if (child.exitCode !== null) throw new Error(`sandbox exited early: ${output}`);
    if (Date.now() - started > 30_000) throw new Error(`no credentials file after 30 s: ${output}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  startupMs = Date.now() - started;
  creds = JSON.parse(readFileSync(credentialsFile, 'utf8')) as typeof creds;
});

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('irp-bridge sandbox (subprocess)', () => {
  it('writes the credentials file once it is ready to serve', () => {
    expect(Object.keys(creds).sort()).toEqual(
      [
        'adminSecret',
        'baseUrl',
        'clientId',
        'clientSecret',
        'gstin',
        'password',
        'publicKeyPem',
        'signingCertPem',
        'userName',
      ].sort(),
    );
    expect(creds.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(creds.baseUrl).not.toMatch(/:0$/);
    expect(startupMs).toBeLessThan(30_000);
    console.info(`sandbox subprocess ready in ${startupMs} ms`);
  });

  it('answers a client that follows only the public record: auth → generate → duplicate → get → cancel', async () => {
    const c = new SpecClient(creds, 'hyphen');
    expect((await c.authV104()).envelope.Status).toBe(1);
    const inv = invoice({ seller: creds.gstin, no: docNo('cli') });
    const gen = await c.post<{ Irn: string; AckNo: number }>('/eicore/v1.03/Invoice', inv);
    expect(gen.envelope.Status).toBe(1);
    const dup = await c.post('/eicore/v1.03/Invoice', inv);
    expect(dup.codes).toEqual(['2150']);
    expect(dup.envelope.InfoDtls![0]).toMatchObject({
      InfCd: 'DUPIRN',
      Desc: { Irn: gen.data!.Irn, AckNo: gen.data!.AckNo },
    });
    const got = await c.get<{ Irn: string; Status: string }>(`/eicore/v1.03/Invoice/irn/${gen.data!.Irn}`);
    expect(got.data).toMatchObject({ Irn: gen.data!.Irn, Status: 'ACT' });
    const cancelled = await c.post<{ Irn: string }>('/eicore/v1.03/Invoice/Cancel', {
      Irn: gen.data!.Irn,
      CnlRsn: '2',
      CnlRem: 'Data entry mistake',
    });
    expect(cancelled.data!.Irn).toBe(gen.data!.Irn);
  });

  it('answers error cases with their codes', async () => {
    const c = new SpecClient(creds);
    expect((await c.authV104({ password: 'not-the-password' })).codes).toEqual(['1019']);
    await c.authV104();
    const badToken = new SpecClient(creds);
    badToken.sek = c.sek;
    badToken.authToken = 'XXXXXXXXXXXXXXXXXXXXXXXXX';
    expect((await badToken.get(`/eivital/v1.03/Master/gstin/${creds.gstin}`)).codes).toEqual(['1005']);
    const invalid = invoice({ seller: creds.gstin });
    invalid.ValDtls.TotInvVal = 1;
    expect((await c.post('/eicore/v1.03/Invoice', invalid)).codes).toContain('2189');
    expect((await c.get(`/eicore/v1.03/Invoice/irn/${'e'.repeat(64)}`)).codes).toEqual(['2148']);
  });

  it('--max-in-flight bounds the requests of one client id at once: the rest get 429 and 5002 naming the bound', async () => {
    const c = new SpecClient(creds);
    await c.authV104();
    const admin = sandboxAdmin(creds);
    // Every API held 300 ms, so the four requests below are all in flight together.
    await admin.call('POST', 'faults/rules', { name: 'slow', latency: { fixedMs: 300 } });
    try {
      const results = await Promise.all(
        Array.from({ length: 4 }, () => c.get(`/eivital/v1.03/Master/gstin/${creds.gstin}`)),
      );
      const refused = results.filter((r) => r.httpStatus === 429);
      expect(results.filter((r) => r.envelope.Status === 1)).toHaveLength(2);
      expect(refused).toHaveLength(2);
      expect(refused[0]!.codes).toEqual(['5002']);
      expect(refused[0]!.envelope.ErrorDetails![0]!.ErrorMessage).toMatch(
        /more than 2 requests in flight for this client$/,
      );
    } finally {
      await admin.call('DELETE', 'faults');
    }
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('IRP sandbox stopped');
    expect(output).not.toContain(creds.clientSecret);
    expect(output).not.toContain(creds.password);
  });
});
