/**
 * What every client call resolves to. Failures are values (ARCHITECTURE.md): the pipeline routes on
 * `kind` and never has to catch.
 *
 * | kind                  | meaning                                                  | pipeline does           |
 * |-----------------------|----------------------------------------------------------|-------------------------|
 * | `success`             | the IRP accepted (or a duplicate was safely adopted)     | publish result          |
 * | `recovered-partial`   | registered earlier; only part of it could be read back   | publish result, partial |
 * | `rejected`            | business/schema error codes; retrying cannot help        | publish to errors topic |
 * | `conflict`            | 2150 for a document that differs from what was sent      | publish to errors topic |
 * | `unconfigured-gstin`  | no credentials for this GSTIN: no request was sent       | that record's error     |
 * | `credentials`         | login/credential problem; nothing is retried             | stop that GSTIN, alert  |
 * | `operator`            | the IRP has no such API (HTTP 404/405): a config error   | halt, alert             |
 * | `transient-exhausted` | network/5xx/timeouts outlasted the retry budget          | pause and retry later   |
 * | `circuit-open`        | the breaker is open: no request was sent                 | pause consumption       |
 */

/** One IRP error (`ErrorDetails` entry) in the product's spelling. */
export interface IrpErrorItem {
  code: string;
  message: string;
}

/** One `InfoDtls` (or `Alert`) entry as the IRP sent it. */
export interface InfoDetail {
  InfCd: string;
  Desc: unknown;
}

/** Why an attempt failed in a way worth retrying. */
export interface TransientCause {
  reason:
    | 'timeout'
    | 'connect-timeout'
    | 'reset'
    | 'refused'
    | 'network'
    | 'aborted'
    | 'http-status'
    | 'irp-system'
    | 'token'
    | 'garbled'
    | 'overloaded'
    | 'deadline'
    /** The IRP answered with codes its catalogue does not know: retried, never blamed on the document. */
    | 'unknown-code';
  message: string;
  /** IRP error code (`5002`, `2146`, `1005` …) when the IRP named one. */
  code?: string;
  /** HTTP status when the failure was an HTTP status. */
  status?: number;
}

export interface SuccessOutcome<T> {
  kind: 'success';
  data: T;
  /** True when the result was recovered from an earlier registration (2150) or an earlier attempt. */
  recovered: boolean;
  info: InfoDetail[];
}

export interface RejectedOutcome {
  kind: 'rejected';
  errors: IrpErrorItem[];
  info: InfoDetail[];
}

export interface CredentialsOutcome {
  kind: 'credentials';
  gstin: string;
  code: string;
  message: string;
}

/**
 * The document names a GSTIN this client has no credentials for. Nothing was sent: it is that
 * document's problem (a seller missing from the configuration), not the client's nor the IRP's.
 */
export interface UnconfiguredGstinOutcome {
  kind: 'unconfigured-gstin';
  gstin: string;
  message: string;
}

/**
 * The IRP answered in a way only a person can fix: HTTP 404/405 (no such API — a wrong base URL or
 * path in the configuration). Neither the document's fault nor something a retry heals.
 */
export interface OperatorOutcome {
  kind: 'operator';
  code: string;
  message: string;
  status?: number;
}

export interface TransientExhaustedOutcome {
  kind: 'transient-exhausted';
  lastError: TransientCause;
  attempts: number;
}

export interface CircuitOpenOutcome {
  kind: 'circuit-open';
  lastError?: TransientCause;
}

/** The registration the IRP reported in `InfoDtls[DUPIRN].Desc`. */
export interface DuplicateRef {
  Irn: string;
  AckNo?: number | string;
  AckDt?: string;
}

export type ConflictReason =
  | 'buyer-gstin-mismatch'
  | 'total-mismatch'
  | 'irn-mismatch'
  | 'cancelled'
  | 'not-retrievable'
  | 'unverifiable';

/** 2150 for a document the client could not safely adopt as its own. */
export interface ConflictOutcome {
  kind: 'conflict';
  reason: ConflictReason;
  message: string;
  duplicate?: DuplicateRef;
  /** Field-level differences between the submitted and the registered invoice. */
  mismatches: { field: string; submitted: unknown; registered: unknown }[];
  /** IRP errors met while trying to fetch the registration (e.g. 2283 older than three days). */
  errors: IrpErrorItem[];
}

/**
 * A document the IRP confirms as registered (2150 with DUPIRN, or 9999 on a replayed cancel) whose
 * registration could not be read back in full — typically because it is older than the IRP's
 * retrieval window (2283, three days). `data` holds what the IRP did confirm (the IRN, and the AckNo
 * and AckDt from DUPIRN); `missing` names the response fields that could not be fetched and
 * `unverified` the checks that could not be made. A success, never an error: the document is registered.
 */
export interface RecoveredPartialOutcome<T> {
  kind: 'recovered-partial';
  data: Partial<T> & { Irn: string };
  recovered: true;
  missing: string[];
  unverified: string[];
  /** Why the registration could not be read in full. */
  reason: string;
  /** The IRP errors met on the way (2150 and 2283, say). */
  errors: IrpErrorItem[];
  info: InfoDetail[];
}

/** Outcome of every API but Generate IRN. */
export type ApiOutcome<T> =
  | SuccessOutcome<T>
  | RejectedOutcome
  | CredentialsOutcome
  | UnconfiguredGstinOutcome
  | OperatorOutcome
  | TransientExhaustedOutcome
  | CircuitOpenOutcome;

/** Outcome of Generate IRN: an API outcome, a duplicate conflict, or a partly recovered registration. */
export type GenerateOutcome<T> = ApiOutcome<T> | ConflictOutcome | RecoveredPartialOutcome<T>;

/** Outcome of Cancel IRN: a replayed cancel the IRP can no longer show may be recovered only in part. */
export type CancelOutcome<T> = ApiOutcome<T> | RecoveredPartialOutcome<T>;

/** Whether trying the same call later could succeed (the pipeline pauses rather than rejects). */
export function isRetriableOutcome(outcome: { kind: string }): boolean {
  return outcome.kind === 'transient-exhausted' || outcome.kind === 'circuit-open';
}
