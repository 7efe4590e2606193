/**
 * Issue 14, item 13, against the sandbox over real HTTP (its taxpayer master, faults and clock): valid
 * invoices are not rejected for what is not their fault — a stale IRP taxpayer cache (3029 → Sync
 * GSTIN → one more attempt), an API the configuration gets wrong (HTTP 404: operator error), a code
 * nobody catalogued (transient) — and a document that outlived its 30-day window during an outage is
 * reported as 2305 with the outage named.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MappedEvent } from '../../../connectors/types.js';
import { ClientIrpGateway } from '../../../src/adapters/irp/irp-gateway.js';
import { createIrpClient, type IrpClient } from '../../../src/irp/client/index.js';
import { routeOf } from '../../../src/pipeline/failures.js';
import { submit, type StageDeps } from '../../../src/pipeline/stages.js';
import type { SourceMessage } from '../../../src/pipeline/ports.js';
import { DEMO_BUYER_GSTIN, type RunningSandbox } from '../../../src/sandbox/index.js';
import { clientConfig, demoInvoice, startSandbox, type Admin } from './harness.js';

const DAY_MS = 24 * 60 * 60_000;

let sandbox: RunningSandbox;
let admin: Admin;
let client: IrpClient;
let gstin: string;

beforeAll(async () => {
  ({ sandbox, admin } = await startSandbox());
  gstin = sandbox.credentials.gstin;
  client = createIrpClient(clientConfig(sandbox));
});

afterEach(async () => {
  await admin.clearFaults();
  await admin.clock({ reset: true });
  await admin.resetStats();
  await admin.taxpayer(DEMO_BUYER_GSTIN, { status: 'ACT' });
  await admin.taxpayer(gstin, { largeTaxpayer: false });
});

afterAll(async () => {
  await client?.close();
  await sandbox?.close();
});

describe('3028/3029 from the IRP taxpayer cache', () => {
  it('a buyer active on the common portal but stale at the IRP: Sync GSTIN, then the invoice registers', async () => {
    await admin.taxpayer(DEMO_BUYER_GSTIN, { status: 'CNL', portalStatus: 'ACT' });
    const outcome = await client.generateIrn(demoInvoice(gstin));
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ kind: 'success', recovered: false });
    const stats = await admin.stats();
    expect(stats['generate-irn']).toMatchObject({ requests: 2, succeeded: 1, failed: { '3029': 1 } });
    expect(stats['sync-gstin']!.succeeded).toBeGreaterThanOrEqual(1);
  });

  it('a buyer inactive on the portal too stays a rejection, with what the sync found, and one attempt only', async () => {
    await admin.taxpayer(DEMO_BUYER_GSTIN, { status: 'CNL' });
    const outcome = await client.generateIrn(demoInvoice(gstin));
    expect(outcome).toMatchObject({
      kind: 'rejected',
      errors: [
        { code: '3029' },
        { code: 'SYNC_GSTIN', message: expect.stringContaining(`${DEMO_BUYER_GSTIN} CNL`) },
      ],
    });
    expect((await admin.stats())['generate-irn']).toMatchObject({ requests: 1 });
  });
});

describe("answers that are not the invoice's fault", () => {
  it('HTTP 404 (a wrong path in the configuration) is an operator error that halts, not a rejection', async () => {
    const misconfigured = createIrpClient(
      clientConfig(sandbox, { paths: { generateIrn: '/eicore/v1.03/Invoices' } }),
    );
    try {
      const outcome = await misconfigured.generateIrn(demoInvoice(gstin));
      expect(outcome).toMatchObject({ kind: 'operator', code: 'HTTP_404', status: 404 });
      const gateway = new ClientIrpGateway(misconfigured);
      const event: MappedEvent = { kind: 'generate', docKey: 'k', invoice: demoInvoice(gstin) as never };
      const step = await submit(stageDeps(gateway), message, event);
      expect(step).toMatchObject({ type: 'halt', failure: { family: 'operator', code: 'HTTP_404' } });
    } finally {
      await misconfigured.close();
    }
  });

  it('a code nobody catalogued is retried, and if it persists is transient — the breaker stays closed', async () => {
    await admin.addFault({
      scope: { apis: ['generate-irn'] },
      failure: { kind: 'envelope-error', code: '7777', message: 'A rule introduced yesterday' },
      maxHits: 2,
    });
    expect(await client.generateIrn(demoInvoice(gstin))).toMatchObject({ kind: 'success' });

    await admin.addFault({
      scope: { apis: ['generate-irn'] },
      failure: { kind: 'envelope-error', code: '7777', message: 'A rule introduced yesterday' },
    });
    const persistent = await client.generateIrn(demoInvoice(gstin), { deadlineMs: 1_500 });
    expect(persistent).toMatchObject({
      kind: 'transient-exhausted',
      lastError: { reason: 'unknown-code', code: '7777' },
    });
    expect(client.breakerState()).toBe('closed');
    const gateway = new ClientIrpGateway(client);
    const answer = await gateway.submit({
      kind: 'generate',
      docKey: 'k',
      invoice: demoInvoice(gstin) as never,
    });
    expect(answer.ok ? undefined : routeOf(answer.failure)).toBe('retry');
  });
});

describe('the 30-day reporting window after a long outage', () => {
  it('a document that outlived its window while the IRP was down is 2305 with the outage named', async () => {
    await admin.taxpayer(gstin, { largeTaxpayer: true });
    let offsetMs = 0;
    const gateway = new ClientIrpGateway(client, { now: () => Date.now() + offsetMs });
    const docDate = new Date(Date.now() - 25 * DAY_MS);
    const event: MappedEvent = {
      kind: 'generate',
      docKey: 'late',
      invoice: demoInvoice(gstin, { date: docDate }) as never,
    };
    await admin.addFault({
      name: 'outage',
      scope: { apis: ['generate-irn'] },
      failure: { kind: 'http-5xx' },
    });
    const during = await gateway.submit(event);
    expect(during).toMatchObject({ ok: false, failure: { family: 'transient' } });

    // Six days later the IRP answers again: the document is now 31 days old.
    offsetMs = 6 * DAY_MS;
    await admin.clock({ advanceMs: offsetMs });
    await admin.clearFaults();
    // The record reached Kafka two days after the document date, well inside the window.
    const arrived = { ...message, timestamp: String(docDate.getTime() + 2 * DAY_MS) };
    const step = await submit(stageDeps(gateway), arrived, event);
    expect(step).toMatchObject({
      type: 'final',
      output: 'error',
      failure: {
        family: 'rejected',
        code: '2305',
        errors: [
          { code: '2305' },
          {
            code: 'IRP_OUTAGE',
            message: expect.stringMatching(
              /reached Kafka at .* inside the 30-day reporting window.*unavailable .* \(6 days, last HTTP_503\)/,
            ),
          },
        ],
      },
    });
    expect((await admin.stats())['generate-irn']!.failed).toMatchObject({ '2305': 1 });
  });
});

const message: SourceMessage = {
  topic: 't',
  partition: 0,
  offset: '0',
  key: null,
  value: Buffer.from('{}'),
  headers: {},
};

function stageDeps(gateway: ClientIrpGateway): StageDeps {
  return {
    gateway,
    connectorImpl: undefined as never,
    decoder: undefined as never,
    sourceId: 's',
    connector: 'test',
    topics: { results: 'r', errors: 'e', deadLetter: 'd' },
    now: () => new Date(),
  };
}
