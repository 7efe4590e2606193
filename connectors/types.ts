/**
 * The connector contract: what an ERP connector is, what its mapping returns and how mapping failures
 * are reported. A connector is data plus a pure function; the pipeline decodes the Avro record with the
 * connector's schema (plain avsc decoding, no logical-type hooks: `bytes` decimals arrive as Buffers,
 * `date` ints as day numbers) and hands the decoded record to `map`.
 */
import type { Invoice } from '../src/irp/schema/invoice.js';
import { loadAvsc } from './shared/avsc.js';
import { defaultTables, resolveTables, type TableSpecs, type TablesOf } from './shared/site-tables.js';

/** The IRP document types (DocDtls.Typ). */
export type DocType = 'INV' | 'CRN' | 'DBN';

/** Event kinds an ERP topic carries. */
export type EventKind = 'generate' | 'cancel' | 'ewb';

/** IRP cancel reasons (CnlRsn): 1 duplicate, 2 data entry mistake, 3 order cancelled, 4 others. */
export type CancelReason = '1' | '2' | '3' | '4';

/** The facts that identify one document at the IRP, shared by cancel and e-way bill events. */
export interface DocumentRef {
  /** Kafka key: events of one document share it, so they stay ordered. See {@link docKey}. */
  docKey: string;
  /** Supplier GSTIN: the GSTIN the IRP session must be opened for. */
  gstin: string;
  /** The IRN when the ERP stored it; otherwise the client looks it up by document details. */
  irn?: string;
  docType: DocType;
  docNo: string;
  /** `dd/MM/yyyy` */
  docDate: string;
}

/** Register a new invoice, credit note or debit note (Generate IRN). */
export interface GenerateEvent {
  kind: 'generate';
  docKey: string;
  invoice: Invoice;
}

/** Cancel an IRN (allowed within 24 h of acknowledgement). */
export interface CancelEvent extends DocumentRef {
  kind: 'cancel';
  reason: CancelReason;
  /** CnlRem, 1–100 characters. */
  remark: string;
}

/** The body of Generate EWB by IRN, without `Irn` (carried by {@link DocumentRef}). */
export interface EwbFields {
  /** Kilometres; 0 asks the IRP to compute the PIN-to-PIN distance. */
  Distance: number;
  TransId?: string;
  TransName?: string;
  TransMode?: '1' | '2' | '3' | '4';
  TransDocNo?: string;
  /** `dd/MM/yyyy` */
  TransDocDt?: string;
  VehNo?: string;
  VehType?: 'O' | 'R';
}

/** Request an e-way bill for an already registered IRN. */
export interface EwbEvent extends DocumentRef, EwbFields {
  kind: 'ewb';
}

export type MappedEvent = GenerateEvent | CancelEvent | EwbEvent;

/** The supplier GSTIN of an event: the GSTIN whose IRP session (API login) submits it. */
export function supplierGstin(event: MappedEvent): string {
  return event.kind === 'generate' ? event.invoice.SellerDtls.Gstin : event.gstin;
}

/**
 * Why a record could not be mapped. These are the connector's own codes (the IRP's codes come from the
 * validator); the pipeline publishes them as rejections on the errors topic, never as dead letters,
 * because the record decoded fine and the ERP team can fix the data.
 */
export type MapErrorCode =
  | 'MAP_MISSING_FIELD'
  | 'MAP_MISSING_GSTIN'
  | 'MAP_INVALID_GSTIN'
  | 'MAP_UNKNOWN_UNIT'
  | 'MAP_UNKNOWN_STATE'
  | 'MAP_INVALID_DATE'
  | 'MAP_INVALID_AMOUNT'
  | 'MAP_INVALID_DOC_NO'
  | 'MAP_UNKNOWN_DOC_TYPE'
  | 'MAP_INVALID_CODE'
  | 'MAP_UNSUPPORTED_CURRENCY'
  | 'MAP_UNKNOWN_TAX'
  | 'MAP_UNMAPPED_AMOUNT'
  | 'MAP_TAX_MISMATCH'
  | 'MAP_TOTAL_MISMATCH'
  | 'MAP_TAXABLE_MISMATCH'
  | 'MAP_MISSING_PRECEDING_DOC'
  | 'MAP_MISSING_EXPORT_DETAILS';

export interface MapError {
  code: MapErrorCode;
  message: string;
  /** Path in the ERP record, in the ERP's own field names (`VBRP[3].VRKME`). */
  path: string;
}

export type MapResult = { ok: true; event: MappedEvent } | { ok: false; errors: MapError[] };

/** An Avro schema as parsed JSON (what `avro.Type.forSchema` accepts). */
export type AvroSchema = Readonly<Record<string, unknown>>;

/**
 * One ERP source. `map` takes the record exactly as avsc decodes it with `avroSchema` — the decoder has
 * already enforced the record's shape, so `map` narrows `unknown` to its record type without re-checking.
 */
export interface Connector {
  readonly id: string;
  /** The ERP and the document it publishes, as the docs' connector tables show it. */
  readonly title: string;
  /** The `.avsc` file, relative to the repository root (`avro/sap/billing-document.avsc`). */
  readonly schemaFile?: string;
  readonly avroSchema: AvroSchema;
  readonly eventKinds: readonly EventKind[];
  /** Maps with the connector's default site tables, or the source's (see {@link Connector.withTables}). */
  map(record: unknown): MapResult;
  /** The site tables the mapping reads (units, regions, condition types …), with their defaults. */
  readonly tables?: TableSpecs;
  /**
   * This connector with a source's table overrides (the source config's `tables` section) merged over
   * the defaults, or every problem with its path (`tables.units.KRT: "XYZ" is not a UQC …`).
   */
  withTables?(overrides: unknown): { ok: true; connector: Connector } | { ok: false; problems: string[] };
}

/**
 * Builds a {@link Connector} from a typed mapping, so each connector keeps its record type and its
 * tables' types. `tables` lists the site tables `map` reads; `map` gets them resolved (defaults merged
 * with the source's overrides).
 */
export function defineConnector<R, S extends TableSpecs = Record<never, never>>(c: {
  id: string;
  title: string;
  schemaFile: string;
  eventKinds: readonly EventKind[];
  tables?: S;
  map: (record: R, tables: TablesOf<S>) => MapResult;
}): Connector & { schemaFile: string } {
  const avroSchema = loadAvsc(c.schemaFile, import.meta.url);
  const specs = (c.tables ?? {}) as S;
  const make = (tables: TablesOf<S>): Connector & { schemaFile: string } => ({
    id: c.id,
    title: c.title,
    schemaFile: c.schemaFile,
    avroSchema,
    eventKinds: c.eventKinds,
    tables: specs,
    map: (record: unknown) => c.map(record as R, tables),
    withTables(overrides) {
      const r = resolveTables(specs, overrides);
      return r.ok ? { ok: true, connector: make(r.tables) } : r;
    },
  });
  return make(defaultTables(specs));
}
