/**
 * Outcome classification, pure: which IRP answers are final (rejected, duplicate, credentials) and
 * which are worth another attempt (transient). The line matters twice over: retrying a business
 * rejection only adds to the error count NIC blocks GSTINs for (README §12), and rejecting on a
 * transient failure would turn a valid invoice into an error record during an IRP outage.
 */
import { lookupErrorCode } from '../errors.js';
import { isGarbled, parseEnvelope, type Envelope } from './envelope.js';
import type { TransportError } from './http.js';
import type { HttpResponse } from './http.js';
import type { IrpErrorItem, TransientCause } from './outcome.js';

/** The class of an IRP failure envelope. */
export type ErrorClass = 'token' | 'credentials' | 'duplicate' | 'transient' | 'rejected';

/** 1005 "Invalid Token": the session must be renewed, the request itself may be fine. */
export const TOKEN_CODES: ReadonlySet<string> = new Set(['1005']);

/** Duplicates the client can recover from: 2150 Duplicate IRN, 4002 EWB already generated for the IRN. */
export const DUPLICATE_CODES: ReadonlySet<string> = new Set(['2150', '4002']);

/**
 * System failures that a later attempt can cure. The catalogue's `system` category plus codes whose
 * wording is a server fault; 5002 changed meaning from "body too large" to a generic application
 * error (error-codes.tsv notes), and is treated as the latter.
 */
export function isTransientCode(code: string): boolean {
  if (code === '5001' || code === '5002' || code === 'SYS_5001') return true;
  return lookupErrorCode(code)?.category === 'system';
}

/**
 * Codes catalogued under `auth` that are about one request's object, not about the login: retrying
 * is useless, but stopping the whole GSTIN would be wrong.
 */
const REQUEST_SCOPED_AUTH_CODES: ReadonlySet<string> = new Set(['2257', '4037']);

/** A code that means the credentials or the API user are wrong or disabled: stop, never loop. */
export function isCredentialsCode(code: string): boolean {
  if (TOKEN_CODES.has(code) || REQUEST_SCOPED_AUTH_CODES.has(code)) return false;
  return lookupErrorCode(code)?.category === 'auth';
}

/** Whether NIC's catalogue (error-codes.tsv) knows the code. */
export function isKnownCode(code: string): boolean {
  return code === 'SYS_5001' || lookupErrorCode(code) !== undefined;
}

/**
 * Classifies the `ErrorDetails` of an API response. Precedence: token, credentials, duplicate; then a
 * response naming at least one catalogued business or schema code is a rejection (the document has a
 * known fault). What is left — system codes and codes the catalogue does not know — is transient:
 * an unknown code says nothing against the invoice, so it is retried with backoff and, if it persists,
 * reported as unclassified by the caller's bound on retries, never as the invoice's fault.
 */
export function classifyIrpErrors(errors: readonly IrpErrorItem[]): ErrorClass {
  if (errors.some((e) => TOKEN_CODES.has(e.code))) return 'token';
  if (errors.some((e) => isCredentialsCode(e.code))) return 'credentials';
  if (errors.some((e) => DUPLICATE_CODES.has(e.code))) return 'duplicate';
  if (errors.some((e) => isKnownCode(e.code) && !isTransientCode(e.code))) return 'rejected';
  return 'transient';
}

/**
 * Classifies the `ErrorDetails` of an auth response: a system fault is transient, anything else means
 * the login cannot succeed as configured.
 */
export function classifyAuthErrors(errors: readonly IrpErrorItem[]): 'transient' | 'credentials' {
  return errors.length > 0 && errors.every((e) => isTransientCode(e.code)) ? 'transient' : 'credentials';
}

/** What one HTTP exchange amounts to before the API-specific handling. */
export type HttpClass =
  | { kind: 'envelope'; envelope: Envelope }
  | { kind: 'transient'; cause: TransientCause }
  | { kind: 'credentials'; code: string; message: string }
  | { kind: 'operator'; code: string; message: string; status: number };

/**
 * Classifies a complete HTTP response. 5xx, 408, 425 and 429 are transient whatever the body says;
 * 404 and 405 are an operator's problem (no such API: a wrong base URL or path — it does not heal by
 * itself, and it is never the document's fault); a readable envelope is handed on; an unreadable body
 * is a credentials problem on 401/403 and otherwise transient — a proxy, gateway or firewall answered
 * instead of the IRP, which says nothing about the document.
 */
export function classifyHttpResponse(res: HttpResponse): HttpClass {
  if (res.status >= 500 || res.status === 408 || res.status === 425 || res.status === 429) {
    return {
      kind: 'transient',
      cause: { reason: 'http-status', status: res.status, message: `HTTP ${res.status} from the IRP` },
    };
  }
  // A wrong path or method does not heal by itself, whatever envelope the server wraps it in.
  if (res.status === 404 || res.status === 405) {
    return {
      kind: 'operator',
      code: `HTTP_${res.status}`,
      status: res.status,
      message: `HTTP ${res.status}: the IRP has no such API (check irp.baseUrl and the API paths in the configuration)`,
    };
  }
  const envelope = parseEnvelope(res.body);
  if (!isGarbled(envelope)) return { kind: 'envelope', envelope };
  if (res.status === 401 || res.status === 403)
    return {
      kind: 'credentials',
      code: `HTTP_${res.status}`,
      message: `HTTP ${res.status} without an IRP envelope (${envelope.garbled})`,
    };
  if (res.status >= 200 && res.status < 300) {
    return { kind: 'transient', cause: { reason: 'garbled', status: res.status, message: envelope.garbled } };
  }
  return {
    kind: 'transient',
    cause: {
      reason: 'http-status',
      status: res.status,
      message: `HTTP ${res.status} without an IRP envelope (${envelope.garbled}): answered by something other than the IRP`,
    },
  };
}

/** A transport failure as a transient cause. */
export function transientFromTransport(error: TransportError): TransientCause {
  return { reason: error.reason, message: error.message };
}

/**
 * A transient cause for an IRP envelope whose codes are all system faults (`irp-system`) or include
 * codes the catalogue does not know (`unknown-code`: the IRP answered, so the breaker does not count it).
 */
export function transientFromErrors(errors: readonly IrpErrorItem[]): TransientCause {
  const unknown = errors.find((e) => !isKnownCode(e.code));
  const first = unknown ?? errors[0];
  return {
    reason: unknown ? 'unknown-code' : 'irp-system',
    code: first?.code,
    message: errors.map((e) => `${e.code}: ${e.message}`).join('; '),
  };
}
