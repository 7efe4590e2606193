/**
 * Reads and checks a source config. Every mistake is reported with its path in the file
 * (`pipeline.modee: unknown key "modee"; did you mean "mode"?`), all at once. Environment variables
 * override a few keys (12-factor, `ENV_OVERRIDES`); every file path is made absolute against the config
 * file's folder. Secrets are resolved only by the start-up checks and when the source starts, and their
 * values never appear in an error.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { parseDocument } from 'yaml';
import { mapPaths, showAs } from './codec-kit.js';
import { SourceConfigCodec, type SecretRef, type SourceConfig } from './source-config.js';

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** An environment variable that overrides one key of every source config (env wins over the file). */
export interface EnvOverride {
  variable: string;
  path: readonly string[];
  doc: string;
  parse(text: string): unknown;
}

const text = (s: string) => s;

/** The 12-factor overrides, in the order the docs list them. */
export const ENV_OVERRIDES: readonly EnvOverride[] = [
  {
    variable: 'IRP_BRIDGE_BROKERS',
    path: ['kafka', 'brokers'],
    doc: 'bootstrap servers, comma-separated',
    parse: (s) =>
      s
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
  },
  { variable: 'IRP_BRIDGE_GROUP_ID', path: ['kafka', 'groupId'], doc: 'consumer group', parse: text },
  { variable: 'IRP_BRIDGE_LOG_LEVEL', path: ['ops', 'logLevel'], doc: 'log level', parse: text },
  { variable: 'IRP_BRIDGE_HTTP_HOST', path: ['ops', 'httpHost'], doc: 'ops endpoint interface', parse: text },
  {
    variable: 'IRP_BRIDGE_HTTP_PORT',
    path: ['ops', 'httpPort'],
    doc: 'ops endpoint port',
    parse: (s) => (/^\s*\d+\s*$/.test(s) ? Number(s) : s),
  },
  { variable: 'IRP_BRIDGE_IRP_BASE_URL', path: ['irp', 'baseUrl'], doc: 'the IRP base URL', parse: text },
  {
    variable: 'IRP_BRIDGE_SCHEMA_REGISTRY_URL',
    path: ['avro', 'registry', 'url'],
    doc: 'schema registry URL',
    parse: text,
  },
];

function pathOf(context: t.Context): string {
  let path = '';
  for (let i = 1; i < context.length; i++) {
    const { key } = context[i]!;
    if (/^\d+$/.test(key)) {
      if (Array.isArray(context[i - 1]!.actual)) path += `[${key}]`;
    } else path = path ? `${path}.${key}` : key;
  }
  return path || '(top level)';
}

/** io-ts errors as `path: problem`, one line per path (the deepest failure of each). */
export function describeErrors(errors: t.Errors): string[] {
  const byPath = new Map<string, string>();
  for (const e of errors) {
    const secretAt = e.context.findIndex((c) => c.type.name === 'SecretRef');
    if (secretAt >= 0) {
      // Never echo what was written where a secret reference belongs: it may be the secret itself.
      const path = pathOf(e.context.slice(0, secretAt + 1));
      byPath.set(
        path,
        `${path}: expected SecretRef {env: VARIABLE} or {file: PATH}; secrets are never inline`,
      );
      continue;
    }
    const path = pathOf(e.context);
    if (byPath.has(path)) continue;
    if (e.message) {
      byPath.set(path, `${path}: ${e.message}`);
      continue;
    }
    const type = e.context[e.context.length - 1]!.type;
    byPath.set(path, `${path}: expected ${type.name}, got ${showAs(type, e.value)}`);
  }
  // A parent whose child already explains the problem adds nothing.
  return [...byPath.entries()]
    .filter(
      ([p]) =>
        ![...byPath.keys()].some(
          (other) => other !== p && other.startsWith(p) && /^[.[]/.test(other.slice(p.length)),
        ),
    )
    .map(([, line]) => line);
}

/** Sets the overridden keys in the parsed document; returns which variables applied. */
function applyOverrides(doc: unknown, env: NodeJS.ProcessEnv): { variable: string; path: string }[] {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return [];
  const applied = [];
  for (const o of ENV_OVERRIDES) {
    const value = env[o.variable];
    if (value === undefined || value.trim() === '') continue;
    let node = doc as Record<string, unknown>;
    for (const key of o.path.slice(0, -1)) {
      const next = node[key];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[o.path[o.path.length - 1]!] = o.parse(value);
    applied.push({ variable: o.variable, path: o.path.join('.') });
  }
  return applied;
}

/**
 * Settings that would break the delivery guarantee (docs/guarantees.md), refused with the reason.
 * Exported for the wiring, which also receives configs built in code.
 */
export function deliveryProblems(config: SourceConfig): string[] {
  const problems: string[] = [];
  if (config.kafka.fromBeginning === false)
    problems.push(
      'kafka.fromBeginning: false is refused: a group without a usable committed offset (a new group, one ' +
        'whose offsets expired after the broker’s offsets.retention.minutes, or one whose offset fell below ' +
        'the log start) would start at the latest offset and skip the backlog with no output; leave the key ' +
        'out (a committed offset always wins over it)',
    );
  if (config.pipeline?.mode === 'exactly-once' && (config.kafka.adapter ?? 'kafkajs') === 'kafkajs')
    problems.push(
      'pipeline.mode: exactly-once needs kafka.adapter: confluent: kafkajs sends transactional offsets ' +
        'without the consumer group generation (no KIP-447 fencing), so an instance that lost its partitions ' +
        'in a rebalance can still commit outputs for them, and read_committed readers see duplicates',
    );
  return problems;
}

/** Checks across keys that the codec cannot express. */
function crossChecks(config: SourceConfig): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  config.irp.credentials.forEach((c, i) => {
    const parts = [c.clientId, c.clientSecret, c.userName, c.password].filter(Boolean).length;
    if (!c.file && parts < 4)
      problems.push(
        `irp.credentials[${i}]: give either file or all of clientId, clientSecret, userName, password`,
      );
    if (seen.has(c.gstin))
      problems.push(
        `irp.credentials[${i}].gstin: ${c.gstin} is already irp.credentials[${seen.get(c.gstin)}]`,
      );
    else seen.set(c.gstin, i);
  });
  for (const [key, out] of Object.entries(config.topics))
    if (config.kafka.inputTopics.includes(out))
      problems.push(
        `topics.${key}: ${out} is also an input topic (kafka.inputTopics); outputs would be read back`,
      );
  const ssl = config.kafka.ssl;
  if (ssl && Boolean(ssl.certFile) !== Boolean(ssl.keyFile))
    problems.push(`kafka.ssl: certFile and keyFile go together (mutual TLS)`);
  problems.push(...deliveryProblems(config));
  const wireFormat = config.avro?.wireFormat ?? (config.avro?.registry ? 'confluent' : 'raw');
  if (wireFormat === 'confluent' && !config.avro?.registry)
    problems.push('avro.registry: required with wireFormat confluent (the writer schemas come from it)');
  if (wireFormat === 'confluent' && config.avro?.schemaFile)
    problems.push(
      'avro.schemaFile: only read with wireFormat raw; with a registry the writer schema comes from it',
    );
  return problems;
}

export interface LoadedConfig {
  config: SourceConfig;
  /** The config file's folder (every path in `config` is already absolute against it). */
  baseDir: string;
  /** Environment variables that overrode a key. */
  overrides: { variable: string; path: string }[];
}

/** Decodes a config text; relative paths stay relative (see `loadSourceConfig`). */
export function parseSourceConfig(
  textOfFile: string,
  file: string,
  env: NodeJS.ProcessEnv = {},
): { config: SourceConfig; overrides: LoadedConfig['overrides'] } {
  const doc = parseDocument(textOfFile, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0)
    throw new ConfigError(
      file,
      doc.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`),
    );
  let js: unknown;
  try {
    // toJS resolves aliases: an unresolved one, or too many (an alias bomb), throws here.
    js = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new ConfigError(file, [`YAML: ${(err as Error).message.split('\n')[0]}`]);
  }
  const overrides = applyOverrides(js, env);
  const decoded = SourceConfigCodec.decode(js);
  if (isLeft(decoded)) {
    const problems = describeErrors(decoded.left).map((line) => {
      const o = overrides.find((x) => line.startsWith(`${x.path}:`) || line.startsWith(`${x.path}[`));
      return o ? `${line} (from ${o.variable})` : line;
    });
    throw new ConfigError(file, problems);
  }
  const problems = crossChecks(decoded.right);
  if (problems.length > 0) throw new ConfigError(file, problems);
  return { config: decoded.right, overrides };
}

/**
 * Reads, decodes and checks the file; environment overrides applied; every path made absolute against
 * the file's folder. Throws a ConfigError listing every problem.
 */
export function loadSourceConfig(file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  let textOfFile: string;
  try {
    textOfFile = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [
      `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    ]);
  }
  const baseDir = dirname(resolve(file));
  const { config, overrides } = parseSourceConfig(textOfFile, file, env);
  return { config: withAbsolutePaths(config, baseDir), baseDir, overrides };
}

/** The config with every file path in it (whatever its section) absolute against `baseDir`. */
export function withAbsolutePaths(config: SourceConfig, baseDir: string): SourceConfig {
  return mapPaths(SourceConfigCodec, config, (p) => resolvePath(baseDir, p)) as SourceConfig;
}

/** A path in the config, relative to the config file's folder. */
export function resolvePath(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/** The secret's value; the error names where it was looked for, never a value. */
export function resolveSecret(ref: SecretRef, baseDir: string, env: NodeJS.ProcessEnv = process.env): string {
  if ('env' in ref) {
    const value = env[ref.env];
    if (value === undefined || value === '') throw new Error(`environment variable ${ref.env} is not set`);
    return value;
  }
  const path = resolvePath(baseDir, ref.file);
  let value: string;
  try {
    value = readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw new Error(`secret file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`, {
      cause: err,
    });
  }
  if (value === '') throw new Error(`secret file ${path} is empty`);
  return value;
}
