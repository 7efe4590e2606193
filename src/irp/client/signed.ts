/**
 * SignedInvoice and SignedQRCode on the client side (README §6): verify RS256 against the configured
 * signing certificate, decode the payload (its `data` is a JSON string), and render the QR JWT for
 * print. The JWS mechanics live in src/irp/signed-jwt.ts (jose); this module adds a cached verifier and
 * the QR rendering (qrcode).
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import QRCode from 'qrcode';
import { certificateThumbprint, decodeIrpJwt, verifyIrpJwt, type IrpJwtHeader } from '../signed-jwt.js';

/** The fields of the signed QR code (IrnDt absent in 2020 sandbox tokens). */
export interface QrCodeData {
  SellerGstin: string;
  BuyerGstin: string;
  DocNo: string;
  DocTyp: string;
  DocDt: string;
  TotInvVal: number;
  ItemCnt: number;
  MainHsnCode: string;
  Irn: string;
  IrnDt?: string;
}

/** A decoded SignedInvoice/SignedQRCode and whether its signature was checked. */
export interface DecodedSigned<T> {
  header: IrpJwtHeader;
  data: T;
  verified: boolean;
}

export type VerifyResult<T> = { ok: true; value: DecodedSigned<T> } | { ok: false; error: string };

/**
 * Verifies JWTs against the IRP's signing certificates. NIC rotates its signing certificate (the
 * record shows three `kid`s between 2020 and 2023), and a registration keeps the signature it was made
 * with, so a client that recovers an older document needs the old certificate as well as the current
 * one: the JWT's `kid` picks the certificate. Parsing the certificates once matters: verification is
 * on the path of every recovered invoice.
 */
export interface SignedVerifier {
  verify<T = Record<string, unknown>>(jwt: string): Promise<VerifyResult<T>>;
  /** The thumbprints (`kid`, upper-case hex SHA-1) of the certificates it accepts. */
  readonly kids: readonly string[];
}

/** Every PEM certificate block in `pem` (a bundle of several, or one), in order. */
export function splitCertificates(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}

/**
 * A {@link SignedVerifier} for the IRP's signing certificates (not its encryption key): one PEM
 * string holding one or several certificates, or a list of them. A JWT whose `kid` names none of them
 * fails with the `kid` in the message, so the missing certificate is easy to find.
 */
export function createSignedVerifier(signingCertPem: string | readonly string[]): SignedVerifier {
  const pems = (typeof signingCertPem === 'string' ? [signingCertPem] : signingCertPem).flatMap((p) => {
    const blocks = splitCertificates(p);
    return blocks.length > 0 ? blocks : [p]; // not PEM-armoured: let X509Certificate say why
  });
  const keys = new Map<string, KeyObject>();
  for (const pem of pems) keys.set(certificateThumbprint(pem).kid, new X509Certificate(pem).publicKey);
  if (keys.size === 0) throw new Error('no signing certificate given');
  const kids = [...keys.keys()];
  const only = kids.length === 1 ? keys.get(kids[0]!) : undefined;
  return {
    kids,
    async verify<T>(jwt: string): Promise<VerifyResult<T>> {
      try {
        const { kid } = decodeProtectedHeader(jwt);
        // Without a kid (not what NIC sends) only a single configured certificate can be tried.
        const key = typeof kid === 'string' ? keys.get(kid.toUpperCase()) : only;
        if (!key) {
          return {
            ok: false,
            error:
              typeof kid === 'string'
                ? `JWT kid ${kid} is none of the configured signing certificates (${kids.join(', ')}); add NIC's certificate with that thumbprint`
                : `JWT has no kid and ${kids.length} signing certificates are configured`,
          };
        }
        const decoded = await verifyIrpJwt(jwt, key);
        return { ok: true, value: { header: decoded.header, data: decoded.data as T, verified: true } };
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}

/** Decodes without verifying, for display or when no certificate is configured. */
export function decodeSigned<T = Record<string, unknown>>(jwt: string): VerifyResult<T> {
  try {
    const decoded = decodeIrpJwt(jwt);
    return { ok: true, value: { header: decoded.header, data: decoded.data as T, verified: false } };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Verifies with `verifier` when given, else only decodes. */
export function verifyOrDecode<T = Record<string, unknown>>(
  jwt: string,
  verifier: SignedVerifier | undefined,
): Promise<VerifyResult<T>> {
  return verifier ? verifier.verify<T>(jwt) : Promise.resolve(decodeSigned<T>(jwt));
}

export interface QrRenderOptions {
  /** Image width in pixels (PNG: the maximum) or user units (SVG). Default 600: 2 inches at 300 dpi, NIC's suggested print size. */
  width?: number;
  /** Quiet zone in modules. Default 4, what scanners expect. */
  margin?: number;
  /** Default 'M'; the JWT is long (≈ 700–900 chars), so higher levels mean a denser code. */
  errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
}

function qrOptions(options: QrRenderOptions) {
  return {
    width: options.width ?? 600,
    margin: options.margin ?? 4,
    errorCorrectionLevel: options.errorCorrectionLevel ?? 'M',
  } as const;
}

/**
 * The QR JWT (the whole string is the QR content) as a PNG image, at most `width` pixels wide. Modules
 * are scaled by a whole number of pixels: a 900-character JWT needs a dense code, and fractional module
 * widths blur the edges scanners (and jsQR in the tests) rely on.
 */
export function renderQrPng(signedQrCode: string, options: QrRenderOptions = {}): Promise<Buffer> {
  const { width, margin, errorCorrectionLevel } = qrOptions(options);
  const modules = QRCode.create(signedQrCode, { errorCorrectionLevel }).modules.size;
  const scale = Math.max(1, Math.floor(width / (modules + 2 * margin)));
  return QRCode.toBuffer(signedQrCode, { margin, errorCorrectionLevel, scale, type: 'png' });
}

/** The QR JWT as an SVG document, for vector print layouts. */
export function renderQrSvg(signedQrCode: string, options: QrRenderOptions = {}): Promise<string> {
  return QRCode.toString(signedQrCode, { ...qrOptions(options), type: 'svg' });
}
