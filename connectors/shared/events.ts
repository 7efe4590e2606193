/**
 * The cancel and e-way bill events, and their pieces, which every connector builds the same way once it
 * has pulled the values out of its ERP record.
 */
import type { SupplyType } from '../../src/irp/schema/invoice.js';
import type { CancelReason, DocType, DocumentRef, EwbFields, MapResult } from '../types.js';
import { docKey } from './doc.js';
import { given, type Issues } from './issues.js';
import { compact, text } from './parties.js';

export function documentRef(
  gstin: string,
  docType: DocType,
  docNo: string,
  docDate: string,
  irn?: string | null,
): DocumentRef {
  return compact({
    docKey: docKey(gstin, docType, docNo, docDate),
    gstin,
    irn: given(irn)?.toLowerCase(),
    docType,
    docNo,
    docDate,
  });
}

const SUPPLY_TYPES: readonly SupplyType[] = ['B2B', 'SEZWP', 'SEZWOP', 'EXPWP', 'EXPWOP', 'DEXP'];

export function supplyType(
  issues: Issues,
  value: string | null | undefined,
  path: string,
): SupplyType | undefined {
  const v = given(value)?.toUpperCase();
  if (v && (SUPPLY_TYPES as readonly string[]).includes(v)) return v as SupplyType;
  return issues.add(
    'MAP_INVALID_CODE',
    path,
    `${JSON.stringify(value)} is not one of ${SUPPLY_TYPES.join(', ')}`,
  );
}

export const isExport = (t: SupplyType): boolean => t === 'EXPWP' || t === 'EXPWOP';

export function cancelReason(
  issues: Issues,
  value: string | number | null | undefined,
  path: string,
): CancelReason | undefined {
  const v = String(value ?? '').trim();
  if (v === '1' || v === '2' || v === '3' || v === '4') return v;
  return issues.add('MAP_INVALID_CODE', path, `cancel reason ${JSON.stringify(value)} is not 1–4`);
}

export function cancelRemark(
  issues: Issues,
  value: string | null | undefined,
  path: string,
): string | undefined {
  return text(value, 1, 100) ?? issues.add('MAP_MISSING_FIELD', path, `${path} (cancel remark) is required`);
}

export interface EwbInput {
  distance: number | null | undefined;
  mode?: string | null;
  transId?: string | null;
  transName?: string | null;
  transDocNo?: string | null;
  /** Already `dd/MM/yyyy`. */
  transDocDt?: string;
  vehNo?: string | null;
  vehType?: string | null;
}

export type EwbPaths = Record<'distance' | 'mode' | 'transId' | 'vehType', string>;

/** The e-way bill part; `paths` names the ERP fields for error messages. */
export function ewbFields(issues: Issues, x: EwbInput, paths: EwbPaths): EwbFields | undefined {
  const before = issues.errors.length;
  if (typeof x.distance !== 'number' || !Number.isInteger(x.distance) || x.distance < 0 || x.distance > 4000)
    issues.add(
      'MAP_MISSING_FIELD',
      paths.distance,
      `distance ${JSON.stringify(x.distance)} must be 0–4000 km`,
    );
  const mode = given(x.mode);
  if (mode !== undefined && !['1', '2', '3', '4'].includes(mode))
    issues.add('MAP_INVALID_CODE', paths.mode, `transport mode ${JSON.stringify(mode)} is not 1–4`);
  const transId = given(x.transId)?.toUpperCase();
  if (transId !== undefined && !/^[0-9]{2}[0-9A-Z]{13}$/.test(transId))
    issues.add(
      'MAP_INVALID_GSTIN',
      paths.transId,
      `transporter id ${JSON.stringify(transId)} is not a GSTIN/TRANSIN`,
    );
  const vehType = given(x.vehType)?.toUpperCase();
  if (vehType !== undefined && vehType !== 'R' && vehType !== 'O')
    issues.add('MAP_INVALID_CODE', paths.vehType, `vehicle type ${JSON.stringify(vehType)} is not R or O`);
  if (issues.errors.length > before) return undefined;
  return compact({
    Distance: x.distance as number,
    TransId: transId,
    TransName: text(x.transName, 3, 100),
    TransMode: mode as EwbFields['TransMode'],
    TransDocNo: given(x.transDocNo),
    TransDocDt: x.transDocDt,
    VehNo: given(x.vehNo)
      ?.replace(/[^A-Za-z0-9]/g, '')
      .toUpperCase(),
    VehType: vehType as EwbFields['VehType'],
  });
}

/**
 * Where a cancel or e-way bill request sits in the ERP record. An ERP can send the event without the
 * record that carries the request; `missing` says what the request needs, in the ERP's words.
 */
export interface RequestAt {
  request: string;
  missing: string;
}

export interface CancelInput {
  /** Already translated from the ERP's own reason codes, where it has them. */
  reason: string | number | null | undefined;
  remark: string | null | undefined;
}

/** The cancel event for a document, or every problem with its cancel request. */
export function cancelEvent(
  issues: Issues,
  ref: () => DocumentRef,
  request: CancelInput | null,
  at: RequestAt & { reason: string; remark: string },
): MapResult {
  if (!request) issues.add('MAP_MISSING_FIELD', at.request, at.missing);
  const reason = request ? cancelReason(issues, request.reason, at.reason) : undefined;
  const remark = request ? cancelRemark(issues, request.remark, at.remark) : undefined;
  return issues.result(() => ({ kind: 'cancel', ...ref(), reason: reason!, remark: remark! }));
}

/** The e-way bill event for a registered document, or every problem with its transport details. */
export function ewbEvent(
  issues: Issues,
  ref: () => DocumentRef,
  request: EwbInput | null,
  at: RequestAt & EwbPaths,
): MapResult {
  if (!request) issues.add('MAP_MISSING_FIELD', at.request, at.missing);
  const fields = request ? ewbFields(issues, request, at) : undefined;
  return issues.result(() => ({ kind: 'ewb', ...ref(), ...fields! }));
}
