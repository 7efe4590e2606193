/** Get GSTIN details and Sync GSTIN from the common portal (§2). */
import { hasGstinShape } from '../../irp/gstin.js';
import type { Taxpayer } from '../store/taxpayers-repo.js';
import { failure, success, type Outcome } from './outcome.js';
import type { TaxpayerMaster } from './taxpayer-master.js';

/** Decrypted `Data` of both APIs, field names as NIC's v1.04 page prints them. */
export interface GstinDetails {
  Gstin: string;
  TradeName: string | null;
  LegalName: string;
  AddrBnm: string | null;
  AddrBno: string | null;
  AddrFlno: string | null;
  AddrSt: string | null;
  AddrLoc: string | null;
  StateCode: number;
  AddrPncd: number | null;
  TxpType: string;
  Status: string;
  BlkStatus: string | null;
  DtReg: string | null;
  DtDReg: string | null;
}

export function gstinDetails(t: Taxpayer): GstinDetails {
  return {
    Gstin: t.gstin,
    TradeName: t.tradeName,
    LegalName: t.legalName,
    AddrBnm: t.addrBnm,
    AddrBno: t.addrBno,
    AddrFlno: t.addrFlno,
    AddrSt: t.addrSt,
    AddrLoc: t.addrLoc,
    StateCode: Number(t.stateCode),
    AddrPncd: t.pincode,
    TxpType: t.txpType,
    Status: t.status,
    BlkStatus: t.blkStatus,
    DtReg: t.dtReg,
    DtDReg: t.dtDReg,
  };
}

export class GstinService {
  constructor(private readonly master: TaxpayerMaster) {}

  /** Malformed → 3028 (as the validator reports it); unknown (strict mode) → 3001 "Requested data is not available". */
  details(gstin: string): Outcome<GstinDetails> {
    if (!hasGstinShape(gstin.toUpperCase())) return failure('3028');
    const taxpayer = this.master.lookup(gstin);
    return taxpayer ? success(gstinDetails(taxpayer)) : failure('3001');
  }

  sync(gstin: string): Outcome<GstinDetails> {
    if (!hasGstinShape(gstin.toUpperCase())) return failure('3028');
    const taxpayer = this.master.sync(gstin);
    return taxpayer ? success(gstinDetails(taxpayer)) : failure('3001');
  }
}
