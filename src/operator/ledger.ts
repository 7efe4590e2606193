/**
 * What a source's outputs say about each document: results, rejections and document-status records
 * folded, in the order they were processed, into one {@link DocumentEntry} per document key. Replay asks
 * it whether a document already has an IRN; reconcile reports from it.
 */
import {
  factsFromInvoice,
  factsFromQr,
  type DocumentFacts,
  type DocumentStatus,
} from '../pipeline/document-status.js';
import { coordinatesKey, type Coordinates } from './failures.js';

export interface Rejection {
  kind: string | null;
  stage: string;
  family: string;
  codes: string[];
  message: string;
  at: string;
}

export interface DocumentEntry {
  docKey: string;
  facts: DocumentFacts;
  Irn?: string;
  AckNo?: string;
  AckDt?: string;
  /** The IRP's Status (ACT/CNL) as last reported. */
  Status?: string;
  SignedQRCode?: string;
  cancelled?: { CancelDate?: string };
  ewb?: { EwbNo: string; EwbDt?: string; EwbValidTill?: string };
  /** The latest rejection of each event kind that has not been followed by a success of that kind. */
  rejections: Rejection[];
  /** Every generate result of it was a recovered 2150: it was registered before these outputs knew it. */
  recovered: boolean;
  /** A generate result that was not a recovery: registered by this source. */
  registeredHere: boolean;
  partial: boolean;
  /** processedAt of the latest output. */
  updatedAt: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;

/** The e-way bill fields of a result or status value, when it has an e-way bill. */
function ewbOf(v: Json): DocumentEntry['ewb'] {
  const no = str(v.EwbNo);
  if (!no) return undefined;
  const dt = str(v.EwbDt);
  const till = str(v.EwbValidTill);
  return { EwbNo: no, ...(dt ? { EwbDt: dt } : {}), ...(till ? { EwbValidTill: till } : {}) };
}

function mergeFacts(into: DocumentFacts, from: DocumentFacts): void {
  for (const [k, v] of Object.entries(from)) if (v !== undefined) (into as Json)[k] = v;
}

/** Facts a document key alone states: seller, type, number (upper-cased as the key has it). */
export function factsFromDocKey(docKey: string): DocumentFacts {
  const [seller, type, no] = docKey.split('/');
  return { SellerGstin: seller, DocTyp: type, DocNo: no };
}

export class Ledger {
  readonly documents = new Map<string, DocumentEntry>();
  /** Inputs answered by a result (coordinatesKey), so a replay does not send them again. */
  readonly answered = new Set<string>();

  entry(docKey: string): DocumentEntry {
    let e = this.documents.get(docKey);
    if (!e) {
      e = {
        docKey,
        facts: factsFromDocKey(docKey),
        rejections: [],
        recovered: false,
        registeredHere: false,
        partial: false,
        updatedAt: '',
      };
      this.documents.set(docKey, e);
    }
    return e;
  }

  /** A results-topic value. */
  addResult(v: Json): void {
    const source = isObject(v.source) ? v.source : undefined;
    if (source && typeof source.topic === 'string' && typeof source.partition === 'number')
      this.answered.add(
        coordinatesKey({ topic: source.topic, partition: source.partition, offset: String(source.offset) }),
      );
    if (typeof v.docKey !== 'string') return;
    const e = this.entry(v.docKey);
    const kind = v.kind;
    e.updatedAt = str(v.processedAt) ?? e.updatedAt;
    if (v.partial !== undefined && v.partial !== null) e.partial = true;
    e.rejections = e.rejections.filter((r) => r.kind !== kind);
    if (kind === 'generate') {
      if (v.recovered === true) e.recovered = !e.registeredHere;
      else {
        e.registeredHere = true;
        e.recovered = false;
      }
      this.setIrp(e, v);
      mergeFacts(e.facts, factsFromQr(v.SignedQRCode));
      if (String(v.Status ?? '').toUpperCase() === 'CNL') e.cancelled ??= {};
    } else if (kind === 'cancel') {
      e.Irn ??= str(v.Irn);
      e.Status = 'CNL';
      e.cancelled = str(v.CancelDate) ? { CancelDate: str(v.CancelDate) } : {};
    } else if (kind === 'ewb') {
      e.Irn ??= str(v.Irn);
      e.ewb = ewbOf(v) ?? e.ewb;
    }
  }

  private setIrp(e: DocumentEntry, v: Json): void {
    for (const k of ['Irn', 'AckNo', 'AckDt', 'Status', 'SignedQRCode'] as const) {
      const value = str(v[k]);
      if (value !== undefined) e[k] = value;
    }
    e.ewb = ewbOf(v) ?? e.ewb;
  }

  /** An errors-topic value. Rejections without a document key are the caller's to list. */
  addError(v: Json): void {
    if (typeof v.docKey !== 'string') return;
    const e = this.entry(v.docKey);
    const kind = typeof v.kind === 'string' ? v.kind : null;
    const errors = Array.isArray(v.errors) ? v.errors.filter(isObject) : [];
    e.updatedAt = str(v.processedAt) ?? e.updatedAt;
    if (kind === 'generate' || kind === null) mergeFacts(e.facts, factsFromInvoice(v.payload));
    const rejection: Rejection = {
      kind,
      stage: str(v.stage) ?? 'submit',
      family: str(v.family) ?? 'rejected',
      codes: errors.map((x) => String(x.code)),
      message: str(errors[0]?.message) ?? '',
      at: str(v.processedAt) ?? '',
    };
    e.rejections = [...e.rejections.filter((r) => r.kind !== kind), rejection];
  }

  /** A document-status value (the compacted topic's latest record per document). */
  addStatus(s: DocumentStatus): void {
    const e = this.entry(s.docKey);
    e.updatedAt = s.updatedAt;
    mergeFacts(e.facts, s.document ?? {});
    if (s.recovered) e.recovered = true;
    if (s.partial) e.partial = true;
    if (s.state === 'rejected' || s.state === 'conflict') {
      e.rejections = [
        {
          kind: s.event,
          stage: 'submit',
          family: s.family ?? s.state,
          codes: (s.errors ?? []).map((x) => x.code),
          message: s.errors?.[0]?.message ?? '',
          at: s.updatedAt,
        },
      ];
      return;
    }
    e.rejections = [];
    this.setIrp(e, s as unknown as Json);
    if (s.state === 'cancelled') e.cancelled = s.CancelDate ? { CancelDate: s.CancelDate } : {};
  }

  /** Whether the input at `c` was answered by a result. */
  hasResult(c: Coordinates): boolean {
    return this.answered.has(coordinatesKey(c));
  }
}

/** Outputs folded in processing order (processedAt; the order given breaks ties). */
export function byProcessedAt<T extends { value: Json }>(items: T[]): T[] {
  return items
    .map((item, i) => ({ item, i, at: str(item.value.processedAt) ?? '' }))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.i - b.i))
    .map((x) => x.item);
}
