/**
 * Transient failures injected by the sandbox over real HTTP: 5xx, the 5002 envelope, connection
 * resets, unanswered requests (timeouts), answers lost after the IRN was registered (recovered through
 * 2150), and an outage that opens the circuit breaker until a probe finds the IRP back.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createIrpClient, type BreakerState, type IrpClient } from '../../../src/irp/client/index.js';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import { clientConfig, demoInvoice, startSandbox, type Admin } from './harness.js';

let sandbox: RunningSandbox;
let admin: Admin;
let gstin: string;
const clients: IrpClient[] = [];

function newClient(overrides: Parameters<typeof clientConfig>[1] = {}): IrpClient {
  const client = createIrpClient(clientConfig(sandbox, overrides));
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
  await admin.resetStats();
});

afterAll(async () => {
  await sandbox?.close();
});

describe('IRP client: transient failures are retried with backoff', () => {
  it.each([
    ['HTTP 503 (HTML body)', { kind: 'http-5xx' as const }],
    ['HTTP 502', { kind: 'http-5xx' as const, status: 502 }],
    ['5002 envelope', { kind: 'envelope-5002' as const }],
    ['connection reset', { kind: 'connection-reset' as const }],
  ])('%s twice, then success', async (_name, failure) => {
    const client = newClient();
    await admin.addFault({ name: 'flaky', scope: { apis: ['generate-irn'] }, failure, maxHits: 2 });
    const outcome = await client.generateIrn(demoInvoice(gstin));
    expect(outcome).toMatchObject({ kind: 'success', recovered: false });
    expect(client.stats().retries).toBe(2);
    const stats = await admin.stats();
    expect(stats['generate-irn']?.requests).toBe(3);
    expect(stats['generate-irn']?.faults.flaky).toBe(2);
  });

  it('an unanswered request times out (per-call timeout) and is retried', async () => {
    const client = newClient({ timeouts: { requestMs: 300, authMs: 2_000, connectMs: 1_000 } });
    await admin.addFault({
      name: 'silent',
      scope: { apis: ['gstin-details'] },
      failure: { kind: 'no-response' },
      maxHits: 1,
    });
    const started = Date.now();
    const outcome = await client.gstinDetails(gstin, gstin);
    expect(outcome.kind).toBe('success');
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(client.stats().retries).toBe(1);
  });

  it('latency beyond the timeout is a timeout too', async () => {
    const client = newClient({ timeouts: { requestMs: 200, authMs: 2_000, connectMs: 1_000 } });
    await admin.addFault({
      name: 'slow',
      scope: { apis: ['get-irn-by-doc'] },
      latency: { fixedMs: 1_000 },
      maxHits: 1,
    });
    const outcome = await client.getByDocDetails(gstin, {
      docType: 'INV',
      docNo: 'NONE1',
      docDate: '01/04/2025',
    });
    expect(outcome).toMatchObject({ kind: 'rejected', errors: [{ code: '2154' }] });
    expect(client.stats().retries).toBe(1);
  });

  it('a failing login is transient too: retried, then the call succeeds', async () => {
    const client = newClient();
    await admin.addFault({
      name: 'auth-down',
      scope: { apis: ['auth'] },
      failure: { kind: 'http-5xx' },
      maxHits: 2,
    });
    expect((await client.gstinDetails(gstin, gstin)).kind).toBe('success');
    expect((await admin.stats()).auth?.requests).toBe(3);
  });

  it('answer lost after the IRN was registered (no response / reset after processing): recovered through 2150', async () => {
    const client = newClient({ timeouts: { requestMs: 300, authMs: 2_000, connectMs: 1_000 } });
    await admin.addFault({
      name: 'lost',
      scope: { apis: ['generate-irn'] },
      failure: { kind: 'no-response', phase: 'after' },
      maxHits: 1,
    });
    const invoice = demoInvoice(gstin);
    const outcome = await client.generateIrn(invoice);
    expect(outcome).toMatchObject({ kind: 'success', recovered: true });

    await admin.addFault({
      name: 'reset',
      scope: { apis: ['generate-irn'] },
      failure: { kind: 'connection-reset', phase: 'after' },
      maxHits: 1,
    });
    const second = await client.generateIrn(demoInvoice(gstin));
    expect(second).toMatchObject({ kind: 'success', recovered: true });

    const stats = await admin.stats();
    expect(stats['generate-irn']?.failed['2150']).toBe(2);
    if (outcome.kind === 'success') {
      const fetched = await client.getByIrn(gstin, outcome.data.Irn);
      expect(fetched).toMatchObject({
        kind: 'success',
        data: { Irn: outcome.data.Irn, AckNo: outcome.data.AckNo },
      });
    }
  });

  it('a persistent failure ends as transient-exhausted within the deadline, never as a rejection', async () => {
    const client = newClient({
      retry: { maxRetries: 50, initialDelayMs: 20, maxDelayMs: 100, deadlineMs: 800 },
    });
    await admin.addFault({
      name: 'down',
      scope: { apis: ['generate-irn'] },
      failure: { kind: 'envelope-5002' },
    });
    const started = Date.now();
    const outcome = await client.generateIrn(demoInvoice(gstin));
    expect(outcome).toMatchObject({
      kind: 'transient-exhausted',
      lastError: { reason: 'irp-system', code: '5002' },
    });
    expect(Date.now() - started).toBeLessThan(2_500);
  });
});

describe('IRP client: circuit breaker', () => {
  it('opens on a sustained outage, fails fast while open, and a probe closes it when the IRP is back', async () => {
    const client = newClient({
      retry: { maxRetries: 1, initialDelayMs: 10, maxDelayMs: 20, deadlineMs: 2_000 },
      breaker: { consecutiveFailures: 4, halfOpenAfterMs: 300, maxHalfOpenAfterMs: 300 },
    });
    expect((await client.gstinDetails(gstin, gstin)).kind).toBe('success'); // session up before the outage
    const changes: BreakerState[] = [];
    client.onBreakerChange((s) => changes.push(s));

    await admin.addFault({
      name: 'outage',
      failure: { kind: 'http-5xx', status: 503 },
      window: { forMs: 60 * 60_000 },
    });
    const during = [];
    for (let i = 0; i < 4; i += 1) during.push(await client.generateIrn(demoInvoice(gstin)));
    expect(client.breakerState()).toBe('open');
    expect(changes).toContain('open');
    expect(during.map((o) => o.kind)).toEqual(expect.arrayContaining(['transient-exhausted']));
    expect(during.some((o) => o.kind === 'rejected')).toBe(false);

    await admin.resetStats();
    const blocked = await client.generateIrn(demoInvoice(gstin));
    expect(blocked.kind).toBe('circuit-open');
    expect((await admin.stats())['generate-irn']?.requests ?? 0).toBe(0);

    await admin.clearFaults();
    const closed = new Promise<void>((resolve) => client.onBreakerChange((s) => s === 'closed' && resolve()));
    await closed;
    expect(client.breakerState()).toBe('closed');
    expect((await admin.stats())['gstin-details']?.requests).toBeGreaterThanOrEqual(1); // the probe
    expect((await client.generateIrn(demoInvoice(gstin))).kind).toBe('success');
    expect(client.stats().breakerOpens).toBeGreaterThanOrEqual(1);
  });
});
