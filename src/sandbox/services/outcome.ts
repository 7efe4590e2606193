/**
 * What a sandbox service returns: the decrypted `Data` of a success, or the `ErrorDetails` of a
 * failure, each with optional `InfoDtls`. The HTTP layer turns it into the IRP envelope (§1).
 */
import { irpError, irpErrorWithDetail, type IrpErrorDetail } from '../../irp/errors.js';
import { throttledEnvelope } from '../http/limits.js';

/** One `InfoDtls` entry, e.g. `{InfCd: "DUPIRN", Desc: {AckNo, AckDt, Irn}}`. */
export interface InfoDetail {
  InfCd: string;
  Desc: unknown;
}

/**
 * `reason` is for the sandbox's log only (why the request failed, in words; never a secret); the
 * client sees `errors`, whose messages already name the offending field where NIC's wording is generic.
 */
export type Outcome<T> =
  | { ok: true; data: T; info?: InfoDetail[] }
  | { ok: false; errors: IrpErrorDetail[]; info?: InfoDetail[]; reason?: string; retryAfterMs?: number };

export type Failure = Extract<Outcome<never>, { ok: false }>;

export function success<T>(data: T, info?: InfoDetail[]): Outcome<T> {
  return info && info.length > 0 ? { ok: true, data, info } : { ok: true, data };
}

/** A failure with one catalogued IRP code (message from error-codes.tsv, `{n}` filled from params). */
export function failure(code: string, ...params: string[]): Failure {
  return { ok: false, errors: [irpError(code, ...params)] };
}

/**
 * A failure whose NIC message is generic: the message is followed by `detail` (which field, what is
 * wrong), and the log records the same as its reason.
 */
export function explained(code: string, detail: string, ...params: string[]): Failure {
  return { ok: false, errors: [irpErrorWithDetail(code, detail, ...params)], reason: detail };
}

export function failures(errors: IrpErrorDetail[], info?: InfoDetail[]): Failure {
  return info && info.length > 0 ? { ok: false, errors, info } : { ok: false, errors };
}

/** A failure with NIC's exact message and a reason for the sandbox log only. */
export function failureBecause(reason: string, code: string, ...params: string[]): Failure {
  return { ok: false, errors: [irpError(code, ...params)], reason };
}

/**
 * A refusal for load or probing (http/limits.ts): HTTP 429 with Retry-After and 5002 naming the reason.
 */
export function throttled(reason: string, retryAfterMs: number): Failure {
  const envelope = throttledEnvelope(reason);
  return { ok: false, errors: envelope.ErrorDetails, reason, retryAfterMs };
}
