/**
 * irp-gateway over the IRP client: turns a mapped event into the right API calls and the client's
 * outcome into the pipeline's success or failure. Cancel and e-way-bill events without an IRN look it up
 * by document details first (the ERP often never stored it); past the IRP's retrieval window, where
 * that look-up answers 2283, the IRN is computed from the document details (it is deterministic).
 *
 * It also remembers when the IRP was unavailable, so a document that outlived its 30-day reporting
 * window while it waited (2305) is reported with the outage that made it late (see `explainLate`).
 */
import type { CancelEvent, EwbEvent, MappedEvent } from '../../../connectors/types.js';
import type {
  ApiOutcome,
  CancelOutcome,
  GenerateOutcome,
  IrpClient,
  RecoveredPartialOutcome,
} from '../../irp/client/index.js';
import { parseIrpDate } from '../../irp/dates.js';
import { computeIrn } from '../../irp/irn.js';
import { REPORTING_WINDOW_DAYS } from '../../irp/validate/rules/document.js';
import { failure, type Failure, type FailureDetail } from '../../pipeline/failures.js';
import { RESULT_FIELDS } from '../../pipeline/outputs.js';
import type { IrpGateway, IrpSuccess } from '../../pipeline/ports.js';

type Answer = { ok: true; success: IrpSuccess } | { ok: false; failure: Failure };

function hours(ms: number): string {
  if (ms >= 2 * DAY_MS) return `${Math.round((ms / DAY_MS) * 10) / 10} days`;
  return ms >= 2 * 3_600_000 ? `${Math.round(ms / 3_600_000)} h` : `${Math.round(ms / 60_000)} min`;
}

function pick(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of RESULT_FIELDS) if (data[k] !== undefined && data[k] !== null) out[k] = data[k];
  return out;
}

type Unsuccessful = Exclude<
  GenerateOutcome<unknown> | CancelOutcome<unknown>,
  { kind: 'success' } | { kind: 'recovered-partial' }
>;

/** Maps every non-success outcome to its failure family (compile-time exhaustive over `kind`). */
export function outcomeFailure(outcome: Unsuccessful): Failure {
  switch (outcome.kind) {
    case 'rejected':
      return failure(
        'rejected',
        'submit',
        outcome.errors.length > 0
          ? outcome.errors
          : [{ code: 'IRP_REJECTED', message: 'rejected without error details' }],
      );
    case 'conflict':
      return failure('conflict', 'submit', [
        {
          code: '2150',
          message: `Duplicate IRN: ${outcome.message}`,
          detail: [
            outcome.reason,
            ...outcome.mismatches.map(
              (m) =>
                `${m.field}: submitted ${JSON.stringify(m.submitted)}, registered ${JSON.stringify(m.registered)}`,
            ),
          ].join('; '),
        },
        ...outcome.errors,
      ]);
    case 'unconfigured-gstin':
      return failure('configuration', 'submit', [
        {
          code: 'GSTIN_NOT_CONFIGURED',
          message: `${outcome.message}: add it to irp.credentials, or route its documents to a source that has it`,
          detail: outcome.gstin,
        },
      ]);
    case 'credentials':
      return failure('credentials', 'submit', [
        { code: outcome.code, message: `${outcome.message} (GSTIN ${outcome.gstin})` },
      ]);
    case 'operator':
      return failure('operator', 'submit', [{ code: outcome.code, message: outcome.message }]);
    case 'transient-exhausted':
      return failure('transient', 'submit', [
        {
          code:
            outcome.lastError.code ??
            (outcome.lastError.status !== undefined
              ? `HTTP_${outcome.lastError.status}`
              : outcome.lastError.reason.toUpperCase().replace(/-/g, '_')),
          message: outcome.lastError.message,
        },
      ]);
    case 'circuit-open':
      return failure('transient', 'submit', [{ code: 'CIRCUIT_OPEN', message: 'the IRP circuit is open' }]);
  }
}

/** What a partly recovered registration publishes: what the IRP confirmed, and what it could not show. */
function partialOf(outcome: RecoveredPartialOutcome<unknown>): Record<string, unknown> {
  return {
    missing: outcome.missing,
    unverified: outcome.unverified,
    reason: outcome.reason,
    errors: outcome.errors,
  };
}

function answer<T extends object>(
  outcome: ApiOutcome<T> | GenerateOutcome<T> | CancelOutcome<T>,
  extra: Record<string, unknown> = {},
): Answer {
  if (outcome.kind === 'recovered-partial') {
    const data: Record<string, unknown> = {
      ...pick(outcome.data as Record<string, unknown>),
      ...extra,
      partial: partialOf(outcome),
    };
    if (outcome.info.length > 0) data.InfoDtls = outcome.info;
    return { ok: true, success: { data, recovered: true } };
  }
  if (outcome.kind !== 'success') return { ok: false, failure: outcomeFailure(outcome) };
  const data = { ...pick(outcome.data as Record<string, unknown>), ...extra };
  if (outcome.info.length > 0) data.InfoDtls = outcome.info;
  return { ok: true, success: { data, recovered: outcome.recovered } };
}

/** One period in which the IRP did not answer (transient failures or an open circuit). */
export interface Outage {
  from: number;
  /** Absent while it lasts. */
  until?: number;
  /** The last transient code seen (5002, HTTP 503, CIRCUIT_OPEN …). */
  code: string;
}

const MAX_OUTAGES = 64;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface ClientIrpGatewayOptions {
  /** Clock of the outage record and the reporting-window arithmetic. Default `Date.now`. */
  now?: () => number;
}

export class ClientIrpGateway implements IrpGateway {
  private readonly outages: Outage[] = [];
  private readonly now: () => number;

  constructor(
    private readonly client: IrpClient,
    options: ClientIrpGatewayOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  async submit(event: MappedEvent): Promise<Answer> {
    const answered = await this.dispatch(event);
    this.observe(answered);
    return answered;
  }

  /**
   * For a document past its 30-day reporting window (2305): why it is late, as one more finding for the
   * errors topic — the IRP outages this process saw that overlapped the window and, when the record's
   * Kafka timestamp is known, that it arrived while the window was still open. Undefined when neither
   * applies (the document was simply sent too late).
   */
  explainLate(docDate: string, receivedAtMs?: number): FailureDetail | undefined {
    const opened = parseIrpDate(docDate);
    if (!opened) return undefined;
    const closed = opened.getTime() + REPORTING_WINDOW_DAYS * DAY_MS;
    const now = this.now();
    const overlapping = this.outages.filter((o) => o.from < closed && (o.until ?? now) > opened.getTime());
    const arrivedInTime = receivedAtMs !== undefined && receivedAtMs < closed;
    if (overlapping.length === 0 && !arrivedInTime) return undefined;
    const parts: string[] = [];
    if (arrivedInTime)
      parts.push(
        `the record reached Kafka at ${new Date(receivedAtMs).toISOString()}, inside the ${REPORTING_WINDOW_DAYS}-day reporting window of its document date ${docDate} (closed ${new Date(closed).toISOString()}), and could only be submitted after it`,
      );
    if (overlapping.length > 0)
      parts.push(
        `the IRP was unavailable ${overlapping
          .map(
            (o) =>
              `${new Date(o.from).toISOString()} to ${o.until === undefined ? 'now' : new Date(o.until).toISOString()} (${hours((o.until ?? now) - o.from)}, last ${o.code})`,
          )
          .join('; ')} while the window ran`,
      );
    return {
      code: overlapping.length > 0 ? 'IRP_OUTAGE' : 'LATE_SUBMISSION',
      message: parts.join('; '),
      path: 'DocDtls.Dt',
    };
  }

  /** The outages seen, oldest first (at most the last 64). */
  outageHistory(): readonly Outage[] {
    return this.outages;
  }

  private observe(answered: Answer): void {
    const last = this.outages[this.outages.length - 1];
    const ongoing = last && last.until === undefined ? last : undefined;
    if (!answered.ok && answered.failure.family === 'transient') {
      if (ongoing) ongoing.code = answered.failure.code;
      else {
        this.outages.push({ from: this.now(), code: answered.failure.code });
        if (this.outages.length > MAX_OUTAGES) this.outages.shift();
      }
    } else if (ongoing) ongoing.until = this.now();
  }

  private async dispatch(event: MappedEvent): Promise<Answer> {
    switch (event.kind) {
      case 'generate':
        return answer(await this.client.generateIrn(event.invoice));
      case 'cancel':
        return this.cancel(event);
      case 'ewb':
        return this.ewb(event);
    }
  }

  private async irnOf(event: CancelEvent | EwbEvent): Promise<{ irn: string } | { failed: Answer }> {
    if (event.irn) return { irn: event.irn };
    const found = await this.client.getByDocDetails(event.gstin, {
      docType: event.docType,
      docNo: event.docNo,
      docDate: event.docDate,
    });
    if (found.kind === 'success') return { irn: found.data.Irn };
    // Past the retrieval window the IRP will not look the document up; its IRN is deterministic.
    if (found.kind === 'rejected' && found.errors.every((e) => e.code === '2283')) {
      try {
        return {
          irn: computeIrn({
            gstin: event.gstin,
            docType: event.docType,
            docNo: event.docNo,
            docDate: event.docDate,
            asOf: new Date(this.now()),
          }),
        };
      } catch {
        // an impossible document date: report the look-up's answer
      }
    }
    return { failed: { ok: false, failure: outcomeFailure(found) } };
  }
  private async cancel(event: CancelEvent): Promise<Answer> {
    const irn = await this.irnOf(event);
    if ('failed' in irn) return irn.failed;
    const outcome = await this.client.cancelIrn(event.gstin, {
      Irn: irn.irn,
      CnlRsn: event.reason,
      CnlRem: event.remark,
    });
    return answer(outcome, { Irn: irn.irn, Status: 'CNL' });
  }

  private async ewb(event: EwbEvent): Promise<Answer> {
    const irn = await this.irnOf(event);
    if ('failed' in irn) return irn.failed;
    const { kind: _k, docKey: _d, gstin, irn: _i, docType: _t, docNo: _n, docDate: _dt, ...fields } = event;
    const outcome = await this.client.generateEwb(gstin, { Irn: irn.irn, ...fields });
    return answer(outcome, { Irn: irn.irn });
  }

  available(): boolean {
    return this.client.breakerState() !== 'open' && this.client.breakerState() !== 'isolated';
  }

  waitUntilAvailable(maxWaitMs: number): Promise<void> {
    if (this.available()) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, maxWaitMs);
      const unsubscribe = this.client.onBreakerChange((state) => {
        if (state !== 'open' && state !== 'isolated') done();
      });
      function done() {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      }
    });
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
