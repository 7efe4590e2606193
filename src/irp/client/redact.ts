/**
 * Keeping IRP secrets (password, client secret, AppKey, SEK, auth token) out of logs.
 *
 * Two nets, because either alone has holes:
 * - by name: any property whose name means a secret (`password`, `client_secret`, `AuthToken`, `Sek`, …)
 *   is replaced, at any depth — pino's `redact` paths only reach fixed depths;
 * - by value: every secret the client handles is registered in a {@link SecretRegistry}, and any string
 *   containing one (an error message quoting a header, a URL, a serialized body) is scrubbed.
 *
 * Export surface for the pipeline: {@link createRedactingLogger} for a root logger, and
 * {@link redactingChildOptions} to give a child of an existing logger the same protection.
 */
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export const REDACTED = '[REDACTED]';

/**
 * Property-name endings (compared case-insensitively, ignoring `_`, `-` and `.`) that mean a secret:
 * `password`, `saslPassword`, `client_secret`, `x-admin-secret`, `AuthToken`, `Sek`, `privateKeyPem` …
 */
const SECRET_SUFFIXES = [
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'secret',
  'token',
  'appkey',
  'apikey',
  'sek',
  'authorization',
  'privatekey',
  'privatekeypem',
  'cookie',
] as const;

/** Names that end like a secret but are not one. */
const NOT_SECRET = new Set(['secrets', 'tokenexpiry', 'tokens']);

/** Whether a property of this name holds a secret. */
export function isSecretKey(key: string): boolean {
  const name = key.replace(/[_\-.]/g, '').toLowerCase();
  if (NOT_SECRET.has(name)) return false;
  return SECRET_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

/** pino `redact` paths: the fixed-depth shapes, cheap in pino's fast path; {@link redactValue} does the rest. */
export const REDACT_PATHS: readonly string[] = (() => {
  const names = [
    'password',
    'Password',
    'clientSecret',
    'client_secret',
    '"client-secret"',
    'appKey',
    'AppKey',
    'sek',
    'Sek',
    'authToken',
    'AuthToken',
    'authtoken',
    'token',
    'adminSecret',
    'saslPassword',
    '"x-admin-secret"',
  ];
  return [
    ...names,
    ...names.map((n) => `*.${n}`),
    ...names.map((n) => `*.*.${n}`),
    'credentials[*].password',
    'credentials[*].clientSecret',
  ];
})();

/** Secrets shorter than this are matched only as whole words (else "ok" would scrub every "token"). */
const WHOLE_WORD_BELOW = 6;

/** A secret and the other spellings it takes in logs: JSON-escaped and URL-encoded. */
interface Entry {
  forms: string[];
  /** For short secrets: a whole-word matcher of every form. */
  word?: RegExp;
}

function entryFor(secret: string): Entry {
  const forms = [secret];
  const json = JSON.stringify(secret).slice(1, -1);
  const url = encodeURIComponent(secret);
  for (const form of [json, url]) if (!forms.includes(form)) forms.push(form);
  // Longest first, so a form that contains another (escaped quotes) is replaced whole.
  forms.sort((a, b) => b.length - a.length);
  if (secret.length >= WHOLE_WORD_BELOW) return { forms };
  const escaped = forms.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return { forms, word: new RegExp(`(?<![A-Za-z0-9])(?:${escaped.join('|')})(?![A-Za-z0-9])`, 'g') };
}

/**
 * The secret values in play, in two tiers:
 * - **pinned**: the configuration's secrets (passwords, client secrets, the SASL and schema-registry
 *   passwords). Kept for the life of the process whatever their number or length — a short password is
 *   matched as a whole word;
 * - **rotating**: what sessions create (AppKeys, SEKs, tokens). Bounded, because tokens and SEKs rotate
 *   and a long-running connector must not grow without limit; the oldest are forgotten first (they are
 *   long expired by then), and forgetting them never touches a pinned secret.
 */
export class SecretRegistry {
  private readonly pinned = new Map<string, Entry>();
  private readonly rotating = new Map<string, Entry>();

  constructor(private readonly capacity = 512) {}

  /** Registers a configuration secret for the life of the registry (never evicted; any length). */
  pin(secret: string | undefined): void {
    if (secret === undefined || secret === '' || this.pinned.has(secret)) return;
    this.rotating.delete(secret);
    this.pinned.set(secret, entryFor(secret));
  }

  /** Registers a session secret; a Buffer is registered in its base64, base64url and hex forms. */
  add(secret: string | Buffer | undefined): void {
    if (secret === undefined) return;
    if (Buffer.isBuffer(secret)) {
      this.addText(secret.toString('base64'));
      this.addText(secret.toString('base64url'));
      this.addText(secret.toString('hex'));
      return;
    }
    this.addText(secret);
  }

  private addText(text: string): void {
    // Very short session values would scrub innocent text and add no protection (they are random and long).
    if (text.length < WHOLE_WORD_BELOW || this.pinned.has(text) || this.rotating.has(text)) return;
    this.rotating.set(text, entryFor(text));
    if (this.rotating.size > this.capacity) {
      const oldest = this.rotating.keys().next().value;
      if (oldest !== undefined) this.rotating.delete(oldest);
    }
  }

  get size(): number {
    return this.pinned.size + this.rotating.size;
  }

  /** How many configuration secrets are pinned. */
  get pinnedSize(): number {
    return this.pinned.size;
  }

  /** Whether any form of any registered secret occurs in `text` (whole word or not). */
  private mentions(text: string): boolean {
    for (const entries of [this.pinned, this.rotating])
      for (const entry of entries.values()) if (entry.forms.some((f) => text.includes(f))) return true;
    return false;
  }

  /** `text` with every registered secret replaced by {@link REDACTED}. */
  scrub(text: string): string {
    let out = text;
    for (const entries of [this.pinned, this.rotating]) {
      for (const entry of entries.values()) {
        if (!entry.forms.some((f) => out.includes(f))) continue;
        if (entry.word) out = out.replace(entry.word, REDACTED);
        else for (const form of entry.forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
      }
    }
    return out;
  }

  /**
   * A serialized JSON log line with every registered secret scrubbed from its string values only, so
   * the line stays valid JSON whatever the secret looks like (a short one may equal a number, a literal
   * or a member name).
   */
  scrubJsonLine(line: string): string {
    if (!this.mentions(line)) return line;
    return line.replace(/"(?:[^"\\]|\\.)*"/g, (literal: string, offset: number) => {
      if (line[offset + literal.length] === ':') return literal; // a member name, not a value
      let value: string;
      try {
        value = JSON.parse(literal) as string;
      } catch {
        return this.scrub(literal);
      }
      const scrubbed = this.scrub(value);
      return scrubbed === value ? literal : JSON.stringify(scrubbed);
    });
  }
}

/** One registry per process by default, so a pipeline logger scrubs what every client registered. */
export const globalSecretRegistry = new SecretRegistry();

/**
 * A deep copy of `value` safe to log: secret-named properties replaced, registered secret values
 * scrubbed from strings, Buffers summarized (their bytes might be a key), Errors flattened.
 */
export function redactValue(
  value: unknown,
  registry: SecretRegistry = globalSecretRegistry,
  depth = 0,
): unknown {
  if (typeof value === 'string') return registry.scrub(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[Truncated]';
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  if (value instanceof Error) {
    const out: Record<string, unknown> = { type: value.name, message: registry.scrub(value.message) };
    if (value.stack) out.stack = registry.scrub(value.stack);
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out.code = code;
    if (value.cause !== undefined) out.cause = redactValue(value.cause, registry, depth + 1);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, registry, depth + 1));
  if (value instanceof Map) {
    return redactValue(Object.fromEntries(value), registry, depth);
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] =
      isSecretKey(key) && v !== undefined && v !== null ? REDACTED : redactValue(v, registry, depth + 1);
  }
  return out;
}

/** A pino serializer (for `err`, `headers`, `config` …) that applies {@link redactValue}. */
export function redactingSerializer(
  registry: SecretRegistry = globalSecretRegistry,
): (value: unknown) => unknown {
  return (value) => redactValue(value, registry);
}

/**
 * Options for `logger.child(bindings, options)`: the same protection on a logger the caller owns.
 * (`hooks` cannot be set on a child, so strings in the message argument are the caller's care; the
 * IRP client never puts secrets in messages.)
 */
export function redactingChildOptions(
  registry: SecretRegistry = globalSecretRegistry,
): pino.ChildLoggerOptions {
  const serializer = redactingSerializer(registry);
  return {
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    serializers: { err: serializer, error: serializer, headers: serializer, config: serializer },
    formatters: { log: (object: object) => redactValue(object, registry) as Record<string, unknown> },
  };
}

/** Root-logger options: child options plus scrubbing of message strings and of the final line. */
export function redactingLoggerOptions(
  options: LoggerOptions = {},
  registry: SecretRegistry = globalSecretRegistry,
): LoggerOptions {
  const child = redactingChildOptions(registry);
  return {
    ...options,
    redact: child.redact,
    serializers: { ...(options.serializers ?? {}), ...child.serializers },
    formatters: {
      ...(options.formatters ?? {}),
      log: (object: object) => redactValue(object, registry) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const cleaned = args.map((a) => (typeof a === 'string' ? registry.scrub(a) : a)) as Parameters<
          typeof method
        >;
        method.apply(this, cleaned);
      },
      // The last net: whatever was built into the line (bindings, custom serializers), scrub it.
      streamWrite: (line) => registry.scrubJsonLine(line),
    },
  };
}

/** A pino logger that never prints a registered secret nor a secret-named property. */
export function createRedactingLogger(
  options: LoggerOptions = {},
  destination?: DestinationStream,
  registry: SecretRegistry = globalSecretRegistry,
): Logger {
  const opts = redactingLoggerOptions(options, registry);
  return destination ? pino(opts, destination) : pino(opts);
}
