/**
 * What a sandbox service returns: the decrypted `Data` of a success, or the `ErrorDetails` of a
 * failure, each with optional `InfoDtls`. The HTTP layer turns it into the IRP envelope (§1).
 */
import { irpError, type IrpErrorDetail } from '../../irp/errors.js';

/** One `InfoDtls` entry, e.g. `{InfCd: "DUPIRN", Desc: {AckNo, AckDt, Irn}}`. */
export interface InfoDetail {
  InfCd: string;
  Desc: unknown;
}

export type Outcome<T> =
  { ok: true; data: T; info?: InfoDetail[] } | { ok: false; errors: IrpErrorDetail[]; info?: InfoDetail[] };

export type Failure = Extract<Outcome<never>, { ok: false }>;

export function success<T>(data: T, info?: InfoDetail[]): Outcome<T> {
  return info && info.length > 0 ? { ok: true, data, info } : { ok: true, data };
}

/** A failure with one catalogued IRP code (message from error-codes.tsv, `{n}` filled from params). */
export function failure(code: string, ...params: string[]): Failure {
  return { ok: false, errors: [irpError(code, ...params)] };
}

export function failures(errors: IrpErrorDetail[], info?: InfoDetail[]): Failure {
  return info && info.length > 0 ? { ok: false, errors, info } : { ok: false, errors };
}
