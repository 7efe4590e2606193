/**
 * Reading the pipeline's failure outputs back: a dead letter (raw input bytes, Kafka Connect–style
 * headers) or an errors-topic record (JSON with the failure and the input's coordinates), as one
 * {@link FailedRecord} that says where the input was, which stage failed with which codes, and —
 * for a dead letter — the input itself.
 */
import { HEADER, REPLAY_HEADER_PREFIX } from '../pipeline/outputs.js';
import type { Headers, SourceMessage } from '../pipeline/ports.js';
import { headerText, type StoredRecord } from './ports.js';

export type FailureTopicKind = 'dead-letter' | 'errors';

export interface Coordinates {
  topic: string;
  partition: number;
  offset: string;
}

export interface FailedRecord {
  /** Where this failure record is (on the dead-letter or errors topic). */
  at: Coordinates;
  /** When it was written (the record's timestamp, ms). */
  timestamp: number;
  from: FailureTopicKind;
  /** The input it answers. */
  input: Coordinates;
  sourceId: string | undefined;
  stage: string;
  /** The headline code first, then every other code of the record. */
  codes: string[];
  message: string;
  /** The document key (errors records of mapped documents); null when unknown. */
  docKey: string | null;
  /** The event kind (errors records), when known. */
  kind: string | null;
  /** The input record itself, when this failure record carries it (dead letters). */
  original?: SourceMessage;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The headers of an input as it was, from a dead letter's: the pipeline's error headers removed. */
function originalHeaders(headers: Record<string, Buffer>): Headers {
  const out: Headers = {};
  for (const [k, v] of Object.entries(headers))
    if (!k.startsWith('irp-bridge.errors.') && k !== HEADER.kind && !k.startsWith(REPLAY_HEADER_PREFIX))
      out[k] = v;
  return out;
}

/**
 * The failure a dead-letter or errors record describes, or a reason it cannot be read (not written by
 * irp-bridge: no coordinates).
 */
export function readFailedRecord(
  from: FailureTopicKind,
  r: StoredRecord,
): { ok: true; failed: FailedRecord } | { ok: false; reason: string } {
  const at = { topic: r.topic, partition: r.partition, offset: r.offset };
  const timestamp = Number(r.timestamp);
  if (from === 'dead-letter') {
    const topic = headerText(r, HEADER.topic);
    const partition = Number(headerText(r, HEADER.partition));
    const offset = headerText(r, HEADER.offset);
    if (!topic || !Number.isInteger(partition) || !offset || !/^\d+$/.test(offset))
      return { ok: false, reason: 'no irp-bridge.errors.topic/partition/offset headers' };
    const input = { topic, partition, offset };
    return {
      ok: true,
      failed: {
        at,
        timestamp,
        from,
        input,
        sourceId: headerText(r, HEADER.sourceId),
        stage: headerText(r, HEADER.stage) ?? 'decode',
        codes: [headerText(r, HEADER.code) ?? 'UNKNOWN'],
        message: headerText(r, HEADER.message) ?? '',
        docKey: null,
        kind: null,
        original: { ...input, key: r.key, value: r.value, headers: originalHeaders(r.headers) },
      },
    };
  }
  let v: unknown;
  try {
    v = JSON.parse(r.value?.toString('utf8') ?? '');
  } catch {
    return { ok: false, reason: 'value is not JSON' };
  }
  if (!isObject(v) || !isObject(v.source)) return { ok: false, reason: 'no source coordinates in the value' };
  const s = v.source;
  const offset = typeof s.offset === 'string' ? s.offset : undefined;
  if (typeof s.topic !== 'string' || typeof s.partition !== 'number' || !offset || !/^\d+$/.test(offset))
    return { ok: false, reason: 'incomplete source coordinates in the value' };
  const errors = Array.isArray(v.errors) ? v.errors.filter(isObject) : [];
  const codes = [
    ...new Set(
      [headerText(r, HEADER.code), ...errors.map((e) => e.code)].filter((c) => typeof c === 'string'),
    ),
  ] as string[];
  return {
    ok: true,
    failed: {
      at,
      timestamp,
      from,
      input: { topic: s.topic, partition: s.partition, offset },
      sourceId: typeof s.id === 'string' ? s.id : headerText(r, HEADER.sourceId),
      stage: typeof v.stage === 'string' ? v.stage : (headerText(r, HEADER.stage) ?? 'submit'),
      codes: codes.length > 0 ? codes : ['UNKNOWN'],
      message:
        typeof errors[0]?.message === 'string' ? errors[0].message : (headerText(r, HEADER.message) ?? ''),
      docKey: typeof v.docKey === 'string' ? v.docKey : null,
      kind: typeof v.kind === 'string' ? v.kind : null,
    },
  };
}

export const coordinatesKey = (c: Coordinates) => `${c.topic}\u0000${c.partition}\u0000${c.offset}`;
export const showCoordinates = (c: Coordinates) => `${c.topic}[${c.partition}]@${c.offset}`;
