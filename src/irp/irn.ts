/**
 * The IRN (README §5): lowercase hex SHA-256 of `SellerGstin + FY + DocType + DocNo`, no separators, FY
 * `YYYY-YY` from the document date. From 1 June 2025 (IST) the IRP upper-cases the document number
 * before hashing (GSTN advisory of 4 April 2025), so `abc` and `ABC` are one document; before that the
 * number was hashed as sent. Deterministic, which is what makes IRP submissions idempotent.
 */
import { createHash } from 'node:crypto';
import { financialYear, parseIsoDate } from './dates.js';

export type DocType = 'INV' | 'CRN' | 'DBN';

/** The first IST day on which document numbers are upper-cased before hashing. */
export const IRN_UPPERCASE_FROM: Date = parseIsoDate('2025-06-01')!;

export interface IrnInput {
  gstin: string;
  docType: DocType;
  docNo: string;
  /** `dd/MM/yyyy` */
  docDate: string;
  /** When the IRN is generated (decides the case rule). */
  asOf: Date;
}

/** The string that is hashed; exported because a support engineer wants to see it. */
export function irnPreimage({ gstin, docType, docNo, docDate, asOf }: IrnInput): string {
  const fy = financialYear(docDate);
  if (!fy) throw new RangeError(`document date ${JSON.stringify(docDate)} is not a dd/MM/yyyy date`);
  const number = asOf.getTime() >= IRN_UPPERCASE_FROM.getTime() ? docNo.toUpperCase() : docNo;
  return `${gstin.toUpperCase()}${fy}${docType.toUpperCase()}${number}`;
}

export function computeIrn(input: IrnInput): string {
  return createHash('sha256').update(irnPreimage(input), 'utf8').digest('hex');
}

export function isIrn(text: string): boolean {
  return /^[0-9a-f]{64}$/.test(text);
}

/**
 * The identity of a document as the IRP de-duplicates it (§5, §7): supplier GSTIN, financial year,
 * document type and number, the number compared without case. One document gets one IRN whatever the
 * case of its number and whichever side of 1 June 2025 it was sent — while its IRN hash did change on
 * that day for a mixed-case number. Undefined for a date that is not dd/MM/yyyy.
 */
export function documentKey(doc: {
  gstin: string;
  docType: string;
  docNo: string;
  docDate: string;
}): string | undefined {
  const fy = financialYear(doc.docDate);
  if (!fy) return undefined;
  return `${doc.gstin.toUpperCase()}|${fy}|${doc.docType.toUpperCase()}|${doc.docNo.toUpperCase()}`;
}
