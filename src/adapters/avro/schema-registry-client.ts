/**
 * A client for the Confluent Schema Registry REST API (also served by Apicurio's `ccompat` API and by
 * Karapace): the few calls a consumer and a test producer need.
 *
 * - `getSchemaById` answers with a value, never throws: the schema, `not-found` (the registry says the
 *   id does not exist), `unauthorized`, or `unavailable` (unreachable, timed out, 5xx, 429, or a 404
 *   that is not the registry's own "schema not found" — a wrong base URL must not read as "every id is
 *   unknown", or a typo in the config would dead-letter a whole topic).
 * - Schemas are immutable per id, so answers are cached by id for the client's life; concurrent lookups
 *   of one id share a single request; failures are not cached (the next record asks again).
 * - Transient failures are retried a few times with short, jittered backoff inside one call; longer
 *   outages are the pipeline's business (it keeps the record and retries later).
 */
import { Pool } from 'undici';

/** A Confluent schema reference: a named type defined by another subject's version. */
export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

/** A schema as the registry stores it. `schemaType` is `AVRO` when the registry omits it (Confluent does). */
export interface RegisteredSchema {
  id: number;
  schema: string;
  schemaType: string;
  references: SchemaReference[];
}

/** Why a lookup gave no schema. */
export type LookupFailureReason = 'not-found' | 'unauthorized' | 'unavailable';

export type SchemaLookup =
  { ok: true; schema: RegisteredSchema } | { ok: false; reason: LookupFailureReason; message: string };

/** What the Avro decoder needs from a registry (a port, so tests can count calls without HTTP). */
export interface SchemaSource {
  getSchemaById(id: number): Promise<SchemaLookup>;
  /** For schema references: one version of a subject. */
  getSubjectVersion(subject: string, version: number): Promise<SchemaLookup>;
}

export interface SchemaRegistryClientOptions {
  /**
   * Base URL of the Confluent-compatible API, e.g. `http://registry:8081` (Confluent, Karapace) or
   * `http://registry:8080/apis/ccompat/v7` (Apicurio). User info in the URL is used for basic auth
   * when `username` is not given.
   */
  url: string;
  username?: string;
  password?: string;
  /** Budget of one HTTP call (connect, headers and body). Default 5000 ms. */
  timeoutMs?: number;
  /** Extra attempts after a transient failure, within one call. Default 2. */
  retries?: number;
  /** Backoff before the first retry; each later one waits three times longer (plus jitter). Default 100 ms. */
  retryDelayMs?: number;
  /** Keep-alive sockets towards the registry. Default 4. */
  connections?: number;
}

/** A registry answer that makes a write ({@link SchemaRegistryClient.register}) fail. */
export class SchemaRegistryError extends Error {
  constructor(
    message: string,
    /** The HTTP status, or undefined when the registry was not reached. */
    readonly status?: number,
    /** The registry's own `error_code` (e.g. 409 incompatible, 42201 invalid schema). */
    readonly errorCode?: number,
  ) {
    super(message);
    this.name = 'SchemaRegistryError';
  }
}

type Attempt = { kind: 'response'; status: number; body: string } | { kind: 'transport'; message: string };

interface ErrorBody {
  error_code?: unknown;
  message?: unknown;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const ACCEPT =
  'application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; q=0.9, application/json; q=0.5';

/** Confluent-compatible schema registry over an undici Pool. See the module comment for its guarantees. */
export class SchemaRegistryClient implements SchemaSource {
  private readonly pool: Pool;
  private readonly prefix: string;
  /** For messages: the URL without user info, so a password never reaches a log or a dead letter. */
  private readonly displayUrl: string;
  private readonly authorization: string | undefined;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly byId = new Map<number, Promise<SchemaLookup>>();
  private readonly bySubjectVersion = new Map<string, Promise<SchemaLookup>>();

  constructor(options: SchemaRegistryClientOptions) {
    const url = new URL(options.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new Error(`schema registry url must be http(s), got ${url.protocol}`);
    const username = options.username ?? (url.username ? decodeURIComponent(url.username) : undefined);
    const password = options.password ?? (url.password ? decodeURIComponent(url.password) : '');
    this.authorization =
      username !== undefined
        ? `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`
        : undefined;
    url.username = '';
    url.password = '';
    this.prefix = url.pathname.replace(/\/+$/, '');
    this.displayUrl = `${url.origin}${this.prefix}`;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.retries = options.retries ?? 2;
    this.retryDelayMs = options.retryDelayMs ?? 100;
    this.pool = new Pool(url.origin, {
      connections: options.connections ?? 4,
      pipelining: 1,
      connect: { timeout: this.timeoutMs },
    });
  }

  /** The registry's base URL, without credentials. */
  get url(): string {
    return this.displayUrl;
  }

  /** `GET /schemas/ids/{id}`: the writer schema of a framed record. Never throws. */
  getSchemaById(id: number): Promise<SchemaLookup> {
    return this.singleFlight(this.byId, id, () => this.lookup(`/schemas/ids/${id}`, `schema id ${id}`, id));
  }

  /** `GET /subjects/{subject}/versions/{version}`: a referenced schema. Never throws. */
  getSubjectVersion(subject: string, version: number): Promise<SchemaLookup> {
    const key = `${subject}\u0000${version}`;
    return this.singleFlight(this.bySubjectVersion, key, () =>
      this.lookup(
        `/subjects/${encodeURIComponent(subject)}/versions/${version}`,
        `subject ${subject} version ${version}`,
      ),
    );
  }

  /**
   * `POST /subjects/{subject}/versions`: registers `schema` (idempotent: an equal schema gets its
   * existing id) and returns the id. Throws {@link SchemaRegistryError} when the registry rejects it
   * (409 incompatible, 422 invalid) or stays unreachable.
   */
  async register(
    subject: string,
    schema: string | object,
    opts: { schemaType?: string; references?: SchemaReference[] } = {},
  ): Promise<number> {
    const text = typeof schema === 'string' ? schema : JSON.stringify(schema);
    const body: Record<string, unknown> = { schema: text };
    // Confluent's default type is AVRO; older registries reject the field altogether.
    if (opts.schemaType && opts.schemaType !== 'AVRO') body.schemaType = opts.schemaType;
    if (opts.references?.length) body.references = opts.references;
    const res = await this.send(
      'POST',
      `/subjects/${encodeURIComponent(subject)}/versions`,
      JSON.stringify(body),
    );
    if (res.kind === 'transport')
      throw new SchemaRegistryError(`schema registry ${this.displayUrl} unreachable: ${res.message}`);
    const parsed = parseJson(res.body) as { id?: unknown } & ErrorBody;
    if (res.status >= 200 && res.status < 300 && typeof parsed?.id === 'number') {
      const id = parsed.id;
      // The id now names this schema; a consumer in this process need not ask for it again.
      if (!this.byId.has(id))
        this.byId.set(
          id,
          Promise.resolve({
            ok: true,
            schema: {
              id,
              schema: text,
              schemaType: opts.schemaType ?? 'AVRO',
              references: opts.references ?? [],
            },
          }),
        );
      return id;
    }
    throw new SchemaRegistryError(
      `registering subject ${subject} at ${this.displayUrl}: HTTP ${res.status}${describeError(parsed, res.body)}`,
      res.status,
      typeof parsed?.error_code === 'number' ? parsed.error_code : undefined,
    );
  }

  /** Closes the keep-alive sockets. */
  async close(): Promise<void> {
    await this.pool.close();
  }

  private singleFlight<K>(
    cache: Map<K, Promise<SchemaLookup>>,
    key: K,
    load: () => Promise<SchemaLookup>,
  ): Promise<SchemaLookup> {
    const cached = cache.get(key);
    if (cached) return cached;
    const pending = load().then((result) => {
      if (!result.ok) cache.delete(key);
      return result;
    });
    cache.set(key, pending);
    return pending;
  }

  private async lookup(path: string, what: string, id?: number): Promise<SchemaLookup> {
    const res = await this.send('GET', path);
    if (res.kind === 'transport')
      return {
        ok: false,
        reason: 'unavailable',
        message: `schema registry ${this.displayUrl} unreachable for ${what}: ${res.message}`,
      };
    const parsed = parseJson(res.body) as
      | ({ schema?: unknown; schemaType?: unknown; references?: unknown; id?: unknown } & ErrorBody)
      | undefined;
    if (res.status === 200) {
      if (typeof parsed?.schema !== 'string')
        return {
          ok: false,
          reason: 'unavailable',
          message: `schema registry ${this.displayUrl} answered ${what} without a schema string`,
        };
      const schemaId = id ?? (typeof parsed.id === 'number' ? parsed.id : -1);
      return {
        ok: true,
        schema: {
          id: schemaId,
          schema: parsed.schema,
          schemaType: typeof parsed.schemaType === 'string' ? parsed.schemaType : 'AVRO',
          references: parseReferences(parsed.references),
        },
      };
    }
    // 40401 subject, 40402 version, 40403 schema: the registry's own "no such thing".
    if (
      res.status === 404 &&
      typeof parsed?.error_code === 'number' &&
      Math.floor(parsed.error_code / 100) === 404
    )
      return {
        ok: false,
        reason: 'not-found',
        message: `schema registry ${this.displayUrl} has no ${what}${describeError(parsed, '')}`,
      };
    if (res.status === 401 || res.status === 403)
      return {
        ok: false,
        reason: 'unauthorized',
        message: `schema registry ${this.displayUrl} refused the credentials for ${what}: HTTP ${res.status}`,
      };
    const hint =
      res.status === 404
        ? ' (a 404 without a registry error code: is avro.registry.url the registry API base?)'
        : '';
    return {
      ok: false,
      reason: 'unavailable',
      message: `schema registry ${this.displayUrl} answered ${what} with HTTP ${res.status}${hint}${describeError(parsed, res.body)}`,
    };
  }

  /** One call with retries on what may pass: transport failures, 5xx, 408 and 429. */
  private async send(method: 'GET' | 'POST', path: string, body?: string): Promise<Attempt> {
    let last: Attempt = { kind: 'transport', message: 'not attempted' };
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0) {
        const base = this.retryDelayMs * 3 ** (attempt - 1);
        await sleep(base / 2 + Math.random() * base);
      }
      last = await this.attempt(method, path, body);
      if (last.kind === 'response' && !retriableStatus(last.status)) return last;
    }
    return last;
  }

  private async attempt(method: 'GET' | 'POST', path: string, body?: string): Promise<Attempt> {
    const headers: Record<string, string> = { accept: ACCEPT };
    if (body !== undefined) headers['content-type'] = CONTENT_TYPE;
    if (this.authorization) headers.authorization = this.authorization;
    try {
      const res = await this.pool.request({
        method,
        path: this.prefix + path,
        headers,
        body,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      return { kind: 'response', status: res.statusCode, body: await res.body.text() };
    } catch (error) {
      const err = error as { code?: string; name?: string; message?: string; cause?: { code?: string } };
      const code = err.code ?? err.cause?.code;
      const timedOut =
        err.name === 'TimeoutError' ||
        code === 'UND_ERR_HEADERS_TIMEOUT' ||
        code === 'UND_ERR_BODY_TIMEOUT' ||
        code === 'UND_ERR_CONNECT_TIMEOUT';
      return {
        kind: 'transport',
        message: timedOut
          ? `no answer within ${this.timeoutMs} ms`
          : `${code ?? err.name ?? 'error'}: ${err.message ?? String(error)}`,
      };
    }
  }
}

function retriableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describeError(parsed: ErrorBody | undefined, raw: string): string {
  if (parsed && (parsed.error_code !== undefined || parsed.message !== undefined))
    return ` (error_code ${String(parsed.error_code ?? '?')}: ${String(parsed.message ?? '')})`;
  const text = raw.replace(/\s+/g, ' ').trim().slice(0, 200);
  return text ? `: ${text}` : '';
}

function parseReferences(value: unknown): SchemaReference[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((r: unknown) => {
    const ref = r as Partial<SchemaReference> | null;
    return ref &&
      typeof ref.name === 'string' &&
      typeof ref.subject === 'string' &&
      typeof ref.version === 'number'
      ? [{ name: ref.name, subject: ref.subject, version: ref.version }]
      : [];
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
