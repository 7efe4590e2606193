import type { Command } from 'commander';
import type { FaultProfile } from '../../sandbox/index.js';
import { CliError, integerOption, readInput } from '../io.js';

interface SandboxCommandOptions {
  host: string;
  port: string;
  db: string;
  credentialsOut?: string;
  sampleAccounts?: boolean;
  tokenValidity: string;
  strictGstin?: boolean;
  strictEwbDistance?: boolean;
  adminSecret?: string;
  faults?: string;
  faultSeed?: string;
  maxBody: string;
  logLevel: string;
  tls?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  maxConnections?: string;
  rateLimit?: string;
  maxInFlight?: string;
  rsaWorkers?: string;
}

export const DEFAULT_SANDBOX_DB = '.irp-bridge/sandbox.db';

/**
 * `irp-bridge sandbox`: run the IRP simulator until SIGINT/SIGTERM. With `--credentials-out`, the
 * credentials file is written once the server accepts connections (the contract for tests and users).
 */
export function register(program: Command): void {
  program
    .command('sandbox')
    .description('run the IRP sandbox: a faithful simulator of NIC\u2019s e-invoice API')
    .option(
      '--host <host>',
      'interface to listen on (default $IRP_SANDBOX_HOST or 127.0.0.1; the container image sets 0.0.0.0)',
      process.env.IRP_SANDBOX_HOST || '127.0.0.1',
    )
    .option(
      '--port <port>',
      'TCP port, default $IRP_SANDBOX_PORT or 8080 (0 takes a free one; the credentials file says which)',
      process.env.IRP_SANDBOX_PORT || '8080',
    )
    .option('--db <file>', 'SQLite database file, or :memory:', DEFAULT_SANDBOX_DB)
    .option(
      '--credentials-out <file>',
      'write {baseUrl, clientId, clientSecret, userName, password, gstin, publicKeyPem, signingCertPem, adminSecret} when ready',
    )
    .option(
      '--sample-accounts',
      'give every seller of the connectors\u2019 sample events an API account (and SEZ recipients their status); ' +
        'the credentials file then lists them under "accounts" (what config/local/*.yaml read)',
    )
    .option(
      '--token-validity <minutes>',
      'AuthToken validity in minutes (NIC sandbox 60, production 360)',
      '60',
    )
    .option('--strict-gstin', 'GSTINs missing from the taxpayer master are unregistered (3028)')
    .option(
      '--strict-ewb-distance',
      'a declared e-way-bill distance must be within ±10 % of the PIN-centroid estimate (4013); default: accepted within 4000 km, estimate reported',
    )
    .option(
      '--admin-secret <secret>',
      'secret of the admin API (x-admin-secret); default $IRP_SANDBOX_ADMIN_SECRET or random',
    )
    .option('--faults <file>', 'fault profile (JSON or YAML) active from the start')
    .option('--fault-seed <n>', 'seed of the fault generator (overrides the profile\u2019s)')
    .option('--max-body <bytes>', 'largest request body; larger ones get error 5002', String(5 * 1024 * 1024))
    .option('--log-level <level>', 'pino log level (silent, error, warn, info, debug)', 'info')
    .option(
      '--tls',
      'serve HTTPS with a self-signed certificate for localhost (its PEM: tlsCertPem in the credentials file)',
    )
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM; with --tls-key)')
    .option('--tls-key <file>', 'private key (PEM) of --tls-cert')
    .option('--max-connections <n>', 'open connections; more are answered 503 (default 512)')
    .option('--rate-limit <n>', 'requests per second per client id; more are answered 429 (default 1000)')
    .option(
      '--max-in-flight <n>',
      'requests of one client id processed at once; more are answered 429 (default 64)',
    )
    .option('--rsa-workers <n>', 'worker threads decrypting logins (default: one per core)')
    .action(async (opts: SandboxCommandOptions) => {
      const [{ createSandbox, decodeFaultProfile, sandboxAdmin, writeCredentialsFile }, { pino }] =
        await Promise.all([import('../../sandbox/index.js'), import('pino')]);
      let faults: FaultProfile | undefined;
      if (opts.faults) {
        const { parse } = await import('yaml');
        let document: unknown;
        try {
          document = parse(await readInput(opts.faults));
        } catch (err) {
          if (err instanceof CliError) throw err;
          throw new CliError(`${opts.faults} is not JSON or YAML: ${(err as Error).message}`, 2);
        }
        const decoded = decodeFaultProfile(document);
        if (!decoded.ok) throw new CliError(`${opts.faults}: ${decoded.errors.join('; ')}`, 2);
        faults = decoded.value;
      }
      if (opts.faultSeed !== undefined)
        faults = { ...(faults ?? {}), seed: integerOption('--fault-seed', opts.faultSeed, 0) };

      if (opts.credentialsOut) {
        const { assertReplaceable } = await import('../owned-output.js');
        // A credentials file from an earlier sandbox run may be replaced; anything else is the user's.
        assertReplaceable(opts.credentialsOut, 'a sandbox credentials file', (text) => {
          try {
            const c = JSON.parse(text) as Record<string, unknown>;
            return typeof c.clientId === 'string' && typeof c.publicKeyPem === 'string';
          } catch {
            return false;
          }
        });
      }
      if (Boolean(opts.tlsCert) !== Boolean(opts.tlsKey))
        throw new CliError('--tls-cert and --tls-key go together', 2);
      const tls =
        opts.tlsCert && opts.tlsKey
          ? { certPem: await readInput(opts.tlsCert), keyPem: await readInput(opts.tlsKey) }
          : opts.tls
            ? ('self-signed' as const)
            : undefined;
      const limits: Record<string, number> = {};
      if (opts.maxConnections !== undefined)
        limits.maxConnections = integerOption('--max-connections', opts.maxConnections, 1);
      if (opts.rateLimit !== undefined) {
        limits.requestsPerSecond = integerOption('--rate-limit', opts.rateLimit, 1);
        limits.burst = limits.requestsPerSecond;
      }
      if (opts.maxInFlight !== undefined)
        limits.maxInFlightPerClient = integerOption('--max-in-flight', opts.maxInFlight, 1);
      const logger = pino({ level: opts.logLevel, base: { svc: 'irp-sandbox' } });
      const sandbox = await createSandbox({
        host: opts.host,
        port: integerOption('--port', opts.port, 0),
        db: opts.db,
        // With --sample-accounts the file is written once the accounts exist (below).
        credentialsOut: opts.sampleAccounts ? undefined : opts.credentialsOut,
        tokenValidityMinutes: integerOption('--token-validity', opts.tokenValidity, 1),
        strictGstin: Boolean(opts.strictGstin),
        strictEwbDistance: Boolean(opts.strictEwbDistance),
        adminSecret: opts.adminSecret ?? process.env.IRP_SANDBOX_ADMIN_SECRET,
        faults,
        maxBodyBytes: integerOption('--max-body', opts.maxBody, 1024),
        limits,
        ...(tls ? { tls } : {}),
        ...(opts.rsaWorkers !== undefined
          ? { rsaWorkers: integerOption('--rsa-workers', opts.rsaWorkers, 1) }
          : {}),
        logger,
      });

      if (opts.sampleAccounts) {
        const [{ onboardParties, sampleParties }, { projectRoot }] = await Promise.all([
          import('../samples.js'),
          import('../paths.js'),
        ]);
        try {
          const parties = await sampleParties(projectRoot());
          const accounts = await onboardParties(sandboxAdmin(sandbox.credentials), parties, 'sample');
          // The sandbox's own credentials file, plus every sample seller's account.
          const withAccounts = { ...sandbox.credentials, accounts };
          if (opts.credentialsOut) await writeCredentialsFile(opts.credentialsOut, withAccounts);
          logger.info(
            { sellers: parties.sellers, sez: parties.sez },
            'IRP sandbox: an API account for every sample seller',
          );
        } catch (err) {
          await sandbox.close();
          throw new CliError(`--sample-accounts: ${(err as Error).message}`, 1);
        }
      }

      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          logger.info({ signal }, 'IRP sandbox stopping');
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void sandbox.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      logger.info('IRP sandbox stopped');
    });
}
