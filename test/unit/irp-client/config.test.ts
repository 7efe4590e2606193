import { describe, expect, it } from 'vitest';
import { DEFAULT_PATHS, resolveIrpClientConfig } from '../../../src/irp/client/config.js';
import { IrpClientConfigError, createIrpClient, type IrpClient } from '../../../src/irp/client/index.js';
import type { Invoice } from '../../../src/irp/schema/invoice.js';

const base = {
  baseUrl: 'https://einv-apisandbox.nic.in/',
  publicKeyPem: '-----BEGIN PUBLIC KEY-----x',
  credentials: [
    {
      gstin: '02aabci2026b1zl',
      clientId: 'C',
      clientSecret: 'S3cr3t-value',
      userName: 'u',
      password: 'Pa55word!',
    },
  ],
};

describe('resolveIrpClientConfig', () => {
  it('fills defaults: auth v1.04, NIC paths, refresh 5 minutes before expiry', () => {
    const r = resolveIrpClientConfig(base);
    if (!r.ok) throw new Error(r.errors.join());
    expect(r.config.baseUrl).toBe('https://einv-apisandbox.nic.in');
    expect(r.config.authVersion).toBe('1.04');
    expect(r.config.paths).toEqual(DEFAULT_PATHS);
    expect(r.config.session.refreshBeforeExpiryMs).toBe(300_000);
    expect(r.config.credentials.get('02AABCI2026B1ZL')?.userName).toBe('u');
    expect(r.config.rateLimit).toBeUndefined();
  });

  it('takes overrides, v1.03 and a rate limit (burst defaults to the rate)', () => {
    const r = resolveIrpClientConfig({
      ...base,
      authVersion: '1.03',
      rateLimit: { requestsPerSecond: 20 },
      paths: { cancelEwb: '/ewb/v1.03/ewayapi' },
    });
    if (!r.ok) throw new Error(r.errors.join());
    expect(r.config.authVersion).toBe('1.03');
    expect(r.config.rateLimit).toEqual({ requestsPerSecond: 20, burst: 20 });
    expect(r.config.paths.cancelEwb).toBe('/ewb/v1.03/ewayapi');
  });

  it('reports problems by path without printing values (they may be secrets)', () => {
    const r = resolveIrpClientConfig({
      ...base,
      credentials: [{ ...base.credentials[0], password: '' }],
      retry: { maxRetries: -1 },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.join('\n')).toContain('credentials.0.password');
    expect(r.errors.join('\n')).toContain('retry.maxRetries');
    expect(r.errors.join('\n')).not.toContain('S3cr3t-value');
  });

  it('refuses a refresh window longer than NIC honours ForceRefreshAccessToken, and duplicate GSTINs', () => {
    expect(
      resolveIrpClientConfig({ ...base, session: { refreshBeforeExpiryMs: 11 * 60_000 } }),
    ).toMatchObject({ ok: false });
    expect(
      resolveIrpClientConfig({ ...base, credentials: [...base.credentials, ...base.credentials] }),
    ).toMatchObject({ ok: false });
  });

  it('createIrpClient throws IrpClientConfigError at start-up for an invalid config', () => {
    expect(() => createIrpClient({ baseUrl: 'x' })).toThrow(IrpClientConfigError);
  });

  it('a call for a GSTIN without credentials is that call\'s "unconfigured-gstin", sent nowhere', async () => {
    const client = createIrpClient(base);
    const out = await client.gstinDetails('27aapfu0939f1zv', '27AAPFU0939F1ZV');
    expect(out).toMatchObject({ kind: 'unconfigured-gstin', gstin: '27AAPFU0939F1ZV' });
    expect(client.stats().exchanges).toBe(0);
    await client.close();
  });
});

// The pipeline hands over validated `Invoice`s (the io-ts type): they must fit `generateIrn` as they are.
export const acceptsValidatedInvoices = (client: IrpClient, invoice: Invoice) => client.generateIrn(invoice);
