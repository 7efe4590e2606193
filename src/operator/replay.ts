/**
 * `irp-bridge replay`: re-drives failed records through the pipeline after the operator fixed what made
 * them fail (a master at the IRP, a site table, the Avro schema, a credential).
 *
 * 1. Read the dead-letter or errors topic and keep the failure records that match the filters (source,
 *    code, stage, time, document key); the latest failure per input wins.
 * 2. Find each input: a dead letter carries its bytes; for a rejection the input is read back from the
 *    input topic at the coordinates the rejection names (gone, if retention deleted it).
 * 3. Decide with the source's current configuration: decode, map and validate again (`prepare`). A
 *    record that still fails locally is reported, not sent. A record whose input was already answered
 *    by a result, or whose document already has an IRN on the results topic (or at the IRP, when asked
 *    to check it there by document details), is never submitted again; nor a second cancel of a
 *    cancelled document, nor a second e-way bill.
 * 4. Send (unless dry run): the chosen inputs go through the pipeline's runner and stages to the
 *    source's output topics, each carrying `irp-bridge.replay.*` headers naming the failure record it
 *    re-drives; their outputs keep the input's own coordinates in `source`, so both link back.
 */
import type { EventKind, MappedEvent } from '../../connectors/types.js';
import { REPLAY_HEADER_PREFIX } from '../pipeline/outputs.js';
import type { SourceMessage } from '../pipeline/ports.js';
import type { Step } from '../pipeline/stages.js';
import {
  coordinatesKey,
  readFailedRecord,
  showCoordinates,
  type Coordinates,
  type FailedRecord,
  type FailureTopicKind,
} from './failures.js';
import { Ledger, byProcessedAt } from './ledger.js';
import { UnknownTopicError, type PartitionRange, type StoredRecord, type TopicReader } from './ports.js';

export const REPLAY_HEADER = {
  topic: `${REPLAY_HEADER_PREFIX}topic`,
  partition: `${REPLAY_HEADER_PREFIX}partition`,
  offset: `${REPLAY_HEADER_PREFIX}offset`,
  id: `${REPLAY_HEADER_PREFIX}id`,
  at: `${REPLAY_HEADER_PREFIX}at`,
} as const;

export const STAGES = ['decode', 'map', 'validate', 'submit'] as const;

export interface ReplayFilters {
  /** Any of these codes (a dead letter's code, any code of a rejection). */
  codes?: string[];
  stages?: string[];
  /** Failure records written at or after / before these instants (ms). */
  since?: number;
  until?: number;
  docKeys?: string[];
  /** Failure records of these source ids; `any` for every source. */
  sourceIds: string[] | 'any';
  /** At most this many inputs. */
  limit?: number;
}

/** What the IRP says about a document, looked up by its details. */
export type IrpLookup =
  | { kind: 'registered'; irn: string; status?: string }
  | { kind: 'absent' }
  /** Past the IRP's retrieval window (2283): the IRP will not say. */
  | { kind: 'not-checkable'; message: string }
  | { kind: 'failed'; message: string };

export interface ReplayDeps {
  reader: TopicReader;
  from: FailureTopicKind;
  /** The dead-letter or errors topic. */
  failuresTopic: string;
  resultsTopic: string;
  /** Decode, map and validate with the source's current configuration (the pipeline's `prepare`). */
  prepare(message: SourceMessage): Promise<Step>;
  /** Asks the IRP by document details (generate events only); absent: the results topic decides alone. */
  lookupIrp?(event: MappedEvent): Promise<IrpLookup>;
  replayId: string;
  now(): Date;
}

export type SkipReason =
  | 'answered'
  | 'has-irn'
  | 'irp-has-irn'
  | 'irp-unchecked'
  | 'already-cancelled'
  | 'has-ewb'
  | 'still-fails'
  | 'input-gone'
  | 'same-document';

export type Verdict =
  | { action: 'send'; kind: EventKind; docKey: string; payload: unknown; note?: string }
  | { action: 'skip'; reason: SkipReason; detail: string };

export interface PlanItem {
  failed: FailedRecord;
  verdict: Verdict;
  /** The input to re-drive, with the replay headers (for `send`). */
  message?: SourceMessage;
}

export interface ReplayPlan {
  replayId: string;
  from: FailureTopicKind;
  failuresTopic: string;
  /** Records read from the failures topic. */
  scanned: number;
  /** Failure records that matched the filters (before one-per-input). */
  matched: number;
  /** Failure records that are not irp-bridge's (no coordinates). */
  unreadable: { at: Coordinates; reason: string }[];
  items: PlanItem[];
}

/** A failure record the filters keep. */
export function matchesFilters(f: FailedRecord, filters: ReplayFilters): boolean {
  if (filters.sourceIds !== 'any' && !filters.sourceIds.includes(f.sourceId ?? '')) return false;
  if (filters.codes?.length && !f.codes.some((c) => filters.codes!.includes(c))) return false;
  if (filters.stages?.length && !filters.stages.includes(f.stage)) return false;
  if (filters.since !== undefined && f.timestamp < filters.since) return false;
  if (filters.until !== undefined && f.timestamp >= filters.until) return false;
  if (filters.docKeys?.length && (f.docKey === null || !filters.docKeys.includes(f.docKey))) {
    // A dead letter has no document key until it decodes: the key is checked after `prepare`.
    if (f.docKey !== null) return false;
  }
  return true;
}

function rangesOf(coords: Coordinates[]): Map<string, PartitionRange[]> {
  const byTopic = new Map<string, Map<number, { from: bigint; until: bigint }>>();
  for (const c of coords) {
    const parts = byTopic.get(c.topic) ?? new Map<number, { from: bigint; until: bigint }>();
    const o = BigInt(c.offset);
    const r = parts.get(c.partition);
    parts.set(
      c.partition,
      r
        ? { from: o < r.from ? o : r.from, until: o + 1n > r.until ? o + 1n : r.until }
        : { from: o, until: o + 1n },
    );
    byTopic.set(c.topic, parts);
  }
  return new Map(
    [...byTopic].map(([t, parts]) => [
      t,
      [...parts].map(([partition, r]) => ({ partition, from: r.from.toString(), until: r.until.toString() })),
    ]),
  );
}

/** The inputs of rejections, read back from their topics; a missing topic or offset leaves a gap. */
async function readInputs(
  reader: TopicReader,
  coords: Coordinates[],
): Promise<{ found: Map<string, StoredRecord>; gone: Map<string, string> }> {
  const found = new Map<string, StoredRecord>();
  const gone = new Map<string, string>();
  const ranges = rangesOf(coords);
  const missing = new Set(await reader.missingTopics([...ranges.keys()]));
  const wanted = new Set(coords.map(coordinatesKey));
  const specs = [...ranges].filter(([t]) => !missing.has(t)).map(([topic, r]) => ({ topic, ranges: r }));
  const lows = new Map<string, bigint>();
  for (const s of specs)
    for (const o of await reader.endOffsets(s.topic))
      lows.set(`${s.topic}\u0000${o.partition}`, BigInt(o.low));
  if (specs.length > 0)
    await reader.read(specs, (r) => {
      const k = coordinatesKey(r);
      if (wanted.has(k)) found.set(k, r);
    });
  for (const c of coords) {
    const k = coordinatesKey(c);
    if (found.has(k)) continue;
    if (missing.has(c.topic)) gone.set(k, `the input topic ${c.topic} does not exist`);
    else {
      const low = lows.get(`${c.topic}\u0000${c.partition}`);
      gone.set(
        k,
        low !== undefined && BigInt(c.offset) < low
          ? `${showCoordinates(c)} was deleted by retention (the partition now starts at ${low})`
          : `${showCoordinates(c)} is not on the topic`,
      );
    }
  }
  return { found, gone };
}

/** The results topic as a ledger (which inputs have a result, which documents an IRN). */
export async function readLedger(reader: TopicReader, resultsTopic: string): Promise<Ledger> {
  const values: { value: Record<string, unknown> }[] = [];
  await reader.read([{ topic: resultsTopic }], (r) => {
    try {
      const v: unknown = JSON.parse(r.value?.toString('utf8') ?? '');
      if (typeof v === 'object' && v !== null && !Array.isArray(v))
        values.push({ value: v as Record<string, unknown> });
    } catch {
      // not a result irp-bridge wrote
    }
  });
  const ledger = new Ledger();
  for (const v of byProcessedAt(values)) ledger.addResult(v.value);
  return ledger;
}

function withReplayHeaders(msg: SourceMessage, f: FailedRecord, deps: ReplayDeps): SourceMessage {
  return {
    ...msg,
    headers: {
      ...msg.headers,
      [REPLAY_HEADER.topic]: f.at.topic,
      [REPLAY_HEADER.partition]: String(f.at.partition),
      [REPLAY_HEADER.offset]: f.at.offset,
      [REPLAY_HEADER.id]: deps.replayId,
      [REPLAY_HEADER.at]: deps.now().toISOString(),
    },
  };
}

function payloadOf(event: MappedEvent): unknown {
  return event.kind === 'generate' ? event.invoice : event;
}

/** Steps 1–3 of the module comment: what would be sent, and why the rest is not. Sends nothing. */
export async function planReplay(deps: ReplayDeps, filters: ReplayFilters): Promise<ReplayPlan> {
  const missing = await deps.reader.missingTopics([deps.failuresTopic, deps.resultsTopic]);
  if (missing.length > 0) throw new UnknownTopicError(missing);

  let scanned = 0;
  const unreadable: ReplayPlan['unreadable'] = [];
  const latest = new Map<string, FailedRecord>();
  let matched = 0;
  await deps.reader.read([{ topic: deps.failuresTopic }], (r) => {
    scanned++;
    const read = readFailedRecord(deps.from, r);
    if (!read.ok) {
      unreadable.push({
        at: { topic: r.topic, partition: r.partition, offset: r.offset },
        reason: read.reason,
      });
      return;
    }
    if (!matchesFilters(read.failed, filters)) return;
    matched++;
    const key = coordinatesKey(read.failed.input);
    const before = latest.get(key);
    if (!before || before.timestamp <= read.failed.timestamp) latest.set(key, read.failed);
  });
  const chosen = [...latest.values()].sort((a, b) => a.timestamp - b.timestamp);

  const needInput = chosen.filter((f) => !f.original).map((f) => f.input);
  const inputs = needInput.length > 0 ? await readInputs(deps.reader, needInput) : undefined;
  const ledger = await readLedger(deps.reader, deps.resultsTopic);

  const items: PlanItem[] = [];
  const sending = new Map<string, Coordinates>();
  for (const failed of chosen) {
    if (filters.limit !== undefined && items.length >= filters.limit) break;
    const item = await decide(failed, deps, filters, ledger, inputs, sending);
    if (item) items.push(item);
  }
  return {
    replayId: deps.replayId,
    from: deps.from,
    failuresTopic: deps.failuresTopic,
    scanned,
    matched,
    unreadable,
    items,
  };
}

async function decide(
  failed: FailedRecord,
  deps: ReplayDeps,
  filters: ReplayFilters,
  ledger: Ledger,
  inputs: { found: Map<string, StoredRecord>; gone: Map<string, string> } | undefined,
  sending: Map<string, Coordinates>,
): Promise<PlanItem | undefined> {
  const skip = (reason: SkipReason, detail: string): PlanItem => ({
    failed,
    verdict: { action: 'skip', reason, detail },
  });
  if (ledger.hasResult(failed.input))
    return skip('answered', `${showCoordinates(failed.input)} already has a result on ${deps.resultsTopic}`);
  let original = failed.original;
  if (!original) {
    const k = coordinatesKey(failed.input);
    const r = inputs?.found.get(k);
    if (!r)
      return skip('input-gone', inputs?.gone.get(k) ?? `${showCoordinates(failed.input)} was not found`);
    original = {
      topic: r.topic,
      partition: r.partition,
      offset: r.offset,
      key: r.key,
      value: r.value,
      headers: r.headers,
      timestamp: r.timestamp,
    };
  }
  const message = withReplayHeaders(original, failed, deps);
  const step = await deps.prepare(message);
  if (step.type === 'retry')
    throw new Error(
      `cannot decode ${showCoordinates(failed.input)} now: ${step.failure.code} ${step.failure.message} (try again when it is reachable)`,
    );
  if (step.type === 'halt') throw new Error(`${step.failure.code} ${step.failure.message}`);
  if (step.type === 'final') {
    const f = step.failure;
    return skip(
      'still-fails',
      `${f?.stage ?? 'prepare'}: ${f ? [f.code, ...f.errors.slice(1).map((e) => e.code)].join(', ') : step.output} ${f?.message ?? ''}`.trim(),
    );
  }
  const event = step.event;
  if (filters.docKeys?.length && !filters.docKeys.includes(event.docKey)) return undefined;
  const doc = ledger.documents.get(event.docKey);
  const sameDoc = sending.get(`${event.kind}\u0000${event.docKey}`);
  if (sameDoc)
    return skip(
      'same-document',
      `the ${event.kind} of ${event.docKey} is already sent from ${showCoordinates(sameDoc)}`,
    );
  let note: string | undefined;
  if (event.kind === 'generate') {
    if (doc?.Irn) return skip('has-irn', `${event.docKey} already has IRN ${doc.Irn} (${deps.resultsTopic})`);
    if (deps.lookupIrp) {
      const irp = await deps.lookupIrp(event);
      if (irp.kind === 'registered')
        return skip(
          'irp-has-irn',
          `the IRP has IRN ${irp.irn} for ${event.docKey}${irp.status ? ` (${irp.status})` : ''}`,
        );
      if (irp.kind === 'failed') return skip('irp-unchecked', `the IRP could not be asked: ${irp.message}`);
      if (irp.kind === 'not-checkable')
        note = `not checkable at the IRP: ${irp.message}; a registration there would come back as 2150 and be recovered`;
    }
  } else if (event.kind === 'cancel' && doc?.cancelled) {
    return skip('already-cancelled', `${event.docKey} is already cancelled (${deps.resultsTopic})`);
  } else if (event.kind === 'ewb' && doc?.ewb) {
    return skip('has-ewb', `${event.docKey} already has e-way bill ${doc.ewb.EwbNo} (${deps.resultsTopic})`);
  }
  sending.set(`${event.kind}\u0000${event.docKey}`, failed.input);
  return {
    failed,
    message,
    verdict: {
      action: 'send',
      kind: event.kind,
      docKey: event.docKey,
      payload: payloadOf(event),
      ...(note ? { note } : {}),
    },
  };
}
