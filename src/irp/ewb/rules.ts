/**
 * The e-way bill rules the IRP applies when an EWB is requested for an IRN (§2 notes, README §9,
 * error-codes.tsv 40xx). Pure: given the registered invoice's facts and the transport details, either
 * a plan (distance, validity) or the first failing rule's code — the e-way bill system reports one
 * error at a time, and NIC's own samples show a lone 4019 for a credit note without transport.
 */
import { irpError, irpErrorWithDetail, type IrpErrorDetail } from '../errors.js';
import { istParts, parseIrpDate } from '../dates.js';
import { pinToPinDistanceKm } from './distance.js';

/** The transport part of the request, as received (numbers may arrive as strings). */
export interface TransportInput {
  Distance?: unknown;
  TransMode?: unknown;
  TransId?: unknown;
  TransName?: unknown;
  TransDocDt?: unknown;
  TransDocNo?: unknown;
  VehNo?: unknown;
  VehType?: unknown;
}

export interface Place {
  Pin: number;
  Stcd: string;
}

export interface EwbFacts {
  docType: string;
  /** `dd/MM/yyyy` */
  docDate: string;
  supplyType: string;
  hasGoods: boolean;
  dispatchFrom: Place;
  shipTo: Place;
  /** Whether a ship-to address (ExpShipDtls or the invoice's ShipDtls) was given. */
  shipToGiven: boolean;
  now: Date;
  /**
   * `lenient` (default): a declared distance within the published limits is accepted and the estimate
   * only reported; `strict`: it must be within ±10 % of the estimate (4013), as NIC checks against its
   * own PIN master.
   */
  distanceCheck?: 'lenient' | 'strict';
}

export interface Transport {
  TransMode: string | null;
  TransId: string | null;
  TransName: string | null;
  TransDocNo: string | null;
  TransDocDt: string | null;
  VehNo: string | null;
  VehType: string | null;
}

export interface EwbPlan {
  distance: number;
  /** The client sent 0 and the system distance was used (reported as `EWBPPD`). */
  autoCalculated: boolean;
  /** The sandbox's PIN-to-PIN estimate (distance.ts), when it has one. */
  estimate?: number;
  /** Null while Part B (vehicle or transport document) is missing: validity starts with Part B. */
  validTill: Date | null;
  transport: Transport;
}

export type EwbPlanResult = { ok: true; plan: EwbPlan } | { ok: false; error: IrpErrorDetail };

const MAX_DISTANCE_KM = 4000;
const KM_PER_DAY = 200;
const KM_PER_DAY_ODC = 20;
const IST_OFFSET_MS = 330 * 60 * 1000;
const EXPORT_SUPPLY_TYPES = new Set(['EXPWP', 'EXPWOP']);
const GSTIN_SHAPE = /^[0-9]{2}[0-9A-Z]{13}$/;
const VEHICLE_NUMBER = /^[A-Z0-9]{4,20}$/;

function text(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function readTransport(input: TransportInput): Transport {
  return {
    TransMode: text(input.TransMode),
    TransId: text(input.TransId)?.toUpperCase() ?? null,
    TransName: text(input.TransName),
    TransDocNo: text(input.TransDocNo),
    TransDocDt: text(input.TransDocDt),
    VehNo: text(input.VehNo)?.toUpperCase().replace(/[\s-]/g, '') ?? null,
    VehType: text(input.VehType)?.toUpperCase() ?? null,
  };
}

/** 23:59 IST on the day `days` calendar days after `from` (IST). */
function endOfIstDay(from: Date, days: number): Date {
  const p = istParts(from);
  return new Date(Date.UTC(p.year, p.month - 1, p.day + days, 23, 59, 0) - IST_OFFSET_MS);
}

type Check = () => string | undefined;

export function planEwb(input: TransportInput, facts: EwbFacts): EwbPlanResult {
  const t = readTransport(input);
  const partB = t.VehNo !== null || t.TransDocNo !== null;
  const rawDistance = input.Distance ?? 0;
  const declared =
    typeof rawDistance === 'string' && rawDistance.trim() !== '' ? Number(rawDistance) : rawDistance;
  const systemDistance = pinToPinDistanceKm(facts.dispatchFrom.Pin, facts.shipTo.Pin);
  let distance = 0;
  let autoCalculated = false;

  /** What exactly is wrong, where NIC's wording is generic (4006 "invalid parameter", 4013 "too high or low"). */
  const explain = (code: string): string | undefined => {
    if (code === '4006')
      return typeof declared !== 'number' || !Number.isFinite(declared)
        ? 'Distance must be a number of kilometres'
        : 'TransMode must be 1 (road), 2 (rail), 3 (air) or 4 (ship)';
    if (code !== '4013') return undefined;
    if (typeof declared === 'number' && !Number.isInteger(declared))
      return 'Distance must be whole kilometres';
    if (typeof declared === 'number' && declared < 0) return 'Distance must not be negative';
    if (facts.dispatchFrom.Pin === facts.shipTo.Pin)
      return 'same PIN at both ends: Distance must be 1–100 km';
    if (systemDistance === undefined) return 'no PIN-to-PIN estimate for this route: state the distance';
    return `Distance ${String(declared)} km is not within ±10 % of the PIN-to-PIN distance ${systemDistance} km`;
  };

  const checks: Check[] = [
    () => (t.TransId === null && !partB ? '4019' : undefined),
    () => (facts.docType === 'CRN' || facts.docType === 'DBN' ? '4010' : undefined),
    () => (!facts.hasGoods ? '4009' : undefined),
    () => (t.TransId !== null && !GSTIN_SHAPE.test(t.TransId) ? '4018' : undefined),
    () => (partB && t.TransMode === null ? '4028' : undefined),
    () => (t.TransMode !== null && !['1', '2', '3', '4'].includes(t.TransMode) ? '4006' : undefined),
    () => (t.VehType !== null && t.VehType !== 'R' && t.VehType !== 'O' ? '4020' : undefined),
    () => (t.TransMode === '1' && t.VehNo === null ? '4011' : undefined),
    () => (t.TransMode === '1' && t.VehNo !== null && t.VehType === null ? '4022' : undefined),
    () => (t.VehNo !== null && !VEHICLE_NUMBER.test(t.VehNo) ? '4014' : undefined),
    () => ((t.TransMode === '2' || t.TransMode === '3') && t.TransDocNo === null ? '4012' : undefined),
    () => ((t.TransMode === '2' || t.TransMode === '3') && t.TransDocDt === null ? '4023' : undefined),
    () => (t.TransMode === '4' && !partB ? '4040' : undefined),
    () => (t.TransMode === '4' && t.VehType === 'R' && t.VehNo !== null ? '4039' : undefined),
    () =>
      t.VehType === 'O' && t.TransMode !== null && t.TransMode !== '1' && t.TransMode !== '4'
        ? '4024'
        : undefined,
    () => {
      if (t.TransDocDt === null) return undefined;
      const date = parseIrpDate(t.TransDocDt);
      if (!date) return '4017';
      if (date.getTime() > endOfIstDay(facts.now, 0).getTime()) return '4016';
      const invoiceDate = parseIrpDate(facts.docDate);
      return invoiceDate && date.getTime() < invoiceDate.getTime() ? '4021' : undefined;
    },
    () => (EXPORT_SUPPLY_TYPES.has(facts.supplyType) && !facts.shipToGiven ? '4031' : undefined),
    () => (facts.shipTo.Stcd === '96' ? '4032' : undefined),
    () => (facts.shipTo.Pin === 999999 ? '4033' : undefined),
    () => (facts.dispatchFrom.Stcd === '96' ? '4035' : undefined),
    () => (facts.dispatchFrom.Pin === 999999 ? '4036' : undefined),
    () => {
      if (typeof declared !== 'number' || !Number.isFinite(declared)) return '4006';
      if (declared < 0 || !Number.isInteger(declared)) return '4013';
      if (declared > MAX_DISTANCE_KM) return '4038';
      if (facts.dispatchFrom.Pin === facts.shipTo.Pin) {
        // Same PIN at both ends: the system has no distance, so 1–100 km must be stated.
        if (declared === 0) return '4029';
        if (declared > 100) return '4013';
        distance = declared;
        return undefined;
      }
      if (systemDistance === undefined) {
        // No estimate (a PIN prefix without geography, e.g. 9x): a distance must be stated. The record
        // has no code for this case; 4013 is the nearest ("too high or low").
        if (declared === 0) return '4013';
        distance = declared;
        return undefined;
      }
      if (declared === 0) {
        distance = systemDistance;
        autoCalculated = true;
        return undefined;
      }
      if (facts.distanceCheck === 'strict' && Math.abs(declared - systemDistance) > systemDistance * 0.1)
        return '4013';
      distance = declared;
      return undefined;
    },
  ];

  for (const check of checks) {
    const code = check();
    if (!code) continue;
    const detail = explain(code);
    return { ok: false, error: detail ? irpErrorWithDetail(code, detail) : irpError(code) };
  }
  const perDay = t.VehType === 'O' ? KM_PER_DAY_ODC : KM_PER_DAY;
  const validTill = partB ? endOfIstDay(facts.now, Math.max(1, Math.ceil(distance / perDay))) : null;
  const plan: EwbPlan = { distance, autoCalculated, validTill, transport: t };
  if (systemDistance !== undefined) plan.estimate = systemDistance;
  return { ok: true, plan };
}
