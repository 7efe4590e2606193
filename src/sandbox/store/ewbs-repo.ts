import type { SqliteDatabase } from './database.js';

export type EwbState = 'ACT' | 'CNL';

export interface EwbRecord {
  ewbNo: number;
  irn: string;
  gstin: string;
  state: EwbState;
  generatedAt: number;
  validTill: number | null;
  distance: number;
  transportJson: string;
  cancelledAt: number | null;
  cancelReason: string | null;
  cancelRemark: string | null;
}

interface Row {
  ewb_no: number;
  irn: string;
  gstin: string;
  state: EwbState;
  generated_at: number;
  valid_till: number | null;
  distance: number;
  transport_json: string;
  cancelled_at: number | null;
  cancel_reason: string | null;
  cancel_remark: string | null;
}

const fromRow = (r: Row): EwbRecord => ({
  ewbNo: r.ewb_no,
  irn: r.irn,
  gstin: r.gstin,
  state: r.state,
  generatedAt: r.generated_at,
  validTill: r.valid_till,
  distance: r.distance,
  transportJson: r.transport_json,
  cancelledAt: r.cancelled_at,
  cancelReason: r.cancel_reason,
  cancelRemark: r.cancel_remark,
});

export type NewEwb = Pick<
  EwbRecord,
  'irn' | 'gstin' | 'generatedAt' | 'validTill' | 'distance' | 'transportJson'
>;

export class EwbsRepository {
  constructor(private readonly db: SqliteDatabase) {}

  find(ewbNo: number): EwbRecord | undefined {
    const row = this.db.prepare<[number], Row>('SELECT * FROM ewbs WHERE ewb_no = ?').get(ewbNo);
    return row && fromRow(row);
  }

  findActiveForIrn(irn: string): EwbRecord | undefined {
    const row = this.db.prepare<[string], Row>(`SELECT * FROM ewbs WHERE irn = ? AND state = 'ACT'`).get(irn);
    return row && fromRow(row);
  }

  /** The most recent e-way bill of an IRN, live or cancelled. */
  findLatestForIrn(irn: string): EwbRecord | undefined {
    const row = this.db
      .prepare<[string], Row>(
        'SELECT * FROM ewbs WHERE irn = ? ORDER BY generated_at DESC, ewb_no DESC LIMIT 1',
      )
      .get(irn);
    return row && fromRow(row);
  }

  /**
   * Inserts a live e-way bill unless the IRN already has one (returned instead). Atomic for the same
   * reason as IRN reservation; the partial unique index `ewbs_one_active_per_irn` backs it up.
   */
  insertIfNoneActive(
    ewb: NewEwb,
    allocateEwbNo: () => number,
  ): { created: EwbRecord } | { existing: EwbRecord } {
    return this.db
      .transaction(() => {
        const existing = this.findActiveForIrn(ewb.irn);
        if (existing) return { existing };
        const ewbNo = allocateEwbNo();
        this.db
          .prepare(
            `INSERT INTO ewbs (ewb_no, irn, gstin, state, generated_at, valid_till, distance, transport_json)
           VALUES (@ewbNo, @irn, @gstin, 'ACT', @generatedAt, @validTill, @distance, @transportJson)`,
          )
          .run({ ...ewb, ewbNo });
        return { created: this.find(ewbNo)! };
      })
      .immediate();
  }

  markCancelled(ewbNo: number, atMs: number, reason: string, remark: string | null): void {
    this.db
      .prepare(
        `UPDATE ewbs SET state = 'CNL', cancelled_at = ?, cancel_reason = ?, cancel_remark = ? WHERE ewb_no = ?`,
      )
      .run(atMs, reason, remark, ewbNo);
  }
}
