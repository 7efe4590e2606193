/**
 * The IRP error catalogue (data/irp/error-codes.tsv: 244 codes with NIC's own wording) and the shapes
 * errors take on the wire (`ErrorDetails` entries) and inside the product (`Finding`).
 */
import { ERROR_CODE_ROWS } from './data/error-codes.generated.js';

export type ErrorCategory = 'auth' | 'schema' | 'business' | 'duplicate' | 'system';

export interface CatalogueEntry {
  readonly code: string;
  readonly message: string;
  readonly category: ErrorCategory;
}

const catalogue: ReadonlyMap<string, CatalogueEntry> = new Map(
  ERROR_CODE_ROWS.map((row) => [row.code, row as CatalogueEntry]),
);

/** The catalogue entry of an IRP code, or undefined for a code the record does not list. */
export function lookupErrorCode(code: string): CatalogueEntry | undefined {
  return catalogue.get(code);
}

/** Every catalogued code, for documentation and tests. */
export function allErrorCodes(): readonly CatalogueEntry[] {
  return [...catalogue.values()];
}

/**
 * NIC's message for a code with its `{0}`, `{1}` … placeholders filled in order. A code missing from the
 * catalogue is a programming error in this project, so it throws rather than inventing wording.
 */
export function irpMessage(code: string, ...params: readonly string[]): string {
  const entry = catalogue.get(code);
  if (!entry) throw new Error(`IRP error code ${code} is not in the catalogue`);
  return entry.message.replace(/\{(\d+)\}/g, (_m, i: string) => params[Number(i)] ?? '');
}

/** One `ErrorDetails` entry as NIC spells it on the wire. */
export interface IrpErrorDetail {
  ErrorCode: string;
  ErrorMessage: string;
}

export function irpError(code: string, ...params: readonly string[]): IrpErrorDetail {
  return { ErrorCode: code, ErrorMessage: irpMessage(code, ...params) };
}

/**
 * A validation finding: an IRP code with NIC's message, the JSON path of the offending value
 * (`ItemList[2].HsnCd`, canonical property names) and, where NIC's wording is generic, a `detail`
 * saying exactly what is wrong.
 */
export interface Finding {
  code: string;
  message: string;
  path: string;
  detail?: string;
}

export function finding(
  code: string,
  path: string,
  params: readonly string[] = [],
  detail?: string,
): Finding {
  const f: Finding = { code, message: irpMessage(code, ...params), path };
  if (detail !== undefined) f.detail = detail;
  return f;
}

/**
 * A finding as the sandbox puts it on the wire: NIC's code, and NIC's message followed by the field it
 * is about and, where NIC's wording is generic (2140 "Error while validating invoice"), what exactly is
 * wrong — `Error while validating invoice - DocDtls.Typ must be one of INV, CRN, DBN`. NIC's GSP
 * vendors report field-level detail in `ErrorMessage` the same way; clients that match on the code are
 * unaffected, and the message always starts with NIC's own text.
 */
export function findingToErrorDetail(f: Finding): IrpErrorDetail {
  const where = f.detail ?? f.path;
  return { ErrorCode: f.code, ErrorMessage: where ? `${f.message} - ${where}` : f.message };
}

/** NIC's message for `code`, followed by what exactly was wrong (see {@link findingToErrorDetail}). */
export function irpErrorWithDetail(
  code: string,
  detail: string,
  ...params: readonly string[]
): IrpErrorDetail {
  return { ErrorCode: code, ErrorMessage: `${irpMessage(code, ...params)} - ${detail}` };
}
