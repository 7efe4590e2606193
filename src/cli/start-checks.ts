/**
 * The start-up checks of a source, shared by `irp-bridge run` (which refuses to start on any problem)
 * and `irp-bridge check-config` (which prints them): the connector exists, the Kafka adapter loads,
 * every key, certificate and credentials file is readable and parsable, the Avro writer schema resolves
 * to the connector's, the IRP public key is there, and — when secrets are resolved — every SecretRef
 * (IRP credentials, SASL and registry passwords) has a value. All problems are collected in one pass;
 * no value of a secret ever appears in one.
 *
 * What it returns when there is no problem is exactly what `run` then uses: the IRP client's config and
 * the Kafka connection, secrets resolved.
 */
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { avroDecoderFromConfig } from '../adapters/avro/from-config.js';
import { confluentAvailable } from '../adapters/kafka/confluent.js';
import { deliveryProblems, describeErrors, resolveSecret, withAbsolutePaths } from '../config/load.js';
import { splitCertificates } from '../irp/client/signed.js';
import type { KafkaConnection, SecretRef, SourceConfig } from '../config/source-config.js';
import type { IrpClientConfigInput } from '../irp/client/index.js';
import { connectorById, sourceConnector } from '../pipeline/connectors.js';

const text = t.string;
const account = t.partial({ clientId: text, clientSecret: text, userName: text, password: text });
/**
 * A credentials file: the four secrets of one API user, optionally the IRP's public key and signing
 * certificate; or (as the sandbox writes with `--sample-accounts`) several users under `accounts`, each
 * with its `gstin`.
 */
const CredentialsFileCodec = t.intersection([
  account,
  t.partial({
    publicKeyPem: text,
    signingCertPem: text,
    accounts: t.array(t.intersection([t.type({ gstin: text }), account])),
  }),
]);
type CredentialsFile = t.TypeOf<typeof CredentialsFileCodec>;

type Secret = 'clientId' | 'clientSecret' | 'userName' | 'password';
const SECRETS: readonly Secret[] = ['clientId', 'clientSecret', 'userName', 'password'];

export interface StartCheckOptions {
  env?: NodeJS.ProcessEnv;
  /** Resolve every SecretRef (always true for `run`; `check-config --resolve-secrets`). */
  resolveSecrets: boolean;
}

export interface ResolvedSource {
  irp: IrpClientConfigInput;
  kafka: KafkaConnection;
  /** Every password and client secret resolved, for the logger's scrubbing. */
  secrets: string[];
}

export interface StartCheckResult {
  problems: string[];
  /** Present when there is no problem and secrets were resolved. */
  resolved?: ResolvedSource;
}

function errorCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}

/** A file's text, or a problem naming the key and the path. */
function readText(key: string, path: string, problems: string[]): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    problems.push(`${key}: cannot read ${path} (${errorCode(err)})`);
    return undefined;
  }
}

function parsePem(
  key: string,
  path: string,
  pem: string,
  kind: 'public key' | 'certificate' | 'private key',
): string | undefined {
  // A certificate file may be a bundle (a CA chain, or NIC's current and earlier signing certificates):
  // every certificate in it must parse.
  const blocks = kind === 'certificate' ? splitCertificates(pem) : [];
  const parts = blocks.length > 1 ? blocks : [pem];
  for (const [i, part] of parts.entries()) {
    try {
      if (kind === 'certificate') new X509Certificate(part);
      else if (kind === 'private key') createPrivateKey(part);
      else createPublicKey(part);
    } catch (err) {
      const which = parts.length > 1 ? ` (certificate ${i + 1} of ${parts.length})` : '';
      return `${key}: ${path} is not a PEM ${kind}${which} (${(err as Error).message.split('\n')[0]})`;
    }
  }
  return undefined;
}

function readPem(
  key: string,
  path: string,
  kind: 'public key' | 'certificate' | 'private key',
  problems: string[],
): string | undefined {
  const pem = readText(key, path, problems);
  if (pem === undefined) return undefined;
  const problem = parsePem(key, path, pem, kind);
  if (problem) problems.push(problem);
  return problem ? undefined : pem;
}

function readCredentialsFile(key: string, path: string, problems: string[]): CredentialsFile | undefined {
  const content = readText(key, path, problems);
  if (content === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (err) {
    problems.push(`${key}: ${path} is not JSON (${(err as Error).message})`);
    return undefined;
  }
  const decoded = CredentialsFileCodec.decode(json);
  if (isLeft(decoded)) {
    // Shape problems only: the codec's messages name keys and types, and `show` is not reached for strings.
    problems.push(
      `${key}: ${path} is not a credentials file (${describeErrors(decoded.left)
        .map((l) => l.replace(/, got .*$/, ''))
        .join('; ')})`,
    );
    return undefined;
  }
  return decoded.right;
}

/**
 * Runs every start-up check of `config` (paths already absolute, as `loadSourceConfig` returns them).
 * Never throws for a problem of the config or its files: each one is a line in `problems`.
 */
export async function startChecks(
  config: SourceConfig,
  baseDir: string,
  { env = process.env, resolveSecrets }: StartCheckOptions,
): Promise<StartCheckResult> {
  const problems: string[] = [];
  const secrets: string[] = [];
  config = withAbsolutePaths(config, baseDir);
  /** A SecretRef's value (undefined when not resolving, or a problem). Only `sensitive` ones are scrubbed from logs. */
  const secret = (key: string, ref: SecretRef, sensitive = true): string | undefined => {
    if (!resolveSecrets) return undefined;
    try {
      const value = resolveSecret(ref, baseDir, env);
      if (sensitive) secrets.push(value);
      return value;
    } catch (err) {
      problems.push(`${key}: ${(err as Error).message}`);
      return undefined;
    }
  };

  // The connector and its Avro decoding (schema file, resolution to the reader schema; no network).
  // (and the source's site tables, checked against the connector's)
  const configured = sourceConnector(config);
  if (!configured.ok) problems.push(...configured.problems);
  const connector = connectorById(config.connector);
  if (connector) {
    try {
      const avro = config.avro?.registry?.password
        ? { ...config.avro, registry: { ...config.avro.registry, password: undefined } }
        : config.avro;
      await avroDecoderFromConfig(avro, connector, { baseDir, env }).close();
    } catch (err) {
      problems.push(`avro: ${(err as Error).message}`);
    }
  }
  if (config.avro?.registry?.password) secret('avro.registry.password', config.avro.registry.password);

  // Kafka: the adapter, TLS files, SASL. (Also for configs built in code, which skip the loader's checks.)
  const k = config.kafka;
  for (const p of deliveryProblems(config)) if (!problems.includes(p)) problems.push(p);
  if (k.adapter === 'confluent' && !(await confluentAvailable()))
    problems.push(
      'kafka.adapter: confluent needs the optional @confluentinc/kafka-javascript binding, which is not ' +
        'installed here (`CKJS_LINKING=dynamic npm install` builds it; docs/running.md#kafka-adapters), or use kafkajs',
    );
  const kafka: KafkaConnection = { clientId: k.clientId ?? `irp-bridge-${config.id}`, brokers: k.brokers };
  if (k.ssl) {
    kafka.ssl = { ...k.ssl };
    if (k.ssl.caFile) readPem('kafka.ssl.caFile', k.ssl.caFile, 'certificate', problems);
    if (k.ssl.certFile) readPem('kafka.ssl.certFile', k.ssl.certFile, 'certificate', problems);
    if (k.ssl.keyFile) readPem('kafka.ssl.keyFile', k.ssl.keyFile, 'private key', problems);
  }
  if (k.sasl) {
    const password = secret('kafka.sasl.password', k.sasl.password);
    if (password !== undefined)
      kafka.sasl = { mechanism: k.sasl.mechanism, username: k.sasl.username, password };
  }

  // The IRP: keys, certificates, credentials.
  const irp = config.irp;
  let publicKeyPem = irp.publicKeyFile
    ? readPem('irp.publicKeyFile', irp.publicKeyFile, 'public key', problems)
    : undefined;
  let signingCertPem = irp.signingCertFile
    ? readPem('irp.signingCertFile', irp.signingCertFile, 'certificate', problems)
    : undefined;
  const credentials: IrpClientConfigInput['credentials'] = [];
  const credentialFiles = new Map<string, { file: CredentialsFile | undefined; problem: number }>();
  irp.credentials.forEach((c, i) => {
    const at = `irp.credentials[${i}]`;
    let fromFile: Partial<Record<Secret, string>> = {};
    let fileUsable = false;
    if (c.file) {
      // Several GSTINs usually share one file (the sandbox's): read and check it once, report it once.
      let read = credentialFiles.get(c.file);
      if (read) {
        if (read.problem >= 0)
          problems[read.problem] = problems[read.problem]!.replace(
            /^([^:]*?)\.file:/,
            `$1.file, [${i}].file:`,
          );
      } else {
        const before = problems.length;
        const file = readCredentialsFile(`${at}.file`, c.file, problems);
        read = { file, problem: problems.length > before ? before : -1 };
        credentialFiles.set(c.file, read);
        if (file && !irp.publicKeyFile && file.publicKeyPem) {
          const problem = parsePem(`${at}.file`, `${c.file} publicKeyPem`, file.publicKeyPem, 'public key');
          if (problem) problems.push(problem);
          else publicKeyPem ??= file.publicKeyPem;
        }
        if (file && !irp.signingCertFile && file.signingCertPem) {
          const problem = parsePem(
            `${at}.file`,
            `${c.file} signingCertPem`,
            file.signingCertPem,
            'certificate',
          );
          if (problem) problems.push(problem);
          else signingCertPem ??= file.signingCertPem;
        }
      }
      const file = read.file;
      if (file?.accounts) {
        const mine = file.accounts.find((a) => a.gstin.toUpperCase() === c.gstin);
        if (mine) {
          fromFile = mine;
          fileUsable = true;
        } else if (SECRETS.some((f) => !c[f]))
          problems.push(
            `${at}.file: ${c.file} has accounts for ${file.accounts.map((a) => a.gstin).join(', ') || 'no GSTIN'}, not ${c.gstin}`,
          );
      } else if (file) {
        fromFile = file;
        fileUsable = true;
      }
    }
    const resolved: Partial<Record<Secret, string>> = {};
    for (const field of SECRETS) {
      const ref = c[field];
      const sensitive = field === 'clientSecret' || field === 'password';
      if (ref) {
        const value = secret(`${at}.${field}`, ref, sensitive);
        if (value !== undefined) resolved[field] = value;
      } else if (fromFile[field]) {
        resolved[field] = fromFile[field];
        if (sensitive) secrets.push(fromFile[field]);
      } else if (fileUsable)
        problems.push(`${at}.${field}: not given (neither a reference nor in ${c.file})`);
    }
    if (SECRETS.every((f) => resolved[f] !== undefined))
      credentials.push({
        gstin: c.gstin,
        clientId: resolved.clientId!,
        clientSecret: resolved.clientSecret!,
        userName: resolved.userName!,
        password: resolved.password!,
      });
  });
  // A credentials file that could not be read may be where the key was meant to come from.
  if (
    !publicKeyPem &&
    !problems.some((p) => p.startsWith('irp.publicKeyFile') || /^irp\.credentials\[\d+\]\.file[:,]/.test(p))
  )
    problems.push(
      'irp.publicKeyFile: the IRP public key is required (a PEM file from the portal, or a credentials file that carries publicKeyPem)',
    );

  if (problems.length > 0 || !resolveSecrets || !publicKeyPem) return { problems };
  const retry = irp.retry;
  return {
    problems,
    resolved: {
      kafka,
      secrets,
      irp: {
        baseUrl: irp.baseUrl,
        publicKeyPem,
        ...(signingCertPem ? { signingCertPem } : {}),
        credentials,
        authVersion: irp.authVersion === 'v1.03' ? '1.03' : '1.04',
        ...(irp.timeoutMs ? { timeouts: { requestMs: irp.timeoutMs } } : {}),
        ...(retry
          ? {
              retry: {
                ...(retry.maxAttempts ? { maxRetries: retry.maxAttempts - 1 } : {}),
                ...(retry.initialDelayMs ? { initialDelayMs: retry.initialDelayMs } : {}),
                ...(retry.maxDelayMs ? { maxDelayMs: retry.maxDelayMs } : {}),
                ...(retry.deadlineMs ? { deadlineMs: retry.deadlineMs } : {}),
              },
            }
          : {}),
        ...(irp.breaker ? { breaker: irp.breaker } : {}),
        ...(irp.maxConcurrencyPerGstin ? { concurrency: { perGstin: irp.maxConcurrencyPerGstin } } : {}),
        ...(irp.ratePerSecond ? { rateLimit: { requestsPerSecond: irp.ratePerSecond } } : {}),
      },
    },
  };
}
