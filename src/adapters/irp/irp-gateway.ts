/**
 * irp-gateway over the IRP client: turns a mapped event into the right API calls and the client's
 * outcome into the pipeline's success or failure. Cancel and e-way-bill events without an IRN look it up
 * by document details first (the ERP often never stored it).
 */
import type { CancelEvent, EwbEvent, MappedEvent } from '../../../connectors/types.js';
import type { ApiOutcome, GenerateOutcome, IrpClient } from '../../irp/client/index.js';
import { failure, type Failure } from '../../pipeline/failures.js';
import type { IrpGateway, IrpSuccess } from '../../pipeline/ports.js';

type Answer = { ok: true; success: IrpSuccess } | { ok: false; failure: Failure };

/** The result fields the results topic carries (README: record formats). */
const RESULT_FIELDS = [
  'Irn',
  'AckNo',
  'AckDt',
  'Status',
  'SignedInvoice',
  'SignedQRCode',
  'EwbNo',
  'EwbDt',
  'EwbValidTill',
  'Remarks',
  'CancelDate',
] as const;

function pick(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of RESULT_FIELDS) if (data[k] !== undefined && data[k] !== null) out[k] = data[k];
  return out;
}

/** Maps every non-success outcome to its failure family (compile-time exhaustive over `kind`). */
export function outcomeFailure(outcome: Exclude<GenerateOutcome<unknown>, { kind: 'success' }>): Failure {
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
    case 'credentials':
      return failure('credentials', 'submit', [
        { code: outcome.code, message: `${outcome.message} (GSTIN ${outcome.gstin})` },
      ]);
    case 'transient-exhausted':
      return failure('transient', 'submit', [
        {
          code: outcome.lastError.code ?? outcome.lastError.reason.toUpperCase(),
          message: outcome.lastError.message,
        },
      ]);
    case 'circuit-open':
      return failure('transient', 'submit', [{ code: 'CIRCUIT_OPEN', message: 'the IRP circuit is open' }]);
  }
}

function answer<T extends object>(
  outcome: ApiOutcome<T> | GenerateOutcome<T>,
  extra: Record<string, unknown> = {},
): Answer {
  if (outcome.kind !== 'success') return { ok: false, failure: outcomeFailure(outcome) };
  const data = { ...pick(outcome.data as Record<string, unknown>), ...extra };
  if (outcome.info.length > 0) data.InfoDtls = outcome.info;
  return { ok: true, success: { data, recovered: outcome.recovered } };
}

export class ClientIrpGateway implements IrpGateway {
  constructor(private readonly client: IrpClient) {}

  async submit(event: MappedEvent): Promise<Answer> {
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
    if (found.kind !== 'success') return { failed: { ok: false, failure: outcomeFailure(found) } };
    return { irn: found.data.Irn };
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
