import type { SqliteDatabase } from './database.js';

/** Registration status codes of the GSTIN master. */
export type RegistrationStatus = 'ACT' | 'CNL' | 'SUS' | 'INA' | 'PRO';

/**
 * One taxpayer of the sandbox's GSTIN master. `status` is what the IRP has cached; `portalStatus`,
 * when set, is a newer status on the GST common portal that only Sync GSTIN brings over — this is how
 * the 3028/3029 → Sync GSTIN → retry recovery (README §2) can be exercised.
 */
export interface Taxpayer {
  gstin: string;
  legalName: string;
  tradeName: string | null;
  addrBnm: string | null;
  addrBno: string | null;
  addrFlno: string | null;
  addrSt: string | null;
  addrLoc: string | null;
  stateCode: string;
  pincode: number | null;
  txpType: string;
  status: RegistrationStatus;
  portalStatus: RegistrationStatus | null;
  blkStatus: string | null;
  /** `yyyy-MM-dd` */
  dtReg: string | null;
  dtDReg: string | null;
  largeTaxpayer: boolean;
}

interface Row {
  gstin: string;
  legal_name: string;
  trade_name: string | null;
  addr_bnm: string | null;
  addr_bno: string | null;
  addr_flno: string | null;
  addr_st: string | null;
  addr_loc: string | null;
  state_code: string;
  pincode: number | null;
  txp_type: string;
  status: RegistrationStatus;
  portal_status: RegistrationStatus | null;
  blk_status: string | null;
  dt_reg: string | null;
  dt_dreg: string | null;
  large_taxpayer: number;
}

function fromRow(r: Row): Taxpayer {
  return {
    gstin: r.gstin,
    legalName: r.legal_name,
    tradeName: r.trade_name,
    addrBnm: r.addr_bnm,
    addrBno: r.addr_bno,
    addrFlno: r.addr_flno,
    addrSt: r.addr_st,
    addrLoc: r.addr_loc,
    stateCode: r.state_code,
    pincode: r.pincode,
    txpType: r.txp_type,
    status: r.status,
    portalStatus: r.portal_status,
    blkStatus: r.blk_status,
    dtReg: r.dt_reg,
    dtDReg: r.dt_dreg,
    largeTaxpayer: r.large_taxpayer === 1,
  };
}

export class TaxpayersRepository {
  private readonly findStmt;

  constructor(private readonly db: SqliteDatabase) {
    this.findStmt = db.prepare<[string], Row>('SELECT * FROM taxpayers WHERE gstin = ?');
  }

  find(gstin: string): Taxpayer | undefined {
    const row = this.findStmt.get(gstin.toUpperCase());
    return row && fromRow(row);
  }

  upsert(t: Taxpayer): void {
    this.db
      .prepare(
        `INSERT INTO taxpayers (gstin, legal_name, trade_name, addr_bnm, addr_bno, addr_flno, addr_st, addr_loc,
           state_code, pincode, txp_type, status, portal_status, blk_status, dt_reg, dt_dreg, large_taxpayer)
         VALUES (@gstin, @legalName, @tradeName, @addrBnm, @addrBno, @addrFlno, @addrSt, @addrLoc,
           @stateCode, @pincode, @txpType, @status, @portalStatus, @blkStatus, @dtReg, @dtDReg, @large)
         ON CONFLICT (gstin) DO UPDATE SET legal_name = excluded.legal_name, trade_name = excluded.trade_name,
           addr_bnm = excluded.addr_bnm, addr_bno = excluded.addr_bno, addr_flno = excluded.addr_flno,
           addr_st = excluded.addr_st, addr_loc = excluded.addr_loc, state_code = excluded.state_code,
           pincode = excluded.pincode, txp_type = excluded.txp_type, status = excluded.status,
           portal_status = excluded.portal_status, blk_status = excluded.blk_status, dt_reg = excluded.dt_reg,
           dt_dreg = excluded.dt_dreg, large_taxpayer = excluded.large_taxpayer`,
      )
      .run({ ...t, gstin: t.gstin.toUpperCase(), large: t.largeTaxpayer ? 1 : 0 });
  }

  /** Seeds a taxpayer only when the GSTIN is not in the master yet (admin edits survive restarts). */
  insertIfAbsent(t: Taxpayer): void {
    if (!this.find(t.gstin)) this.upsert(t);
  }

  /** Sync GSTIN: the common portal's newer status, if any, replaces the cached one. */
  syncFromPortal(gstin: string): Taxpayer | undefined {
    this.db
      .prepare(
        `UPDATE taxpayers SET status = portal_status, portal_status = NULL
         WHERE gstin = ? AND portal_status IS NOT NULL`,
      )
      .run(gstin.toUpperCase());
    return this.find(gstin);
  }
}
