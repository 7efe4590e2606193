/**
 * Advice the IRP would not reject on, but an ERP team wants to see: GSTIN check characters (NIC's own
 * sandbox GSTINs fail them, README §9), backslashes (NIC's prose forbids them, its schema does not),
 * TotAmt ≠ Qty × UnitPrice (rule 2192 is suspended), and what the normaliser had to change.
 */
import { shownValue } from '../errors.js';
import { hasValidGstinCheckCharacter } from '../gstin.js';
import type { NormalizeNote } from '../schema/normalize.js';
import { num, round2, within } from './money.js';
import { hasPrecedingDocument } from './rules/document.js';
import type { LooseInvoice, Warning } from './rules/types.js';

/** The JSON path of a position given as keys and indexes: `ItemList[0].PrdDesc`. */
function pathText(at: readonly (string | number)[]): string {
  let path = '';
  for (const k of at) path = typeof k === 'number' ? `${path}[${k}]` : path ? `${path}.${k}` : k;
  return path;
}

/** The path of every string containing a backslash, in document order (a path is built only for those). */
function backslashPaths(value: unknown, at: (string | number)[], out: string[]): void {
  if (typeof value === 'string') {
    if (value.includes('\\')) out.push(pathText(at));
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      at.push(i);
      backslashPaths(value[i], at, out);
      at.pop();
    }
  } else if (value && typeof value === 'object') {
    for (const k of Object.keys(value)) {
      at.push(k);
      backslashPaths((value as Record<string, unknown>)[k], at, out);
      at.pop();
    }
  }
}

export function invoiceWarnings(inv: LooseInvoice, notes: readonly NormalizeNote[]): Warning[] {
  const out: Warning[] = [];
  if (inv.Irn !== undefined)
    out.push({
      code: 'W_IRN_SENT',
      message: 'Irn must not be sent: the IRP computes it and ignores the sent value',
      path: 'Irn',
    });
  const gstins: [string, unknown][] = [
    ['SellerDtls.Gstin', inv.SellerDtls?.Gstin],
    ['BuyerDtls.Gstin', inv.BuyerDtls?.Gstin],
    ['ShipDtls.Gstin', inv.ShipDtls?.Gstin],
    ['TranDtls.EcmGstin', inv.TranDtls?.EcmGstin],
    ['EwbDtls.TransId', inv.EwbDtls?.TransId],
  ];
  for (const [path, g] of gstins) {
    if (typeof g === 'string' && g.length === 15 && !hasValidGstinCheckCharacter(g))
      out.push({
        code: 'W_GSTIN_CHECK_DIGIT',
        message: `GSTIN ${shownValue(g)} fails its check character (the IRP accepts it)`,
        path,
      });
  }
  const backslashes: string[] = [];
  backslashPaths(inv, [], backslashes);
  for (const path of backslashes)
    out.push({ code: 'W_BACKSLASH', message: 'NIC asks that text fields contain no backslash', path });
  (Array.isArray(inv.ItemList) ? inv.ItemList : []).forEach((item, i) => {
    const [qty, price, tot] = [num(item?.Qty), num(item?.UnitPrice), num(item?.TotAmt)];
    if (qty !== undefined && price !== undefined && tot !== undefined && !within(tot, qty * price, 1))
      out.push({
        code: 'W_TOTAMT',
        message: `TotAmt ${tot} differs from Qty × UnitPrice ${round2(qty * price)} (rule 2192 is suspended)`,
        path: `ItemList[${i}].TotAmt`,
      });
  });
  if (inv.DocDtls?.Typ === 'DBN' && !hasPrecedingDocument(inv))
    out.push({
      code: 'W_PRECEDING_DOCUMENT',
      message: 'a debit note should name its original invoice in RefDtls.PrecDocDtls (2191 on a strict IRP)',
      path: 'RefDtls.PrecDocDtls',
    });
  for (const note of notes) {
    if (note.kind === 'unknown-dropped')
      out.push({
        code: 'W_UNKNOWN_PROPERTY',
        message: 'not a property of the IRP schema; ignored',
        path: note.path,
      });
    if (note.kind === 'renamed')
      out.push({
        code: 'W_PROPERTY_CASE',
        message: `bound case-insensitively from "${shownValue(note.from ?? '')}"`,
        path: note.path,
      });
  }
  // Paths are made of the submitted keys: never repeat a 10 MB key or a terminal escape code whole.
  return out.map((w) => ({ ...w, path: shownValue(w.path, 200) }));
}
