/**
 * The stages of one record: decode → map (connector) → validate (IRP core) → submit (IRP gateway).
 * `prepare` runs the first three in offset order (they are local and cheap) and either finishes the
 * record (a dead letter or a rejection) or hands back the event to submit; `submit` asks the IRP.
 * Publishing and committing belong to the runner.
 */
import type { Connector, MappedEvent } from '../../connectors/types.js';
import { validateInvoice, type ValidationContext } from '../irp/validate/index.js';
import { failure, routeOf, type Failure } from './failures.js';
import { deadLetterRecord, errorRecord, resultRecord, type OutputContext } from './outputs.js';
import type { EventDecoder, IrpGateway, OutputRecord, SourceMessage } from './ports.js';

export type Step =
  | {
      type: 'final';
      output: 'result' | 'error' | 'dead-letter';
      record: OutputRecord;
      failure?: Failure;
      /** A result's kind and whether it was recovered, for the metrics (so its JSON is not read back). */
      result?: { kind: string; recovered: boolean };
    }
  | { type: 'submit'; event: MappedEvent; docKey: string }
  | { type: 'halt'; failure: Failure }
  | { type: 'retry'; failure: Failure };

export interface StageDeps extends OutputContext {
  connectorImpl: Connector;
  decoder: EventDecoder;
  gateway: IrpGateway;
  /** Extra validation context (taxpayer flags); `now` comes from `OutputContext.now`. */
  validation?: Omit<ValidationContext, 'now'>;
}

/** JSON for an error payload: Avro bytes become base64, bigints decimal text. */
function jsonSafe(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, function (this: unknown, _k, v: unknown) {
      if (typeof v === 'bigint') return v.toString();
      if (
        v &&
        typeof v === 'object' &&
        (v as { type?: string }).type === 'Buffer' &&
        Array.isArray((v as { data?: unknown }).data)
      )
        return Buffer.from((v as { data: number[] }).data).toString('base64');
      return v;
    }) ?? 'null',
  );
}

/** The ordering key of a record before it is mapped: the Kafka key, or the partition for keyless data. */
export function provisionalKey(msg: SourceMessage): string {
  return msg.key && msg.key.length > 0 ? msg.key.toString('utf8') : `${msg.topic}/${msg.partition}`;
}

export async function prepare(deps: StageDeps, msg: SourceMessage): Promise<Step> {
  if (!msg.value || msg.value.length === 0) {
    const f = failure('undecodable', 'decode', [{ code: 'EMPTY_VALUE', message: 'the record has no value' }]);
    return { type: 'final', output: 'dead-letter', record: deadLetterRecord(deps, msg, f), failure: f };
  }
  const decoded = await deps.decoder.decode(msg.value);
  // A schema registry that cannot be reached is not the record's fault: keep it and try again.
  if (!decoded.ok && decoded.failure.family === 'transient')
    return { type: 'retry', failure: decoded.failure };
  // Refused by the schema registry (401/403): every record would fail the same way. Stop, don't dead-letter.
  if (!decoded.ok && decoded.failure.family === 'credentials')
    return { type: 'halt', failure: decoded.failure };
  if (!decoded.ok)
    return {
      type: 'final',
      output: 'dead-letter',
      record: deadLetterRecord(deps, msg, decoded.failure),
      failure: decoded.failure,
    };

  let mapped;
  try {
    mapped = deps.connectorImpl.map(decoded.record);
  } catch (err) {
    const f = failure('unmappable', 'map', [
      {
        code: 'CONNECTOR_ERROR',
        message: `the ${deps.connector} connector failed: ${(err as Error).message}`,
      },
    ]);
    return { type: 'final', output: 'dead-letter', record: deadLetterRecord(deps, msg, f), failure: f };
  }
  if (!mapped.ok) {
    const f = failure('mapping', 'map', mapped.errors);
    return {
      type: 'final',
      output: 'error',
      record: errorRecord(deps, msg, f, null, jsonSafe(decoded.record)),
      failure: f,
    };
  }
  const event = mapped.event;
  if (event.kind === 'generate') {
    const result = validateInvoice(event.invoice, { ...deps.validation, now: deps.now() });
    if (!result.valid) {
      const f = explainLate(deps, msg, event, failure('validation', 'validate', result.errors));
      return {
        type: 'final',
        output: 'error',
        record: errorRecord(deps, msg, f, event.docKey, result.invoice ?? event.invoice, event.kind),
        failure: f,
      };
    }
    if (result.invoice)
      return { type: 'submit', event: { ...event, invoice: result.invoice }, docKey: event.docKey };
  }
  return { type: 'submit', event, docKey: event.docKey };
}

export async function submit(deps: StageDeps, msg: SourceMessage, event: MappedEvent): Promise<Step> {
  const answer = await deps.gateway.submit(event);
  if (answer.ok) {
    return {
      type: 'final',
      output: 'result',
      record: resultRecord(deps, msg, event, answer.success.data, answer.success.recovered),
      result: { kind: event.kind, recovered: answer.success.recovered },
    };
  }
  const f = answer.failure;
  switch (routeOf(f)) {
    case 'halt':
      return { type: 'halt', failure: f };
    case 'retry':
      return { type: 'retry', failure: f };
    default: {
      const payload = event.kind === 'generate' ? event.invoice : event;
      const g = explainLate(deps, msg, event, f);
      return {
        type: 'final',
        output: 'error',
        record: errorRecord(deps, msg, g, event.docKey, payload, event.kind),
        failure: g,
      };
    }
  }
}

/**
 * A document past its 30-day reporting window (2305, found locally or by the IRP) that arrived in time
 * or waited out an IRP outage says so: one more finding from the gateway, never silently late.
 */
function explainLate(deps: StageDeps, msg: SourceMessage, event: MappedEvent, f: Failure): Failure {
  if (event.kind !== 'generate' || !f.errors.some((e) => e.code === '2305')) return f;
  const receivedAt = msg.timestamp !== undefined ? Number(msg.timestamp) : NaN;
  const late = deps.gateway.explainLate?.(
    event.invoice.DocDtls.Dt,
    Number.isFinite(receivedAt) ? receivedAt : undefined,
  );
  return late ? { ...f, errors: [...f.errors, late] } : f;
}
