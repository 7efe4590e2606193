/**
 * The replay plan: which failure records match, which input each one re-drives, and why the others are
 * not sent. Failure and result records are built with the pipeline's own output builders; `prepare` is a
 * stub that reads a test's verdict from the input bytes.
 */
import { describe, expect, it } from 'vitest';
import type { MappedEvent } from '../../../connectors/types.js';
import { readFailedRecord } from '../../../src/operator/failures.js';
import { matchesFilters, planReplay, type IrpLookup, type ReplayDeps } from '../../../src/operator/replay.js';
import { failure } from '../../../src/pipeline/failures.js';
import {
  deadLetterRecord,
  errorRecord,
  resultRecord,
  type OutputContext,
} from '../../../src/pipeline/outputs.js';
import type { OutputRecord, SourceMessage } from '../../../src/pipeline/ports.js';
import type { Step } from '../../../src/pipeline/stages.js';
import { MemoryTopics } from '../../support/memory-topics.js';

const T = { input: 'erp.in', results: 'out.results', errors: 'out.errors', deadLetter: 'out.dlq' };
const ctx = (now = '2025-04-02T06:00:00Z', sourceId = 'sap-1'): OutputContext => ({
  sourceId,
  connector: 'sap',
  topics: T,
  now: () => new Date(now),
});
const key = (n: string) => `29AAACI1681G1ZI/INV/${n}/2025-26`;

function setup() {
  const topics = new MemoryTopics();
  for (const t of Object.values(T)) topics.create(t, 2);
  /** An input on the input topic; its bytes tell the stub what `prepare` says now. */
  const input = (partition: number, verdict: string): SourceMessage => {
    const r = topics.add(T.input, partition, { key: verdict, value: verdict });
    return { ...r, headers: {} };
  };
  const put = (rec: OutputRecord, timestamp = Date.parse('2025-04-02T06:00:00Z')) => {
    const value = rec.value;
    const headers = Object.fromEntries(Object.entries(rec.headers).map(([k, v]) => [k, String(v)]));
    return topics.add(rec.topic, 0, {
      key: rec.key === null ? null : String(rec.key),
      value,
      headers,
      timestamp,
    });
  };
  return { topics, input, put };
}

const generate = (docKey: string) =>
  ({
    kind: 'generate',
    docKey,
    invoice: { SellerDtls: { Gstin: '29AAACI1681G1ZI' } },
  }) as unknown as MappedEvent;

/** `ok:<doc>` submits a generate of that document; `cancel:<doc>` a cancel; anything else still fails. */
async function stubPrepare(m: SourceMessage): Promise<Step> {
  const text = m.value!.toString('utf8');
  const [verdict, doc] = text.split(':');
  if (verdict === 'ok') return { type: 'submit', event: generate(key(doc!)), docKey: key(doc!) };
  if (verdict === 'cancel')
    return { type: 'submit', event: { kind: 'cancel', docKey: key(doc!) } as MappedEvent, docKey: key(doc!) };
  const f = failure('undecodable', 'decode', [{ code: 'AVRO_DECODE', message: 'still garbage' }]);
  return { type: 'final', output: 'dead-letter', record: deadLetterRecord(ctx(), m, f), failure: f };
}

function deps(
  topics: MemoryTopics,
  from: 'dead-letter' | 'errors',
  extra: Partial<ReplayDeps> = {},
): ReplayDeps {
  return {
    reader: topics,
    from,
    failuresTopic: from === 'dead-letter' ? T.deadLetter : T.errors,
    resultsTopic: T.results,
    prepare: stubPrepare,
    replayId: 'replay-test',
    now: () => new Date('2025-04-03T00:00:00Z'),
    ...extra,
  };
}

const decodeFailure = failure('undecodable', 'decode', [{ code: 'AVRO_DECODE', message: 'bad' }]);
const rejected = (code: string) => failure('rejected', 'submit', [{ code, message: `IRP ${code}` }]);

describe('replay plan', () => {
  it('dead letters: sends what now decodes, with its bytes and replay headers; reports what still fails', async () => {
    const { topics, input, put } = setup();
    const a = input(0, 'ok:A1');
    const g = input(1, 'garbage');
    const dlA = put(deadLetterRecord(ctx(), { ...a, headers: { traceparent: 'x' } }, decodeFailure));
    put(deadLetterRecord(ctx(), g, decodeFailure));
    const plan = await planReplay(deps(topics, 'dead-letter'), { sourceIds: ['sap-1'] });
    expect(plan).toMatchObject({ scanned: 2, matched: 2 });
    const [sent, still] = plan.items;
    expect(sent!.verdict).toMatchObject({ action: 'send', kind: 'generate', docKey: key('A1') });
    expect(sent!.message).toMatchObject({ topic: T.input, partition: 0, offset: a.offset });
    expect(sent!.message!.value!.toString()).toBe('ok:A1');
    // The input's own headers come back; the pipeline's error headers do not; the replay's are added.
    expect(sent!.message!.headers).toMatchObject({
      traceparent: Buffer.from('x'),
      'irp-bridge.replay.topic': T.deadLetter,
      'irp-bridge.replay.partition': '0',
      'irp-bridge.replay.offset': dlA.offset,
      'irp-bridge.replay.id': 'replay-test',
    });
    expect(Object.keys(sent!.message!.headers).some((h) => h.startsWith('irp-bridge.errors.'))).toBe(false);
    expect(still!.verdict).toMatchObject({ action: 'skip', reason: 'still-fails' });
    expect((still!.verdict as { detail: string }).detail).toContain('AVRO_DECODE');
  });

  it('rejections: reads the input back, never re-submits a document with an IRN or an answered input', async () => {
    const { topics, input, put } = setup();
    const b = input(0, 'ok:B1');
    const c = input(0, 'ok:C1');
    const d = input(1, 'ok:D1');
    put(errorRecord(ctx(), b, rejected('3028'), key('B1'), {}, 'generate'));
    put(errorRecord(ctx(), c, rejected('3028'), key('C1'), {}, 'generate'));
    put(errorRecord(ctx(), d, rejected('3028'), key('D1'), {}, 'generate'));
    // C1 was registered later from another input (the ERP sent it again); D1's own input got a result.
    const again = input(1, 'ok:C1');
    put(resultRecord(ctx(), again, generate(key('C1')), { Irn: 'c'.repeat(64), AckNo: 1 }, false));
    put(resultRecord(ctx(), d, generate(key('D1')), { Irn: 'd'.repeat(64), AckNo: 2 }, false));
    const plan = await planReplay(deps(topics, 'errors'), { sourceIds: ['sap-1'] });
    const verdicts = plan.items.map((i) => [
      i.failed.docKey,
      i.verdict.action === 'send' ? 'send' : i.verdict.reason,
    ]);
    expect(verdicts).toEqual([
      [key('B1'), 'send'],
      [key('C1'), 'has-irn'],
      [key('D1'), 'answered'],
    ]);
    expect(plan.items[0]!.message!.value!.toString()).toBe('ok:B1');
  });

  it('an input deleted by retention, or whose topic is gone, is reported and not sent', async () => {
    const { topics, input, put } = setup();
    const e = input(0, 'ok:E1');
    input(0, 'ok:E2');
    put(errorRecord(ctx(), e, rejected('2172'), key('E1'), {}, 'generate'));
    put(
      errorRecord(
        ctx(),
        { ...e, topic: 'erp.old', offset: '9' },
        rejected('2172'),
        key('E3'),
        {},
        'generate',
      ),
    );
    topics.truncate(T.input, 0, 1);
    const plan = await planReplay(deps(topics, 'errors'), { sourceIds: ['sap-1'] });
    expect(plan.items.map((i) => i.verdict)).toEqual([
      {
        action: 'skip',
        reason: 'input-gone',
        detail: `${T.input}[0]@0 was deleted by retention (the partition now starts at 1)`,
      },
      { action: 'skip', reason: 'input-gone', detail: 'the input topic erp.old does not exist' },
    ]);
  });

  it('filters by source, code, stage, time and document; the latest failure of an input wins', async () => {
    const { topics, input, put } = setup();
    const f = input(0, 'ok:F1');
    const g = input(0, 'ok:G1');
    const other = input(0, 'ok:H1');
    put(
      errorRecord(ctx('2025-04-01T00:00:00Z'), f, rejected('2172'), key('F1'), {}, 'generate'),
      Date.parse('2025-04-01T00:00:00Z'),
    );
    put(
      errorRecord(ctx('2025-04-02T00:00:00Z'), f, rejected('3028'), key('F1'), {}, 'generate'),
      Date.parse('2025-04-02T00:00:00Z'),
    );
    put(
      errorRecord(
        ctx(),
        g,
        failure('validation', 'validate', [{ code: '2172', message: 'x' }]),
        key('G1'),
        {},
        'generate',
      ),
    );
    put(
      errorRecord(
        ctx('2025-04-02T06:00:00Z', 'oracle-1'),
        other,
        rejected('3028'),
        key('H1'),
        {},
        'generate',
      ),
    );

    const keys = async (filters: Parameters<typeof planReplay>[1]) =>
      (await planReplay(deps(topics, 'errors'), filters)).items.map((i) => i.failed.docKey);
    expect(await keys({ sourceIds: ['sap-1'] })).toEqual([key('F1'), key('G1')]);
    expect(await keys({ sourceIds: 'any' })).toEqual([key('F1'), key('G1'), key('H1')]);
    expect(await keys({ sourceIds: ['sap-1'], stages: ['validate'] })).toEqual([key('G1')]);
    expect(await keys({ sourceIds: ['sap-1'], codes: ['3028'] })).toEqual([key('F1')]);
    // Only the first (older) failure of F1 falls before the 2nd; the later one is kept when both match.
    expect(await keys({ sourceIds: ['sap-1'], until: Date.parse('2025-04-01T12:00:00Z') })).toEqual([
      key('F1'),
    ]);
    const both = await planReplay(deps(topics, 'errors'), { sourceIds: ['sap-1'], docKeys: [key('F1')] });
    expect(both.matched).toBe(2);
    expect(both.items).toHaveLength(1);
    expect(both.items[0]!.failed.codes).toEqual(['3028']);
    expect(await keys({ sourceIds: ['sap-1'], limit: 1 })).toEqual([key('F1')]);
  });

  it('asks the IRP when told to: registered there is never re-submitted; past its window is sent, with a note', async () => {
    const { topics, input, put } = setup();
    for (const n of ['J1', 'K1', 'L1', 'M1'])
      put(errorRecord(ctx(), input(0, `ok:${n}`), rejected('3028'), key(n), {}, 'generate'));
    const answers: Record<string, IrpLookup> = {
      [key('J1')]: { kind: 'registered', irn: 'j'.repeat(64), status: 'ACT' },
      [key('K1')]: {
        kind: 'not-checkable',
        message: '2283 IRN details cannot be provided as it is generated more than 3 days prior',
      },
      [key('L1')]: { kind: 'absent' },
      [key('M1')]: { kind: 'failed', message: 'transient-exhausted' },
    };
    const plan = await planReplay(deps(topics, 'errors', { lookupIrp: async (e) => answers[e.docKey]! }), {
      sourceIds: ['sap-1'],
    });
    expect(
      plan.items.map((i) =>
        i.verdict.action === 'send' ? `send${i.verdict.note ? ' (note)' : ''}` : i.verdict.reason,
      ),
    ).toEqual(['irp-has-irn', 'send (note)', 'send', 'irp-unchecked']);
    expect((plan.items[1]!.verdict as { note: string }).note).toMatch(/^not checkable at the IRP: 2283/);
  });

  it('two failures of one document send it once; a cancel of a cancelled document is not sent', async () => {
    const { topics, input, put } = setup();
    put(deadLetterRecord(ctx(), input(0, 'ok:N1'), decodeFailure));
    put(deadLetterRecord(ctx(), input(1, 'ok:N1'), decodeFailure));
    const cancelled = input(0, 'x');
    put(
      resultRecord(
        ctx(),
        cancelled,
        { kind: 'cancel', docKey: key('P1') } as MappedEvent,
        { Irn: 'p'.repeat(64), CancelDate: 'x' },
        false,
      ),
    );
    put(deadLetterRecord(ctx(), input(0, 'cancel:P1'), decodeFailure));
    const plan = await planReplay(deps(topics, 'dead-letter'), { sourceIds: ['sap-1'] });
    expect(plan.items.map((i) => (i.verdict.action === 'send' ? 'send' : i.verdict.reason))).toEqual([
      'send',
      'same-document',
      'already-cancelled',
    ]);
  });

  it('an unknown failures topic is refused before anything is read; foreign records are listed', async () => {
    const { topics } = setup();
    await expect(
      planReplay({ ...deps(topics, 'errors'), failuresTopic: 'nope' }, { sourceIds: 'any' }),
    ).rejects.toThrow('topic nope does not exist');
    topics.add(T.deadLetter, 0, { value: 'someone else wrote this' });
    const plan = await planReplay(deps(topics, 'dead-letter'), { sourceIds: 'any' });
    expect(plan.unreadable).toEqual([
      {
        at: { topic: T.deadLetter, partition: 0, offset: '0' },
        reason: 'no irp-bridge.errors.topic/partition/offset headers',
      },
    ]);
  });

  it('matchesFilters: a dead letter has no document key until it decodes', () => {
    const { topics, input, put } = setup();
    const dl = put(deadLetterRecord(ctx(), input(0, 'ok:Q1'), decodeFailure));
    const read = readFailedRecord('dead-letter', dl);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(matchesFilters(read.failed, { sourceIds: ['sap-1'], docKeys: [key('Z9')] })).toBe(true);
    expect(matchesFilters(read.failed, { sourceIds: ['sap-1'], codes: ['2172'] })).toBe(false);
    void topics;
  });
});
