/** Small helpers the generators share when rendering a scenario into an ERP record. */
import type { Dec, Paise } from '../shared/decimal.js';
import { decToString, rescale } from '../shared/decimal.js';

/** Reverse of an ERP→IRP table: the ERP code to emit for an IRP code (first listed wins). */
export function reverse(
  table: Readonly<Record<string, string>>,
  prefer: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [erp, irp] of Object.entries(table)) if (!(irp in out)) out[irp] = erp;
  return { ...out, ...prefer };
}

export function lookup(table: Readonly<Record<string, string>>, key: string, what: string): string {
  const v = table[key];
  if (v === undefined) throw new Error(`generator: no ${what} for ${key}`);
  return v;
}

export const money = (p: Paise): string => decToString({ units: BigInt(p), scale: 2 });
export const fixed = (d: Dec, scale: number): string => decToString({ units: rescale(d, scale), scale });
export const compactDate = (iso: string): string => iso.replaceAll('-', '');

/** Digits of a document number, for ERPs whose internal numbers are numeric. */
export function numericId(text: string, width: number, prefix: string): string {
  const digits = text.replace(/\D/g, '');
  return (prefix + digits.padStart(width, '0')).slice(-width);
}

/** A stable millisecond timestamp for a document date (10:00 IST). */
export const eventTs = (iso: string): number => Date.parse(`${iso}T04:30:00Z`);
