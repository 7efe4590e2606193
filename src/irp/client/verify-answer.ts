/**
 * A Generate IRN answer is checked before it counts as a success, when signing certificates are
 * configured (irp.signingCertFile): SignedInvoice and SignedQRCode must verify (RS256 under a
 * configured certificate), and what they sign must be this answer and this document — the same IRN
 * (and AckNo) as the answer, the submitted seller GSTIN, document type and number. A forged JWT, a
 * made-up IRN, or a genuine signature of another document is then a `conflict` (reason `unverifiable`)
 * with the reason, never a result. Without certificates nothing can be verified: the client says so
 * once at start (see `unverifiedWarning`).
 */
import { getMemberIgnoringCase } from '../crypto.js';
import type { IrnDetails } from './apis.js';
import type { ConflictOutcome } from './outcome.js';
import type { SubmittedInvoice } from './recovery.js';
import type { QrCodeData, SignedVerifier } from './signed.js';

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u);

const same = (a: unknown, b: unknown) =>
  a !== undefined && b !== undefined && String(a).trim().toUpperCase() === String(b).trim().toUpperCase();

/** The reason an answer is not what the IRP signed for this document, or undefined when it is. */
export async function unverifiedReason(
  submitted: Partial<SubmittedInvoice>,
  data: Pick<IrnDetails, 'Irn' | 'AckNo' | 'SignedInvoice' | 'SignedQRCode'>,
  verifier: SignedVerifier,
): Promise<string | undefined> {
  if (typeof data.SignedInvoice !== 'string' || typeof data.SignedQRCode !== 'string')
    return 'the answer lacks SignedInvoice or SignedQRCode';
  const invoice = await verifier.verify<Record<string, unknown>>(data.SignedInvoice);
  if (!invoice.ok) return `SignedInvoice does not verify: ${invoice.error}`;
  const qr = await verifier.verify<QrCodeData>(data.SignedQRCode);
  if (!qr.ok) return `SignedQRCode does not verify: ${qr.error}`;
  const signed = invoice.value.data;
  const qrData = qr.value.data as unknown;
  if (!isRecord(signed)) return 'SignedInvoice signs no invoice';
  if (!isRecord(qrData)) return 'SignedQRCode signs no QR data';
  const signedIrn = getMemberIgnoringCase(signed, 'Irn');
  if (!same(signedIrn, data.Irn))
    return `the answer's IRN ${String(data.Irn)} is not the signed IRN ${String(signedIrn)}`;
  if (!same(qrData.Irn, data.Irn))
    return `the answer's IRN ${String(data.Irn)} is not the IRN of the signed QR code`;
  const ackNo = getMemberIgnoringCase(signed, 'AckNo');
  if (ackNo !== undefined && data.AckNo !== undefined && !same(ackNo, data.AckNo))
    return `the answer's AckNo ${String(data.AckNo)} is not the signed AckNo ${String(ackNo)}`;
  const seller = submitted.SellerDtls?.Gstin;
  if (seller !== undefined && !same(qrData.SellerGstin, seller))
    return `the signed QR code is for seller ${String(qrData.SellerGstin)}, not ${seller}`;
  const doc = submitted.DocDtls;
  if (doc?.No !== undefined && !same(qrData.DocNo, doc.No))
    return `the signed QR code is for document ${String(qrData.DocNo)}, not ${doc.No}`;
  if (doc?.Typ !== undefined && !same(qrData.DocTyp, doc.Typ))
    return `the signed QR code is for a ${String(qrData.DocTyp)}, not a ${doc.Typ}`;
  return undefined;
}

/** The conflict a generate answer becomes when it does not verify. */
export function unverifiedConflict(reason: string, irn: unknown): ConflictOutcome {
  return {
    kind: 'conflict',
    reason: 'unverifiable',
    message: `the IRP's answer is not verified as this document's registration: ${reason}`,
    ...(typeof irn === 'string' ? { duplicate: { Irn: irn } } : {}),
    mismatches: [],
    errors: [],
  };
}

/** What the client logs (warn) at start when it has no signing certificate. */
export const UNVERIFIED_WARNING =
  'no IRP signing certificate configured (irp.signingCertFile, or signingCertPem in a credentials file): ' +
  'SignedInvoice/SignedQRCode of IRP answers are NOT verified, and a forged or misrouted answer would be published as a registration';
