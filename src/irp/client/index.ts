/**
 * The IRP client: every API of the NIC e-invoice IRP behind typed functions whose results are tagged
 * outcomes (outcome.ts), with sessions, retries, a circuit breaker and 2150 recovery built in.
 * See README.md beside this file for the API and an example.
 */
import pino, { type Logger } from 'pino';
import {
  apiCalls,
  type ApiCall,
  type CancelEwbData,
  type CancelEwbRequest,
  type CancelIrnData,
  type CancelIrnRequest,
} from './apis.js';
import type {
  DocDetailsQuery,
  EwbDetails,
  GenerateEwbData,
  GenerateEwbRequest,
  GstinDetails,
  IrnDetails,
} from './apis.js';
import { login } from './auth.js';
import { attemptCall, type CallOptions, type ExchangeEvent, type Final } from './call.js';
import { resolveIrpClientConfig, type GstinCredentials, type ResolvedIrpClientConfig } from './config.js';
import { UndiciTransport, type HttpTransport } from './http.js';
import type {
  ApiOutcome,
  CancelOutcome,
  GenerateOutcome,
  InfoDetail,
  IrpErrorItem,
  RecoveredPartialOutcome,
  RejectedOutcome,
  SuccessOutcome,
} from './outcome.js';
import { notify, type IrpClientObserver, type LoginReason } from './observer.js';
import { recoverDuplicate, type SubmittedInvoice } from './recovery.js';
import { globalSecretRegistry, redactingChildOptions, type SecretRegistry } from './redact.js';
import { Resilience, type BreakerState } from './resilience.js';
import { IrpSession, type SessionState } from './session.js';
import { UNVERIFIED_WARNING, unverifiedConflict, unverifiedReason } from './verify-answer.js';
import {
  createSignedVerifier,
  renderQrPng,
  renderQrSvg,
  verifyOrDecode,
  type QrCodeData,
  type QrRenderOptions,
  type SignedVerifier,
  type VerifyResult,
} from './signed.js';

export type { CallOptions } from './call.js';
export {
  UndiciTransport,
  TransportError,
  type HttpTransport,
  type HttpRequest,
  type HttpResponse,
} from './http.js';
export type { SubmittedInvoice } from './recovery.js';
export type { IrpClientObserver, LoginEvent, LoginReason, RetryEvent, ExchangeEvent } from './observer.js';
export type { BreakerState } from './resilience.js';
export type { SessionState } from './session.js';
export * from './outcome.js';
export * from './apis.js';
export {
  IrpClientConfigCodec,
  resolveIrpClientConfig,
  DEFAULT_PATHS,
  type IrpClientConfig,
  type IrpClientConfigInput,
  type ResolvedIrpClientConfig,
  type GstinCredentials,
} from './config.js';
export {
  createSignedVerifier,
  decodeSigned,
  renderQrPng,
  renderQrSvg,
  type QrCodeData,
  type QrRenderOptions,
} from './signed.js';
export {
  createRedactingLogger,
  redactingChildOptions,
  redactingLoggerOptions,
  redactValue,
  SecretRegistry,
  globalSecretRegistry,
  REDACT_PATHS,
} from './redact.js';

/** Collaborators that are not configuration: injectable for tests and for the pipeline's wiring. */
export interface IrpClientDeps {
  /** pino logger; the client logs through a redacting child of it. Silent when absent. */
  logger?: Logger;
  /** Clock of the session logic (token expiry, refresh, deadlines). Default `Date.now`. */
  now?: () => number;
  /** HTTP adapter; default an undici Pool towards `baseUrl`. */
  transport?: HttpTransport;
  /** Where secret values are registered for log scrubbing. Default the process-wide registry. */
  secrets?: SecretRegistry;
  /** AppKey generator (tests that must know the AppKey). Default 32 random bytes. */
  newAppKey?: () => Buffer;
  /** Told about logins, exchanges, retries and breaker changes (metrics). */
  observer?: IrpClientObserver;
}

/** Generate options: the session GSTIN defaults to the invoice's seller. */
export interface GenerateOptions extends CallOptions {
  gstin?: string;
}

/** Counters for metrics and tests (no secrets). */
export interface IrpClientStats {
  /** Logins sent (one per session per renewal when single-flight works). */
  logins: number;
  loginsByGstin: Record<string, number>;
  /** HTTP exchanges of API calls (logins excluded). */
  exchanges: number;
  /** 1005 answers received. */
  invalidTokenResponses: number;
  retries: number;
  breakerOpens: number;
  /** IRP error codes received per GSTIN (NIC blocks GSTINs with too many errors). */
  irpErrorsByGstin: Record<string, number>;
  outcomes: Record<string, number>;
}

/** The client port the pipeline uses. Every function resolves; none throws for an IRP failure. */
export interface IrpClient {
  /**
   * Generate IRN. A 2150 is resolved into `success` (`recovered: true`), `recovered-partial` (past the
   * retrieval window) or `conflict`; a 3028/3029 is answered with Sync GSTIN and, if the parties are
   * active on the common portal, one more attempt.
   */
  generateIrn(invoice: SubmittedInvoice, options?: GenerateOptions): Promise<GenerateOutcome<IrnDetails>>;
  /** Get e-invoice by IRN (within the IRP's retrieval window). */
  getByIrn(gstin: string, irn: string, options?: CallOptions): Promise<ApiOutcome<IrnDetails>>;
  /** Get IRN by document type, number and date. */
  getByDocDetails(
    gstin: string,
    query: DocDetailsQuery,
    options?: CallOptions,
  ): Promise<ApiOutcome<IrnDetails>>;
  /**
   * Cancel IRN (within 24 hours, no active EWB). Cancelling an already cancelled IRN (a replay) is a
   * success with `recovered: true` and an empty `CancelDate`; past the IRP's retrieval window, where
   * the IRN can no longer be read to confirm it, a `recovered-partial` result.
   */
  cancelIrn(
    gstin: string,
    request: CancelIrnRequest,
    options?: CallOptions,
  ): Promise<CancelOutcome<CancelIrnData>>;
  /** Get GSTIN details of `target` as session `gstin`. */
  gstinDetails(gstin: string, target: string, options?: CallOptions): Promise<ApiOutcome<GstinDetails>>;
  /** Sync GSTIN details of `target` from the GST common portal. */
  syncGstin(gstin: string, target: string, options?: CallOptions): Promise<ApiOutcome<GstinDetails>>;
  /** Generate EWB by IRN; a 4002 (already generated) is recovered through Get EWB by IRN. */
  generateEwb(
    gstin: string,
    request: GenerateEwbRequest,
    options?: CallOptions,
  ): Promise<ApiOutcome<GenerateEwbData>>;
  /** Get EWB details by IRN. */
  getEwbByIrn(gstin: string, irn: string, options?: CallOptions): Promise<ApiOutcome<EwbDetails>>;
  /** Cancel EWB (sandbox-only API on the IRP; e-way-bill style body). */
  cancelEwb(
    gstin: string,
    request: CancelEwbRequest,
    options?: CallOptions,
  ): Promise<ApiOutcome<CancelEwbData>>;
  /** Verifies (with the configured signing certificate) or, without one, decodes both signed JWTs. */
  verifySigned(details: Pick<IrnDetails, 'SignedInvoice' | 'SignedQRCode'>): Promise<{
    invoice: VerifyResult<Record<string, unknown>>;
    qr: VerifyResult<QrCodeData>;
  }>;
  /** Renders the SignedQRCode JWT for print. */
  renderQr(signedQrCode: string, format: 'png', options?: QrRenderOptions): Promise<Buffer>;
  renderQr(signedQrCode: string, format: 'svg', options?: QrRenderOptions): Promise<string>;
  breakerState(): BreakerState;
  /** Subscribes to breaker changes (`open` → pause consumption, `closed` → resume); returns unsubscribe. */
  onBreakerChange(listener: (state: BreakerState) => void): () => void;
  sessionState(gstin: string): SessionState | undefined;
  /** Allows logins again for a GSTIN whose credentials failed (after they were fixed). */
  resetCredentials(gstin: string): void;
  stats(): IrpClientStats;
  close(): Promise<void>;
}

/** Thrown by {@link createIrpClient} for an invalid configuration (a start-up error, not an IRP outcome). */
export class IrpClientConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid IRP client configuration: ${problems.join('; ')}`);
    this.name = 'IrpClientConfigError';
  }
}

function isResolved(config: unknown): config is ResolvedIrpClientConfig {
  return (
    typeof config === 'object' &&
    config !== null &&
    (config as { credentials?: unknown }).credentials instanceof Map
  );
}

/** NIC's answer to cancelling an IRN that is already cancelled (README §2: message unconfirmed). */
const ALREADY_CANCELLED = '9999';

/** "GSTIN is invalid" / "inactive or cancelled": possibly the IRP's stale taxpayer cache (README §2). */
const REGISTRATION_CODES: ReadonlySet<string> = new Set(['3028', '3029']);

type MaybeShipTo = { ShipDtls?: { Gstin?: unknown } | null };

type Internal<T> = ApiOutcome<T> | { kind: 'duplicate'; errors: IrpErrorItem[]; info: InfoDetail[] };

/**
 * Creates a client. `config` is decoded with {@link IrpClientConfigCodec} (or is already resolved);
 * an invalid config throws {@link IrpClientConfigError}.
 */
export function createIrpClient(config: unknown, deps: IrpClientDeps = {}): IrpClient {
  let cfg: ResolvedIrpClientConfig;
  if (isResolved(config)) cfg = config;
  else {
    const resolved = resolveIrpClientConfig(config);
    if (!resolved.ok) throw new IrpClientConfigError(resolved.errors);
    cfg = resolved.config;
  }
  const now = deps.now ?? Date.now;
  const secrets = deps.secrets ?? globalSecretRegistry;
  // Configuration secrets stay registered for the life of the process (the session's rotate out).
  for (const c of cfg.credentials.values()) {
    secrets.pin(c.password);
    secrets.pin(c.clientSecret);
  }
  const log = (deps.logger ?? pino({ level: 'silent' })).child(
    { component: 'irp-client' },
    redactingChildOptions(secrets),
  );
  const http =
    deps.transport ??
    new UndiciTransport(cfg.baseUrl, {
      connections: cfg.concurrency.connections,
      keepAliveTimeoutMs: cfg.concurrency.keepAliveTimeoutMs,
      connectTimeoutMs: cfg.timeouts.connectMs,
    });
  const verifier: SignedVerifier | undefined = cfg.signingCertPem
    ? createSignedVerifier(cfg.signingCertPem)
    : undefined;
  if (!verifier) log.warn(UNVERIFIED_WARNING);

  const stats: IrpClientStats = {
    logins: 0,
    loginsByGstin: {},
    exchanges: 0,
    invalidTokenResponses: 0,
    retries: 0,
    breakerOpens: 0,
    irpErrorsByGstin: {},
    outcomes: {},
  };

  const resilience = new Resilience(cfg, now, {
    onRetry: (gstin, attempt, cause, delayMs) => {
      stats.retries += 1;
      notify(deps.observer, 'retry', {
        gstin,
        attempt,
        reason: cause.reason,
        ...(cause.code ? { code: cause.code } : {}),
      });
      log.info(
        { gstin, attempt, reason: cause.reason, code: cause.code, status: cause.status, delayMs },
        'irp call retried',
      );
    },
  });
  resilience.onBreakerChange((state) => {
    if (state === 'open') stats.breakerOpens += 1;
    notify(deps.observer, 'breaker', state);
    log.warn({ breaker: state }, 'irp circuit breaker changed state');
  });

  const sessions = new Map<string, IrpSession>();
  /** GSTINs whose last exchange was a 1005: their next login is the re-login it causes. */
  const invalidTokenSeen = new Set<string>();
  function sessionFor(cred: GstinCredentials): IrpSession {
    const key = `${cred.clientId}\u0000${cred.gstin.toUpperCase()}\u0000${cred.userName}`;
    let session = sessions.get(key);
    if (!session) {
      const gstin = cred.gstin.toUpperCase();
      session = new IrpSession(
        async (forceRefresh) => {
          const reason: LoginReason = invalidTokenSeen.delete(gstin)
            ? 'invalid-token'
            : stats.loginsByGstin[gstin]
              ? 'renewal'
              : 'initial';
          stats.logins += 1;
          stats.loginsByGstin[gstin] = (stats.loginsByGstin[gstin] ?? 0) + 1;
          const started = performance.now();
          const result = await login({
            http,
            credentials: cred,
            publicKeyPem: cfg.publicKeyPem,
            version: cfg.authVersion,
            path: cfg.authVersion === '1.04' ? cfg.paths.authV104 : cfg.paths.authV103,
            forceRefresh,
            timeoutMs: cfg.timeouts.authMs,
            secrets,
            newAppKey: deps.newAppKey,
          });
          const ms = Math.round(performance.now() - started);
          notify(deps.observer, 'login', {
            gstin,
            reason,
            ...(result.ok
              ? { result: 'ok' as const }
              : result.kind === 'credentials'
                ? { result: 'credentials' as const, code: result.code }
                : { result: 'transient' as const, code: result.cause.reason }),
          });
          if (result.ok)
            log.info({ gstin, forceRefresh, tokenExpiry: result.token.tokenExpiry, ms }, 'irp login');
          else if (result.kind === 'credentials') {
            log.error(
              { gstin, code: result.code, message: result.message, ms },
              'irp login refused: credentials',
            );
          } else
            log.warn({ gstin, reason: result.cause.reason, code: result.cause.code, ms }, 'irp login failed');
          return result;
        },
        now,
        cfg.session,
      );
      sessions.set(key, session);
    }
    return session;
  }

  const observe = (e: ExchangeEvent): void => {
    stats.exchanges += 1;
    if (e.result === 'token') {
      stats.invalidTokenResponses += 1;
      invalidTokenSeen.add(e.gstin.toUpperCase());
    }
    notify(deps.observer, 'exchange', e);
    if (e.codes && e.codes.length > 0)
      stats.irpErrorsByGstin[e.gstin] = (stats.irpErrorsByGstin[e.gstin] ?? 0) + e.codes.length;
    if (log.isLevelEnabled('debug')) log.debug({ ...e, ms: Math.round(e.ms * 1000) / 1000 }, 'irp exchange');
  };

  function count<O extends { kind: string }>(outcome: O): O {
    stats.outcomes[outcome.kind] = (stats.outcomes[outcome.kind] ?? 0) + 1;
    return outcome;
  }

  async function execute<T>(
    gstinRaw: string,
    call: ApiCall<T>,
    options: CallOptions = {},
  ): Promise<Internal<T>> {
    const gstin = gstinRaw.toUpperCase();
    const cred = cfg.credentials.get(gstin);
    if (!cred) {
      // The document's problem (a seller missing from the configuration), not the client's: no request.
      return {
        kind: 'unconfigured-gstin',
        gstin,
        message: `no IRP credentials are configured for GSTIN ${gstin}`,
      };
    }
    const session = sessionFor(cred);
    const requestMs = options.timeoutMs ?? cfg.timeouts.requestMs;
    const ran = await resilience.run<Final<T>>(
      gstin,
      options.deadlineMs ?? cfg.retry.deadlineMs,
      (_n, remainingMs) =>
        attemptCall(call, {
          http,
          session,
          credentials: cred,
          timeoutMs: Math.max(1, Math.min(requestMs, remainingMs)),
          options,
          observe,
        }),
      options.signal,
    );
    switch (ran.kind) {
      case 'circuit-open':
        return ran.cause ? { kind: 'circuit-open', lastError: ran.cause } : { kind: 'circuit-open' };
      case 'exhausted':
        log.warn(
          { gstin, api: call.api, attempts: ran.attempts, reason: ran.cause.reason, code: ran.cause.code },
          'irp call gave up',
        );
        return { kind: 'transient-exhausted', lastError: ran.cause, attempts: ran.attempts };
      case 'final':
        break;
    }
    const final = ran.value;
    switch (final.kind) {
      case 'success':
        return { kind: 'success', data: final.data, recovered: false, info: final.info };
      case 'credentials':
        return { kind: 'credentials', gstin, code: final.code, message: final.message };
      case 'operator':
        log.error({ gstin, api: call.api, code: final.code, path: call.path }, 'irp api not found');
        return { kind: 'operator', code: final.code, message: final.message, status: final.status };
      case 'rejected':
      case 'duplicate':
        return final;
    }
  }

  /** Non-generate APIs have no duplicate to recover: report it as the rejection it is. */
  function plain<T>(outcome: Internal<T>): ApiOutcome<T> {
    return outcome.kind === 'duplicate'
      ? { kind: 'rejected', errors: outcome.errors, info: outcome.info }
      : outcome;
  }

  const getByIrn = async (
    gstin: string,
    irn: string,
    options?: CallOptions,
  ): Promise<ApiOutcome<IrnDetails>> =>
    count(plain(await execute(gstin, apiCalls.getByIrn(cfg.paths, irn), options)));
  const getByDocDetails = async (
    gstin: string,
    query: DocDetailsQuery,
    options?: CallOptions,
  ): Promise<ApiOutcome<IrnDetails>> =>
    count(plain(await execute(gstin, apiCalls.getByDocDetails(cfg.paths, query), options)));
  const getEwbByIrn = async (
    gstin: string,
    irn: string,
    options?: CallOptions,
  ): Promise<ApiOutcome<EwbDetails>> =>
    count(plain(await execute(gstin, apiCalls.getEwbByIrn(cfg.paths, irn), options)));

  /** What is left of a call's deadline for a follow-up (recovery) request; never less than one request. */
  const followUpOptions = (options: CallOptions, startedAt: number): CallOptions => {
    const remaining = (options.deadlineMs ?? cfg.retry.deadlineMs) - (now() - startedAt);
    return { ...options, deadlineMs: Math.max(remaining, options.timeoutMs ?? cfg.timeouts.requestMs) };
  };

  // The breaker's half-open probe: one cheap authenticated read of the first configured GSTIN.
  const probeCred = cfg.credentials.values().next().value;
  if (probeCred) {
    resilience.setProbe(() =>
      attemptCall(apiCalls.gstinDetails(cfg.paths, probeCred.gstin), {
        http,
        session: sessionFor(probeCred),
        credentials: probeCred,
        timeoutMs: cfg.timeouts.requestMs,
        options: {},
        observe,
      }),
    );
  }

  /**
   * Sync GSTIN for every party of a rejected invoice (seller, buyer, ship-to; URP skipped), as NIC
   * advises on 3028/3029. `retry` when the common portal shows them all active, `note` (the statuses,
   * for the rejection) when it does not, or the sync's own outcome when it failed in a way that heals.
   */
  async function syncParties(
    gstin: string,
    invoice: SubmittedInvoice,
    options: CallOptions,
  ): Promise<
    | { kind: 'retry'; note: string }
    | { kind: 'note'; note: string }
    | { kind: 'outcome'; outcome: GenerateOutcome<IrnDetails> }
  > {
    const parties = new Set(
      [invoice.SellerDtls?.Gstin, invoice.BuyerDtls?.Gstin, (invoice as MaybeShipTo).ShipDtls?.Gstin]
        .filter((g): g is string => typeof g === 'string' && /^[0-9]{2}[0-9A-Z]{13}$/i.test(g))
        .map((g) => g.toUpperCase()),
    );
    const statuses: string[] = [];
    let allActive = parties.size > 0;
    for (const party of parties) {
      const synced = await client.syncGstin(gstin, party, options);
      if (synced.kind === 'success') {
        const status = synced.data.Status?.toUpperCase() ?? 'unknown';
        statuses.push(`${party} ${status}`);
        if (status !== 'ACT' && status !== 'PRO') allActive = false;
      } else if (synced.kind === 'rejected') {
        statuses.push(`${party} ${synced.errors.map((e) => `${e.code} ${e.message}`).join('; ')}`);
        allActive = false;
      } else return { kind: 'outcome', outcome: synced };
    }
    const note = `Sync GSTIN from the common portal: ${statuses.join(', ') || 'no party GSTIN'}`;
    return allActive ? { kind: 'retry', note } : { kind: 'note', note };
  }

  const client: IrpClient = {
    async generateIrn(invoice, options = {}) {
      const startedAt = now();
      const gstin = options.gstin ?? invoice.SellerDtls?.Gstin ?? '';
      const call = apiCalls.generateIrn(cfg.paths, invoice);
      let outcome = await execute(gstin, call, options);
      if (outcome.kind === 'rejected' && outcome.errors.some((e) => REGISTRATION_CODES.has(e.code))) {
        // NIC: 3028/3029 may come from the IRP's stale copy of the taxpayer master. Sync the parties
        // from the common portal and, if they are active there, send the invoice once more.
        const synced = await syncParties(gstin, invoice, followUpOptions(options, startedAt));
        if (synced.kind === 'outcome') return count(synced.outcome);
        if (synced.kind === 'retry') {
          log.info({ gstin, synced: synced.note }, 'irp taxpayer cache synced: generate retried once');
          outcome = await execute(gstin, call, followUpOptions(options, startedAt));
        } else {
          outcome = {
            ...outcome,
            errors: [...outcome.errors, { code: 'SYNC_GSTIN', message: synced.note }],
          };
        }
      }
      if (outcome.kind === 'success' && verifier) {
        // A new registration is verified like a recovered one: signatures, and that they sign this
        // answer for this document (a forged JWT or a made-up IRN is never published as success).
        const reason = await unverifiedReason(invoice as Partial<SubmittedInvoice>, outcome.data, verifier);
        if (reason) {
          log.warn({ gstin, irn: outcome.data.Irn, reason }, 'irp answer not verified');
          return count(unverifiedConflict(reason, outcome.data.Irn));
        }
      }
      if (outcome.kind !== 'duplicate') return count(outcome);
      if (!outcome.errors.some((e) => e.code === '2150')) {
        const rejected: RejectedOutcome = { kind: 'rejected', errors: outcome.errors, info: outcome.info };
        return count(rejected);
      }
      const follow = followUpOptions(options, startedAt);
      const recovered = await recoverDuplicate(invoice, outcome.info, outcome.errors, {
        getByIrn: (irn) => getByIrn(gstin, irn, follow),
        getByDocDetails: (query) => getByDocDetails(gstin, query, follow),
        verifier,
        now,
        settleMs: cfg.recovery.settleMs,
      });
      if (recovered.kind === 'conflict') {
        log.warn(
          { gstin, reason: recovered.reason, irn: recovered.duplicate?.Irn },
          'irp duplicate not adopted',
        );
      } else if (recovered.kind === 'success') {
        log.info({ gstin, irn: recovered.data.Irn }, 'irp duplicate recovered');
      } else if (recovered.kind === 'recovered-partial') {
        log.warn(
          {
            gstin,
            irn: recovered.data.Irn,
            missing: recovered.missing,
            codes: recovered.errors.map((e) => e.code),
          },
          'irp duplicate recovered in part: the registration can no longer be read',
        );
      }
      return count(recovered);
    },
    getByIrn,
    getByDocDetails,
    async cancelIrn(gstin, request, options = {}) {
      const startedAt = now();
      const outcome = plain(
        await execute<CancelIrnData>(gstin, apiCalls.cancelIrn(cfg.paths, request), options),
      );
      if (outcome.kind !== 'rejected' || !outcome.errors.some((e) => e.code === ALREADY_CANCELLED))
        return count(outcome);
      // A replayed cancel, or a retry after a lost answer, meets "not active": if the IRN is indeed
      // cancelled, the intent is fulfilled. NIC does not return the cancel date on a re-read.
      const current = await getByIrn(gstin, request.Irn, followUpOptions(options, startedAt));
      if (current.kind === 'success') {
        if (current.data.Status?.toUpperCase() !== 'CNL') return count(outcome);
        const success: SuccessOutcome<CancelIrnData> = {
          kind: 'success',
          data: { Irn: current.data.Irn, CancelDate: '' },
          recovered: true,
          info: outcome.info,
        };
        return count(success);
      }
      if (current.kind !== 'rejected') return count(current); // transient: try the whole cancel later
      // Past the retrieval window (2283) the IRN cannot be read back: 9999 "not active" is all the IRP
      // says, and for an IRN this source registered that means cancelled. Report it, marked partial.
      const partial: RecoveredPartialOutcome<CancelIrnData> = {
        kind: 'recovered-partial',
        data: { Irn: request.Irn },
        recovered: true,
        missing: ['CancelDate'],
        unverified: ['Status'],
        reason: `the IRP answers ${outcome.errors.map((e) => `${e.code} ${e.message}`).join('; ')} (the IRN is not active: already cancelled) and cannot show the IRN: ${current.errors.map((e) => `${e.code} ${e.message}`).join('; ')}`,
        errors: [...outcome.errors, ...current.errors],
        info: outcome.info,
      };
      log.warn(
        { gstin, irn: request.Irn },
        'irp cancel replay recovered in part: the IRN can no longer be read',
      );
      return count(partial);
    },
    async gstinDetails(gstin, target, options) {
      return count(plain(await execute(gstin, apiCalls.gstinDetails(cfg.paths, target), options)));
    },
    async syncGstin(gstin, target, options) {
      return count(plain(await execute(gstin, apiCalls.syncGstin(cfg.paths, target), options)));
    },
    async generateEwb(gstin, request, options = {}) {
      const startedAt = now();
      const outcome = await execute<GenerateEwbData>(
        gstin,
        apiCalls.generateEwb(cfg.paths, request),
        options,
      );
      if (outcome.kind !== 'duplicate') return count(outcome);
      if (!outcome.errors.some((e) => e.code === '4002')) return count(plain<GenerateEwbData>(outcome));
      // The EWB exists (typically our own earlier attempt that timed out): report it, marked recovered.
      const existing = await getEwbByIrn(gstin, request.Irn, followUpOptions(options, startedAt));
      if (existing.kind === 'rejected') {
        const rejected: RejectedOutcome = {
          kind: 'rejected',
          errors: [...outcome.errors, ...existing.errors],
          info: outcome.info,
        };
        return count(rejected);
      }
      if (existing.kind !== 'success') return count(existing);
      const d = existing.data;
      const success: SuccessOutcome<GenerateEwbData> = {
        kind: 'success',
        data: { EwbNo: d.EwbNo, EwbDt: d.EwbDt ?? '', EwbValidTill: d.EwbValidTill ?? null },
        recovered: true,
        info: outcome.info,
      };
      return count(success);
    },
    getEwbByIrn,
    async cancelEwb(gstin, request, options) {
      return count(plain(await execute(gstin, apiCalls.cancelEwb(cfg.paths, request), options)));
    },
    async verifySigned(details) {
      const [invoice, qr] = await Promise.all([
        verifyOrDecode<Record<string, unknown>>(details.SignedInvoice, verifier),
        verifyOrDecode<QrCodeData>(details.SignedQRCode, verifier),
      ]);
      return { invoice, qr };
    },
    renderQr: ((signedQrCode: string, format: 'png' | 'svg', options?: QrRenderOptions) =>
      format === 'png'
        ? renderQrPng(signedQrCode, options)
        : renderQrSvg(signedQrCode, options)) as IrpClient['renderQr'],
    breakerState: () => resilience.breakerState(),
    onBreakerChange: (listener) => resilience.onBreakerChange(listener),
    sessionState(gstin) {
      const cred = cfg.credentials.get(gstin.toUpperCase());
      return cred ? sessionFor(cred).state() : undefined;
    },
    resetCredentials(gstin) {
      const cred = cfg.credentials.get(gstin.toUpperCase());
      if (cred) sessionFor(cred).resetCredentialsFailure();
    },
    stats: () => structuredClone(stats),
    async close() {
      resilience.close();
      await http.close();
    },
  };
  return client;
}
