/**
 * The document-status topic (`topics.documentStatus`, optional): a compacted topic keyed by document key
 * whose latest record is the document's latest state, so a reconciliation or an ERP write-back reads
 * one record per document instead of the whole history of the results and errors topics.
 *
 * A status record is derived from the output it accompanies and only from it ({@link statusOf}), and it
 * is published in the same `send` (or, in exactly-once mode, the same Kafka transaction) as that output
 * ({@link withDocumentStatus}), so the two never disagree. It wraps the sink port: the runner does not
 * know about it.
 *
 * Which outputs move a document's state:
 * - a generate result → `registered` (or `cancelled` when the IRP's Status says CNL), with the IRN, AckNo,
 *   AckDt, Status, SignedInvoice, SignedQRCode, any e-way bill, and the document facts read from the
 *   signed QR code (seller, buyer, type, number, date, total);
 * - a cancel result → `cancelled`, with the IRN and CancelDate;
 * - an e-way-bill result → `registered`, with the IRN and the e-way bill (EwbNo, EwbDt, EwbValidTill);
 * - a generate rejection → `rejected` (or `conflict` for a 2150 naming a different document), with every
 *   code and the document facts of the payload.
 *
 * A failed cancel or e-way bill leaves the document as it was (no status record: it still has its IRN);
 * an output without a document key (a dead letter, a record the connector could not map) has no
 * document to update. A record carries what the event that set it established: after an e-way bill the
 * AckNo is on the earlier record, so a consumer that keeps one row per document merges fields (an ERP
 * write-back does), and `irp-bridge reconcile` reads the full topics when it needs every field.
 */
import { decodeIrpJwt } from '../irp/signed-jwt.js';
import { HEADER, RESULT_FIELDS } from './outputs.js';
import type { OutputRecord, OutputSink, TopicPartitionOffset } from './ports.js';

/** Bump when a field changes meaning; consumers check it. */
export const DOCUMENT_STATUS_VERSION = 1;

export type DocumentState = 'registered' | 'cancelled' | 'rejected' | 'conflict';

/** The document facts, with the names of the signed QR code's fields. */
export interface DocumentFacts {
  SellerGstin?: string;
  BuyerGstin?: string;
  DocTyp?: string;
  DocNo?: string;
  /** `dd/MM/yyyy` */
  DocDt?: string;
  TotInvVal?: number;
}

/** The value of a status record (JSON). IRP fields keep the IRP's names, as on the results topic. */
export interface DocumentStatus {
  version: number;
  docKey: string;
  state: DocumentState;
  /** The event whose outcome set this state. */
  event: 'generate' | 'cancel' | 'ewb';
  Irn?: string;
  AckNo?: string | number;
  AckDt?: string;
  Status?: string;
  SignedInvoice?: string;
  SignedQRCode?: string;
  EwbNo?: string | number;
  EwbDt?: string;
  EwbValidTill?: string;
  CancelDate?: string;
  Remarks?: string;
  document: DocumentFacts;
  /** Rejections: every code, message and path, as on the errors topic. */
  errors?: { code: string; message: string; path?: string }[];
  family?: string;
  recovered?: boolean;
  /** The registration could be read back only in part (see the results topic's `partial`). */
  partial?: boolean;
  /** The output topic holding the full record this status was derived from. */
  outputTopic: string;
  /** The input record's coordinates, as on the output. */
  source: unknown;
  updatedAt: string;
}

export interface StatusTopics {
  results: string;
  errors: string;
  documentStatus: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;

/** The document facts a signed QR code states (decoded, not verified: the results topic has it verified). */
export function factsFromQr(signedQrCode: unknown): DocumentFacts {
  if (typeof signedQrCode !== 'string' || signedQrCode === '') return {};
  try {
    const data = decodeIrpJwt(signedQrCode).data;
    return isObject(data) ? factsOf(data) : {};
  } catch {
    return {};
  }
}

function factsOf(q: Json): DocumentFacts {
  const facts: DocumentFacts = {};
  for (const k of ['SellerGstin', 'BuyerGstin', 'DocTyp', 'DocNo', 'DocDt'] as const) {
    const v = text(q[k]);
    if (v !== undefined) facts[k] = v;
  }
  if (typeof q.TotInvVal === 'number') facts.TotInvVal = q.TotInvVal;
  return facts;
}

/** The document facts of an IRP invoice payload (an errors-topic `payload`). */
export function factsFromInvoice(payload: unknown): DocumentFacts {
  if (!isObject(payload)) return {};
  const doc = isObject(payload.DocDtls) ? payload.DocDtls : {};
  const seller = isObject(payload.SellerDtls) ? payload.SellerDtls : {};
  const buyer = isObject(payload.BuyerDtls) ? payload.BuyerDtls : {};
  const val = isObject(payload.ValDtls) ? payload.ValDtls : {};
  return factsOf({
    SellerGstin: seller.Gstin,
    BuyerGstin: buyer.Gstin,
    DocTyp: doc.Typ,
    DocNo: doc.No,
    DocDt: doc.Dt,
    TotInvVal: val.TotInvVal,
  });
}

function parse(record: OutputRecord): Json | undefined {
  try {
    const v: unknown = JSON.parse(
      Buffer.isBuffer(record.value) ? record.value.toString('utf8') : record.value,
    );
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The status a results or errors record sets for its document, or undefined when it sets none (see the
 * module comment). Pure: the same output always gives the same status.
 */
export function statusOf(record: OutputRecord, topics: StatusTopics): DocumentStatus | undefined {
  if (record.topic !== topics.results && record.topic !== topics.errors) return undefined;
  const v = parse(record);
  if (!v || typeof v.docKey !== 'string' || v.docKey === '') return undefined;
  const kind = v.kind;
  if (kind !== 'generate' && kind !== 'cancel' && kind !== 'ewb') return undefined;
  const base = {
    version: DOCUMENT_STATUS_VERSION,
    docKey: v.docKey,
    event: kind,
    outputTopic: record.topic,
    source: v.source ?? null,
    updatedAt: typeof v.processedAt === 'string' ? v.processedAt : new Date().toISOString(),
  } as const;

  if (record.topic === topics.errors) {
    if (kind !== 'generate') return undefined; // a failed cancel or e-way bill changes nothing
    const errors = Array.isArray(v.errors)
      ? v.errors.filter(isObject).map((e) => ({
          code: String(e.code),
          message: String(e.message ?? ''),
          ...(typeof e.path === 'string' && e.path !== '' ? { path: e.path } : {}),
        }))
      : [];
    return {
      ...base,
      state: v.family === 'conflict' ? 'conflict' : 'rejected',
      document: factsFromInvoice(v.payload),
      errors,
      ...(typeof v.family === 'string' ? { family: v.family } : {}),
    };
  }

  const irp: Partial<DocumentStatus> = {};
  for (const k of RESULT_FIELDS) {
    const value = v[k];
    if (typeof value === 'string' ? value !== '' : typeof value === 'number') (irp as Json)[k] = value;
  }
  const state: DocumentState =
    kind === 'cancel' || String(v.Status ?? '').toUpperCase() === 'CNL' ? 'cancelled' : 'registered';
  return {
    ...base,
    state,
    ...irp,
    document: factsFromQr(v.SignedQRCode),
    ...(v.recovered === true ? { recovered: true } : {}),
    ...(v.partial !== undefined && v.partial !== null ? { partial: true } : {}),
  };
}

/** The status record (keyed by document key) that accompanies `record`, if it moves a document's state. */
export function documentStatusRecord(record: OutputRecord, topics: StatusTopics): OutputRecord | undefined {
  const status = statusOf(record, topics);
  if (!status) return undefined;
  const sourceId = record.headers[HEADER.sourceId];
  return {
    topic: topics.documentStatus,
    key: status.docKey,
    value: JSON.stringify(status),
    headers: {
      [HEADER.kind]: 'document-status',
      ...(sourceId !== undefined ? { [HEADER.sourceId]: sourceId } : {}),
    },
  };
}

/** `records` followed by the status records they imply, in the same order. */
export function withStatusRecords(records: OutputRecord[], topics: StatusTopics): OutputRecord[] {
  const statuses = records
    .map((r) => documentStatusRecord(r, topics))
    .filter((r): r is OutputRecord => r !== undefined);
  return statuses.length === 0 ? records : [...records, ...statuses];
}

/**
 * The output-sink `sink` with the document-status records added to every `send` and every transaction,
 * so each status is acknowledged (or committed) together with the output it comes from.
 */
export function withDocumentStatus(sink: OutputSink, topics: StatusTopics): OutputSink {
  const wrapped: OutputSink = {
    name: sink.name,
    transactional: sink.transactional,
    send: (records) => sink.send(withStatusRecords(records, topics)),
    close: () => sink.close(),
  };
  if (sink.sendInTransaction) {
    const inTransaction = sink.sendInTransaction.bind(sink);
    wrapped.sendInTransaction = (records: OutputRecord[], offsets: TopicPartitionOffset[], groupId: string) =>
      inTransaction(withStatusRecords(records, topics), offsets, groupId);
  }
  return wrapped;
}
