/**
 * E-way bills on the IRP: Generate EWB by IRN (also reached from Generate IRN with `EwbDtls`),
 * Get EWB by IRN, and the sandbox-only Cancel EWB.
 */
import type { IrpErrorDetail } from '../../irp/errors.js';
import { formatIrpDateTimeToMinute, istParts } from '../../irp/dates.js';
import { isIrn } from '../../irp/irn.js';
import type { Invoice } from '../../irp/schema/invoice.js';
import { getMemberIgnoringCase } from '../../irp/crypto.js';
import type { SandboxClock } from '../clock.js';
import type { SandboxStore } from '../store/index.js';
import type { IrnRecord } from '../store/irns-repo.js';
import { planEwb, type Place, type TransportInput } from '../../irp/ewb/rules.js';
import { explained, failure, success, type InfoDetail, type Outcome } from './outcome.js';
import type { Session } from './session.js';

/** Generate EWB `Data` (and the EWB part of a Generate IRN response). */
export interface EwbResponseData {
  EwbNo: number;
  EwbDt: string;
  EwbValidTill: string | null;
  Remarks: string | null;
}

export interface EwbDetailsData {
  EwbNo: number;
  Status: string;
  GenGstin: string;
  EwbDt: string;
  EwbValidTill: string | null;
}

export interface CancelEwbData {
  ewayBillNo: number;
  cancelDate: string;
}

/** Address overrides of the Generate EWB body (`DispDtls`, `ExpShipDtls`). */
export interface PlaceOverrides {
  dispatchFrom?: unknown;
  shipTo?: unknown;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function placeOf(value: unknown): Place | undefined {
  const r = asRecord(value);
  if (!r) return undefined;
  const pin = Number(getMemberIgnoringCase(r, 'Pin'));
  const stcd = getMemberIgnoringCase(r, 'Stcd');
  if (!Number.isInteger(pin) || (typeof stcd !== 'string' && typeof stcd !== 'number')) return undefined;
  const code = String(stcd);
  return { Pin: pin, Stcd: code.length === 1 ? `0${code}` : code };
}

/** `dd/MM/yyyy hh:mm:ss AM` in IST, the e-way-bill system's cancel date format. */
function ewbSystemDateTime(instant: Date): string {
  const p = istParts(instant);
  const pad = (n: number) => String(n).padStart(2, '0');
  const hour12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  // Seconds are :00, as in NIC's and the e-way-bill system's samples ("20/09/2022 12:10:00 PM").
  return `${pad(p.day)}/${pad(p.month)}/${p.year} ${pad(hour12)}:${pad(p.minute)}:00 ${p.hour < 12 ? 'AM' : 'PM'}`;
}

const EWB_NO_BASE = 181_000_000_000;

export function ownsIrn(session: Session, record: IrnRecord): boolean {
  return record.gstin === session.gstin || record.ecmGstin === session.gstin;
}

export class EwbService {
  constructor(
    private readonly store: SandboxStore,
    private readonly clock: SandboxClock,
    /** `strict`: a declared distance must be within ±10 % of the sandbox's estimate (4013). */
    private readonly distanceCheck: 'lenient' | 'strict' = 'lenient',
  ) {}

  /** `POST /eiewb/v1.03/ewaybill`. */
  generateByIrn(session: Session, body: unknown): Outcome<EwbResponseData> {
    const r = asRecord(body);
    if (!r) return explained('4006', 'the payload must be a JSON object');
    const irnText = getMemberIgnoringCase(r, 'Irn');
    if (typeof irnText !== 'string' || irnText.trim() === '') return explained('4006', 'Irn is required');
    const irn = irnText.trim().toLowerCase();
    if (!isIrn(irn)) return failure('2145');
    const record = this.store.irns.find(irn);
    if (!record || record.state === 'PENDING') return failure('4003');
    if (!ownsIrn(session, record)) return failure('2143');
    if (record.state !== 'ACT') return failure('4000');
    return this.generateFor(record, r as TransportInput, {
      dispatchFrom: getMemberIgnoringCase(r, 'DispDtls'),
      shipTo: getMemberIgnoringCase(r, 'ExpShipDtls'),
    });
  }

  /** The EWB rules and registration for an active IRN; shared by Generate IRN (`EwbDtls`). */
  generateFor(
    record: IrnRecord,
    transport: TransportInput,
    overrides: PlaceOverrides,
  ): Outcome<EwbResponseData> {
    const invoice = JSON.parse(record.invoiceJson) as Invoice;
    const seller: Place = { Pin: invoice.SellerDtls.Pin, Stcd: invoice.SellerDtls.Stcd };
    const buyer: Place = { Pin: invoice.BuyerDtls.Pin ?? 999999, Stcd: invoice.BuyerDtls.Stcd };
    const shipTo = placeOf(overrides.shipTo) ?? placeOf(invoice.ShipDtls);
    const now = this.clock.now();
    const planned = planEwb(transport, {
      docType: record.docType,
      docDate: record.docDate,
      supplyType: invoice.TranDtls.SupTyp,
      hasGoods: invoice.ItemList.some((item) => item.IsServc !== 'Y'),
      dispatchFrom: placeOf(overrides.dispatchFrom) ?? placeOf(invoice.DispDtls) ?? seller,
      shipTo: shipTo ?? buyer,
      shipToGiven: shipTo !== undefined,
      now,
      distanceCheck: this.distanceCheck,
    });
    if (!planned.ok) return { ok: false, errors: [planned.error] };
    const { plan } = planned;

    const inserted = this.store.ewbs.insertIfNoneActive(
      {
        irn: record.irn,
        gstin: record.gstin,
        generatedAt: now.getTime(),
        validTill: plan.validTill?.getTime() ?? null,
        distance: plan.distance,
        transportJson: JSON.stringify(plan.transport),
      },
      () => EWB_NO_BASE + this.store.meta.next('ewb_no'),
    );
    if ('existing' in inserted) return failure('4002');
    const info: InfoDetail[] = [];
    if (plan.autoCalculated)
      info.push({ InfCd: 'EWBPPD', Desc: `Pin-Pin calc distance: ${plan.distance}KM` });
    // A declared distance: the estimate is reported under ADDNLNFO, not EWBPPD, which clients read as
    // the distance the IRP used (india-compliance overwrites its own distance from EWBPPD).
    else if (this.distanceCheck === 'lenient')
      info.push({
        InfCd: 'ADDNLNFO',
        Desc:
          plan.estimate === undefined
            ? `Declared distance ${plan.distance}KM accepted; the sandbox has no PIN-to-PIN estimate for this route`
            : `Declared distance ${plan.distance}KM accepted; sandbox PIN-to-PIN estimate ${plan.estimate}KM (not checked: NIC's PIN master is not public)`,
      });
    return success(ewbResponse(inserted.created), info);
  }

  /** `GET /eiewb/v1.03/ewaybill/irn/{irn}`: the latest e-way bill of the IRN, live or cancelled. */
  getByIrn(session: Session, irnText: string): Outcome<EwbDetailsData> {
    const irn = irnText.trim().toLowerCase();
    if (!isIrn(irn)) return failure('2145');
    const record = this.store.irns.find(irn);
    if (!record || record.state === 'PENDING') return failure('4003');
    if (!ownsIrn(session, record)) return failure('4037');
    const ewb = this.store.ewbs.findLatestForIrn(irn);
    if (!ewb) return failure('4005');
    return success({
      EwbNo: ewb.ewbNo,
      Status: ewb.state,
      GenGstin: ewb.gstin,
      EwbDt: formatIrpDateTimeToMinute(new Date(ewb.generatedAt)),
      EwbValidTill: ewb.validTill === null ? null : formatIrpDateTimeToMinute(new Date(ewb.validTill)),
    });
  }

  /**
   * Cancel EWB (sandbox-only copy of the e-way-bill API): inner `{ewbNo, cancelRsnCode, cancelRmrk}`.
   * The e-way-bill system's own 24-hour cancel limit and its 3xx codes are not in the IRP record, so
   * the sandbox does not apply a time limit here (UNCONFIRMED).
   */
  cancel(session: Session, inner: unknown): Outcome<CancelEwbData> {
    const r = asRecord(inner);
    if (!r) return explained('4006', 'the payload must be a JSON object {ewbNo, cancelRsnCode, cancelRmrk}');
    const ewbNoRaw = getMemberIgnoringCase(r, 'ewbNo');
    const ewbNo =
      typeof ewbNoRaw === 'string' && /^\d{12}$/.test(ewbNoRaw.trim()) ? Number(ewbNoRaw) : ewbNoRaw;
    if (typeof ewbNo !== 'number' || !Number.isInteger(ewbNo) || String(ewbNo).length !== 12)
      return explained('4008', 'ewbNo must be a 12-digit e-way bill number');
    const reason = String(getMemberIgnoringCase(r, 'cancelRsnCode') ?? '').trim();
    if (!['1', '2', '3', '4'].includes(reason))
      return explained('4006', 'cancelRsnCode must be 1, 2, 3 or 4');
    const remarkRaw = getMemberIgnoringCase(r, 'cancelRmrk');
    const remark = typeof remarkRaw === 'string' ? remarkRaw : null;

    const nowMs = this.clock.nowMs();
    return this.store.transaction(() => {
      const ewb = this.store.ewbs.find(ewbNo);
      if (!ewb || ewb.state !== 'ACT') return failure('4007');
      if (ewb.gstin !== session.gstin) return failure('4037');
      this.store.ewbs.markCancelled(ewbNo, nowMs, reason, remark);
      return success({ ewayBillNo: ewbNo, cancelDate: ewbSystemDateTime(new Date(nowMs)) });
    });
  }
}

export function ewbResponse(ewb: {
  ewbNo: number;
  generatedAt: number;
  validTill: number | null;
}): EwbResponseData {
  return {
    EwbNo: ewb.ewbNo,
    EwbDt: formatIrpDateTimeToMinute(new Date(ewb.generatedAt)),
    EwbValidTill: ewb.validTill === null ? null : formatIrpDateTimeToMinute(new Date(ewb.validTill)),
    Remarks: null,
  };
}

/** For EWBERR: the `Desc` of an EWB failure inside a successful Generate IRN. */
export function ewbErrorInfo(errors: IrpErrorDetail[]): InfoDetail {
  return { InfCd: 'EWBERR', Desc: errors };
}
