/**
 * Failures are values: a tagged record with the IRP code (or the product's own), the stage that failed,
 * whether a retry could help, and a message. Each family has one route, fixed at compile time by
 * {@link ROUTES}, so no failure can be left unrouted.
 */

export type Stage = 'decode' | 'map' | 'validate' | 'submit' | 'publish';

export type FailureFamily =
  /** bytes that are not an event of this source (Avro, wire format, schema id): dead letter */
  | 'undecodable'
  /** a decoded record the connector could not handle at all (unknown event kind, connector bug) */
  | 'unmappable'
  /** the ERP data cannot be expressed as an IRP document (unknown unit, missing GSTIN, …) */
  | 'mapping'
  /** the IRP rules reject the document before any API call */
  | 'validation'
  /** the IRP rejected it (business or schema codes), never retried */
  | 'rejected'
  /** 2150 where the registered document differs from the submitted one */
  | 'conflict'
  /** the record needs configuration this source lacks (its seller GSTIN has no IRP credentials) */
  | 'configuration'
  /** credentials or account wrong: stop consuming and surface, never loop */
  | 'credentials'
  /** the IRP has no such API (HTTP 404/405): a wrong base URL or path; stop and surface, never loop */
  | 'operator'
  /** network, timeouts, 5xx, 5002, open circuit: keep the record and retry later */
  | 'transient'
  /** one record kept answering transiently while the IRP answered others (pipeline.recordRetry spent) */
  | 'exhausted'
  /** an output the brokers can never accept (larger than the topic allows): dead letter with the input */
  | 'unpublishable';

export type Route = 'errors' | 'dead-letter' | 'halt' | 'retry';

export const ROUTES: { readonly [F in FailureFamily]: Route } = {
  undecodable: 'dead-letter',
  unmappable: 'dead-letter',
  mapping: 'errors',
  validation: 'errors',
  rejected: 'errors',
  conflict: 'errors',
  configuration: 'errors',
  credentials: 'halt',
  operator: 'halt',
  transient: 'retry',
  exhausted: 'errors',
  unpublishable: 'dead-letter',
};

export interface FailureDetail {
  code: string;
  message: string;
  path?: string;
  detail?: string;
}

export interface Failure {
  family: FailureFamily;
  stage: Stage;
  /** The headline code (first of `errors`). */
  code: string;
  message: string;
  retriable: boolean;
  /** Every finding, for the errors topic. */
  errors: FailureDetail[];
}

export function failure(family: FailureFamily, stage: Stage, errors: FailureDetail[]): Failure {
  const first = errors[0] ?? { code: 'UNKNOWN', message: 'unknown failure' };
  return {
    family,
    stage,
    code: first.code,
    message: first.message,
    retriable: ROUTES[family] === 'retry',
    errors,
  };
}

export function routeOf(f: Failure): Route {
  return ROUTES[f.family];
}
