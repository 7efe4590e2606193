/**
 * A minimal IRP client written from the public record only (README §1–§4), deliberately independent of
 * the sandbox's and the product's code: node:crypto and node-forge directly, fetch over real HTTP.
 * If the sandbox drifted from the record, this client — not the sandbox's own helpers — would notice.
 */
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHash,
  publicEncrypt,
  randomBytes,
  verify,
  X509Certificate,
} from 'node:crypto';
import forge from 'node-forge';

export interface SpecCredentials {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  userName: string;
  password: string;
  gstin: string;
  publicKeyPem: string;
}

export interface Envelope {
  Status: number;
  Data: unknown;
  ErrorDetails: { ErrorCode: string; ErrorMessage: string }[] | null;
  InfoDtls: { InfCd: string; Desc: unknown }[] | null;
}

export interface ApiResult<T = unknown> {
  httpStatus: number;
  envelope: Envelope;
  /** Decrypted `Data` of a success. */
  data?: T;
  codes: string[];
}

/** Which header names to send: NIC's pages (`client_id`) or NIC's Java sample (`client-id`). */
export type HeaderStyle = 'underscore' | 'hyphen';

// §3: AES-256-ECB, PKCS#7 padding, raw 32-byte key, no IV.
export function aesEncrypt(key: Buffer, plain: Buffer): Buffer {
  const c = createCipheriv('aes-256-ecb', key, null);
  return Buffer.concat([c.update(plain), c.final()]);
}

export function aesDecrypt(key: Buffer, cipherText: Buffer): Buffer {
  const d = createDecipheriv('aes-256-ecb', key, null);
  return Buffer.concat([d.update(cipherText), d.final()]);
}

export class SpecClient {
  appKey: Buffer = randomBytes(32);
  sek?: Buffer;
  authToken?: string;
  tokenExpiry?: string;

  constructor(
    readonly creds: SpecCredentials,
    readonly headerStyle: HeaderStyle = 'underscore',
  ) {}

  private clientHeaders(): Record<string, string> {
    return this.headerStyle === 'underscore'
      ? { client_id: this.creds.clientId, client_secret: this.creds.clientSecret }
      : { 'client-id': this.creds.clientId, 'client-secret': this.creds.clientSecret };
  }

  /** Headers of every call after login (§1). */
  sessionHeaders(): Record<string, string> {
    const h: Record<string, string> = {
      ...this.clientHeaders(),
      Gstin: this.creds.gstin,
      AuthToken: this.authToken ?? '',
    };
    if (this.headerStyle === 'underscore') h.user_name = this.creds.userName;
    else h.username = this.creds.userName;
    return h;
  }

  /** Auth v1.04 body: RSA-PKCS#1-v1.5(public key, ASCII of base64(JSON)), then base64 (§3 step 2). */
  authV104Body(
    opts: {
      forceRefresh?: boolean;
      password?: string;
      userName?: string;
      publicKeyPem?: string;
      appKeyText?: string;
    } = {},
  ): string {
    const json = JSON.stringify({
      UserName: opts.userName ?? this.creds.userName,
      Password: opts.password ?? this.creds.password,
      AppKey: opts.appKeyText ?? this.appKey.toString('base64'),
      ForceRefreshAccessToken: opts.forceRefresh ?? false,
    });
    const base64Json = Buffer.from(json, 'utf8').toString('base64');
    const encrypted = publicEncrypt(
      { key: opts.publicKeyPem ?? this.creds.publicKeyPem, padding: constants.RSA_PKCS1_PADDING },
      Buffer.from(base64Json, 'ascii'),
    );
    return JSON.stringify({ Data: encrypted.toString('base64') });
  }

  async authV104(
    opts: Parameters<SpecClient['authV104Body']>[0] & { headers?: Record<string, string> } = {},
  ): Promise<ApiResult<AuthData>> {
    const headers = opts.headers ?? { ...this.clientHeaders(), Gstin: this.creds.gstin };
    return this.finishAuth(
      await this.raw('POST', '/eivital/v1.04/auth', { headers, body: this.authV104Body(opts) }),
    );
  }

  /** Auth v1.03: `{"data": {UserName, Password: RSA(pwd), AppKey: RSA(32 bytes), ...}}` — RSA via node-forge here. */
  async authV103(opts: { forceRefresh?: boolean } = {}): Promise<ApiResult<AuthData>> {
    const key = forge.pki.publicKeyFromPem(this.creds.publicKeyPem);
    const rsa = (bytes: Buffer) =>
      Buffer.from(key.encrypt(bytes.toString('binary'), 'RSAES-PKCS1-V1_5'), 'binary').toString('base64');
    const body = JSON.stringify({
      data: {
        UserName: this.creds.userName,
        Password: rsa(Buffer.from(this.creds.password, 'utf8')),
        AppKey: rsa(this.appKey),
        ForceRefreshAccessToken: opts.forceRefresh ?? false,
      },
    });
    return this.finishAuth(
      await this.raw('POST', '/eivital/v1.03/auth', { headers: this.clientHeaders(), body }),
    );
  }

  private finishAuth(res: RawResponse): ApiResult<AuthData> {
    const envelope = res.json as Envelope;
    const result: ApiResult<AuthData> = { httpStatus: res.status, envelope, codes: codesOf(envelope) };
    if (envelope.Status === 1) {
      // Auth Data is a plain object; Sek = base64(AES(AppKey, SEK)) (§3 step 3).
      const data = envelope.Data as AuthData;
      this.sek = aesDecrypt(this.appKey, Buffer.from(data.Sek, 'base64'));
      this.authToken = data.AuthToken;
      this.tokenExpiry = data.TokenExpiry;
      result.data = data;
    }
    return result;
  }

  /** An encrypted POST: `{"Data": base64(AES(SEK, JSON))}`; the response Data decrypts to JSON text. */
  async post<T = unknown>(
    path: string,
    payload: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<ApiResult<T>> {
    const body = JSON.stringify({
      Data: aesEncrypt(this.sek!, Buffer.from(JSON.stringify(payload), 'utf8')).toString('base64'),
    });
    return this.decode<T>(
      await this.raw('POST', path, { headers: { ...this.sessionHeaders(), ...extraHeaders }, body }),
    );
  }

  async get<T = unknown>(path: string, extraHeaders: Record<string, string> = {}): Promise<ApiResult<T>> {
    return this.decode<T>(
      await this.raw('GET', path, { headers: { ...this.sessionHeaders(), ...extraHeaders } }),
    );
  }

  /** Cancel EWB, e-way-bill style (§3 last paragraph): AES over base64(JSON), headers without user name. */
  async cancelEwb<T = unknown>(path: string, inner: unknown): Promise<ApiResult<T>> {
    const b64 = Buffer.from(JSON.stringify(inner), 'utf8').toString('base64');
    const body = JSON.stringify({
      action: 'CANEWB',
      data: aesEncrypt(this.sek!, Buffer.from(b64, 'ascii')).toString('base64'),
    });
    const headers = {
      'client-id': this.creds.clientId,
      'client-secret': this.creds.clientSecret,
      Gstin: this.creds.gstin,
      authtoken: this.authToken ?? '',
    };
    const res = await this.raw('POST', path, { headers, body });
    const envelope = res.json as Envelope;
    const result: ApiResult<T> = { httpStatus: res.status, envelope, codes: codesOf(envelope) };
    if (envelope?.Status === 1) {
      const inner64 = aesDecrypt(this.sek!, Buffer.from(envelope.Data as string, 'base64')).toString('ascii');
      result.data = JSON.parse(Buffer.from(inner64, 'base64').toString('utf8')) as T;
    }
    return result;
  }

  private decode<T>(res: RawResponse): ApiResult<T> {
    const envelope = res.json as Envelope;
    const result: ApiResult<T> = { httpStatus: res.status, envelope, codes: codesOf(envelope) };
    if (envelope?.Status === 1 && typeof envelope.Data === 'string') {
      result.data = JSON.parse(
        aesDecrypt(this.sek!, Buffer.from(envelope.Data, 'base64')).toString('utf8'),
      ) as T;
    }
    return result;
  }

  raw(
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number } = {},
  ): Promise<RawResponse> {
    return rawRequest(this.creds.baseUrl, method, path, init);
  }
}

export interface AuthData {
  ClientId: string;
  UserName: string;
  AuthToken: string;
  Sek: string;
  TokenExpiry: string;
}

export interface RawResponse {
  status: number;
  text: string;
  json: unknown;
  headers: Headers;
}

export async function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: init.body,
    signal: AbortSignal.timeout(init.timeoutMs ?? 20_000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers };
}

function codesOf(envelope: Envelope | undefined): string[] {
  return (envelope?.ErrorDetails ?? []).map((e) => e.ErrorCode);
}

/** §5: lowercase hex SHA-256 of GSTIN + FY (YYYY-YY) + doc type + doc number (upper-cased since June 2025). */
export function expectedIrn(gstin: string, docType: string, docNo: string, docDate: string): string {
  const [, mm, yyyy] = docDate.split('/').map(Number) as [number, number, number];
  const start = mm >= 4 ? yyyy : yyyy - 1;
  const fy = `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
  return createHash('sha256').update(`${gstin}${fy}${docType}${docNo.toUpperCase()}`).digest('hex');
}

/** §6: verify an RS256 compact JWS with the signing certificate and return header and parsed data. */
export function verifySignedJwt(
  jwt: string,
  certPem: string,
): {
  header: Record<string, unknown>;
  payload: { data: string; iss: string };
  data: Record<string, unknown>;
} {
  const [h, p, s] = jwt.split('.') as [string, string, string];
  const cert = new X509Certificate(certPem);
  const ok = verify('sha256', Buffer.from(`${h}.${p}`), cert.publicKey, Buffer.from(s, 'base64url'));
  if (!ok) throw new Error('signature does not verify with the signing certificate');
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>;
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as { data: string; iss: string };
  return { header, payload, data: JSON.parse(payload.data) as Record<string, unknown> };
}

/** SHA-1 thumbprint of the DER certificate, upper-case hex (the header `kid`). */
export function certThumbprintHex(certPem: string): string {
  return createHash('sha1').update(new X509Certificate(certPem).raw).digest('hex').toUpperCase();
}
