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

/** Property names (compared case-insensitively, ignoring `_` and `-`) that always hold secrets. */
const SECRET_NAMES = new Set([
  'password',
  'pwd',
  'clientsecret',
  'appkey',
  'sek',
  'authtoken',
  'token',
  'accesstoken',
  'authorization',
  'adminsecret',
  'privatekey',
  'privatekeypem',
  'secret',
]);

/** Whether a property of this name holds a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_NAMES.has(key.replace(/[_-]/g, '').toLowerCase());
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
  ];
  return [
    ...names,
    ...names.map((n) => `*.${n}`),
    ...names.map((n) => `*.*.${n}`),
    'credentials[*].password',
    'credentials[*].clientSecret',
  ];
})();

/**
 * The secret values in play. Bounded: tokens and SEKs rotate, and a long-running connector must not
 * grow without limit; the oldest are forgotten first (they are long expired by then).
 */
export class SecretRegistry {
  private readonly values = new Set<string>();

  constructor(private readonly capacity = 512) {}

  /** Registers a secret; a Buffer is registered in its base64, base64url and hex forms. */
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
    // Very short values would scrub innocent text ("1", "ok") and add no protection.
    if (text.length < 6 || this.values.has(text)) return;
    this.values.add(text);
    if (this.values.size > this.capacity) {
      const oldest = this.values.values().next().value;
      if (oldest !== undefined) this.values.delete(oldest);
    }
  }

  get size(): number {
    return this.values.size;
  }

  /** `text` with every registered secret replaced by {@link REDACTED}. */
  scrub(text: string): string {
    let out = text;
    for (const secret of this.values) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
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
      streamWrite: (line) => (registry.size > 0 ? registry.scrub(line) : line),
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
