/**
 * The sandbox's view of GSTN's taxpayer registry. A GSTIN in the master answers with its record;
 * a well-formed GSTIN that is not there counts as an active regular taxpayer (so any test GSTIN
 * works out of the box) unless the sandbox runs with `strictGstin`, where it is unregistered (3028).
 */
import { hasGstinShape } from '../../irp/gstin.js';
import type { TaxpayerStatus } from '../../irp/validate/index.js';
import type { Taxpayer, TaxpayersRepository } from '../store/taxpayers-repo.js';

export class TaxpayerMaster {
  constructor(
    private readonly repo: TaxpayersRepository,
    private readonly strictGstin: boolean,
  ) {}

  /** The master record, the implicit default for an unknown well-formed GSTIN, or undefined. */
  lookup(gstin: string): Taxpayer | undefined {
    const upper = gstin.toUpperCase();
    const known = this.repo.find(upper);
    if (known) return known;
    if (this.strictGstin || !hasGstinShape(upper)) return undefined;
    return implicitTaxpayer(upper);
  }

  /** For the validator: registration status, `UNKNOWN` for unregistered, undefined for URP. */
  status = (gstin: string): TaxpayerStatus | undefined => {
    if (gstin.toUpperCase() === 'URP') return undefined;
    return this.lookup(gstin)?.status ?? 'UNKNOWN';
  };

  isLargeTaxpayer = (gstin: string): boolean => this.repo.find(gstin)?.largeTaxpayer ?? false;

  taxpayerType = (gstin: string): string | undefined => this.lookup(gstin)?.txpType;

  /** Sync GSTIN from the common portal: applies a pending portal status, then looks up. */
  sync(gstin: string): Taxpayer | undefined {
    this.repo.syncFromPortal(gstin);
    return this.lookup(gstin);
  }
}

/** The record an unknown well-formed GSTIN stands for: an active regular taxpayer of its state. */
export function implicitTaxpayer(gstin: string): Taxpayer {
  return {
    gstin,
    legalName: `SANDBOX TAXPAYER ${gstin}`,
    tradeName: `SANDBOX TAXPAYER ${gstin}`,
    addrBnm: null,
    addrBno: null,
    addrFlno: null,
    addrSt: null,
    addrLoc: null,
    stateCode: gstin.slice(0, 2),
    pincode: null,
    txpType: 'REG',
    status: 'ACT',
    portalStatus: null,
    blkStatus: null,
    dtReg: '2017-07-01',
    dtDReg: null,
    largeTaxpayer: false,
  };
}
