/**
 * SignedInvoice and SignedQRCode (README §6): compact RS256 JWS whose payload is
 * `{"data": "<JSON text>", "iss": "NIC"}` — `data` is a string holding JSON, not an object — and whose
 * header names the signing certificate by its SHA-1 thumbprint twice: `kid` (upper-case hex) and
 * `x5t` (base64url). Verify with the IRP's signing certificate, never with its encryption key.
 */
import {
  createHash,
  createPublicKey,
  verify as verifySignature,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { CompactSign, compactVerify, decodeProtectedHeader, type CryptoKey } from 'jose';

// A type alias, not an interface: jose's header parameter type needs the implicit index signature.
export type IrpJwtHeader = {
  alg: 'RS256';
  kid: string;
  typ: 'JWT';
  x5t: string;
};

export interface IrpJwtPayload {
  data: string;
  iss: string;
}

export interface DecodedIrpJwt {
  header: IrpJwtHeader;
  payload: IrpJwtPayload;
  /** `payload.data` parsed. */
  data: unknown;
}

export interface CertificateThumbprint {
  /** Upper-case hex SHA-1 of the DER certificate. */
  kid: string;
  /** base64url of the same SHA-1. */
  x5t: string;
}

/** Both header forms of the SHA-1 thumbprint of a PEM certificate. */
export function certificateThumbprint(certPem: string): CertificateThumbprint {
  const der = new X509Certificate(certPem).raw;
  return thumbprintFromSha1(createHash('sha1').update(der).digest());
}

function thumbprintFromSha1(sha1: Buffer): CertificateThumbprint {
  return { kid: sha1.toString('hex').toUpperCase(), x5t: sha1.toString('base64url') };
}

function asThumbprint(value: CertificateThumbprint | string): CertificateThumbprint {
  if (typeof value !== 'string') return value;
  if (!/^[0-9a-fA-F]{40}$/.test(value))
    throw new Error('certificate thumbprint must be 40 hex digits (SHA-1)');
  return thumbprintFromSha1(Buffer.from(value, 'hex'));
}

/**
 * Signs `data` the way the IRP does. `data` is the JSON text to embed, or a value to serialise.
 * `certThumbprint` is the signing certificate's SHA-1 (hex, any case) or its {@link certificateThumbprint}.
 */
export async function signIrpJwt(
  data: string | object,
  privateKey: KeyObject | CryptoKey,
  certThumbprint: CertificateThumbprint | string,
): Promise<string> {
  const { kid, x5t } = asThumbprint(certThumbprint);
  const dataText = typeof data === 'string' ? data : JSON.stringify(data);
  const payload: IrpJwtPayload = { data: dataText, iss: 'NIC' };
  const header: IrpJwtHeader = { alg: 'RS256', kid, typ: 'JWT', x5t };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader(header)
    .sign(privateKey);
}

function base64UrlJson(segment: string | undefined): unknown {
  if (segment === undefined || !/^[A-Za-z0-9_-]*$/.test(segment)) throw new Error('not a compact JWS');
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
}

function readPayload(payload: unknown): { payload: IrpJwtPayload; data: unknown } {
  if (typeof payload !== 'object' || payload === null) throw new Error('JWT payload is not an object');
  const { data, iss } = payload as Record<string, unknown>;
  if (typeof data !== 'string') throw new Error('JWT payload has no "data" string');
  return { payload: { data, iss: typeof iss === 'string' ? iss : '' }, data: JSON.parse(data) as unknown };
}

function readHeader(header: unknown): IrpJwtHeader {
  const h = (header ?? {}) as Record<string, unknown>;
  if (h.alg !== 'RS256') throw new Error(`unexpected JWS alg ${String(h.alg)}`);
  return { alg: 'RS256', kid: String(h.kid ?? ''), typ: 'JWT', x5t: String(h.x5t ?? '') };
}

/** Decodes without verifying: for display and for picking a certificate by `kid`. */
export function decodeIrpJwt(jwt: string): DecodedIrpJwt {
  const parts = jwt.split('.');
  if (parts.length !== 3) throw new Error('not a compact JWS');
  const header = readHeader(decodeProtectedHeader(jwt));
  return { header, ...readPayload(base64UrlJson(parts[1])) };
}

/**
 * Verifies the RS256 signature with the signing certificate (PEM) or its public key, then decodes.
 * With a certificate, a `kid` naming another certificate is rejected: that JWT was not signed by it.
 */
export async function verifyIrpJwt(jwt: string, certOrKey: string | KeyObject): Promise<DecodedIrpJwt> {
  let key: KeyObject;
  if (typeof certOrKey === 'string') {
    const isCertificate = certOrKey.includes('CERTIFICATE');
    key = isCertificate ? new X509Certificate(certOrKey).publicKey : createPublicKey(certOrKey);
    if (isCertificate) {
      const expected = certificateThumbprint(certOrKey);
      const { kid } = decodeProtectedHeader(jwt);
      if (typeof kid === 'string' && kid.toUpperCase() !== expected.kid) {
        throw new Error(`JWT kid ${kid} does not match the certificate (${expected.kid})`);
      }
    }
  } else {
    key = certOrKey;
  }
  const simple = verifiedPlainly(jwt, key);
  if (simple)
    return {
      header: readHeader(simple.header),
      ...readPayload(JSON.parse(TEXT.decode(simple.payload)) as unknown),
    };
  const { payload, protectedHeader } = await compactVerify(jwt, key, { algorithms: ['RS256'] });
  const header = readHeader(protectedHeader);
  return { header, ...readPayload(JSON.parse(TEXT.decode(payload)) as unknown) };
}

const TEXT = new TextDecoder();
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * The JWS as the IRP signs it — three base64url segments, a header object with `alg` RS256 and neither
 * `crit` nor `b64`, an RSA public key of 2048 bits or more — verified by node:crypto directly: jose
 * turns the key into a WebCrypto key and verifies on the thread pool, several times the CPU of the
 * RSA operation itself. Anything else, a signature that does not verify included, is undefined and
 * left to jose, which accepts or refuses it (with its own message) as before.
 */
export function verifiedPlainly(
  jwt: string,
  key: KeyObject,
): { header: Record<string, unknown>; payload: Buffer } | undefined {
  const parts = jwt.split('.');
  if (parts.length !== 3) return undefined;
  for (const part of parts) if (part.length % 4 === 1 || !BASE64URL.test(part)) return undefined;
  if (key.type !== 'public' || key.asymmetricKeyType !== 'rsa') return undefined;
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) return undefined;
  let header: unknown;
  try {
    header = JSON.parse(TEXT.decode(Buffer.from(parts[0]!, 'base64url')));
  } catch {
    return undefined;
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return undefined;
  const h = header as Record<string, unknown>;
  if (h.alg !== 'RS256' || Object.hasOwn(h, 'crit') || Object.hasOwn(h, 'b64')) return undefined;
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`, 'latin1');
  if (!verifySignature('sha256', signed, key, Buffer.from(parts[2]!, 'base64url'))) return undefined;
  return { header: h, payload: Buffer.from(parts[1]!, 'base64url') };
}
