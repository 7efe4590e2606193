/**
 * The IRP's API surface (§2 table): every path real clients call, each bound to a service, and the
 * pipeline each call goes through — credential headers, token check, payload decryption, the service,
 * response encryption — ending in the IRP envelope. Anything a client gets wrong ends as an envelope
 * with an IRP code, never as a stack trace.
 */
import type { IncomingHttpHeaders } from 'node:http';
import {
  IrpCryptoError,
  decryptEwbStylePayload,
  decryptJsonPayload,
  encryptEwbStylePayload,
  encryptJsonPayload,
  getMemberIgnoringCase,
} from '../../irp/crypto.js';
import type { ApiName } from '../api-names.js';
import type { AuthResponseData, AuthService } from '../services/auth-service.js';
import type { EwbService } from '../services/ewb-service.js';
import type { GstinService } from '../services/gstin-service.js';
import type { InvoiceService } from '../services/invoice-service.js';
import { explained, type Failure, type Outcome } from '../services/outcome.js';
import type { CredentialHeaders, Session } from '../services/session.js';
import { failureEnvelope, successEnvelope, type IrpEnvelope } from './envelope.js';
import { readCredentialHeaders } from './headers.js';

export interface ApiCall {
  session: Session;
  payload: unknown;
  params: Record<string, string>;
  query: URLSearchParams;
}

interface RouteBase {
  api: ApiName;
  paths: readonly string[];
}

export interface LoginRoute extends RouteBase {
  kind: 'login';
  method: 'POST';
  login(headers: CredentialHeaders, body: unknown): Promise<Outcome<AuthResponseData>>;
}

export interface TokenRoute extends RouteBase {
  kind: 'token';
  method: 'GET' | 'POST';
  /** `json`: `{"Data": base64(AES(SEK, JSON))}`; `ewb`: the e-way-bill style `{"action", "data"}` (Cancel EWB). */
  payload: 'none' | 'json' | 'ewb';
  /** Cancel EWB follows the e-way-bill headers, which have no user name. */
  requireUserName: boolean;
  handle(call: ApiCall): Outcome<unknown> | Promise<Outcome<unknown>>;
}

export type IrpRoute = LoginRoute | TokenRoute;

export interface IrpServices {
  auth: AuthService;
  invoices: InvoiceService;
  ewbs: EwbService;
  gstins: GstinService;
}

export function irpRoutes(s: IrpServices): IrpRoute[] {
  const token = (
    api: ApiName,
    method: 'GET' | 'POST',
    paths: string[],
    payload: TokenRoute['payload'],
    handle: TokenRoute['handle'],
  ): TokenRoute => ({
    kind: 'token',
    api,
    method,
    paths,
    payload,
    requireUserName: api !== 'cancel-ewb',
    handle,
  });

  return [
    {
      kind: 'login',
      api: 'auth',
      method: 'POST',
      paths: ['/eivital/v1.04/auth'],
      login: (h, b) => s.auth.loginV104(h, b),
    },
    {
      kind: 'login',
      api: 'auth',
      method: 'POST',
      paths: ['/eivital/v1.03/auth'],
      login: (h, b) => s.auth.loginV103(h, b),
    },
    token('generate-irn', 'POST', ['/eicore/v1.03/Invoice'], 'json', (c) =>
      s.invoices.generate(c.session, c.payload),
    ),
    token('get-irn', 'GET', ['/eicore/v1.03/Invoice/irn/:irn'], 'none', (c) =>
      s.invoices.getByIrn(c.session, c.params.irn!),
    ),
    token('get-irn-by-doc', 'GET', ['/eicore/v1.03/Invoice/irnbydocdetails'], 'none', (c) =>
      s.invoices.getByDocDetails(c.session, c.query),
    ),
    token('cancel-irn', 'POST', ['/eicore/v1.03/Invoice/Cancel'], 'json', (c) =>
      s.invoices.cancel(c.session, c.payload),
    ),
    token(
      'gstin-details',
      'GET',
      ['/eivital/v1.03/Master/gstin/:gstin', '/eivital/v1.04/Master/gstin/:gstin'],
      'none',
      (c) => s.gstins.details(c.params.gstin!),
    ),
    token(
      'sync-gstin',
      'GET',
      ['/eivital/v1.03/Master/syncgstin/:gstin', '/eivital/v1.04/Master/syncgstin/:gstin'],
      'none',
      (c) => s.gstins.sync(c.params.gstin!),
    ),
    token('generate-ewb', 'POST', ['/eiewb/v1.03/ewaybill'], 'json', (c) =>
      s.ewbs.generateByIrn(c.session, c.payload),
    ),
    token('get-ewb', 'GET', ['/eiewb/v1.03/ewaybill/irn/:irn'], 'none', (c) =>
      s.ewbs.getByIrn(c.session, c.params.irn!),
    ),
    // The full sandbox path of Cancel EWB is UNCONFIRMED (§2): both known mappings are served.
    token('cancel-ewb', 'POST', ['/ewaybillapi/v1.03/ewayapi', '/ewb/v1.03/ewayapi'], 'ewb', (c) =>
      s.ewbs.cancel(c.session, c.payload),
    ),
  ];
}

/** What the request carried, already read by the HTTP layer. */
export interface IrpRequest {
  headers: IncomingHttpHeaders;
  body: Buffer;
  params: Record<string, string>;
  query: URLSearchParams;
}

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false; empty: boolean } {
  const text = body.toString('utf8').trim();
  if (text === '') return { ok: false, empty: true };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, empty: false };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Codes for a request body the IRP cannot read. The record has no code for "cannot decrypt"; the
 * sandbox answers 3009 "Pls provide the required parameter or payload" for anything unreadable and
 * 2255 "Requested Payload is empty" for a missing payload (UNCONFIRMED choices).
 */
const UNREADABLE = '3009';
const EMPTY = '2255';

const CRYPTO_STEP: Record<IrpCryptoError['reason'], string> = {
  base64: 'Data is not base64',
  aes: 'Data does not decrypt with the SEK of this AuthToken (AES-256-ECB, PKCS#7)',
  utf8: 'the decrypted Data is not UTF-8 text',
  json: 'the decrypted Data is not JSON',
  rsa: 'Data is not RSA ciphertext',
  'key-length': 'the key has the wrong length',
};

function decryptPayload(
  route: TokenRoute,
  body: Buffer,
  sek: Buffer,
): { ok: true; payload: unknown } | Failure {
  const parsed = parseJson(body);
  if (!parsed.ok)
    return parsed.empty
      ? explained(EMPTY, 'the request body is empty')
      : explained(UNREADABLE, 'the request body is not JSON');
  if (!isRecord(parsed.value)) return explained(UNREADABLE, 'the request body is not a JSON object');
  if (route.payload === 'ewb') {
    const action = getMemberIgnoringCase(parsed.value, 'action');
    if (typeof action !== 'string' || action.toUpperCase() !== 'CANEWB')
      return explained('4006', 'action must be CANEWB');
  }
  const data = getMemberIgnoringCase(parsed.value, 'Data');
  if (data === undefined || data === null || data === '')
    return explained(EMPTY, 'the body has no Data member');
  if (typeof data !== 'string') return explained(UNREADABLE, 'Data must be a base64 string');
  try {
    const payload =
      route.payload === 'ewb' ? decryptEwbStylePayload(sek, data) : decryptJsonPayload(sek, data);
    return { ok: true, payload };
  } catch (err) {
    if (err instanceof IrpCryptoError) return explained(UNREADABLE, CRYPTO_STEP[err.reason]);
    throw err;
  }
}

/** The envelope of one call, and (for the log only) why it failed. */
export interface RouteResult {
  envelope: IrpEnvelope;
  reason?: string;
  /** Set for a refusal under load or probing: HTTP 429 with Retry-After. */
  retryAfterMs?: number;
}

function toResult(outcome: Outcome<unknown>, encode: (data: unknown) => unknown): RouteResult {
  if (outcome.ok) return { envelope: successEnvelope(encode(outcome.data), outcome.info) };
  return routeResult(outcome);
}

/** The result of a failed outcome. */
export function routeResult(outcome: Failure): RouteResult {
  const result: RouteResult = { envelope: failureEnvelope(outcome.errors, outcome.info) };
  if (outcome.reason) result.reason = outcome.reason;
  if (outcome.retryAfterMs !== undefined) result.retryAfterMs = outcome.retryAfterMs;
  return result;
}

/** Runs one IRP call to its envelope. */
export async function runIrpRoute(
  route: IrpRoute,
  request: IrpRequest,
  auth: AuthService,
): Promise<RouteResult> {
  const headers = readCredentialHeaders(request.headers);
  if (route.kind === 'login') {
    const parsed = parseJson(request.body);
    if (!parsed.ok)
      return toResult(
        explained('1007', parsed.empty ? 'the request body is empty' : 'the request body is not JSON'),
        (d) => d,
      );
    // The auth response's Data is a plain object; only its Sek is encrypted.
    return toResult(await route.login(headers, parsed.value), (data) => data);
  }

  const authenticated = await auth.authenticate(headers, route.requireUserName);
  if (!authenticated.ok) return toResult(authenticated, (d) => d);
  const { session } = authenticated;

  let payload: unknown;
  if (route.payload !== 'none') {
    const decrypted = decryptPayload(route, request.body, session.sek);
    if (!decrypted.ok) return toResult(decrypted, (d) => d);
    payload = decrypted.payload;
  }
  const outcome = await route.handle({ session, payload, params: request.params, query: request.query });
  const encode =
    route.payload === 'ewb'
      ? (data: unknown) => encryptEwbStylePayload(session.sek, data)
      : (data: unknown) => encryptJsonPayload(session.sek, data);
  return toResult(outcome, encode);
}
