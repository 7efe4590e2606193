import { describe, expect, it } from 'vitest';
import { CoalescingSink } from '../../../../src/adapters/kafka/coalescing-sink.js';
import { PublishError, type OutputRecord, type OutputSink } from '../../../../src/pipeline/ports.js';

const rec = (topic: string, value: string): OutputRecord => ({ topic, key: value, value, headers: {} });

/** A sink that records each send and refuses any batch holding a value over `limit` characters. */
class RecordingSink implements OutputSink {
  readonly name = 'recording';
  readonly transactional = false;
  readonly sends: string[][] = [];
  closed = false;
  constructor(private readonly limit = Infinity) {}
  async send(records: OutputRecord[]): Promise<void> {
    await new Promise((r) => setTimeout(r, 5));
    this.sends.push(records.map((r) => String(r.value)));
    if (records.some((r) => String(r.value).length > this.limit))
      throw new PublishError('a record is larger than the broker accepts', 'too-large');
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

describe('CoalescingSink', () => {
  it('sends of one turn go as one request, and each caller settles', async () => {
    const inner = new RecordingSink();
    const sink = new CoalescingSink(inner);
    await Promise.all(Array.from({ length: 50 }, (_, i) => sink.send([rec('results', `r${i}`)])));
    expect(inner.sends).toHaveLength(1);
    expect(inner.sends[0]).toHaveLength(50);
    expect(inner.sends[0]![49]).toBe('r49');
  });

  it('bounds a flush by records and bytes, and flushes out at once by maxFlushesInFlight', async () => {
    const inner = new RecordingSink();
    const sink = new CoalescingSink(inner, { maxRecords: 10, maxBytes: 60, maxFlushesInFlight: 2 });
    await Promise.all(
      Array.from({ length: 45 }, (_, i) => sink.send([rec('results', `v${String(i).padStart(2, '0')}`)])),
    );
    // 3 characters of value and 3 of key per record: 10 records would be 60 bytes, the cap.
    expect(inner.sends.every((s) => s.length <= 10)).toBe(true);
    expect(inner.sends.flat()).toHaveLength(45);
    expect(new Set(inner.sends.flat()).size).toBe(45);
  });

  it('a failed flush of several callers answers each caller for its own records', async () => {
    const inner = new RecordingSink(5);
    const sink = new CoalescingSink(inner);
    const outcomes = await Promise.allSettled([
      sink.send([rec('results', 'ok-1')]),
      sink.send([rec('results', 'far-too-long')]),
      sink.send([rec('results', 'ok-2')]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const err = (outcomes[1] as PromiseRejectedResult).reason as PublishError;
    expect(err).toBeInstanceOf(PublishError);
    expect(err.kind).toBe('too-large');
    // One joint attempt, then one send per caller.
    expect(inner.sends[0]).toEqual(['ok-1', 'far-too-long', 'ok-2']);
    expect(inner.sends.slice(1).sort()).toEqual([['far-too-long'], ['ok-1'], ['ok-2']]);
  });

  it('close waits for what is queued, then closes the producer', async () => {
    const inner = new RecordingSink();
    const sink = new CoalescingSink(inner);
    const sent = sink.send([rec('results', 'last')]);
    await sink.close();
    await sent;
    expect(inner.sends).toEqual([['last']]);
    expect(inner.closed).toBe(true);
  });
});
