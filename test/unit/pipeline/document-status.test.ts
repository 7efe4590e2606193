/**
 * The document-status records derived from outputs, with NIC's own Get-e-invoice response (signed on
 * the NIC sandbox, from india-compliance's test data) as the IRP answer.
 */
import { describe, expect, it } from 'vitest';
import type { MappedEvent } from '../../../connectors/types.js';
import {
  documentStatusRecord,
  factsFromQr,
  statusOf,
  withDocumentStatus,
  type DocumentStatus,
} from '../../../src/pipeline/document-status.js';
import { failure } from '../../../src/pipeline/failures.js';
import { errorRecord, resultRecord, type OutputContext } from '../../../src/pipeline/outputs.js';
import type { OutputRecord, OutputSink, SourceMessage } from '../../../src/pipeline/ports.js';
import { invoiceSample, readSample } from '../../support/irp-samples.js';

const NIC = readSample<{ result: Record<string, unknown> }>(
  'b2b-inter-state.response.gsp-wrapped.json',
).result;
const topics = { results: 'r', errors: 'e', deadLetter: 'd', documentStatus: 's' };
const ctx: OutputContext = {
  sourceId: 'sap-1',
  connector: 'sap',
  topics,
  now: () => new Date('2023-10-03T10:00:00Z'),
};
const msg: SourceMessage = {
  topic: 'erp.sap',
  partition: 2,
  offset: '41',
  key: Buffer.from('k'),
  value: Buffer.from('x'),
  headers: { 'irp-bridge.replay.offset': '7', other: 'not copied' },
};
const docKey = '02AMBPG7773M002/INV/9SQ5E2/2023-24';
const invoice = invoiceSample('b2b-inter-state.request.json');
const generate = { kind: 'generate', docKey, invoice } as MappedEvent;

const parsed = (r: OutputRecord) => JSON.parse(String(r.value)) as DocumentStatus;

describe('statusOf', () => {
  it('a generate result registers the document with what NIC signed in the QR code', () => {
    const result = resultRecord(ctx, msg, generate, NIC, false);
    const s = statusOf(result, topics)!;
    expect(s).toMatchObject({
      docKey,
      state: 'registered',
      event: 'generate',
      Irn: NIC.Irn,
      AckNo: NIC.AckNo,
      AckDt: NIC.AckDt,
      SignedQRCode: NIC.SignedQRCode,
      outputTopic: 'r',
      source: { id: 'sap-1', topic: 'erp.sap', partition: 2, offset: '41' },
    });
    // The QR code's own facts: NIC's sample is invoice 9sQ5E2 of 02/10/2023 from 02AMBPG7773M002.
    expect(s.document).toMatchObject({
      SellerGstin: '02AMBPG7773M002',
      BuyerGstin: '36AMBPG7773M002',
      DocTyp: 'INV',
      DocNo: '9sQ5E2',
      DocDt: '02/10/2023',
    });
    expect(s.document.TotInvVal).toBe(invoice.ValDtls.TotInvVal);
  });

  it('a cancel result cancels; an e-way bill keeps the document registered', () => {
    const cancel = { kind: 'cancel', docKey } as MappedEvent;
    const c = statusOf(
      resultRecord(
        ctx,
        msg,
        cancel,
        { Irn: NIC.Irn, CancelDate: '2023-10-03 16:00:00', Status: 'CNL' },
        false,
      ),
      topics,
    )!;
    expect(c).toMatchObject({
      state: 'cancelled',
      event: 'cancel',
      Irn: NIC.Irn,
      CancelDate: '2023-10-03 16:00:00',
    });
    const ewb = { kind: 'ewb', docKey } as MappedEvent;
    const e = statusOf(
      resultRecord(ctx, msg, ewb, { Irn: NIC.Irn, EwbNo: 181010001234, EwbDt: '2023-10-03 16:05:00' }, false),
      topics,
    )!;
    expect(e).toMatchObject({ state: 'registered', event: 'ewb', EwbNo: 181010001234 });
    expect(e.AckNo).toBeUndefined();
  });

  it('a generate rejection records every code; a 2150 for another document is a conflict', () => {
    const f = failure('rejected', 'submit', [
      { code: '2172', message: 'bad' },
      { code: '3028', message: 'gstin', path: 'BuyerDtls.Gstin' },
    ]);
    const s = statusOf(errorRecord(ctx, msg, f, docKey, invoice, 'generate'), topics)!;
    expect(s).toMatchObject({ state: 'rejected', family: 'rejected', document: { DocNo: '9sQ5E2' } });
    expect(s.errors).toEqual([
      { code: '2172', message: 'bad' },
      { code: '3028', message: 'gstin', path: 'BuyerDtls.Gstin' },
    ]);
    const conflict = failure('conflict', 'submit', [{ code: '2150', message: 'Duplicate IRN' }]);
    expect(statusOf(errorRecord(ctx, msg, conflict, docKey, invoice, 'generate'), topics)!.state).toBe(
      'conflict',
    );
  });

  it('a failed cancel, a mapping failure and a dead letter change no document', () => {
    const f = failure('rejected', 'submit', [{ code: '2270', message: 'past 24 h' }]);
    expect(statusOf(errorRecord(ctx, msg, f, docKey, {}, 'cancel'), topics)).toBeUndefined();
    const m = failure('mapping', 'map', [{ code: 'MAP_UNKNOWN_UNIT', message: 'unit' }]);
    expect(statusOf(errorRecord(ctx, msg, m, null, {}), topics)).toBeUndefined();
    expect(
      statusOf({ topic: 'd', key: null, value: Buffer.from([0, 1]), headers: {} }, topics),
    ).toBeUndefined();
  });

  it('a QR code that is not a JWT gives no facts rather than failing the output', () => {
    expect(factsFromQr('not-a-jwt')).toEqual({});
    expect(factsFromQr(undefined)).toEqual({});
  });
});

describe('withDocumentStatus', () => {
  function recordingSink(transactional: boolean) {
    const sent: OutputRecord[][] = [];
    const tx: { records: OutputRecord[]; groupId: string }[] = [];
    const sink: OutputSink = {
      name: 'memory',
      transactional,
      send: async (records) => void sent.push(records),
      close: async () => undefined,
      ...(transactional
        ? {
            sendInTransaction: async (records: OutputRecord[], _o: unknown, groupId: string) =>
              void tx.push({ records, groupId }),
          }
        : {}),
    };
    return { sink, sent, tx };
  }

  it('adds the status record to the same send, keyed by document key, with the replay headers of its output', async () => {
    const { sink, sent } = recordingSink(false);
    const result = resultRecord(ctx, msg, generate, NIC, false);
    expect(result.headers['irp-bridge.replay.offset']).toBe('7');
    expect(result.headers.other).toBeUndefined();
    await withDocumentStatus(sink, topics).send([result]);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.map((r) => r.topic)).toEqual(['r', 's']);
    expect(sent[0]![1]!.key).toBe(docKey);
    expect(sent[0]![1]!.headers).toEqual({
      'irp-bridge.output.kind': 'document-status',
      'irp-bridge.errors.source.id': 'sap-1',
    });
    expect(parsed(sent[0]![1]!).Irn).toBe(NIC.Irn);
  });

  it('in exactly-once mode the status goes in the same transaction as its output', async () => {
    const { sink, tx, sent } = recordingSink(true);
    const wrapped = withDocumentStatus(sink, topics);
    expect(wrapped.transactional).toBe(true);
    const f = failure('validation', 'validate', [{ code: '2172', message: 'bad' }]);
    await wrapped.sendInTransaction!(
      [resultRecord(ctx, msg, generate, NIC, false), errorRecord(ctx, msg, f, 'k2', invoice, 'generate')],
      [{ topic: 'erp.sap', partition: 2, offset: '42' }],
      'g',
    );
    expect(sent).toEqual([]);
    expect(tx[0]!.records.map((r) => `${r.topic}:${r.key}`)).toEqual([
      `r:${docKey}`,
      'e:k2',
      `s:${docKey}`,
      's:k2',
    ]);
  });

  it('records without a status pass through untouched', async () => {
    const { sink, sent } = recordingSink(false);
    const dead: OutputRecord = { topic: 'd', key: null, value: Buffer.from('x'), headers: {} };
    await withDocumentStatus(sink, topics).send([dead]);
    expect(sent[0]).toEqual([dead]);
    expect(documentStatusRecord(dead, topics)).toBeUndefined();
  });
});
