/**
 * Reads and checks a source config. Every mistake is reported with its path in the file
 * (`irp.credentials[0].password: expected {env} or {file}`), all at once; secrets are resolved from the
 * environment or files only when the source starts, and their values never appear in an error.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { parseDocument } from 'yaml';
import { SourceConfigCodec, type SecretRef, type SourceConfig } from './source-config.js';

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

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

/** io-ts errors as `path: expected X, got Y`, one line per path (the deepest failure of each). */
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
    const expected = e.context[e.context.length - 1]!.type.name;
    const got = e.value === undefined ? 'nothing (required)' : JSON.stringify(e.value)?.slice(0, 60);
    byPath.set(path, `${path}: expected ${expected}, got ${got}`);
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

export function parseSourceConfig(text: string, file: string): SourceConfig {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0)
    throw new ConfigError(
      file,
      doc.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`),
    );
  const decoded = SourceConfigCodec.decode(doc.toJS());
  if (isLeft(decoded)) throw new ConfigError(file, describeErrors(decoded.left));
  const config = decoded.right;
  const problems: string[] = [];
  config.irp.credentials.forEach((c, i) => {
    const parts = [c.clientId, c.clientSecret, c.userName, c.password].filter(Boolean).length;
    if (!c.file && parts < 4)
      problems.push(
        `irp.credentials[${i}]: give either file or all of clientId, clientSecret, userName, password`,
      );
  });
  if (problems.length > 0) throw new ConfigError(file, problems);
  return config;
}

export function loadSourceConfig(file: string): { config: SourceConfig; baseDir: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [
      `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    ]);
  }
  return { config: parseSourceConfig(text, file), baseDir: dirname(resolve(file)) };
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
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw new Error(`secret file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`, {
      cause: err,
    });
  }
}
