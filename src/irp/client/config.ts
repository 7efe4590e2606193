/**
 * Configuration of the IRP client as an io-ts codec (the single source of truth for its shape) plus
 * the defaults that turn a partial config into a {@link ResolvedIrpClientConfig}.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';

interface PositiveBrand {
  readonly Positive: unique symbol;
}
const Positive = t.brand(
  t.number,
  (n): n is t.Branded<number, PositiveBrand> => Number.isFinite(n) && n > 0,
  'Positive',
);

interface NonNegativeIntBrand {
  readonly NonNegativeInt: unique symbol;
}
const NonNegativeInt = t.brand(
  t.number,
  (n): n is t.Branded<number, NonNegativeIntBrand> => Number.isInteger(n) && n >= 0,
  'NonNegativeInt',
);

interface NonEmptyBrand {
  readonly NonEmpty: unique symbol;
}
const NonEmpty = t.brand(t.string, (s): s is t.Branded<string, NonEmptyBrand> => s.trim() !== '', 'NonEmpty');

/** One API user: NIC issues client id/secret per integrator and a user name/password per GSTIN. */
export const GstinCredentialsCodec = t.type({
  gstin: NonEmpty,
  clientId: NonEmpty,
  clientSecret: NonEmpty,
  userName: NonEmpty,
  password: NonEmpty,
});

export const AuthVersionCodec = t.keyof({ '1.04': null, '1.03': null });

/** Endpoint paths, overridable because NIC prints several variants (README §2; Cancel EWB is UNCONFIRMED). */
export const PathsCodec = t.partial({
  authV104: t.string,
  authV103: t.string,
  generateIrn: t.string,
  getByIrn: t.string,
  getByDocDetails: t.string,
  cancelIrn: t.string,
  gstinDetails: t.string,
  syncGstin: t.string,
  generateEwb: t.string,
  getEwbByIrn: t.string,
  cancelEwb: t.string,
});

export const IrpClientConfigCodec = t.intersection([
  t.type({
    /** Origin (and optional path prefix) of the IRP, e.g. `https://einv-apisandbox.nic.in`. */
    baseUrl: NonEmpty,
    /** The IRP's RSA public key (PEM) used to encrypt the login; not the signing certificate. */
    publicKeyPem: NonEmpty,
    credentials: t.array(GstinCredentialsCodec),
  }),
  t.partial({
    /**
     * Certificates (PEM) that sign SignedInvoice/SignedQRCode; enables signature verification. May hold
     * several (NIC rotates its signing certificate; older registrations keep the older signature).
     */
    signingCertPem: t.string,
    authVersion: AuthVersionCodec,
    timeouts: t.partial({ requestMs: Positive, authMs: Positive, connectMs: Positive }),
    retry: t.partial({
      /** Retries after the first attempt (0 = no retry). */
      maxRetries: NonNegativeInt,
      initialDelayMs: Positive,
      maxDelayMs: Positive,
      /** Wall-clock budget of one logical call, retries and backoff included. */
      deadlineMs: Positive,
    }),
    breaker: t.partial({
      /** Consecutive transient failures (attempts, not calls) that open the circuit. */
      consecutiveFailures: Positive,
      halfOpenAfterMs: Positive,
      maxHalfOpenAfterMs: Positive,
    }),
    concurrency: t.partial({
      /** Requests in flight per GSTIN; excess calls wait in a queue. */
      perGstin: Positive,
      /** Calls allowed to wait per GSTIN before they fail fast as transient. */
      queuePerGstin: NonNegativeInt,
      /** Keep-alive sockets in the pool towards the IRP. */
      connections: Positive,
      keepAliveTimeoutMs: Positive,
    }),
    /** Optional client-wide rate limit (token bucket); no limit when absent. */
    rateLimit: t.intersection([t.type({ requestsPerSecond: Positive }), t.partial({ burst: Positive })]),
    session: t.partial({
      /** Start a background refresh this long before expiry; at most 10 minutes (NIC's force window). */
      refreshBeforeExpiryMs: Positive,
      /** Inside this margin before expiry a call waits for a fresh token instead of using the old one. */
      expiryMarginMs: Positive,
      /** At most one proactive refresh per session in this interval (guards against clock skew loops). */
      minRefreshIntervalMs: Positive,
      /** Validity assumed when `TokenExpiry` is unreadable or implausible for the local clock. */
      assumedTokenValidityMs: Positive,
      /** After a credentials failure, no new login for this long (NIC blocks error-heavy GSTINs). */
      credentialsRetryAfterMs: Positive,
    }),
    paths: PathsCodec,
    recovery: t.partial({
      /**
       * How long a 2150 recovery keeps re-reading a registration that DUPIRN named but the IRP still
       * reports as not found (default 30 s).
       */
      settleMs: Positive,
    }),
  }),
]);

export type IrpClientConfig = t.TypeOf<typeof IrpClientConfigCodec>;
/** The plain-typed input form (no brands), handy for code that builds a config literally. */
export type IrpClientConfigInput = t.OutputOf<typeof IrpClientConfigCodec>;
export type GstinCredentials = t.TypeOf<typeof GstinCredentialsCodec>;
export type AuthVersion = t.TypeOf<typeof AuthVersionCodec>;

export const DEFAULT_PATHS = {
  authV104: '/eivital/v1.04/auth',
  authV103: '/eivital/v1.03/auth',
  generateIrn: '/eicore/v1.03/Invoice',
  getByIrn: '/eicore/v1.03/Invoice/irn/{irn}',
  getByDocDetails: '/eicore/v1.03/Invoice/irnbydocdetails',
  cancelIrn: '/eicore/v1.03/Invoice/Cancel',
  gstinDetails: '/eivital/v1.03/Master/gstin/{gstin}',
  syncGstin: '/eivital/v1.03/Master/syncgstin/{gstin}',
  generateEwb: '/eiewb/v1.03/ewaybill',
  getEwbByIrn: '/eiewb/v1.03/ewaybill/irn/{irn}',
  cancelEwb: '/ewaybillapi/v1.03/ewayapi',
} as const;

export type ApiPaths = { [K in keyof typeof DEFAULT_PATHS]: string };

/** Every knob with its value after defaults; what the rest of the client reads. */
export interface ResolvedIrpClientConfig {
  baseUrl: string;
  publicKeyPem: string;
  signingCertPem: string | undefined;
  credentials: ReadonlyMap<string, GstinCredentials>;
  authVersion: AuthVersion;
  timeouts: { requestMs: number; authMs: number; connectMs: number };
  retry: { maxRetries: number; initialDelayMs: number; maxDelayMs: number; deadlineMs: number };
  breaker: { consecutiveFailures: number; halfOpenAfterMs: number; maxHalfOpenAfterMs: number };
  concurrency: { perGstin: number; queuePerGstin: number; connections: number; keepAliveTimeoutMs: number };
  rateLimit: { requestsPerSecond: number; burst: number } | undefined;
  session: {
    refreshBeforeExpiryMs: number;
    expiryMarginMs: number;
    minRefreshIntervalMs: number;
    assumedTokenValidityMs: number;
    credentialsRetryAfterMs: number;
  };
  paths: ApiPaths;
  recovery: { settleMs: number };
}

/** NIC honours ForceRefreshAccessToken only in the token's last 10 minutes (README §4). */
export const FORCE_REFRESH_WINDOW_MS = 10 * 60 * 1000;

/**
 * Decodes and completes a config. Returns the problems as text on failure (never the values, which
 * may be secrets).
 */
export function resolveIrpClientConfig(
  input: unknown,
): { ok: true; config: ResolvedIrpClientConfig } | { ok: false; errors: string[] } {
  const decoded = IrpClientConfigCodec.decode(input);
  if (isLeft(decoded)) {
    // io-ts's PathReporter prints the offending values, which may be secrets: report path and type only.
    const errors = decoded.left.map((e) => {
      const path = e.context
        .filter((c, i) => c.key !== '' && !(e.context[i - 1]?.type instanceof t.IntersectionType))
        .map((c) => c.key)
        .join('.');
      const expected = e.context[e.context.length - 1]?.type.name ?? 'value';
      return `${path || '(root)'}: expected ${expected}`;
    });
    return { ok: false, errors };
  }
  const c = decoded.right;
  const credentials = new Map<string, GstinCredentials>();
  for (const cred of c.credentials) {
    const gstin = cred.gstin.toUpperCase();
    if (credentials.has(gstin)) return { ok: false, errors: [`duplicate credentials for GSTIN ${gstin}`] };
    credentials.set(gstin, cred);
  }
  const refreshBeforeExpiryMs = c.session?.refreshBeforeExpiryMs ?? 5 * 60 * 1000;
  if (refreshBeforeExpiryMs > FORCE_REFRESH_WINDOW_MS) {
    return {
      ok: false,
      errors: ['session.refreshBeforeExpiryMs must be at most 600000 (NIC force-refresh window)'],
    };
  }
  const perGstin = c.concurrency?.perGstin ?? 8;
  return {
    ok: true,
    config: {
      baseUrl: c.baseUrl.replace(/\/+$/, ''),
      publicKeyPem: c.publicKeyPem,
      signingCertPem: c.signingCertPem,
      credentials,
      authVersion: c.authVersion ?? '1.04',
      timeouts: {
        requestMs: c.timeouts?.requestMs ?? 30_000,
        authMs: c.timeouts?.authMs ?? 20_000,
        connectMs: c.timeouts?.connectMs ?? 5_000,
      },
      retry: {
        maxRetries: c.retry?.maxRetries ?? 4,
        initialDelayMs: c.retry?.initialDelayMs ?? 200,
        maxDelayMs: c.retry?.maxDelayMs ?? 10_000,
        deadlineMs: c.retry?.deadlineMs ?? 90_000,
      },
      breaker: {
        consecutiveFailures: c.breaker?.consecutiveFailures ?? 10,
        halfOpenAfterMs: c.breaker?.halfOpenAfterMs ?? 5_000,
        maxHalfOpenAfterMs: c.breaker?.maxHalfOpenAfterMs ?? 60_000,
      },
      concurrency: {
        perGstin,
        queuePerGstin: c.concurrency?.queuePerGstin ?? 10_000,
        connections: c.concurrency?.connections ?? Math.max(perGstin, 16),
        keepAliveTimeoutMs: c.concurrency?.keepAliveTimeoutMs ?? 30_000,
      },
      rateLimit: c.rateLimit
        ? {
            requestsPerSecond: c.rateLimit.requestsPerSecond,
            burst: c.rateLimit.burst ?? c.rateLimit.requestsPerSecond,
          }
        : undefined,
      session: {
        refreshBeforeExpiryMs,
        expiryMarginMs: c.session?.expiryMarginMs ?? 30_000,
        minRefreshIntervalMs: c.session?.minRefreshIntervalMs ?? 60_000,
        assumedTokenValidityMs: c.session?.assumedTokenValidityMs ?? 60 * 60 * 1000,
        credentialsRetryAfterMs: c.session?.credentialsRetryAfterMs ?? 10 * 60 * 1000,
      },
      paths: { ...DEFAULT_PATHS, ...(c.paths ?? {}) },
      recovery: { settleMs: c.recovery?.settleMs ?? 30_000 },
    },
  };
}
