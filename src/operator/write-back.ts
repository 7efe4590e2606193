/**
 * The reference consumer of the results topic (`irp-bridge write-back`): for each result it writes what
 * the ERP stores — under that ERP's own field names (docs/erp-write-back.md) — and, for a registered
 * invoice, the QR code image to print. One JSON file per document and event (`<doc>.generate.json`,
 * `.cancel.json`, `.ewb.json`) and one image (`<doc>.qr.png` or `.svg`), in a folder the command owns: a
 * file is replaced only when it is one this command wrote for the same document (a redelivered result),
 * never anything else.
 *
 * It is a reference: an integrator replaces the file writer with the ERP's API (RFC/OData for SAP,
 * Frappe's REST API, Tally's XML import, Odoo's JSON-RPC …) and keeps the rest — the mapping, the
 * consumer group, committing only after the ERP has the data.
 */
import { access, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { financialYear } from '../irp/dates.js';
import { factsFromQr } from '../pipeline/document-status.js';
import { RESULT_FIELDS } from '../pipeline/outputs.js';

export const WRITE_BACK_ERPS = ['sap', 'erpnext', 'tally', 'odoo', 'd365', 'oracle', 'canonical'] as const;
export type WriteBackErp = (typeof WRITE_BACK_ERPS)[number];

const WRITTEN_BY = 'irp-bridge write-back';

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;

/** One place in the ERP and the values to put there. */
export interface ErpTarget {
  /** Table, DocType, object or model, as the ERP names it. */
  target: string;
  /** How the ERP finds the row: the document facts it is keyed by (to look up on the ERP side). */
  key: Record<string, string | null>;
  fields: Record<string, unknown>;
  /** What a writer must know (a field that cannot be imported, a conversion, an UNCONFIRMED name). */
  notes?: string[];
}

export interface WriteBackRecord {
  writtenBy: typeof WRITTEN_BY;
  erp: WriteBackErp;
  docKey: string;
  event: 'generate' | 'cancel' | 'ewb';
  /** The document: seller, type, number, date (from the document key and the signed QR code). */
  document: Record<string, string | number | undefined>;
  targets: ErpTarget[];
  /** The results-topic record's coordinates, to trace a row back. */
  source: unknown;
  processedAt: string | undefined;
}

/** The values of a results-topic record the ERPs store. */
interface ResultFacts {
  docKey: string;
  event: 'generate' | 'cancel' | 'ewb';
  Irn?: string;
  AckNo?: string;
  AckDt?: string;
  Status?: string;
  SignedInvoice?: string;
  SignedQRCode?: string;
  EwbNo?: string;
  EwbDt?: string;
  EwbValidTill?: string;
  CancelDate?: string;
  sellerGstin: string;
  docType: string;
  docNo: string;
  docDate?: string;
  raw: Json;
}

function factsOf(v: Json): ResultFacts | undefined {
  if (typeof v.docKey !== 'string') return undefined;
  const event = v.kind;
  if (event !== 'generate' && event !== 'cancel' && event !== 'ewb') return undefined;
  const [seller, type, ...rest] = v.docKey.split('/');
  const qr = factsFromQr(v.SignedQRCode);
  const f: ResultFacts = {
    docKey: v.docKey,
    event,
    sellerGstin: seller ?? '',
    docType: type ?? '',
    // The number as the IRP signed it (the key has it upper-cased, and the FY after the last slash).
    docNo: qr.DocNo ?? rest.slice(0, -1).join('/'),
    raw: v,
  };
  if (qr.DocDt) f.docDate = qr.DocDt;
  for (const k of RESULT_FIELDS) {
    if (k === 'Remarks') continue;
    const value = str(v[k]);
    if (value !== undefined) f[k] = value;
  }
  return f;
}

const cancelled = (f: ResultFacts) => f.event === 'cancel' || f.Status?.toUpperCase() === 'CNL';

/** Only the entries with a value. */
function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** What each ERP stores, per docs/erp-write-back.md. */
const MAPPINGS: Record<WriteBackErp, (f: ResultFacts) => ErpTarget[]> = {
  sap: (f) => {
    const targets: ErpTarget[] = [];
    // The financial year's first calendar year: from the date the IRP signed, else the document key's FY.
    const fy = financialYear(f.docDate ?? '') ?? f.docKey.split('/').pop() ?? '';
    const key = {
      BUKRS: null,
      DOCNO: null,
      DOC_YEAR: /^\d{4}-\d{2}$/.test(fy) ? fy.slice(0, 4) : null,
      DOC_TYPE: f.docType,
      ODN: f.docNo,
    };
    if (f.event !== 'ewb')
      targets.push({
        target: 'J_1IG_INVREFNUM',
        key,
        fields: defined({
          IRN: f.Irn,
          ACK_NO: f.AckNo,
          ACK_DATE: f.AckDt,
          IRN_STATUS: cancelled(f) ? 'CNL' : 'ACT',
          CANCEL_DATE: f.CancelDate,
          SIGNED_INV: f.SignedInvoice,
          SIGNED_QRCODE: f.SignedQRCode,
        }),
        notes: [
          'BUKRS (company code) and DOCNO (billing document VBELN) are found on the SAP side from ODN (XBLNR) and the seller GSTIN',
          'ACK_DATE and CANCEL_DATE come as "yyyy-MM-dd HH:mm:ss" (IST); convert to the field types of your release',
        ],
      });
    if (f.EwbNo)
      targets.push({
        target: 'J_1IG_EWAYBILL',
        key: { BUKRS: null, DOCNO: null, GJAHR: key.DOC_YEAR, DOCTYP: f.docType },
        fields: defined({ EBILLNO: f.EwbNo, EGEN_DAT: f.EwbDt, VDTODATE: f.EwbValidTill, STATUS: 'A' }),
        notes: [
          'EGEN_DAT/EGEN_TIME and VDTODATE/VDTOTIME are split date and time fields; STATUS "A" (active) is UNCONFIRMED',
        ],
      });
    return targets;
  },
  erpnext: (f) => {
    const targets: ErpTarget[] = [
      {
        target: 'Sales Invoice',
        key: { name: f.docNo, company_gstin: f.sellerGstin },
        fields: defined({
          irn: cancelled(f) ? '' : f.Irn,
          einvoice_status: cancelled(f) ? 'Cancelled' : f.event === 'ewb' ? undefined : 'Generated',
          ewaybill: f.EwbNo,
        }),
        notes: ['india-compliance clears irn on cancellation and keeps it in the e-Invoice Log'],
      },
    ];
    if (f.event === 'generate')
      targets.push({
        target: 'e-Invoice Log',
        key: { irn: f.Irn ?? null },
        fields: defined({
          irn: f.Irn,
          sales_invoice: f.docNo,
          acknowledgement_number: f.AckNo,
          acknowledged_on: f.AckDt,
          signed_invoice: f.SignedInvoice,
          signed_qr_code: f.SignedQRCode,
        }),
      });
    if (f.event === 'cancel')
      targets.push({
        target: 'e-Invoice Log',
        key: { irn: f.Irn ?? null },
        fields: defined({ is_cancelled: 1, cancelled_on: f.CancelDate }),
      });
    return targets;
  },
  tally: (f) => [
    {
      target: 'Voucher',
      key: { VOUCHERNUMBER: f.docNo, 'GSTREGISTRATION (GSTIN)': f.sellerGstin },
      fields: defined({ IRN: f.Irn, IRNACKNO: f.AckNo, IRNACKDATE: f.AckDt?.slice(0, 10) }),
      notes: [
        'IRNQRCode cannot be pushed into Tally from outside (Tally developer reference): print the QR image this command renders',
        'IRNAckDate is a Date in Tally',
        ...(cancelled(f)
          ? ['cancelled at the IRP: mark the voucher per your Tally process (field UNCONFIRMED)']
          : []),
      ],
    },
  ],
  odoo: (f) => [
    {
      target: 'account.move',
      key: { name: f.docNo },
      fields: defined({
        l10n_in_edi_status: cancelled(f) ? 'cancelled' : 'sent',
        l10n_in_edi_attachment_file:
          f.event === 'generate'
            ? defined({
                Irn: f.Irn,
                AckNo: f.AckNo,
                AckDt: f.AckDt,
                SignedInvoice: f.SignedInvoice,
                SignedQRCode: f.SignedQRCode,
                EwbNo: f.EwbNo,
                EwbDt: f.EwbDt,
                EwbValidTill: f.EwbValidTill,
                Status: f.Status,
              })
            : undefined,
      }),
      notes: [
        'l10n_in_edi_attachment_file holds the IRP response JSON as an attachment ("<move name>_einvoice.json"), read back by _get_l10n_in_edi_response_json',
      ],
    },
  ],
  d365: (f) => [
    {
      target: 'Electronic messages (eInvoice data import format (IN))',
      key: { invoiceId: f.docNo, gstin: f.sellerGstin },
      fields: irpResponse(f),
      notes: [
        'Finance imports the IRP response through its Electronic messages framework; the table and field names are not published (UNCONFIRMED): feed it the IRP response',
      ],
    },
  ],
  oracle: (f) => [
    {
      target: 'JG_TAX_INVOICE_REFERENCES',
      key: {
        FIRST_PTY_REG_NUM: f.sellerGstin,
        TAX_INVOICE_NUMBER: f.docNo,
        TAX_INVOICE_DATE: f.docDate ?? null,
      },
      fields: irpResponse(f),
      notes: [
        'the table keeps the tax invoice references the authority returns; its IRN, acknowledgement and QR columns are UNCONFIRMED here: see the table reference of your release',
      ],
    },
  ],
  canonical: (f) => [{ target: 'IRP response', key: { docKey: f.docKey }, fields: irpResponse(f) }],
};

function irpResponse(f: ResultFacts): Record<string, unknown> {
  return defined({
    Irn: f.Irn,
    AckNo: f.AckNo,
    AckDt: f.AckDt,
    Status: cancelled(f) ? 'CNL' : f.Status,
    SignedInvoice: f.SignedInvoice,
    SignedQRCode: f.SignedQRCode,
    EwbNo: f.EwbNo,
    EwbDt: f.EwbDt,
    EwbValidTill: f.EwbValidTill,
    CancelDate: f.CancelDate,
  });
}

/** The write-back record of a results-topic value, or undefined for a value that is not a result. */
export function writeBackRecord(erp: WriteBackErp, value: Json): WriteBackRecord | undefined {
  const f = factsOf(value);
  if (!f) return undefined;
  return {
    writtenBy: WRITTEN_BY,
    erp,
    docKey: f.docKey,
    event: f.event,
    document: defined({
      sellerGstin: f.sellerGstin,
      docType: f.docType,
      docNo: f.docNo,
      docDate: f.docDate,
    }) as WriteBackRecord['document'],
    targets: MAPPINGS[erp](f),
    source: value.source ?? null,
    processedAt: str(value.processedAt),
  };
}

/** A file name for a document key: readable, no folder separators. */
export function fileStem(docKey: string): string {
  return docKey.replace(/[^A-Za-z0-9._-]/g, '_');
}

export class NotOursError extends Error {}

/**
 * Writes the files of write-back records into `dir` (already claimed by the command): atomically (a
 * temporary file renamed), replacing a file only when it is this command's record of the same document.
 */
export class WriteBackFiles {
  constructor(
    private readonly dir: string,
    private readonly renderQr: (signedQrCode: string) => Promise<Buffer | string>,
    private readonly qrExtension: 'png' | 'svg' | undefined,
  ) {}

  /** Writes the record (and, for a generate with a QR code, its image); returns the paths written. */
  async write(record: WriteBackRecord, signedQrCode: string | undefined): Promise<string[]> {
    const stem = fileStem(record.docKey);
    const json = join(this.dir, `${stem}.${record.event}.json`);
    const previous = await this.ours(json, record.docKey);
    const ours = previous !== undefined;
    // A redelivered or recovered result may carry less (a recovered cancel has no CancelDate): keep
    // what the earlier record of the same event had and the new one lacks.
    if (previous) record = merged(previous, record);
    const written: string[] = [];
    if (record.event === 'generate' && signedQrCode && this.qrExtension) {
      const image = join(this.dir, `${stem}.qr.${this.qrExtension}`);
      // The image is ours to replace only beside a record of ours.
      if (!ours && (await exists(image)))
        throw new NotOursError(`refusing to overwrite ${image}: irp-bridge write-back did not write it`);
      await this.atomic(image, await this.renderQr(signedQrCode));
      written.push(image);
    }
    await this.atomic(json, `${JSON.stringify(record, null, 2)}\n`);
    written.unshift(json);
    return written;
  }

  /** The record of `docKey` this command wrote at `path`, undefined when absent; throws for anything else. */
  private async ours(path: string, docKey: string): Promise<WriteBackRecord | undefined> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    let v: Partial<WriteBackRecord> | undefined;
    try {
      v = JSON.parse(text) as Partial<WriteBackRecord>;
    } catch {
      v = undefined;
    }
    if (v?.writtenBy !== WRITTEN_BY || v.docKey !== docKey)
      throw new NotOursError(`refusing to overwrite ${path}: irp-bridge write-back did not write it`);
    return v as WriteBackRecord;
  }

  private async atomic(path: string, content: Buffer | string): Promise<void> {
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, content);
    await rename(tmp, path);
  }
}

function merged(previous: WriteBackRecord, next: WriteBackRecord): WriteBackRecord {
  return {
    ...next,
    document: { ...previous.document, ...next.document },
    targets: next.targets.map((t) => {
      const before = previous.targets.find((p) => p.target === t.target);
      return before ? { ...t, fields: { ...before.fields, ...t.fields } } : t;
    }),
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
