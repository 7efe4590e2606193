/**
 * SignedInvoice and SignedQRCode as the IRP builds them (§6): RS256 JWS with the sandbox's signing
 * certificate, payload `{data: <JSON text>, iss: "NIC"}`.
 */
import type { Invoice } from '../../irp/schema/invoice.js';
import { signIrpJwt } from '../../irp/signed-jwt.js';
import type { SandboxKeys } from '../keys/key-material.js';

export interface Acknowledgement {
  ackNo: number;
  /** AckDt as it goes inside SignedInvoice (with seconds). */
  ackDtSigned: string;
  /** AckDt as the response and the QR code carry it (to the minute). */
  ackDt: string;
  irn: string;
}

/** The submitted invoice with AckNo, AckDt and Irn first, and `ItemNo: 0` leading every item. */
export function signedInvoiceData(invoice: Invoice, ack: Acknowledgement): Record<string, unknown> {
  const { Irn: _ignored, ItemList, ...rest } = invoice;
  return {
    AckNo: ack.ackNo,
    AckDt: ack.ackDtSigned,
    Irn: ack.irn,
    ...rest,
    ItemList: ItemList.map((item) => ({ ItemNo: 0, ...item })),
  };
}

/** The QR code fields; MainHsnCode is the HSN of the line with the highest taxable value. */
export function qrCodeData(invoice: Invoice, ack: Acknowledgement): Record<string, unknown> {
  const main = invoice.ItemList.reduce((best, item) => (item.AssAmt > best.AssAmt ? item : best));
  return {
    SellerGstin: invoice.SellerDtls.Gstin,
    BuyerGstin: invoice.BuyerDtls.Gstin,
    DocNo: invoice.DocDtls.No,
    DocTyp: invoice.DocDtls.Typ,
    DocDt: invoice.DocDtls.Dt,
    TotInvVal: invoice.ValDtls.TotInvVal,
    ItemCnt: invoice.ItemList.length,
    MainHsnCode: main.HsnCd,
    Irn: ack.irn,
    IrnDt: ack.ackDt,
  };
}

export class InvoiceSigner {
  constructor(private readonly keys: SandboxKeys) {}

  async sign(
    invoice: Invoice,
    ack: Acknowledgement,
  ): Promise<{ signedInvoice: string; signedQrCode: string }> {
    const { signingKey, signingThumbprint } = this.keys;
    const [signedInvoice, signedQrCode] = await Promise.all([
      signIrpJwt(signedInvoiceData(invoice, ack), signingKey, signingThumbprint),
      signIrpJwt(qrCodeData(invoice, ack), signingKey, signingThumbprint),
    ]);
    return { signedInvoice, signedQrCode };
  }
}
