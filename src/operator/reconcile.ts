/**
 * `irp-bridge reconcile`: what a source's outputs say about each document, against the ERP's own list
 * and, for a sample, against the IRP.
 *
 * The outputs (results, errors, dead letters — or the compacted document-status topic) are folded into
 * one entry per document key ({@link Ledger}); the ERP's list (CSV or NDJSON of seller, type, number,
 * date, total) is keyed the same way (`<seller>/<type>/<NUMBER>/<FY>`). Each document gets one status:
 *
 * | status            | meaning                                                                    |
 * |-------------------|----------------------------------------------------------------------------|
 * | `registered`      | an IRN, active                                                             |
 * | `cancelled`       | an IRN, cancelled                                                          |
 * | `rejected`        | no IRN; the latest attempt was refused (codes)                             |
 * | `conflict`        | no IRN adopted: the IRP holds a different document under this number (2150) |
 * | `missing`         | in the ERP's list, no output at all                                        |
 * | `orphan`          | an IRN the ERP's list does not know                                        |
 * | `amount-mismatch` | an IRN, but the ERP's total and the IRP's TotInvVal differ beyond the tolerance |
 * | `date-mismatch`   | an IRN, but the ERP's date and the IRP's DocDt differ                      |
 *
 * Failures that name no document (dead letters, records the connector could not map) are listed apart:
 * they may be the missing ones. With an IRP lookup, a sample is also checked at the IRP by document
 * details: `agrees`, `irp-registered` (the IRP has an IRN the outputs do not), `irp-absent` (the outputs
 * have an IRN the IRP does not know), `irn-differs`, `status-differs`, `not-checkable` (past the IRP's
 * retrieval window, 2283 — the IRP will not say, which is no disagreement), `unchecked` (the IRP could not
 * be asked).
 */
import { docKey as docKeyOf } from '../../connectors/shared/doc.js';
import { decFromNumber, parseDec, rescale } from '../../connectors/shared/decimal.js';
import type { DocType } from '../../connectors/types.js';
import { parseIrpDate } from '../irp/dates.js';
import type { DocumentStatus } from '../pipeline/document-status.js';
import { readFailedRecord, showCoordinates, type Coordinates } from './failures.js';
import { Ledger, byProcessedAt, type DocumentEntry } from './ledger.js';
import type { StoredRecord, TopicReader } from './ports.js';

export const STATUSES = [
  'registered',
  'cancelled',
  'rejected',
  'conflict',
  'missing',
  'orphan',
  'amount-mismatch',
  'date-mismatch',
] as const;
export type Status = (typeof STATUSES)[number];

/** The order rows are listed in: what needs attention first. */
const ATTENTION: readonly Status[] = [
  'missing',
  'amount-mismatch',
  'date-mismatch',
  'orphan',
  'conflict',
  'rejected',
  'cancelled',
  'registered',
];

export const IRP_CHECKS = [
  'agrees',
  'irp-registered',
  'irp-absent',
  'irn-differs',
  'status-differs',
  'not-checkable',
  'unchecked',
] as const;
export type IrpCheck = (typeof IRP_CHECKS)[number];

/** One document of the ERP's list. */
export interface ErpDocument {
  /** 1-based line (CSV: counting the header) of the list. */
  line: number;
  seller: string;
  type: DocType;
  number: string;
  /** `dd/MM/yyyy` */
  date: string;
  /** Decimal text as given. */
  total: string;
  docKey: string;
}

export class ErpListError extends Error {}

const ALIASES: Record<keyof Omit<ErpDocument, 'line' | 'docKey'>, string[]> = {
  seller: ['seller', 'seller_gstin', 'sellergstin', 'gstin', 'supplier_gstin', 'company_gstin'],
  type: ['type', 'doc_type', 'doctype', 'doctyp', 'document_type'],
  number: ['number', 'doc_no', 'docno', 'no', 'document_number', 'invoice_number'],
  date: ['date', 'doc_date', 'docdate', 'docdt', 'document_date', 'invoice_date'],
  total: ['total', 'total_value', 'totinvval', 'grand_total', 'rounded_total', 'amount', 'invoice_value'],
};

/** RFC 4180 CSV: quoted fields with commas, newlines and doubled quotes. Returns rows with their first line. */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let i = text.startsWith('\uFEFF') ? 1 : 0;
  const endRow = () => {
    cells.push(cell);
    if (cells.length > 1 || cells[0]!.trim() !== '') rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else cell += c;
  }
  if (quoted) throw new ErpListError(`line ${rowLine}: a quoted field is not closed`);
  if (cell !== '' || cells.length > 0) endRow();
  return rows;
}

/** `dd/MM/yyyy` from `dd/MM/yyyy`, `dd-MM-yyyy` or `yyyy-MM-dd`; undefined for anything else. */
export function erpDate(text: string): string | undefined {
  const t = text.trim();
  let d: string | undefined;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (iso) d = `${iso[3]}/${iso[2]}/${iso[1]}`;
  else if (/^\d{2}[/-]\d{2}[/-]\d{4}$/.test(t)) d = t.replace(/-/g, '/');
  if (!d) return undefined;
  const instant = parseIrpDate(d);
  if (!instant) return undefined;
  // parseIrpDate rolls 31/02 over into March: only a date that reads back the same is one.
  const [dd, mm] = d.split('/').map(Number);
  const back = new Date(instant.getTime() + 5.5 * 3_600_000);
  return back.getUTCDate() === dd && back.getUTCMonth() + 1 === mm ? d : undefined;
}

function erpRow(line: number, get: (field: keyof typeof ALIASES) => unknown): ErpDocument {
  const text = (field: keyof typeof ALIASES) => {
    const v = get(field);
    if (v === undefined || v === null || String(v).trim() === '')
      throw new ErpListError(`line ${line}: ${field} is empty`);
    return String(v).trim();
  };
  const seller = text('seller').toUpperCase();
  if (!/^[0-9]{2}[0-9A-Z]{13}$/.test(seller))
    throw new ErpListError(`line ${line}: seller ${seller} is not a GSTIN`);
  const type = text('type').toUpperCase();
  if (type !== 'INV' && type !== 'CRN' && type !== 'DBN')
    throw new ErpListError(`line ${line}: type ${type}: expected INV, CRN or DBN`);
  const number = text('number');
  const dateText = text('date');
  const date = erpDate(dateText);
  if (!date) throw new ErpListError(`line ${line}: date ${dateText}: expected dd/MM/yyyy or yyyy-MM-dd`);
  const total = text('total');
  if (!parseDec(total)) throw new ErpListError(`line ${line}: total ${total} is not a number`);
  return { line, seller, type, number, date, total, docKey: docKeyOf(seller, type, number, date) };
}

function column(names: string[], field: keyof typeof ALIASES): number {
  return names.findIndex((n) => ALIASES[field].includes(n.trim().toLowerCase().replace(/[\s-]/g, '_')));
}

/**
 * The ERP's document list: CSV with a header row, or NDJSON (one object per line), columns or keys
 * named as {@link ALIASES} allows (`seller,type,number,date,total` at least). Throws an ErpListError
 * naming the line for any row that is not a document, and for a document listed twice.
 */
export function parseErpList(text: string, format: 'csv' | 'ndjson'): ErpDocument[] {
  const docs: ErpDocument[] = [];
  if (format === 'ndjson') {
    text.split(/\r?\n/).forEach((raw, i) => {
      const lineText = i === 0 ? raw.replace(/^\uFEFF/, '') : raw;
      if (lineText.trim() === '') return;
      let o: unknown;
      try {
        o = JSON.parse(lineText);
      } catch {
        throw new ErpListError(`line ${i + 1}: not JSON`);
      }
      if (typeof o !== 'object' || o === null || Array.isArray(o))
        throw new ErpListError(`line ${i + 1}: not a JSON object`);
      const keys = Object.keys(o);
      docs.push(
        erpRow(i + 1, (field) => {
          const k = keys[column(keys, field)];
          return k === undefined ? undefined : (o as Record<string, unknown>)[k];
        }),
      );
    });
  } else {
    const rows = parseCsv(text);
    const header = rows.shift();
    if (!header) throw new ErpListError('the list is empty');
    const at = Object.fromEntries(
      (Object.keys(ALIASES) as (keyof typeof ALIASES)[]).map((f) => [f, column(header.cells, f)]),
    ) as Record<keyof typeof ALIASES, number>;
    const absent = (Object.keys(at) as (keyof typeof ALIASES)[]).filter((f) => at[f] < 0);
    if (absent.length > 0)
      throw new ErpListError(
        `line ${header.line}: the header has no ${absent.join(', ')} column (e.g. seller,type,number,date,total)`,
      );
    for (const r of rows) docs.push(erpRow(r.line, (f) => r.cells[at[f]]));
  }
  const seen = new Map<string, number>();
  for (const d of docs) {
    const first = seen.get(d.docKey);
    if (first !== undefined)
      throw new ErpListError(`line ${d.line}: the same document as line ${first} (${d.docKey})`);
    seen.set(d.docKey, d.line);
  }
  return docs;
}

/** A failure that names no document. */
export interface Unattributed {
  at: Coordinates;
  input: Coordinates;
  kind: 'dead-letter' | 'unmapped';
  codes: string[];
  message: string;
}

export interface OutputsRead {
  ledger: Ledger;
  unattributed: Unattributed[];
  /** Records read per topic. */
  read: Record<string, number>;
}

type Json = Record<string, unknown>;
const parseJson = (b: Buffer | null): Json | undefined => {
  try {
    const v: unknown = JSON.parse(b?.toString('utf8') ?? '');
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
  } catch {
    return undefined;
  }
};

/** Reads a source's outputs into a ledger: the full topics, or the document-status topic and dead letters. */
export async function readOutputs(
  reader: TopicReader,
  topics: { results: string; errors: string; deadLetter: string; documentStatus?: string },
  fromStatus: boolean,
): Promise<OutputsRead> {
  const ledger = new Ledger();
  const unattributed: Unattributed[] = [];
  const read: Record<string, number> = {};
  const values: { topic: string; value: Json }[] = [];
  const specs = fromStatus
    ? [{ topic: topics.documentStatus! }, { topic: topics.deadLetter }]
    : [{ topic: topics.results }, { topic: topics.errors }, { topic: topics.deadLetter }];
  const note = (kind: Unattributed['kind'], r: StoredRecord) => {
    const f = readFailedRecord(kind === 'dead-letter' ? 'dead-letter' : 'errors', r);
    if (f.ok) {
      const { at, input, codes, message } = f.failed;
      unattributed.push({ at, input, kind, codes, message });
    }
  };
  await reader.read(specs, (r) => {
    read[r.topic] = (read[r.topic] ?? 0) + 1;
    if (r.topic === topics.deadLetter) {
      note('dead-letter', r);
      return;
    }
    const value = parseJson(r.value);
    if (!value) return;
    if (r.topic === topics.errors && typeof value.docKey !== 'string') {
      note('unmapped', r);
      return;
    }
    values.push({ topic: r.topic, value });
  });
  if (fromStatus) {
    // Compacted: the latest record per key is the one that counts; earlier ones may still be there.
    const latest = new Map<string, DocumentStatus>();
    for (const { value } of values) latest.set(String(value.docKey), value as unknown as DocumentStatus);
    for (const s of latest.values()) ledger.addStatus(s);
  } else {
    for (const { topic, value } of byProcessedAt(values))
      if (topic === topics.results) ledger.addResult(value);
      else ledger.addError(value);
  }
  return { ledger, unattributed, read };
}

export interface Row {
  status: Status;
  docKey: string;
  seller?: string;
  type?: string;
  number?: string;
  date?: string;
  erpTotal?: string;
  irpTotal?: number;
  Irn?: string;
  AckNo?: string;
  AckDt?: string;
  irpStatus?: string;
  EwbNo?: string;
  codes: string[];
  detail: string;
  erpLine?: number;
  irp?: { check: IrpCheck; detail: string };
}

export interface ReconcileOptions {
  /** Amounts may differ by this many paise (default 100: ₹1, as the connectors' own reconciliation). */
  tolerancePaise?: number;
  /** Document dates in [since, until] (dd/MM/yyyy), both ends included. */
  since?: string;
  until?: string;
}

function paise(text: string | number): bigint | undefined {
  const d = typeof text === 'number' ? decFromNumber(text) : parseDec(text);
  return d ? rescale(d, 2) : undefined;
}

const fmtPaise = (p: bigint) =>
  `${p < 0n ? '-' : ''}${(p < 0n ? -p : p) / 100n}.${String((p < 0n ? -p : p) % 100n).padStart(2, '0')}`;

function dayNumber(d: string): number {
  const [dd, mm, yyyy] = d.split('/').map(Number);
  return yyyy! * 10_000 + mm! * 100 + dd!;
}

function inRange(date: string | undefined, o: ReconcileOptions): boolean {
  if (!date) return true;
  if (o.since && dayNumber(date) < dayNumber(o.since)) return false;
  if (o.until && dayNumber(date) > dayNumber(o.until)) return false;
  return true;
}

function rowOf(e: DocumentEntry): Omit<Row, 'status' | 'detail' | 'codes'> {
  const f = e.facts;
  return {
    docKey: e.docKey,
    ...(f.SellerGstin ? { seller: f.SellerGstin } : {}),
    ...(f.DocTyp ? { type: f.DocTyp } : {}),
    ...(f.DocNo ? { number: f.DocNo } : {}),
    ...(f.DocDt ? { date: f.DocDt } : {}),
    // The IRP's total is the one it signed: known for a registered document only.
    ...(f.TotInvVal !== undefined && e.Irn ? { irpTotal: f.TotInvVal } : {}),
    ...(e.Irn ? { Irn: e.Irn } : {}),
    ...(e.AckNo ? { AckNo: e.AckNo } : {}),
    ...(e.AckDt ? { AckDt: e.AckDt } : {}),
    ...(e.Status ? { irpStatus: e.Status } : {}),
    ...(e.ewb ? { EwbNo: e.ewb.EwbNo } : {}),
  };
}

/** The state of a document from its outputs alone. */
function outputStatus(e: DocumentEntry): Pick<Row, 'status' | 'codes' | 'detail'> {
  const notes: string[] = [];
  // With an IRN, a generate rejection can only be a later attempt (a result clears earlier ones).
  const other = e.Irn ? e.rejections : e.rejections.filter((r) => r.kind !== 'generate' && r.kind !== null);
  for (const r of other)
    notes.push(
      `${r.kind === 'generate' ? 'a later generate' : (r.kind ?? 'a record')} rejected: ${r.codes.join(',')} ${r.message}`.trim(),
    );
  if (e.recovered) notes.push('registered before these outputs (recovered from the IRP)');
  if (e.partial) notes.push('read back in part');
  if (e.Irn && (e.cancelled || e.Status === 'CNL'))
    return {
      status: 'cancelled',
      codes: other.flatMap((r) => r.codes),
      detail: [`cancelled${e.cancelled?.CancelDate ? ` ${e.cancelled.CancelDate}` : ''}`, ...notes].join(
        '; ',
      ),
    };
  if (e.Irn) return { status: 'registered', codes: other.flatMap((r) => r.codes), detail: notes.join('; ') };
  const g = e.rejections.find((r) => r.kind === 'generate' || r.kind === null) ?? e.rejections[0];
  if (g)
    return {
      status: g.family === 'conflict' ? 'conflict' : 'rejected',
      codes: g.codes,
      detail: [`${g.stage}: ${g.message}`, ...notes].join('; '),
    };
  return { status: 'rejected', codes: [], detail: notes.join('; ') || 'no generate result' };
}

/** One row per document: the outputs' documents, joined with the ERP's list when there is one. */
export function reconcile(
  ledger: Ledger,
  erp: ErpDocument[] | undefined,
  options: ReconcileOptions = {},
): Row[] {
  const tolerance = BigInt(options.tolerancePaise ?? 100);
  const rows: Row[] = [];
  const listed = new Set<string>();
  for (const d of erp ?? []) {
    if (!inRange(d.date, options)) continue;
    listed.add(d.docKey);
    const base = {
      docKey: d.docKey,
      seller: d.seller,
      type: d.type,
      number: d.number,
      date: d.date,
      erpTotal: d.total,
      erpLine: d.line,
    };
    const e = ledger.documents.get(d.docKey);
    if (!e) {
      rows.push({ ...base, status: 'missing', codes: [], detail: 'no output for this document' });
      continue;
    }
    const s = outputStatus(e);
    const row: Row = { ...rowOf(e), ...base, ...s };
    if (e.facts.DocDt && e.facts.DocDt !== d.date) row.date = d.date;
    if (s.status === 'registered' || s.status === 'cancelled') {
      const ours = paise(d.total);
      const theirs = e.facts.TotInvVal !== undefined ? paise(e.facts.TotInvVal) : undefined;
      const diff = ours !== undefined && theirs !== undefined ? ours - theirs : undefined;
      if (diff !== undefined && (diff > tolerance || -diff > tolerance)) {
        row.status = 'amount-mismatch';
        row.detail = [
          `ERP total ${fmtPaise(ours!)} ≠ IRP TotInvVal ${fmtPaise(theirs!)} (${diff > 0n ? '+' : ''}${fmtPaise(diff)})${s.status === 'cancelled' ? ', cancelled' : ''}`,
          s.detail,
        ]
          .filter(Boolean)
          .join('; ');
      } else if (e.facts.DocDt && e.facts.DocDt !== d.date) {
        row.status = 'date-mismatch';
        row.detail = [`ERP date ${d.date} ≠ IRP DocDt ${e.facts.DocDt}`, s.detail].filter(Boolean).join('; ');
      } else if (theirs === undefined)
        row.detail = [s.detail, 'total not known from the outputs (no signed QR code)']
          .filter(Boolean)
          .join('; ');
    }
    rows.push(row);
  }
  for (const e of ledger.documents.values()) {
    if (listed.has(e.docKey) || !inRange(e.facts.DocDt, options)) continue;
    const s = outputStatus(e);
    if (erp && e.Irn)
      rows.push({
        ...rowOf(e),
        status: 'orphan',
        codes: s.codes,
        detail: ['an IRN the ERP list does not have', s.status === 'cancelled' ? 'cancelled' : '', s.detail]
          .filter(Boolean)
          .join('; '),
      });
    else rows.push({ ...rowOf(e), ...s });
  }
  const order = (r: Row) => ATTENTION.indexOf(r.status);
  return rows.sort((a, b) => order(a) - order(b) || a.docKey.localeCompare(b.docKey));
}

/** What the IRP says about a document (Get IRN by document details). */
export type IrpAnswer =
  | { kind: 'registered'; irn: string; status?: string }
  | { kind: 'absent' }
  | { kind: 'not-checkable'; message: string }
  | { kind: 'failed'; message: string };

/** Compares the IRP's answer with a row. */
export function judge(row: Row, answer: IrpAnswer): { check: IrpCheck; detail: string } {
  switch (answer.kind) {
    case 'not-checkable':
      return { check: 'not-checkable', detail: `not checkable at the IRP: ${answer.message}` };
    case 'failed':
      return { check: 'unchecked', detail: answer.message };
    case 'absent':
      return row.Irn
        ? { check: 'irp-absent', detail: `the IRP has no IRN for this document; the outputs say ${row.Irn}` }
        : { check: 'agrees', detail: 'not registered at the IRP either' };
    case 'registered': {
      if (!row.Irn)
        return {
          check: 'irp-registered',
          detail: `the IRP has IRN ${answer.irn}${answer.status ? ` (${answer.status})` : ''}; the outputs have none`,
        };
      if (row.Irn.toLowerCase() !== answer.irn.toLowerCase())
        return { check: 'irn-differs', detail: `the IRP has IRN ${answer.irn}` };
      const cancelled = row.irpStatus === 'CNL' || row.status === 'cancelled';
      if (answer.status && (answer.status.toUpperCase() === 'CNL') !== cancelled)
        return { check: 'status-differs', detail: `the IRP says ${answer.status}` };
      return { check: 'agrees', detail: answer.status ? `IRP status ${answer.status}` : 'same IRN' };
    }
  }
}

/**
 * The rows to check at the IRP: documents with a known seller, type, number and date, within the
 * range when given; then `sample` of them chosen by a seeded shuffle (the seed is reported, so a check
 * can be repeated).
 */
export function irpSample(
  rows: Row[],
  o: { sample?: number; since?: string; until?: string; seed: number },
): Row[] {
  const candidates = rows.filter((r) => r.seller && r.type && r.number && r.date && inRange(r.date, o));
  if (o.sample === undefined || o.sample >= candidates.length) return candidates;
  let state = o.seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
  const copy = [...candidates];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, o.sample);
}

export interface Report {
  source: string;
  rows: Row[];
  unattributed: Unattributed[];
  counts: Record<string, number>;
  irpCounts: Record<string, number>;
  irpSeed?: number;
  read: Record<string, number>;
}

export function makeReport(source: string, rows: Row[], out: OutputsRead, irpSeed?: number): Report {
  const counts: Record<string, number> = {};
  const irpCounts: Record<string, number> = {};
  for (const r of rows) {
    counts[r.status] = (counts[r.status] ?? 0) + 1;
    if (r.irp) irpCounts[r.irp.check] = (irpCounts[r.irp.check] ?? 0) + 1;
  }
  return {
    source,
    rows,
    unattributed: out.unattributed,
    counts,
    irpCounts,
    ...(irpSeed !== undefined ? { irpSeed } : {}),
    read: out.read,
  };
}

const short = (irn?: string) => (irn ? `${irn.slice(0, 12)}…` : '');

/** The terminal table: a summary, then one line per document, then the failures without a document. */
export function formatTable(r: Report): string {
  const summary =
    STATUSES.filter((s) => r.counts[s])
      .map((s) => `${s} ${r.counts[s]}`)
      .join(', ') || 'no documents';
  const all = Object.values(r.counts).reduce((a, b) => a + b, 0);
  const lines = [
    `reconcile ${r.source}: ${all} document(s) — ${summary}${r.rows.length < all ? ` (listing ${r.rows.length})` : ''}`,
  ];
  if (Object.keys(r.irpCounts).length > 0)
    lines.push(
      `  at the IRP (sample seed ${r.irpSeed}): ${IRP_CHECKS.filter((c) => r.irpCounts[c])
        .map((c) => `${c} ${r.irpCounts[c]}`)
        .join(', ')}`,
    );
  if (r.unattributed.length > 0)
    lines.push(
      `  ${r.unattributed.length} failure(s) name no document (listed at the end); they may be the missing ones`,
    );
  lines.push(
    '',
    `  ${'status'.padEnd(16)} ${'document'.padEnd(44)} ${'date'.padEnd(10)} ${'ERP total'.padStart(12)} ${'IRP total'.padStart(12)}  ${'IRN'.padEnd(13)} ${'AckNo'.padEnd(15)} detail`,
  );
  for (const row of r.rows) {
    const detail = [
      row.codes.length ? `[${row.codes.join(',')}]` : '',
      row.detail,
      row.irp ? `IRP: ${row.irp.check}${row.irp.check === 'agrees' ? '' : ` — ${row.irp.detail}`}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    lines.push(
      `  ${row.status.padEnd(16)} ${row.docKey.padEnd(44)} ${(row.date ?? '').padEnd(10)} ${(row.erpTotal ?? '').padStart(12)} ${(row.irpTotal !== undefined ? row.irpTotal.toFixed(2) : '').padStart(12)}  ${short(row.Irn).padEnd(13)} ${(row.AckNo ?? '').padEnd(15)} ${detail}`,
    );
  }
  if (r.unattributed.length > 0) {
    lines.push('', '  failures without a document key:');
    for (const u of r.unattributed)
      lines.push(
        `  ${u.kind.padEnd(12)} ${showCoordinates(u.input).padEnd(44)} ${u.codes.join(',')} ${u.message}`,
      );
  }
  return `${lines.join('\n')}\n`;
}

const CSV_COLUMNS = [
  'status',
  'doc_key',
  'seller',
  'type',
  'number',
  'date',
  'erp_total',
  'irp_total',
  'irn',
  'ack_no',
  'ack_date',
  'irp_status',
  'ewb_no',
  'codes',
  'detail',
  'irp_check',
  'irp_detail',
  'erp_line',
] as const;

function csvCell(v: unknown): string {
  const s = v === undefined || v === null ? '' : String(v);
  // A leading =, +, - or @ would be a formula in a spreadsheet: quote it as text.
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(r: Report): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of r.rows)
    lines.push(
      [
        row.status,
        row.docKey,
        row.seller,
        row.type,
        row.number,
        row.date,
        row.erpTotal,
        row.irpTotal,
        row.Irn,
        row.AckNo,
        row.AckDt,
        row.irpStatus,
        row.EwbNo,
        row.codes.join(' '),
        row.detail,
        row.irp?.check,
        row.irp?.detail,
        row.erpLine,
      ]
        .map(csvCell)
        .join(','),
    );
  for (const u of r.unattributed)
    lines.push(
      [
        u.kind,
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        u.codes.join(' '),
        `${showCoordinates(u.input)}: ${u.message}`,
        '',
        '',
        '',
      ]
        .map(csvCell)
        .join(','),
    );
  return `${lines.join('\n')}\n`;
}

export function toJson(r: Report): unknown {
  return {
    source: r.source,
    counts: r.counts,
    ...(Object.keys(r.irpCounts).length ? { irp: { seed: r.irpSeed, counts: r.irpCounts } } : {}),
    read: r.read,
    documents: r.rows,
    unattributed: r.unattributed,
  };
}

/** `dd/MM/yyyy` from a command-line date (`yyyy-MM-dd` or `dd/MM/yyyy`), or an ErpListError. */
export function optionDate(text: string, option: string): string {
  const d = erpDate(text);
  if (!d) throw new ErpListError(`${option} ${text}: expected yyyy-MM-dd or dd/MM/yyyy`);
  return d;
}
