/**
 * Sessions against the sandbox over real HTTP: a 200-call burst authenticates once, token expiry in the
 * middle of a run (sandbox clock), proactive refresh inside NIC's force window, forced token
 * invalidation (admin API and fault rule), and wrong credentials that stop instead of looping.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createIrpClient, type IrpClient } from '../../../src/irp/client/index.js';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import { clientConfig, demoInvoice, startSandbox, type Admin } from './harness.js';

const MIN = 60_000;
let sandbox: RunningSandbox;
let admin: Admin;
let gstin: string;
const clients: IrpClient[] = [];

function newClient(...args: Parameters<typeof createIrpClient>): IrpClient {
  const client = createIrpClient(...args);
  clients.push(client);
  return client;
}

beforeAll(async () => {
  ({ sandbox, admin } = await startSandbox());
  gstin = sandbox.credentials.gstin;
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await admin.clearFaults();
  await admin.clock({ reset: true });
  // Each test starts without a live session on the sandbox side.
  await admin.invalidateTokens({});
  await admin.resetStats();
});

afterAll(async () => {
  await sandbox?.close();
});

describe('IRP client sessions', () => {
  it('a 200-call concurrent burst authenticates exactly once', async () => {
    const client = newClient(clientConfig(sandbox, { concurrency: { perGstin: 16 } }));
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, () => client.generateIrn(demoInvoice(gstin))),
    );
    expect(outcomes.filter((o) => o.kind === 'success')).toHaveLength(200);
    expect(new Set(outcomes.map((o) => (o.kind === 'success' ? o.data.Irn : ''))).size).toBe(200);
    const stats = await admin.stats();
    expect(stats.auth?.requests).toBe(1);
    expect(stats['generate-irn']?.succeeded).toBe(200);
    expect(client.stats()).toMatchObject({ logins: 1, invalidTokenResponses: 0, retries: 0 });
  });

  it('token expiry in the middle of a run (sandbox clock +61 min): 1005, one re-login, the call succeeds', async () => {
    const client = newClient(clientConfig(sandbox));
    expect((await client.generateIrn(demoInvoice(gstin))).kind).toBe('success');
    await admin.clock({ advanceMs: 61 * MIN });
    const burst = await Promise.all(Array.from({ length: 20 }, () => client.generateIrn(demoInvoice(gstin))));
    expect(burst.every((o) => o.kind === 'success')).toBe(true);
    expect(client.stats().logins).toBe(2);
    expect(client.stats().invalidTokenResponses).toBeGreaterThanOrEqual(1);
    expect((await admin.stats()).auth?.requests).toBe(2);
  });

  it('refreshes proactively inside the last 10 minutes (client clock follows the sandbox clock): no 1005', async () => {
    let offset = 0;
    const client = newClient(clientConfig(sandbox), { now: () => Date.now() + offset });
    expect((await client.generateIrn(demoInvoice(gstin))).kind).toBe('success');
    const before = client.sessionState(gstin)!;

    await admin.clock({ advanceMs: 56 * MIN });
    offset = 56 * MIN;
    const during = await Promise.all(
      Array.from({ length: 10 }, () => client.generateIrn(demoInvoice(gstin))),
    );
    expect(during.every((o) => o.kind === 'success')).toBe(true);

    const after = client.sessionState(gstin)!;
    expect(after.expiresAt! - before.expiresAt!).toBeGreaterThanOrEqual(55 * MIN);
    expect(client.stats()).toMatchObject({ logins: 2, invalidTokenResponses: 0 });
    expect((await admin.stats()).auth?.requests).toBe(2);
  });

  it('forced token invalidation (admin API): one re-login shared by a burst of calls', async () => {
    const client = newClient(clientConfig(sandbox));
    expect((await client.gstinDetails(gstin, gstin)).kind).toBe('success');
    expect((await admin.invalidateTokens({ gstin })).revoked).toBe(1);
    const burst = await Promise.all(Array.from({ length: 50 }, () => client.gstinDetails(gstin, gstin)));
    expect(burst.every((o) => o.kind === 'success')).toBe(true);
    expect(client.stats().logins).toBe(2);
    expect((await admin.stats()).auth?.requests).toBe(2);
  });

  it('forced token invalidation (fault rule on Generate IRN): re-login once and retry once', async () => {
    const client = newClient(clientConfig(sandbox));
    expect((await client.gstinDetails(gstin, gstin)).kind).toBe('success');
    await admin.addFault({
      name: 'revoke',
      scope: { apis: ['generate-irn'] },
      invalidateToken: true,
      maxHits: 1,
    });
    const outcome = await client.generateIrn(demoInvoice(gstin));
    expect(outcome).toMatchObject({ kind: 'success', recovered: false });
    expect(client.stats()).toMatchObject({ logins: 2, invalidTokenResponses: 1, retries: 0 });
  });

  it('a token revoked on every call: one re-login per attempt, then transient — bounded, never a loop', async () => {
    const client = newClient(
      clientConfig(sandbox, {
        retry: { maxRetries: 2, initialDelayMs: 10, maxDelayMs: 20, deadlineMs: 5_000 },
      }),
    );
    await admin.addFault({
      name: 'always-revoke',
      scope: { apis: ['gstin-details'] },
      invalidateToken: true,
    });
    const outcome = await client.gstinDetails(gstin, gstin);
    expect(outcome).toMatchObject({
      kind: 'transient-exhausted',
      lastError: { reason: 'token', code: '1005' },
    });
    // At most one login to start each attempt and one re-login after its 1005: 3 attempts, 6 logins.
    expect(client.stats().logins).toBeLessThanOrEqual(6);
    expect((await admin.stats()).auth?.requests).toBe(client.stats().logins);
  });

  it('wrong password: a credentials outcome, and later calls fail fast without logging in again', async () => {
    const config = clientConfig(sandbox);
    config.credentials = [{ ...config.credentials[0]!, password: 'Wrong@Passw0rd' }];
    const client = newClient(config);
    const first = await client.generateIrn(demoInvoice(gstin));
    expect(first).toMatchObject({ kind: 'credentials', gstin, code: '1019' });
    const more = await Promise.all(Array.from({ length: 30 }, () => client.generateIrn(demoInvoice(gstin))));
    expect(more.every((o) => o.kind === 'credentials')).toBe(true);
    expect((await admin.stats()).auth?.requests).toBe(1);
    expect(client.stats().logins).toBe(1);
    expect(client.breakerState()).toBe('closed');
  });

  it('wrong client secret is a credentials outcome (1010)', async () => {
    const config = clientConfig(sandbox);
    config.credentials = [{ ...config.credentials[0]!, clientSecret: 'not-the-secret' }];
    const client = newClient(config);
    expect(await client.gstinDetails(gstin, gstin)).toMatchObject({ kind: 'credentials', code: '1010' });
  });
});
