/**
 * The three output records, keyed by document key (README: topics and record formats):
 * - result: what the IRP registered (IRN, AckNo, signed invoice and QR, e-way bill fields), `recovered`
 *   when a 2150 was resolved to the earlier registration;
 * - error: a rejection with every IRP (or mapping) code, message and path, plus the normalised payload;
 * - dead letter: the raw input bytes, with Kafka Connect–style headers saying where it came from and why;
 * - lost (on the errors topic): a range of input offsets deleted before the group processed them.
 */
import type { MappedEvent } from '../../connectors/types.js';
import type { Failure } from './failures.js';
import type { OffsetGap, OutputRecord, SourceMessage } from './ports.js';

/** The IRP response fields a result carries (docs/running.md: record formats). */
export const RESULT_FIELDS = [
  'Irn',
  'AckNo',
  'AckDt',
  'Status',
  'SignedInvoice',
  'SignedQRCode',
  'EwbNo',
  'EwbDt',
  'EwbValidTill',
  'Remarks',
  'CancelDate',
] as const;

export interface OutputTopics {
  results: string;
  errors: string;
  deadLetter: string;
}

export interface SourceCoordinates {
  id: string;
  connector: string;
  topic: string;
  partition: number;
  offset: string;
}

/** Header names on error and dead-letter records (prefix after Kafka Connect's `__connect.errors.`). */
export const HEADER = {
  topic: 'irp-bridge.errors.topic',
  partition: 'irp-bridge.errors.partition',
  offset: 'irp-bridge.errors.offset',
  stage: 'irp-bridge.errors.stage',
  code: 'irp-bridge.errors.code',
  message: 'irp-bridge.errors.message',
  sourceId: 'irp-bridge.errors.source.id',
  connector: 'irp-bridge.errors.connector',
  kind: 'irp-bridge.output.kind',
  /** On a `lost` record: the first offset after the gap (the offset header is its first). */
  lostTo: 'irp-bridge.errors.lost.to',
} as const;

/**
 * Headers of a record that `irp-bridge replay` re-drove: the dead-letter or errors record it came from
 * (`.topic`, `.partition`, `.offset`), the replay run (`.id`) and when (`.at`). Every output of a
 * replayed record carries them, so it links back to what was replayed.
 */
export const REPLAY_HEADER_PREFIX = 'irp-bridge.replay.';

function replayHeaders(msg: SourceMessage): Record<string, string | Buffer> {
  const out: Record<string, string | Buffer> = {};
  for (const [k, v] of Object.entries(msg.headers))
    if (v !== undefined && k.startsWith(REPLAY_HEADER_PREFIX)) out[k] = v;
  return out;
}

function coordinates(sourceId: string, connector: string, msg: SourceMessage): SourceCoordinates {
  return { id: sourceId, connector, topic: msg.topic, partition: msg.partition, offset: msg.offset };
}

function errorHeaders(source: SourceCoordinates, f: Failure): Record<string, string> {
  return {
    [HEADER.topic]: source.topic,
    [HEADER.partition]: String(source.partition),
    [HEADER.offset]: source.offset,
    [HEADER.stage]: f.stage,
    [HEADER.code]: f.code,
    // Header values are for humans and routing; keep them short and single-line.
    [HEADER.message]: f.message.replace(/\s+/g, ' ').slice(0, 500),
    [HEADER.sourceId]: source.id,
    [HEADER.connector]: source.connector,
  };
}

export interface OutputContext {
  sourceId: string;
  connector: string;
  topics: OutputTopics;
  now: () => Date;
}

export function resultRecord(
  ctx: OutputContext,
  msg: SourceMessage,
  event: MappedEvent,
  data: Record<string, unknown>,
  recovered: boolean,
): OutputRecord {
  const source = coordinates(ctx.sourceId, ctx.connector, msg);
  const value = {
    kind: event.kind,
    docKey: event.docKey,
    ...data,
    recovered,
    source,
    processedAt: ctx.now().toISOString(),
  };
  return {
    topic: ctx.topics.results,
    key: event.docKey,
    value: JSON.stringify(value),
    headers: { ...replayHeaders(msg), [HEADER.kind]: 'result', [HEADER.sourceId]: ctx.sourceId },
  };
}

export function errorRecord(
  ctx: OutputContext,
  msg: SourceMessage,
  f: Failure,
  docKey: string | null,
  payload: unknown,
  kind?: string,
): OutputRecord {
  const source = coordinates(ctx.sourceId, ctx.connector, msg);
  const value = {
    kind: kind ?? null,
    docKey,
    stage: f.stage,
    family: f.family,
    errors: f.errors,
    payload: payload ?? null,
    source,
    processedAt: ctx.now().toISOString(),
  };
  return {
    topic: ctx.topics.errors,
    key: docKey ?? msg.key?.toString('utf8') ?? null,
    value: JSON.stringify(value),
    headers: { ...replayHeaders(msg), [HEADER.kind]: 'error', ...errorHeaders(source, f) },
  };
}

export function deadLetterRecord(ctx: OutputContext, msg: SourceMessage, f: Failure): OutputRecord {
  const source = coordinates(ctx.sourceId, ctx.connector, msg);
  const original: Record<string, string | Buffer> = {};
  for (const [k, v] of Object.entries(msg.headers)) if (v !== undefined) original[k] = v;
  return {
    topic: ctx.topics.deadLetter,
    key: msg.key,
    value: msg.value ?? Buffer.alloc(0),
    headers: { ...original, [HEADER.kind]: 'dead-letter', ...errorHeaders(source, f) },
  };
}

/**
 * The dead letter of a record whose raw input is itself too large for the dead-letter topic: no bytes
 * (they could never be published), only where the input is and why, so it can be fetched from the
 * input topic while it is retained.
 */
export function coordinatesOnlyDeadLetterRecord(
  ctx: OutputContext,
  msg: SourceMessage,
  f: Failure,
  inputBytes: number,
): OutputRecord {
  const source = coordinates(ctx.sourceId, ctx.connector, msg);
  const value = {
    stage: f.stage,
    family: f.family,
    errors: f.errors,
    input: { bytes: inputBytes, omitted: 'larger than the dead-letter topic accepts; read it at source' },
    source,
    processedAt: ctx.now().toISOString(),
  };
  return {
    topic: ctx.topics.deadLetter,
    key: msg.key,
    value: JSON.stringify(value),
    headers: { [HEADER.kind]: 'dead-letter', ...errorHeaders(source, f) },
  };
}

/** The code of a `lost` record: the group's committed offset fell below the partition's log start. */
export const LOST_CODE = 'OFFSET_OUT_OF_RANGE';

/**
 * The one output for records that were deleted before this group processed them (retention, or
 * deleteRecords): on the errors topic, kind header `lost`, so no gap in the input is ever silent. It
 * stands for every offset from `fromOffset` up to, not including, `toOffset`; there are no input bytes
 * to keep. Keyed `<topic>:<partition>`.
 */
export function lostRecord(ctx: OutputContext, gap: OffsetGap): OutputRecord {
  const count = (BigInt(gap.toOffset) - BigInt(gap.fromOffset)).toString();
  const message =
    `offsets ${gap.fromOffset} to ${BigInt(gap.toOffset) - 1n} of ${gap.topic}[${gap.partition}] were ` +
    `deleted before this group processed them (committed offset ${gap.committedOffset ?? 'none'}, ` +
    `log start ${gap.logStartOffset}): no output exists for them`;
  const source: SourceCoordinates = {
    id: ctx.sourceId,
    connector: ctx.connector,
    topic: gap.topic,
    partition: gap.partition,
    offset: gap.fromOffset,
  };
  const value = {
    kind: null,
    docKey: null,
    stage: 'consume',
    family: 'lost',
    errors: [{ code: LOST_CODE, message }],
    lost: { ...gap, count },
    payload: null,
    source,
    processedAt: ctx.now().toISOString(),
  };
  return {
    topic: ctx.topics.errors,
    key: `${gap.topic}:${gap.partition}`,
    value: JSON.stringify(value),
    headers: {
      [HEADER.kind]: 'lost',
      [HEADER.topic]: gap.topic,
      [HEADER.partition]: String(gap.partition),
      [HEADER.offset]: gap.fromOffset,
      [HEADER.lostTo]: gap.toOffset,
      [HEADER.stage]: 'consume',
      [HEADER.code]: LOST_CODE,
      [HEADER.message]: message,
      [HEADER.sourceId]: ctx.sourceId,
      [HEADER.connector]: ctx.connector,
    },
  };
}
