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
  return entry.message.replace(/\{(\d+)\}/g, (_m, i: string) => shownValue(params[Number(i)] ?? ''));
}

/** The longest submitted value a message repeats whole. */
export const MAX_SHOWN_VALUE = 80;

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * A submitted value as a message may repeat it: control characters (ESC among them, which would drive
 * the reader's terminal) written as `\u001b`, and anything longer than {@link MAX_SHOWN_VALUE} cut with
 * its length said, so a 10 MB value is never echoed back.
 */
export function shownValue(value: string, max = MAX_SHOWN_VALUE): string {
  const cut = value.length > max ? value.slice(0, max) : value;
  const clean = cut.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return value.length > max ? `${clean}… (${value.length} characters)` : clean;
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
  const f: Finding = { code, message: irpMessage(code, ...params), path: shownValue(path, 200) };
  if (detail !== undefined) f.detail = shownValue(detail, 400);
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
  return { ErrorCode: code, ErrorMessage: `${irpMessage(code, ...params)} - ${shownValue(detail, 400)}` };
}
