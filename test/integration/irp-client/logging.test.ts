/**
 * Log scan: a full run of the client (every API, retries, faults, re-logins, 2150 recovery, a breaker
 * outage, a credentials failure) logging at `trace` into a buffer through a plain pino logger — no
 * redaction configured by the caller — and the sandbox logging into the same buffer. None of the
 * password, client secret, AppKeys, SEKs or tokens of the run may appear in it.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptSek, generateAppKey } from '../../../src/irp/crypto.js';
import { createIrpClient, type IrpClient } from '../../../src/irp/client/index.js';
import {
  UndiciTransport,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
} from '../../../src/irp/client/http.js';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import { clientConfig, demoInvoice, startSandbox, uniqueDocNo, type Admin } from './harness.js';

const lines: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    lines.push(String(chunk));
    done();
  },
});
const logger = pino({ level: 'trace' }, sink);

const appKeys: Buffer[] = [];
const tokens = new Set<string>();
const seks = new Set<string>();

/** Records what the secrets of each login were, by reading the auth answers the client receives. */
class RecordingTransport implements HttpTransport {
  constructor(private readonly inner: HttpTransport) {}

  async request(req: HttpRequest): Promise<HttpResponse> {
    const res = await this.inner.request(req);
    if (req.path.includes('/auth')) {
      try {
        const data = (JSON.parse(res.body) as { Data?: { AuthToken?: string; Sek?: string } }).Data;
        if (data?.AuthToken) tokens.add(data.AuthToken);
        for (const key of appKeys) {
          try {
            if (data?.Sek) seks.add(decryptSek(data.Sek, key).toString('base64'));
          } catch {
            // another login's AppKey
          }
        }
      } catch {
        // not an envelope (a fault): nothing to record
      }
    }
    return res;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

let sandbox: RunningSandbox;
let admin: Admin;
let client: IrpClient;
let gstin: string;

function deps() {
  return {
    logger,
    transport: new RecordingTransport(
      new UndiciTransport(sandbox.baseUrl, {
        connections: 8,
        keepAliveTimeoutMs: 10_000,
        connectTimeoutMs: 2_000,
      }),
    ),
    newAppKey: () => {
      const key = generateAppKey();
      appKeys.push(key);
      return key;
    },
  };
}

beforeAll(async () => {
  ({ sandbox, admin } = await startSandbox({ logger: logger.child({ component: 'sandbox' }) }));
  gstin = sandbox.credentials.gstin;
  client = createIrpClient(
    clientConfig(sandbox, {
      timeouts: { requestMs: 300, authMs: 2_000, connectMs: 1_000 },
      retry: { maxRetries: 3, initialDelayMs: 10, maxDelayMs: 50, deadlineMs: 3_000 },
      breaker: { consecutiveFailures: 6, halfOpenAfterMs: 200, maxHalfOpenAfterMs: 200 },
    }),
    deps(),
  );
});

afterAll(async () => {
  await client?.close();
  await sandbox?.close();
});

describe('IRP client logging', () => {
  it('a full run logs plenty and never a secret', async () => {
    // Every API, with a burst and a duplicate.
    const burst = await Promise.all(Array.from({ length: 20 }, () => client.generateIrn(demoInvoice(gstin))));
    expect(burst.every((o) => o.kind === 'success')).toBe(true);
    const invoice = demoInvoice(gstin);
    const generated = await client.generateIrn(invoice);
    if (generated.kind !== 'success') throw new Error(JSON.stringify(generated));
    const irn = generated.data.Irn;
    expect((await client.generateIrn(invoice)).kind).toBe('success'); // 2150 → recovered
    expect(
      (await client.generateIrn(demoInvoice(gstin, { docNo: invoice.DocDtls.No, amount: 7 }))).kind,
    ).toBe('conflict');
    await client.getByIrn(gstin, irn);
    await client.getByDocDetails(gstin, {
      docType: 'INV',
      docNo: invoice.DocDtls.No,
      docDate: invoice.DocDtls.Dt,
    });
    await client.gstinDetails(gstin, gstin);
    await client.syncGstin(gstin, gstin);
    const ewb = await client.generateEwb(gstin, {
      Irn: irn,
      Distance: 0,
      TransMode: '1',
      VehNo: 'KA01AB1234',
      VehType: 'R',
    });
    await client.getEwbByIrn(gstin, irn);
    if (ewb.kind === 'success')
      await client.cancelEwb(gstin, { ewbNo: Number(ewb.data.EwbNo), cancelRsnCode: 1, cancelRmrk: 'dup' });
    await client.cancelIrn(gstin, { Irn: irn, CnlRsn: '1', CnlRem: 'dup' });
    await client.cancelIrn(gstin, { Irn: irn, CnlRsn: '1', CnlRem: 'dup' });
    await client.verifySigned(generated.data);

    // Faults: 5xx, reset, 5002, lost answers, revoked tokens, expiry, an outage.
    await admin.addFault({ scope: { apis: ['generate-irn'] }, failure: { kind: 'http-5xx' }, maxHits: 1 });
    await admin.addFault({
      scope: { apis: ['generate-irn'] },
      failure: { kind: 'connection-reset' },
      maxHits: 1,
    });
    await admin.addFault({ scope: { apis: ['get-irn'] }, failure: { kind: 'envelope-5002' }, maxHits: 1 });
    await client.generateIrn(demoInvoice(gstin));
    await client.getByIrn(gstin, irn);
    await admin.clearFaults();
    await admin.addFault({
      scope: { apis: ['generate-irn'] },
      failure: { kind: 'no-response', phase: 'after' },
      maxHits: 1,
    });
    expect(await client.generateIrn(demoInvoice(gstin))).toMatchObject({ kind: 'success', recovered: true });
    await admin.clearFaults();
    await admin.invalidateTokens({ gstin });
    await client.gstinDetails(gstin, gstin);
    await admin.addFault({ scope: { apis: ['sync-gstin'] }, invalidateToken: true, maxHits: 1 });
    await client.syncGstin(gstin, gstin);
    await admin.clearFaults();
    await admin.clock({ advanceMs: 61 * 60_000 });
    await client.generateIrn(demoInvoice(gstin));
    await admin.addFault({ name: 'outage', failure: { kind: 'http-5xx' }, window: { forMs: 60 * 60_000 } });
    for (let i = 0; i < 3; i += 1) await client.generateIrn(demoInvoice(gstin));
    expect(client.breakerState()).toBe('open');
    await admin.clearFaults();
    await new Promise<void>((resolve) => client.onBreakerChange((s) => s === 'closed' && resolve()));

    // A second client whose password is wrong: a credentials failure is logged.
    const wrong = clientConfig(sandbox);
    const wrongPassword = 'Wr0ng@Password-xyz';
    wrong.credentials = [{ ...wrong.credentials[0]!, password: wrongPassword }];
    const bad = createIrpClient(wrong, deps());
    expect((await bad.generateIrn(demoInvoice(gstin, { docNo: uniqueDocNo() }))).kind).toBe('credentials');
    await bad.close();

    // Deliberately hostile: someone logs the client's secrets through their own child of the logger.
    logger
      .child(
        { component: 'careless' },
        (await import('../../../src/irp/client/redact.js')).redactingChildOptions(),
      )
      .warn({
        config: wrong,
        headers: { client_secret: sandbox.credentials.clientSecret, AuthToken: [...tokens][0] },
      });

    const log = lines.join('');
    if (process.env.DUMP_LOG) (await import('node:fs')).writeFileSync(process.env.DUMP_LOG, log);
    expect(lines.length).toBeGreaterThan(100);
    for (const message of [
      'irp login',
      'irp exchange',
      'irp call retried',
      'irp duplicate recovered',
      'irp circuit breaker changed state',
      'irp login refused: credentials',
    ]) {
      expect(log, message).toContain(message);
    }
    expect(appKeys.length).toBeGreaterThanOrEqual(4);
    expect(tokens.size).toBeGreaterThanOrEqual(3);
    expect(seks.size).toBeGreaterThanOrEqual(3);

    const secrets: [string, string][] = [
      ['password', sandbox.credentials.password],
      ['wrong password', wrongPassword],
      ['client secret', sandbox.credentials.clientSecret],
      ['admin secret', sandbox.credentials.adminSecret],
      ...appKeys.flatMap((k): [string, string][] => [
        ['AppKey (base64)', k.toString('base64')],
        ['AppKey (hex)', k.toString('hex')],
      ]),
      ...[...seks].map((s): [string, string] => ['SEK (base64)', s]),
      ...[...tokens].map((t): [string, string] => ['token', t]),
    ];
    for (const [what, value] of secrets) expect(log.includes(value), `${what} found in the log`).toBe(false);
  });
});
