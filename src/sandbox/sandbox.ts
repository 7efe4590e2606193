/**
 * `createSandbox`: the IRP simulator as a library. Opens (or creates) its database, loads its keys,
 * seeds the taxpayer master and the demo account, starts the HTTP server and — when asked — writes the
 * credentials file once the server accepts connections.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { validateInvoice } from '../irp/validate/index.js';
import { SandboxClock } from './clock.js';
import { decodeFaultProfile, type FaultProfile } from './faults/fault-profile.js';
import { FaultEngine } from './faults/fault-engine.js';
import { AdminApi } from './http/admin-api.js';
import { irpRoutes } from './http/irp-routes.js';
import { createSandboxHttpServer } from './http/server.js';
import { SandboxStats } from './http/stats.js';
import { DEFAULT_LIMITS, type SandboxLimits } from './http/limits.js';
import { loadOrCreateKeys, selfSignedTlsPair } from './keys/key-material.js';
import { SEED_TAXPAYERS } from './seed/taxpayers.js';
import { ensureDemoAccount } from './services/accounts.js';
import { AuthService, type SessionSecrets } from './services/auth-service.js';
import { EwbService } from './services/ewb-service.js';
import { GstinService } from './services/gstin-service.js';
import { InvoiceService } from './services/invoice-service.js';
import { SecretVerifier } from './services/secrets.js';
import { InvoiceSigner } from './services/signing.js';
import { TaxpayerMaster } from './services/taxpayer-master.js';
import { Portal } from './portal/portal.js';
import { SandboxStore } from './store/index.js';

export interface SandboxOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** TCP port; 0 (the default here) takes a free one, which `baseUrl` then names. */
  port?: number;
  /** SQLite file, or `:memory:` (the default here; the CLI defaults to a file). */
  db?: string;
  /** AuthToken validity (NIC sandbox: 60 minutes; production: 360). */
  tokenValidityMinutes?: number;
  /** Unknown well-formed GSTINs are unregistered (3028) instead of active regular taxpayers. */
  strictGstin?: boolean;
  /** Secret of the admin API (`x-admin-secret`); generated when absent. */
  adminSecret?: string;
  /** Faults active from the start (also settable through the admin API). */
  faults?: FaultProfile;
  /** Largest accepted request body; larger ones get error 5002 (default 5 MiB). */
  maxBodyBytes?: number;
  cancelWindowHours?: number;
  retrievalWindowDays?: number;
  /** Start the sandbox clock at this instant instead of real time. */
  now?: Date;
  /** Where to write the credentials file once the server is ready. */
  credentialsOut?: string;
  /** Connection, rate and lockout limits (http/limits.ts); each field defaults separately. */
  limits?: Partial<SandboxLimits>;
  /**
   * Check a declared e-way-bill distance against the sandbox's PIN-centroid estimate (±10 %, 4013), as
   * NIC checks against its PIN master. Off by default: the declared distance is accepted within the
   * published limits and the estimate reported (src/irp/ewb/distance.ts).
   */
  strictEwbDistance?: boolean;
  /**
   * Serve HTTPS: a certificate and key of one's own (PEM), or `'self-signed'` for a certificate made
   * for localhost on first start and kept in the database (its PEM is in the credentials file as
   * `tlsCertPem`). NIC's IRP is HTTPS only (TLS 1.2+, RECORD.md §1).
   */
  tls?: { certPem: string; keyPem: string } | 'self-signed';
  /** Worker threads for the RSA decryption of logins (default: one per core). */
  rsaWorkers?: number;
  /** Defaults to a silent logger. */
  logger?: Logger;
  /** Serve the developer portal at `/` (default true). */
  portal?: boolean;
  /**
   * Called after each successful login with its AppKey, AuthToken and SEK (in-process use only): the
   * chaos suite's secret scan looks for them in everything the clients logged and published.
   */
  onLogin?: (session: SessionSecrets) => void;
}

/** The integration contract: everything a client needs to talk to this sandbox. */
export interface SandboxCredentials {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  userName: string;
  password: string;
  gstin: string;
  publicKeyPem: string;
  signingCertPem: string;
  adminSecret: string;
  /** With a self-signed TLS certificate: its PEM, for clients to trust. */
  tlsCertPem?: string;
}

export interface RunningSandbox {
  baseUrl: string;
  credentials: SandboxCredentials;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** Writes the file whole or not at all (rename), readable by the owner only: it holds secrets. */
export async function writeCredentialsFile(path: string, credentials: SandboxCredentials): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, path);
}

const TLS_META_KEY = 'tls_self_signed';

/** The self-signed TLS pair of this database, made on first use (so clients keep trusting it). */
async function storedSelfSignedTls(
  store: SandboxStore,
  now: Date,
): Promise<{ certPem: string; keyPem: string }> {
  const saved = store.meta.get(TLS_META_KEY);
  if (saved) return JSON.parse(saved) as { certPem: string; keyPem: string };
  const pair = await selfSignedTlsPair(now);
  // Another process on the same file may have made one meanwhile: the first stored wins.
  store.transaction(() => {
    if (!store.meta.get(TLS_META_KEY)) store.meta.put(TLS_META_KEY, JSON.stringify(pair));
  });
  return JSON.parse(store.meta.get(TLS_META_KEY)!) as { certPem: string; keyPem: string };
}

export async function createSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const clock = new SandboxClock();
  if (options.now) clock.set(options.now);

  let initialFaults: FaultProfile | undefined;
  if (options.faults) {
    const decoded = decodeFaultProfile(options.faults);
    if (!decoded.ok) throw new Error(`invalid fault profile: ${decoded.errors.join('; ')}`);
    initialFaults = decoded.value;
  }

  const limits: SandboxLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const store = SandboxStore.open(options.db ?? ':memory:');
  try {
    const dropped = store.irns.releaseAllPending();
    if (dropped > 0) logger.warn({ dropped }, 'dropped IRN reservations left by an interrupted run');
    const keys = await loadOrCreateKeys(store.keys, clock.now(), options.rsaWorkers);
    store.transaction(() => SEED_TAXPAYERS.forEach((t) => store.taxpayers.insertIfAbsent(t)));
    const tls = options.tls === 'self-signed' ? await storedSelfSignedTls(store, clock.now()) : options.tls;
    const demo = await ensureDemoAccount(store, clock.nowMs());

    const master = new TaxpayerMaster(store.taxpayers, options.strictGstin ?? false);
    const auth = new AuthService(
      store,
      keys,
      clock,
      new SecretVerifier(),
      master,
      (options.tokenValidityMinutes ?? 60) * 60 * 1000,
      limits,
      options.onLogin,
    );
    const ewbs = new EwbService(store, clock, options.strictEwbDistance ? 'strict' : 'lenient');
    const invoices = new InvoiceService(
      store,
      clock,
      master,
      new InvoiceSigner(keys),
      ewbs,
      validateInvoice,
      {
        cancelWindowMs: (options.cancelWindowHours ?? 24) * 60 * 60 * 1000,
        retrievalWindowDays: options.retrievalWindowDays ?? 3,
      },
    );
    const gstins = new GstinService(master);
    const faults = new FaultEngine(clock);
    if (initialFaults) faults.load(initialFaults);
    const stats = new SandboxStats();
    const adminSecret = options.adminSecret ?? randomBytes(24).toString('base64url');
    const admin = new AdminApi({ adminSecret, clock, faults, auth, store, master, stats });

    const routes = irpRoutes({ auth, invoices, ewbs, gstins });
    const documents = {
      publicKeyPem: keys.encryptionPublicKeyPem,
      signingCertPem: keys.signingCertificatePem,
    };
    let listeningUrl = '';
    const portal =
      options.portal === false
        ? undefined
        : new Portal({
            store,
            clock,
            master,
            routes,
            documents,
            strictGstin: options.strictGstin ?? false,
            logger,
            maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
            baseUrl: () => listeningUrl,
          });
    const http = createSandboxHttpServer({
      routes,
      auth,
      admin,
      faults,
      stats,
      documents,
      logger,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      portal,
      limits,
      ...(tls ? { tls } : {}),
    });
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      http.server.once('error', reject);
      http.server.listen(options.port ?? 0, host, () => {
        http.server.off('error', reject);
        resolve();
      });
    });
    const { port } = http.server.address() as AddressInfo;
    const baseUrl = `${tls ? 'https' : 'http'}://${urlHost(host)}:${port}`;
    listeningUrl = baseUrl;
    const credentials: SandboxCredentials = {
      baseUrl,
      clientId: demo.clientId,
      clientSecret: demo.clientSecret,
      userName: demo.userName,
      password: demo.password,
      gstin: demo.gstin,
      publicKeyPem: keys.encryptionPublicKeyPem,
      signingCertPem: keys.signingCertificatePem,
      adminSecret,
    };
    if (options.tls === 'self-signed' && tls) credentials.tlsCertPem = tls.certPem;
    if (options.credentialsOut) await writeCredentialsFile(options.credentialsOut, credentials);
    logger.info({ baseUrl, db: options.db ?? ':memory:', gstin: demo.gstin }, 'IRP sandbox ready');

    let closing: Promise<void> | undefined;
    return {
      baseUrl,
      credentials,
      close: () => {
        closing ??= http.close().finally(async () => {
          await keys.close();
          store.close();
        });
        return closing;
      },
    };
  } catch (err) {
    store.close();
    throw err;
  }
}
