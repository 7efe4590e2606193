/**
 * Turns io-ts decode errors into IRP findings. NIC answers schema violations with a handful of specific
 * codes (missing supplier GSTIN 2155, bad date format 2144, bad unit 2177, …) and otherwise with
 * 2140 "Error while validating invoice"; the `detail` says which constraint failed.
 */
import type * as t from 'io-ts';
import { finding, type Finding } from '../errors.js';

const PARTY: Record<string, string> = {
  SellerDtls: 'Supplier',
  BuyerDtls: 'Recipient',
  DispDtls: 'Dispatch',
  ShipDtls: 'Ship',
};

function pathOf(context: t.Context): string {
  let path = '';
  for (let i = 1; i < context.length; i++) {
    const { key } = context[i]!;
    if (!/^\d+$/.test(key)) path = path ? `${path}.${key}` : key;
    // A numeric key is an array index only under an array; under an intersection it names a member.
    else if (Array.isArray(context[i - 1]!.actual)) path = `${path}[${key}]`;
  }
  return path;
}

/** `ItemList[3].HsnCd` → `ItemList[].HsnCd`, the key the code table is written in. */
const generic = (path: string) => path.replace(/\[\d+\]/g, '[]');

/** A value as finding text: scalars as written, anything else by its kind (never its own toString). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  // A missing value (or a null the schema drops) fills NIC's "{0}" as "missing", never "undefined".
  if (value === undefined) return 'missing';
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : typeof value;
}

function codeFor(path: string, missing: boolean, value: unknown): { code: string; params?: string[] } {
  const g = generic(path);
  const [head, field] = [g.split('.')[0]!, g.split('.').slice(1).join('.')];
  const party = PARTY[head];
  if (missing) {
    if (g === 'SellerDtls.Gstin') return { code: '2155' };
    if (party && field === 'Gstin') return { code: '2214', params: [party] };
    if (party && (field === 'Pin' || field === 'Stcd')) return { code: '2215', params: [party] };
    if (party && (field === 'LglNm' || field === 'Nm')) return { code: '2216', params: [party] };
    if (party && field === 'Loc') return { code: '2217', params: [party] };
    if (g === 'ItemList') return { code: '2228' };
  }
  const text = describeValue(value);
  switch (g) {
    case 'ItemList':
      return { code: '2228' };
    case 'DocDtls.Dt':
      return { code: '2144' };
    case 'DocDtls.Typ':
      return { code: '2161' };
    case 'TranDtls.RegRev':
      return { code: '2159' };
    case 'TranDtls.IgstOnIntra':
      return { code: '2263' };
    case 'ItemList[].HsnCd':
      return { code: '2176', params: [text] };
    case 'ItemList[].Unit':
      return { code: '2177', params: [text] };
    case 'ItemList[].GstRt':
      return { code: '2240', params: [text] };
    case 'ExpDtls.Port':
      return { code: '2201' };
    case 'ExpDtls.ForCur':
      return { code: '2203' };
    case 'ExpDtls.CntCode':
    case 'ItemList[].OrgCntry':
      return { code: '2202' };
  }
  if (!missing && (field === 'Gstin' || g === 'TranDtls.EcmGstin')) return { code: '3028' };
  if (!missing && party && field === 'Stcd') return { code: head === 'SellerDtls' ? '2259' : '2260' };
  return { code: '2140' };
}

export function schemaFindings(errors: t.Errors): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const error of errors) {
    const path = pathOf(error.context);
    if (seen.has(path)) continue; // one finding per field: the first constraint that failed
    seen.add(path);
    const missing = error.value === undefined;
    const { code, params } = codeFor(path, missing, error.value);
    const detail = missing ? `${path} is required` : `${path} ${error.message ?? 'is not valid'}`;
    out.push(finding(code, path, params ?? [], detail));
  }
  return out;
}
