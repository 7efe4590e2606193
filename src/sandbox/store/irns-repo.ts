import type { SqliteDatabase } from './database.js';

export type IrnState = 'PENDING' | 'ACT' | 'CNL';

/** One registered document. `PENDING` = the IRN is reserved and its JWTs are being signed. */
export interface IrnRecord {
  irn: string;
  gstin: string;
  ecmGstin: string | null;
  docType: string;
  docNo: string;
  docDate: string;
  ackNo: number;
  ackAt: number;
  state: IrnState;
  invoiceJson: string;
  signedInvoice: string | null;
  signedQrCode: string | null;
  cancelledAt: number | null;
  cancelReason: string | null;
  cancelRemark: string | null;
}

interface Row {
  irn: string;
  gstin: string;
  ecm_gstin: string | null;
  doc_type: string;
  doc_no: string;
  doc_date: string;
  ack_no: number;
  ack_at: number;
  state: IrnState;
  invoice_json: string;
  signed_invoice: string | null;
  signed_qr_code: string | null;
  cancelled_at: number | null;
  cancel_reason: string | null;
  cancel_remark: string | null;
}

const fromRow = (r: Row): IrnRecord => ({
  irn: r.irn,
  gstin: r.gstin,
  ecmGstin: r.ecm_gstin,
  docType: r.doc_type,
  docNo: r.doc_no,
  docDate: r.doc_date,
  ackNo: r.ack_no,
  ackAt: r.ack_at,
  state: r.state,
  invoiceJson: r.invoice_json,
  signedInvoice: r.signed_invoice,
  signedQrCode: r.signed_qr_code,
  cancelledAt: r.cancelled_at,
  cancelReason: r.cancel_reason,
  cancelRemark: r.cancel_remark,
});

export type NewIrn = Pick<
  IrnRecord,
  'irn' | 'gstin' | 'ecmGstin' | 'docType' | 'docNo' | 'docDate' | 'ackAt' | 'invoiceJson'
> & {
  /** `documentKey()` of src/irp/irn.ts: what makes two submissions the same document. */
  docKey: string;
};

export type Reservation = { reserved: IrnRecord } | { duplicate: IrnRecord };

export class IrnsRepository {
  private readonly findStmt;
  private readonly findDocStmt;
  private readonly insertStmt;

  constructor(private readonly db: SqliteDatabase) {
    this.findStmt = db.prepare<[string], Row>('SELECT * FROM irns WHERE irn = ?');
    this.findDocStmt = db.prepare<[string], Row>(
      'SELECT * FROM irns WHERE doc_key = ? ORDER BY ack_at LIMIT 1',
    );
    this.insertStmt = db.prepare(
      `INSERT INTO irns (irn, gstin, ecm_gstin, doc_type, doc_no, doc_date, ack_no, ack_at, state, invoice_json, doc_key)
       VALUES (@irn, @gstin, @ecmGstin, @docType, @docNo, @docDate, @ackNo, @ackAt, 'PENDING', @invoiceJson, @docKey)`,
    );
  }

  find(irn: string): IrnRecord | undefined {
    const row = this.findStmt.get(irn);
    return row && fromRow(row);
  }

  /** The registration of a document (by `documentKey`), whatever IRN it got. */
  findByDocument(docKey: string): IrnRecord | undefined {
    const row = this.findDocStmt.get(docKey);
    return row && fromRow(row);
  }

  /**
   * Atomically claims the IRN for a new document, or returns the registration that already holds the
   * document (same `docKey`, whatever its IRN) or the IRN. The check and the insert run in one SQLite
   * IMMEDIATE transaction, so concurrent submissions — from this process or another on the same file —
   * cannot both pass; the primary key on `irn` backs that up.
   */
  reserve(doc: NewIrn, allocateAckNo: () => number): Reservation {
    return this.db
      .transaction((): Reservation => {
        const existing = this.findByDocument(doc.docKey) ?? this.find(doc.irn);
        if (existing) return { duplicate: existing };
        const ackNo = allocateAckNo();
        this.insertStmt.run({ ...doc, ackNo });
        return { reserved: this.find(doc.irn)! };
      })
      .immediate();
  }

  activate(irn: string, signedInvoice: string, signedQrCode: string): void {
    this.db
      .prepare(
        `UPDATE irns SET state = 'ACT', signed_invoice = ?, signed_qr_code = ? WHERE irn = ? AND state = 'PENDING'`,
      )
      .run(signedInvoice, signedQrCode, irn);
  }

  /** Drops a reservation whose signing failed, so the document can be submitted again. */
  release(irn: string): void {
    this.db.prepare(`DELETE FROM irns WHERE irn = ? AND state = 'PENDING'`).run(irn);
  }

  /** Reservations left by a process that stopped mid-signing are not registrations: forget them. */
  releaseAllPending(): number {
    return this.db.prepare(`DELETE FROM irns WHERE state = 'PENDING'`).run().changes;
  }

  markCancelled(irn: string, atMs: number, reason: string, remark: string | null): void {
    this.db
      .prepare(
        `UPDATE irns SET state = 'CNL', cancelled_at = ?, cancel_reason = ?, cancel_remark = ? WHERE irn = ?`,
      )
      .run(atMs, reason, remark, irn);
  }
}
