/**
 * Issue 15: "generated IRNs are published as success without verifying SignedInvoice/SignedQRCode even
 * with signingCertFile set (only recovery verifies): forged JWTs and a made-up IRN pass". Over real HTTP
 * against the sandbox: an impostor IRP (another sandbox, its own signing key) answers every generate
 * with a well-formed, signed registration; with the real IRP's certificate configured the client refuses
 * it as `conflict`/`unverifiable`, and the pipeline would publish it on the errors topic, never as a
 * result. A made-up IRN, an answer carrying another document's signed QR code and a JWT signed by a key
 * of one's own are refused the same way; without a certificate the client warns at start.
 */
import { generateKeyPairSync, createSign } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIrpClient, type IrpClient } from '../../../src/irp/client/index.js';
import { createSignedVerifier } from '../../../src/irp/client/signed.js';
import { UNVERIFIED_WARNING, unverifiedReason } from '../../../src/irp/client/verify-answer.js';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import { clientConfig, demoInvoice, startSandbox } from '../irp-client/harness.js';

let real: RunningSandbox;
let impostor: RunningSandbox;
const clients: IrpClient[] = [];

beforeAll(async () => {
  ({ sandbox: real } = await startSandbox());
  ({ sandbox: impostor } = await startSandbox());
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await real?.close();
  await impostor?.close();
});

function client(sandbox: RunningSandbox, signingCertPem: string | undefined, logger?: pino.Logger) {
  const config = clientConfig(sandbox);
  if (signingCertPem === undefined) delete config.signingCertPem;
  else config.signingCertPem = signingCertPem;
  const c = createIrpClient(config, logger ? { logger } : {});
  clients.push(c);
  return c;
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('every signed answer is verified when a signing certificate is configured', () => {
  it('an impostor IRP’s signed registration is a conflict (unverifiable), not a success', async () => {
    const fooled = client(impostor, real.credentials.signingCertPem);
    const outcome = await fooled.generateIrn(demoInvoice(impostor.credentials.gstin));
    expect(outcome).toMatchObject({ kind: 'conflict', reason: 'unverifiable' });
    if (outcome.kind === 'conflict') expect(outcome.message).toMatch(/SignedInvoice does not verify/);
  });

  it('the real IRP’s answers verify and stay successes', async () => {
    const c = client(real, real.credentials.signingCertPem);
    const outcome = await c.generateIrn(demoInvoice(real.credentials.gstin));
    expect(outcome.kind).toBe('success');
  });

  it('a made-up IRN, another document’s QR code, a self-signed JWT: each has a reason', async () => {
    const c = client(real, real.credentials.signingCertPem);
    const invoice = demoInvoice(real.credentials.gstin);
    const other = demoInvoice(real.credentials.gstin);
    const [a, b] = [await c.generateIrn(invoice), await c.generateIrn(other)];
    if (a.kind !== 'success' || b.kind !== 'success') throw new Error('sandbox did not register');
    const verifier = createSignedVerifier(real.credentials.signingCertPem);
    expect(await unverifiedReason(invoice, a.data, verifier)).toBeUndefined();
    expect(await unverifiedReason(invoice, { ...a.data, Irn: 'f'.repeat(64) }, verifier)).toMatch(
      /IRN f{64} is not the signed IRN/,
    );
    expect(
      await unverifiedReason(invoice, { ...a.data, SignedQRCode: b.data.SignedQRCode }, verifier),
    ).toMatch(/not the IRN of the signed QR code/);
    expect(await unverifiedReason(other, a.data, verifier)).toMatch(/signed QR code is for document/);
    // A JWT signed with a key of one's own, claiming the real certificate's kid.
    const [header] = a.data.SignedInvoice.split('.');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const payload = b64url({ data: JSON.stringify({ Irn: a.data.Irn, AckNo: a.data.AckNo }) });
    const signature = createSign('RSA-SHA256')
      .update(`${header}.${payload}`)
      .sign(privateKey)
      .toString('base64url');
    expect(
      await unverifiedReason(
        invoice,
        { ...a.data, SignedInvoice: `${header}.${payload}.${signature}` },
        verifier,
      ),
    ).toMatch(/SignedInvoice does not verify/);
  });

  it('without a certificate the client warns loudly at start', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _e, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    client(real, undefined, pino({ level: 'warn' }, sink));
    expect(lines.join('')).toContain(UNVERIFIED_WARNING.slice(0, 60));
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 40 });
  });
});
