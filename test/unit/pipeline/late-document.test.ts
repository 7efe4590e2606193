/**
 * A document past its 30-day reporting window because the IRP was down while it waited in Kafka is
 * refused by local validation (2305) — with the outage named, as the gateway remembers it (issue 14,
 * item 13).
 */
import { describe, expect, it } from 'vitest';
import type { Connector } from '../../../connectors/types.js';
import { ClientIrpGateway } from '../../../src/adapters/irp/irp-gateway.js';
import type { IrpClient } from '../../../src/irp/client/index.js';
import { formatIrpDate } from '../../../src/irp/dates.js';
import { prepare, type StageDeps } from '../../../src/pipeline/stages.js';
import { invoiceSample } from '../../support/irp-samples.js';

const DAY_MS = 24 * 60 * 60_000;

describe('a late document after an IRP outage', () => {
  it('local 2305 carries an IRP_OUTAGE finding naming the outage that overlapped its window', async () => {
    let now = Date.parse('2025-07-01T06:00:00Z');
    let down = true;
    // The gateway only needs the client's generate answer: down (transient), then up (a success).
    const client = {
      generateIrn: async () =>
        down
          ? {
              kind: 'transient-exhausted',
              attempts: 3,
              lastError: { reason: 'http-status', status: 503, message: 'x' },
            }
          : {
              kind: 'success',
              recovered: false,
              info: [],
              data: { Irn: 'i', AckNo: 1, AckDt: 'd', SignedInvoice: 's', SignedQRCode: 'q' },
            },
    } as unknown as IrpClient;
    const gateway = new ClientIrpGateway(client, { now: () => now });
    const invoice = invoiceSample('b2b-inter-state.request.json');
    invoice.DocDtls.Dt = formatIrpDate(new Date(now - 20 * DAY_MS));
    const event = { kind: 'generate' as const, docKey: 'k', invoice };
    expect(await gateway.submit(event)).toMatchObject({ ok: false, failure: { family: 'transient' } });
    now += 12 * DAY_MS;
    down = false;
    expect(await gateway.submit({ ...event, docKey: 'other' })).toMatchObject({ ok: true });

    const connector: Connector = {
      id: 'test',
      title: 'test',
      avroSchema: {},
      eventKinds: ['generate'],
      map: () => ({ ok: true, event }),
    };
    const deps: StageDeps = {
      gateway,
      connectorImpl: connector,
      decoder: { decode: async () => ({ ok: true, record: {} }) },
      sourceId: 's',
      connector: 'test',
      topics: { results: 'r', errors: 'e', deadLetter: 'd' },
      now: () => new Date(now),
      validation: { isLargeTaxpayer: () => true },
    };
    const step = await prepare(deps, {
      topic: 't',
      partition: 0,
      offset: '7',
      key: null,
      value: Buffer.from('x'),
      headers: {},
    });
    expect(step).toMatchObject({
      type: 'final',
      output: 'error',
      failure: {
        code: '2305',
        errors: expect.arrayContaining([
          expect.objectContaining({ code: '2305' }),
          expect.objectContaining({
            code: 'IRP_OUTAGE',
            message: expect.stringContaining('12 days, last HTTP_503'),
          }),
        ]),
      },
    });
  });

  it('without an outage: says the record arrived in time when its Kafka timestamp shows it, else nothing', () => {
    const now = Date.parse('2025-07-01T06:00:00Z');
    const gateway = new ClientIrpGateway({} as IrpClient, { now: () => now });
    const docDate = formatIrpDate(new Date(now - 40 * DAY_MS));
    expect(gateway.explainLate(docDate, now - 35 * DAY_MS)).toMatchObject({
      code: 'LATE_SUBMISSION',
      message: expect.stringContaining('inside the 30-day reporting window'),
    });
    expect(gateway.explainLate(docDate, now - 5 * DAY_MS)).toBeUndefined();
    expect(gateway.explainLate(docDate)).toBeUndefined();
  });
});
