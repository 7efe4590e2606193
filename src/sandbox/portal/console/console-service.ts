/**
 * The encryption console: an IRP client that shows its work. It logs in with the credentials typed in
 * the browser, calls the sandbox's own IRP APIs over real HTTP, and returns every intermediate value —
 * the plaintext, the AppKey, the RSA-encrypted login, the SEK encrypted and clear, the AES payload, the
 * raw and decrypted answer — using the same crypto as the sandbox and the product's client
 * (src/irp/crypto.ts). It also checks a payload someone encrypted elsewhere: does it decrypt under this
 * session's SEK, is it JSON, does it validate (the sandbox's validator, with IRP codes and JSON paths).
 *
 * Sessions live in memory only, per browser, for an hour; the client secret and password typed in are
 * kept there (never in the database, never logged) so the console can log in again.
 */
import { randomBytes } from 'node:crypto';
import type * as t from 'io-ts';
import { isRight } from 'fp-ts/lib/Either.js';
import {
  aesEcbDecrypt,
  buildAuthPayloadV103,
  buildAuthPayloadV104,
  decodeBase64Strict,
  decryptEwbStylePayload,
  decryptJsonPayload,
  decryptSek,
  encryptEwbStylePayload,
  encryptJsonPayload,
  generateAppKey,
  IrpCryptoError,
} from '../../../irp/crypto.js';
import { formatIrpDate } from '../../../irp/dates.js';
import { createSignedVerifier, renderQrPng } from '../../../irp/client/signed.js';
import { statePinPrefixes } from '../../../irp/masters/index.js';
import { validateInvoice } from '../../../irp/validate/index.js';
import { schemaFindings } from '../../../irp/validate/schema-findings.js';
import type { SandboxClock } from '../../clock.js';
import { DEMO_BUYER_GSTIN } from '../../seed/taxpayers.js';
import type { TaxpayerMaster } from '../../services/taxpayer-master.js';
import { recordSample, type ApiDoc } from '../docs/api-docs.js';
import type { PortalStore } from '../portal-store.js';
import { explain, type ExplainedError } from './explanations.js';

export const CONSOLE_SESSION_MS = 60 * 60 * 1000;
const MAX_SESSIONS = 500;
const MASK = '••••••••';

export interface ConsoleCredentials {
  clientId: string;
  clientSecret: string;
  userName: string;
  password: string;
  gstin: string;
}

interface ConsoleSession {
  creds: ConsoleCredentials;
  version: 'v1.04' | 'v1.03';
  appKey: Buffer;
  sek?: Buffer;
  authToken?: string;
  lastIrn?: string;
  lastDoc?: { typ: string; no: string; dt: string };
  lastEwbNo?: number;
  touchedAt: number;
}

export interface HttpTranscript {
  request: { method: string; url: string; headers: Record<string, string>; body: string | null };
  response: { status: number; body: string };
  /** The envelope's Data decrypted under the session's SEK, when it was encrypted. */
  decrypted?: unknown;
  status?: number;
  errors: ExplainedError[];
  info?: unknown;
}

export type ConsoleResult<T> = { ok: true; value: T } | { ok: false; error: string };
const failed = (error: string): ConsoleResult<never> => ({ ok: false, error });

export interface ConsoleDeps {
  docs: readonly ApiDoc[];
  baseUrl: () => string;
  publicKeyPem: string;
  signingCertPem: string;
  clock: SandboxClock;
  master: TaxpayerMaster;
  store: PortalStore;
}

export interface Step {
  name: string;
  ok: boolean;
  detail: string;
}

export interface Finding {
  code: string;
  message: string;
  path: string;
  detail?: string;
}

/** The SellerDtls adjustments that make a record sample valid for `gstin`, and a fresh document. */
export function invoiceFor(sampleFile: string, gstin: string, now: Date): Record<string, unknown> {
  const invoice = recordSample(sampleFile) as Record<string, Record<string, unknown>>;
  const state = gstin.slice(0, 2);
  const seller = invoice.SellerDtls!;
  seller.Gstin = gstin;
  seller.Stcd = state;
  const prefix = statePinPrefixes(state)[0];
  if (prefix) seller.Pin = prefix.from * 1000 + 1;
  const buyer = invoice.BuyerDtls!;
  if (String(buyer.Pos) === state || String(buyer.Stcd) === state || buyer.Gstin === gstin) {
    // Keep the sample inter-state (its tax is IGST): a buyer of another state.
    const other = state === DEMO_BUYER_GSTIN.slice(0, 2) ? '02AMBPG7773M002' : DEMO_BUYER_GSTIN;
    const otherState = other.slice(0, 2);
    Object.assign(buyer, {
      Gstin: other,
      Pos: otherState,
      Stcd: otherState,
      Pin: (statePinPrefixes(otherState)[0]?.from ?? 560) * 1000 + 1,
    });
    if (invoice.ShipDtls) invoice.ShipDtls.Stcd = otherState;
    if (invoice.ShipDtls) invoice.ShipDtls.Pin = buyer.Pin;
  }
  if (invoice.DispDtls) Object.assign(invoice.DispDtls, { Stcd: state, Pin: seller.Pin });
  invoice.DocDtls = {
    Typ: 'INV',
    No: `CON${randomBytes(5).toString('hex').toUpperCase()}`,
    Dt: formatIrpDate(now),
  };
  delete invoice.EwbDtls;
  return invoice;
}

function parseJsonText(text: string): ConsoleResult<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return failed(`not JSON: ${(err as Error).message}`);
  }
}

export class ConsoleService {
  private readonly sessions = new Map<string, ConsoleSession>();
  private readonly verifier;

  constructor(private readonly d: ConsoleDeps) {
    this.verifier = createSignedVerifier(d.signingCertPem);
  }

  doc(slug: string): ApiDoc | undefined {
    return this.d.docs.find((d) => d.slug === slug);
  }

  private session(binding: string): ConsoleSession | undefined {
    const s = this.sessions.get(binding);
    if (!s) return undefined;
    if (s.touchedAt + CONSOLE_SESSION_MS < Date.now()) {
      this.sessions.delete(binding);
      return undefined;
    }
    s.touchedAt = Date.now();
    return s;
  }

  /** Public view of a console session (no secrets). */
  state(binding: string): { loggedIn: boolean; gstin?: string; userName?: string; lastIrn?: string } {
    const s = this.session(binding);
    return {
      loggedIn: Boolean(s?.sek),
      gstin: s?.creds.gstin,
      userName: s?.creds.userName,
      lastIrn: s?.lastIrn,
    };
  }

  /** Logs in and shows every step. */
  async auth(binding: string, creds: ConsoleCredentials, version: 'v1.04' | 'v1.03', forceRefresh = false) {
    const missing = (['clientId', 'clientSecret', 'userName', 'password', 'gstin'] as const).filter(
      (k) => !creds[k]?.trim(),
    );
    if (missing.length > 0) return failed(`Fill in: ${missing.join(', ')}.`);
    const appKey = generateAppKey();
    const c = {
      ...creds,
      gstin: creds.gstin.trim().toUpperCase(),
      userName: creds.userName.trim(),
      clientId: creds.clientId.trim(),
    };
    const plaintext = {
      UserName: c.userName,
      Password: MASK,
      AppKey: appKey.toString('base64'),
      ForceRefreshAccessToken: forceRefresh,
    };
    const credentials = {
      userName: c.userName,
      password: c.password,
      appKey,
      forceRefreshAccessToken: forceRefresh,
    };
    let body: unknown;
    try {
      body =
        version === 'v1.04'
          ? buildAuthPayloadV104(credentials, this.d.publicKeyPem)
          : buildAuthPayloadV103(credentials, this.d.publicKeyPem);
    } catch (err) {
      return failed(`The login does not fit one RSA block: ${(err as Error).message}`);
    }
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      client_id: c.clientId,
      client_secret: c.clientSecret,
    };
    if (version === 'v1.04') headers.Gstin = c.gstin;
    const transcript = await this.http('POST', `/eivital/${version}/auth`, headers, JSON.stringify(body));
    const envelope = this.envelopeOf(transcript);
    const session: ConsoleSession = { creds: c, version, appKey, touchedAt: Date.now() };
    let sekEncrypted: string | undefined;
    let sek: Buffer | undefined;
    let authToken: string | undefined;
    let tokenExpiry: string | undefined;
    if (envelope?.Status === 1 && envelope.Data && typeof envelope.Data === 'object') {
      const data = envelope.Data as Record<string, string>;
      sekEncrypted = data.Sek;
      authToken = data.AuthToken;
      tokenExpiry = data.TokenExpiry;
      try {
        sek = decryptSek(data.Sek ?? '', appKey);
      } catch {
        sek = undefined;
      }
      Object.assign(session, { sek, authToken });
      const previous = this.sessions.get(binding);
      if (previous)
        Object.assign(session, {
          lastIrn: previous.lastIrn,
          lastDoc: previous.lastDoc,
          lastEwbNo: previous.lastEwbNo,
        });
      this.remember(binding, session);
    }
    return {
      ok: true as const,
      value: {
        plaintext,
        plaintextNote: 'The password is masked here; the encrypted body below carries it.',
        appKey: { base64: appKey.toString('base64'), hex: appKey.toString('hex') },
        rsaBody: body,
        transcript,
        sekEncrypted,
        sek: sek && { base64: sek.toString('base64'), hex: sek.toString('hex') },
        authToken,
        tokenExpiry,
      },
    };
  }

  /** A sample request for an API, adapted to the session (GSTIN, last IRN, today). */
  sample(
    binding: string,
    slug: string,
  ): ConsoleResult<{ payload: string | null; params: Record<string, string> }> {
    const doc = this.doc(slug);
    if (!doc) return failed(`Unknown API ${slug}.`);
    const s = this.session(binding);
    const gstin = s?.creds.gstin ?? '29AWGPV7107B1Z1';
    const irn = s?.lastIrn ?? doc.pathParams?.find((p) => p.name === 'irn')?.example ?? '';
    const params: Record<string, string> = {};
    for (const p of doc.pathParams ?? [])
      params[p.name] = p.name === 'irn' ? irn : p.name === 'gstin' ? gstin : p.example;
    for (const q of doc.query ?? []) {
      const last = s?.lastDoc;
      params[q.name] =
        q.name === 'doctype'
          ? (last?.typ ?? q.example)
          : q.name === 'docnum'
            ? (last?.no ?? q.example)
            : (last?.dt ?? q.example);
    }
    let payload: unknown = null;
    if (doc.slug === 'generate-irn')
      payload = invoiceFor('b2b-inter-state.request.json', gstin, this.d.clock.now());
    else if (doc.slug === 'cancel-irn') payload = { Irn: irn, CnlRsn: '2', CnlRem: 'Data entry mistake' };
    else if (doc.slug === 'generate-ewb') payload = { ...(doc.request!.sample as object), Irn: irn };
    else if (doc.slug === 'cancel-ewb')
      payload = { ...(doc.request!.sample as object), ...(s?.lastEwbNo ? { ewbNo: s.lastEwbNo } : {}) };
    else if (doc.request && !doc.body.startsWith('auth')) payload = doc.request.sample;
    return {
      ok: true,
      value: { payload: payload === null ? null : JSON.stringify(payload, null, 2), params },
    };
  }

  /** Encrypts a plaintext payload under the session's SEK, as the API wants it. */
  encrypt(binding: string, slug: string, payloadText: string) {
    const doc = this.doc(slug);
    if (!doc) return failed(`Unknown API ${slug}.`);
    const s = this.session(binding);
    if (!s?.sek)
      return failed('Log in first: the payload is encrypted under the session key (SEK) of your login.');
    const parsed = parseJsonText(payloadText);
    if (!parsed.ok) return failed(`The payload is ${parsed.error}.`);
    const data = this.encryptFor(doc, s.sek, parsed.value);
    return { ok: true as const, value: { data, body: this.bodyFor(doc, data) } };
  }

  private encryptFor(doc: ApiDoc, sek: Buffer, value: unknown): string {
    return doc.body === 'ewb' ? encryptEwbStylePayload(sek, value) : encryptJsonPayload(sek, value);
  }

  private bodyFor(doc: ApiDoc, data: string): Record<string, string> {
    return doc.body === 'ewb' ? { action: 'CANEWB', data } : { Data: data };
  }

  /**
   * Checks a payload encrypted elsewhere (a `Data` value or a whole body): base64, AES under this
   * session's SEK, UTF-8, JSON, then the API's validation, with IRP codes and JSON paths.
   */
  inspect(binding: string, slug: string, text: string) {
    const doc = this.doc(slug);
    if (!doc) return failed(`Unknown API ${slug}.`);
    if (doc.body !== 'json' && doc.body !== 'ewb') return failed(`${doc.title} has no encrypted payload.`);
    const s = this.session(binding);
    if (!s?.sek)
      return failed('Log in first: a payload is checked against the session key (SEK) of your login.');
    const steps: Step[] = [];
    let data = text.trim();
    if (data.startsWith('{')) {
      const body = parseJsonText(data);
      const member =
        body.ok && body.value && typeof body.value === 'object'
          ? (body.value as Record<string, unknown>)[doc.body === 'ewb' ? 'data' : 'Data']
          : undefined;
      if (typeof member !== 'string') {
        steps.push({
          name: 'Body',
          ok: false,
          detail: `A body must be JSON with a "${doc.body === 'ewb' ? 'data' : 'Data'}" string (IRP ${data === '' ? '2255' : '3009'}).`,
        });
        return {
          ok: true as const,
          value: { steps, findings: [] as Finding[], decrypted: undefined as unknown },
        };
      }
      steps.push({
        name: 'Body',
        ok: true,
        detail: `JSON body; its ${doc.body === 'ewb' ? 'data' : 'Data'} member is checked.`,
      });
      data = member;
    }
    if (data === '') {
      steps.push({ name: 'Payload', ok: false, detail: 'Empty (IRP 2255).' });
      return {
        ok: true as const,
        value: { steps, findings: [] as Finding[], decrypted: undefined as unknown },
      };
    }
    let bytes: Buffer;
    try {
      bytes = decodeBase64Strict(data);
      steps.push({
        name: 'Base64',
        ok: true,
        detail: `${bytes.length} bytes (${bytes.length % 16 === 0 ? 'whole' : 'not whole'} AES blocks).`,
      });
    } catch {
      steps.push({ name: 'Base64', ok: false, detail: 'Not valid base64 (IRP 3009).' });
      return {
        ok: true as const,
        value: { steps, findings: [] as Finding[], decrypted: undefined as unknown },
      };
    }
    let plain: Buffer;
    try {
      plain = aesEcbDecrypt(s.sek, bytes);
      steps.push({
        name: 'Decrypts under your SEK',
        ok: true,
        detail:
          'AES-256-ECB with PKCS#7 padding: the padding is right, so this is the key it was encrypted with.',
      });
    } catch (err) {
      steps.push({
        name: 'Decrypts under your SEK',
        ok: false,
        detail: `${err instanceof IrpCryptoError ? err.message : 'AES failed'}: encrypted under another key (an old SEK, the AppKey?) or corrupted (IRP 3009).`,
      });
      return {
        ok: true as const,
        value: { steps, findings: [] as Finding[], decrypted: undefined as unknown },
      };
    }
    let value: unknown;
    try {
      value = doc.body === 'ewb' ? decryptEwbStylePayload(s.sek, data) : decryptJsonPayload(s.sek, data);
      steps.push({
        name: 'JSON',
        ok: true,
        detail:
          doc.body === 'ewb'
            ? 'The plaintext is base64 of JSON, as the e-way-bill style wants.'
            : 'The plaintext is JSON.',
      });
    } catch (err) {
      steps.push({
        name: 'JSON',
        ok: false,
        detail: `${(err as Error).message} (IRP 3009). Plaintext starts: ${JSON.stringify(plain.toString('utf8').slice(0, 80))}`,
      });
      return {
        ok: true as const,
        value: { steps, findings: [] as Finding[], decrypted: undefined as unknown },
      };
    }
    const findings = this.validate(doc, value);
    steps.push({
      name: 'Validates',
      ok: findings.length === 0,
      detail:
        findings.length === 0
          ? 'No findings: the IRP would accept this payload (duplicates and ownership are checked when it is sent).'
          : `${findings.length} finding(s), below.`,
    });
    return { ok: true as const, value: { steps, findings, decrypted: value } };
  }

  private validate(doc: ApiDoc, value: unknown): Finding[] {
    if (doc.slug === 'generate-irn') {
      const result = validateInvoice(value, {
        now: this.d.clock.now(),
        isLargeTaxpayer: this.d.master.isLargeTaxpayer,
        taxpayerStatus: this.d.master.status,
        taxpayerType: this.d.master.taxpayerType,
      });
      return result.errors.map((e) => ({
        code: e.code,
        message: e.message,
        path: e.path,
        ...(e.detail ? { detail: e.detail } : {}),
      }));
    }
    if (!doc.request) return [];
    const decoded = (doc.request.codec as t.Mixed).decode(value);
    if (isRight(decoded)) return [];
    const code = doc.slug === 'cancel-irn' ? '2142' : '4006';
    return schemaFindings(decoded.left).map((f) => ({
      code,
      message: explain(code).message,
      path: f.path,
      ...(f.detail ? { detail: f.detail } : {}),
    }));
  }

  /** Sends a call: a plaintext payload (encrypted here) or a raw body as given. */
  async send(
    binding: string,
    slug: string,
    input: {
      payload?: string;
      rawBody?: string;
      params?: Record<string, string>;
      omitToken?: boolean;
      wrongKey?: boolean;
    },
  ) {
    const doc = this.doc(slug);
    if (!doc) return failed(`Unknown API ${slug}.`);
    if (doc.body.startsWith('auth')) return failed('Use the login form for Authenticate.');
    const s = this.session(binding);
    if (!s?.authToken || !s.sek) return failed('Log in first.');
    let path = doc.paths[0]!;
    for (const p of doc.pathParams ?? []) {
      const value = input.params?.[p.name]?.trim() ?? '';
      if (!value) return failed(`Fill in the ${p.name}.`);
      path = path.replace(`:${p.name}`, encodeURIComponent(value));
    }
    if (doc.query)
      path += `?${new URLSearchParams(doc.query.map((q): [string, string] => [q.name, input.params?.[q.name] ?? ''])).toString()}`;
    let body: string | null = null;
    let sent: unknown;
    if (doc.body === 'json' || doc.body === 'ewb') {
      if (input.rawBody !== undefined) body = input.rawBody;
      else {
        const parsed = parseJsonText(input.payload ?? '');
        if (!parsed.ok) return failed(`The payload is ${parsed.error}.`);
        sent = parsed.value;
        const key = input.wrongKey ? generateAppKey() : s.sek;
        body = JSON.stringify(this.bodyFor(doc, this.encryptFor(doc, key, parsed.value)));
      }
    }
    const headers: Record<string, string> = {};
    for (const h of doc.headers) {
      if (!h.required) continue;
      const value: Record<string, string | undefined> = {
        'Content-Type': 'application/json',
        client_id: s.creds.clientId,
        client_secret: s.creds.clientSecret,
        Gstin: s.creds.gstin,
        user_name: s.creds.userName,
        AuthToken: input.omitToken ? undefined : s.authToken,
      };
      if (value[h.name] !== undefined) headers[h.name] = value[h.name]!;
    }
    const transcript = await this.http(doc.method, path, headers, body);
    const envelope = this.envelopeOf(transcript);
    if (envelope?.Status === 1 && typeof envelope.Data === 'string') {
      try {
        transcript.decrypted =
          doc.body === 'ewb'
            ? decryptEwbStylePayload(s.sek, envelope.Data)
            : decryptJsonPayload(s.sek, envelope.Data);
      } catch (err) {
        transcript.decrypted = `(could not decrypt: ${(err as Error).message})`;
      }
      this.track(s, doc, sent, transcript.decrypted);
    }
    return { ok: true as const, value: transcript };
  }

  private track(s: ConsoleSession, doc: ApiDoc, sent: unknown, data: unknown): void {
    const d = (data ?? {}) as Record<string, unknown>;
    if (
      typeof d.Irn === 'string' &&
      (doc.slug === 'generate-irn' || doc.slug === 'get-irn' || doc.slug === 'get-irn-by-doc')
    ) {
      s.lastIrn = d.Irn;
      const inv = (sent ?? {}) as { DocDtls?: { Typ?: string; No?: string; Dt?: string } };
      if (inv.DocDtls?.No)
        s.lastDoc = {
          typ: String(inv.DocDtls.Typ ?? 'INV').toUpperCase(),
          no: inv.DocDtls.No,
          dt: String(inv.DocDtls.Dt ?? ''),
        };
    }
    if (typeof d.EwbNo === 'number') s.lastEwbNo = d.EwbNo;
  }

  /** Verifies a SignedInvoice or SignedQRCode against the signing certificate; the QR as a PNG. */
  async verify(jwt: string) {
    const token = jwt.trim();
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token))
      return failed('A signed invoice or QR code is a JWT: three base64url parts separated by dots.');
    const result = await this.verifier.verify(token);
    if (!result.ok) return failed(`Not verified: ${result.error}.`);
    const data = result.value.data as Record<string, unknown>;
    const kind = 'SellerDtls' in data || 'ItemList' in data ? 'SignedInvoice' : 'SignedQRCode';
    // A SignedQRCode is what the invoice prints; a whole SignedInvoice is too long for a QR code.
    const png = kind === 'SignedQRCode' ? await renderQrPng(token, { width: 384 }) : undefined;
    return {
      ok: true as const,
      value: {
        kind,
        header: result.value.header,
        data,
        qrPng: png && `data:image/png;base64,${png.toString('base64')}`,
      },
    };
  }

  private remember(binding: string, session: ConsoleSession): void {
    this.sessions.delete(binding);
    this.sessions.set(binding, session);
    while (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
  }

  /** A login with the session's credentials but another password (the wrong-credentials scenario). */
  async loginWithPassword(binding: string, password: string): Promise<HttpTranscript | undefined> {
    const s = this.session(binding);
    if (!s) return undefined;
    const body = buildAuthPayloadV104(
      { userName: s.creds.userName, password, appKey: generateAppKey(), forceRefreshAccessToken: false },
      this.d.publicKeyPem,
    );
    return this.http(
      'POST',
      '/eivital/v1.04/auth',
      {
        'content-type': 'application/json',
        client_id: s.creds.clientId,
        client_secret: s.creds.clientSecret,
        Gstin: s.creds.gstin,
      },
      JSON.stringify(body),
    );
  }

  /** Re-logs in with the stored credentials (after a scenario that ended the token). */
  async relogin(binding: string) {
    const s = this.session(binding);
    if (!s) return failed('Log in first.');
    return this.auth(binding, s.creds, s.version);
  }

  sessionFor(binding: string) {
    return this.session(binding);
  }

  async http(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string | null,
  ): Promise<HttpTranscript> {
    const url = `${this.d.baseUrl()}${path}`;
    const shown = Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [k, k === 'client_secret' ? MASK : v]),
    );
    let status = 0;
    let text: string;
    try {
      const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(30_000) });
      status = res.status;
      text = await res.text();
    } catch (err) {
      text = `(no answer: ${(err as Error).message})`;
    }
    const transcript: HttpTranscript = {
      request: { method, url, headers: shown, body },
      response: { status, body: text },
      errors: [],
    };
    const envelope = this.envelopeOf(transcript);
    if (envelope) {
      transcript.status = envelope.Status;
      transcript.errors = (envelope.ErrorDetails ?? []).map((e) => explain(e.ErrorCode, e.ErrorMessage));
      transcript.info = envelope.InfoDtls ?? undefined;
    }
    return transcript;
  }

  private envelopeOf(t: HttpTranscript):
    | {
        Status: number;
        Data: unknown;
        ErrorDetails: { ErrorCode: string; ErrorMessage: string }[] | null;
        InfoDtls: unknown;
      }
    | undefined {
    try {
      const value = JSON.parse(t.response.body) as Record<string, unknown>;
      return typeof value.Status === 'number' ? (value as never) : undefined;
    } catch {
      return undefined;
    }
  }
}
