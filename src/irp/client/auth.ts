/**
 * Login (README §3, §4): v1.04 sends `{"Data": RSA(base64(JSON))}` with `client_id`, `client_secret`
 * and `Gstin` headers; v1.03 sends `{"data": {UserName, Password: RSA, AppKey: RSA, …}}` with only the
 * client headers. Either way the answer carries the token in clear and the SEK under the AppKey.
 */
import {
  buildAuthPayloadV103,
  buildAuthPayloadV104,
  decryptSek,
  generateAppKey,
  getMemberIgnoringCase,
} from '../crypto.js';
import { parseIrpDateTime } from '../dates.js';
import {
  classifyAuthErrors,
  classifyHttpResponse,
  transientFromErrors,
  transientFromTransport,
} from './classify.js';
import type { AuthVersion, GstinCredentials } from './config.js';
import { TransportError, type HttpTransport } from './http.js';
import type { TransientCause } from './outcome.js';
import type { SecretRegistry } from './redact.js';

/** A token as the session keeps it. Never logged: see redact.ts. */
export interface IssuedToken {
  token: string;
  sek: Buffer;
  /** `TokenExpiry` as the IRP printed it (IST), for diagnostics. */
  tokenExpiry: string;
  /** Absolute instant (ms), parsed from `TokenExpiry`; undefined when unreadable. */
  expiresAtMs: number | undefined;
}

export type AuthResult =
  | { ok: true; token: IssuedToken }
  | { ok: false; kind: 'credentials'; code: string; message: string }
  | { ok: false; kind: 'transient'; cause: TransientCause };

export interface LoginRequest {
  http: HttpTransport;
  credentials: GstinCredentials;
  publicKeyPem: string;
  version: AuthVersion;
  path: string;
  forceRefresh: boolean;
  timeoutMs: number;
  secrets: SecretRegistry;
  /** Injectable for tests that must know the AppKey (log-scan test). */
  newAppKey?: () => Buffer;
  signal?: AbortSignal;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One login round trip. Never throws: every failure is classified. */
export async function login(req: LoginRequest): Promise<AuthResult> {
  const { credentials: cred } = req;
  const appKey = (req.newAppKey ?? generateAppKey)();
  req.secrets.add(appKey);
  const credentials = {
    userName: cred.userName,
    password: cred.password,
    appKey,
    forceRefreshAccessToken: req.forceRefresh,
  };
  let body: string;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    client_id: cred.clientId,
    client_secret: cred.clientSecret,
  };
  try {
    if (req.version === '1.04') {
      headers.Gstin = cred.gstin;
      body = JSON.stringify(buildAuthPayloadV104(credentials, req.publicKeyPem));
    } else {
      body = JSON.stringify(buildAuthPayloadV103(credentials, req.publicKeyPem));
    }
  } catch {
    // Unusable public key or a JSON beyond RSA's 245 bytes: a configuration problem, not transient.
    return {
      ok: false,
      kind: 'credentials',
      code: 'CLIENT_AUTH_PAYLOAD',
      message: 'cannot build the auth payload (public key or credential length)',
    };
  }

  let res;
  try {
    res = await req.http.request({
      method: 'POST',
      path: req.path,
      headers,
      body,
      timeoutMs: req.timeoutMs,
      signal: req.signal,
    });
  } catch (error) {
    if (error instanceof TransportError)
      return { ok: false, kind: 'transient', cause: transientFromTransport(error) };
    return { ok: false, kind: 'transient', cause: { reason: 'network', message: String(error) } };
  }

  const classified = classifyHttpResponse(res);
  switch (classified.kind) {
    case 'transient':
      return { ok: false, kind: 'transient', cause: classified.cause };
    case 'credentials':
      return { ok: false, kind: 'credentials', code: classified.code, message: classified.message };
    case 'operator':
      // No auth API at that path: the login cannot succeed as configured (a person must fix it).
      return { ok: false, kind: 'credentials', code: classified.code, message: classified.message };
    case 'envelope':
      break;
  }
  const envelope = classified.envelope;
  if (!envelope.ok) {
    if (classifyAuthErrors(envelope.errors) === 'transient') {
      return { ok: false, kind: 'transient', cause: transientFromErrors(envelope.errors) };
    }
    const first = envelope.errors[0]!;
    return { ok: false, kind: 'credentials', code: first.code, message: first.message };
  }
  return readAuthData(envelope.data, appKey, req.secrets);
}

function readAuthData(data: unknown, appKey: Buffer, secrets: SecretRegistry): AuthResult {
  const garbled = (message: string): AuthResult => ({
    ok: false,
    kind: 'transient',
    cause: { reason: 'garbled', message },
  });
  if (!isRecord(data)) return garbled('auth response Data is not an object');
  const token = getMemberIgnoringCase(data, 'AuthToken');
  const encryptedSek = getMemberIgnoringCase(data, 'Sek');
  const tokenExpiry = getMemberIgnoringCase(data, 'TokenExpiry');
  if (typeof token !== 'string' || token === '') return garbled('auth response without AuthToken');
  secrets.add(token);
  if (typeof encryptedSek !== 'string') return garbled('auth response without Sek');
  let sek: Buffer;
  try {
    sek = decryptSek(encryptedSek, appKey);
  } catch {
    return garbled('auth response Sek does not decrypt with the AppKey');
  }
  secrets.add(sek);
  const expiryText = typeof tokenExpiry === 'string' ? tokenExpiry : '';
  return {
    ok: true,
    token: { token, sek, tokenExpiry: expiryText, expiresAtMs: parseIrpDateTime(expiryText)?.getTime() },
  };
}
