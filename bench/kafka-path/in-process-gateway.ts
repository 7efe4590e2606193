/**
 * BENCHMARK ONLY — never wired by src/cli. An irp-gateway that answers in this process, at once (or
 * after a fixed delay), so the benchmark can price the pipeline's own plumbing (P3) and its concurrency
 * without any IRP (P2, second table). Every answer is a success shaped like the IRP's: a generate gets
 * its real IRN (computed as the IRP computes it), an AckNo, an AckDt and a SignedInvoice / SignedQRCode
 * of the size an IRP answer carries for that invoice (RS256 JWTs signed once at start-up and reused: the
 * signing is the IRP's cost, not the connector's); a cancel its CancelDate, an e-way bill its EwbNo.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import type { MappedEvent } from '../../connectors/types.js';
import { formatIrpDateTime } from '../../src/irp/dates.js';
import { computeIrn } from '../../src/irp/irn.js';
import type { IrpGateway, IrpSuccess } from '../../src/pipeline/ports.js';

const b64url = (s: string) => Buffer.from(s).toString('base64url');

function fakeJwt(payload: string, privateKey: ReturnType<typeof generateKeyPairSync>['privateKey']): string {
  const input = `${b64url(JSON.stringify({ alg: 'RS256', kid: 'B'.repeat(40), typ: 'JWT', x5t: 'x5t' }))}.${b64url(
    JSON.stringify({ data: payload, iss: 'NIC' }),
  )}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

export class InProcessGateway implements IrpGateway {
  private ack = 100_000_000_000_000;
  private readonly signedInvoice: string;
  private readonly signedQr: string;

  /** `invoiceBytes`: the JSON size of a typical invoice (the SignedInvoice carries it); `latencyMs`: delay per answer. */
  constructor(
    invoiceBytes: number,
    private readonly latencyMs = 0,
  ) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.signedInvoice = fakeJwt('x'.repeat(invoiceBytes + 200), privateKey);
    this.signedQr = fakeJwt('x'.repeat(320), privateKey);
  }

  async submit(event: MappedEvent): Promise<{ ok: true; success: IrpSuccess }> {
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    const now = new Date();
    let data: Record<string, unknown>;
    if (event.kind === 'generate') {
      const { SellerDtls, DocDtls } = event.invoice;
      data = {
        AckNo: ++this.ack,
        AckDt: formatIrpDateTime(now),
        Irn: computeIrn({
          gstin: SellerDtls.Gstin,
          docType: DocDtls.Typ,
          docNo: DocDtls.No,
          docDate: DocDtls.Dt,
          asOf: now,
        }),
        SignedInvoice: this.signedInvoice,
        SignedQRCode: this.signedQr,
        Status: 'ACT',
      };
    } else if (event.kind === 'cancel') {
      data = { Irn: event.irn ?? '0'.repeat(64), CancelDate: formatIrpDateTime(now), Status: 'CNL' };
    } else {
      data = {
        Irn: event.irn ?? '0'.repeat(64),
        EwbNo: ++this.ack,
        EwbDt: formatIrpDateTime(now),
        EwbValidTill: formatIrpDateTime(new Date(now.getTime() + 86_400_000)),
      };
    }
    return { ok: true, success: { data, recovered: false } };
  }

  available(): boolean {
    return true;
  }

  async waitUntilAvailable(): Promise<void> {}

  async close(): Promise<void> {}
}
