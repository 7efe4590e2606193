/**
 * What every client call resolves to. Failures are values (ARCHITECTURE.md): the pipeline routes on
 * `kind` and never has to catch.
 *
 * | kind                  | meaning                                                  | pipeline does           |
 * |-----------------------|----------------------------------------------------------|-------------------------|
 * | `success`             | the IRP accepted (or a duplicate was safely adopted)     | publish result          |
 * | `rejected`            | business/schema error codes; retrying cannot help        | publish to errors topic |
 * | `conflict`            | 2150 for a document that differs from what was sent      | publish to errors topic |
 * | `credentials`         | login/credential problem; nothing is retried             | stop that GSTIN, alert  |
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
    | 'deadline';
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

/** Outcome of every API but Generate IRN. */
export type ApiOutcome<T> =
  SuccessOutcome<T> | RejectedOutcome | CredentialsOutcome | TransientExhaustedOutcome | CircuitOpenOutcome;

/** Outcome of Generate IRN: an API outcome or a duplicate conflict. */
export type GenerateOutcome<T> = ApiOutcome<T> | ConflictOutcome;

/** Whether trying the same call later could succeed (the pipeline pauses rather than rejects). */
export function isRetriableOutcome(outcome: { kind: string }): boolean {
  return outcome.kind === 'transient-exhausted' || outcome.kind === 'circuit-open';
}
