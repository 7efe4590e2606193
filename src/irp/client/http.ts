/**
 * HTTP towards the IRP through one undici Pool of keep-alive sockets. A Pool costs a fraction of
 * node's fetch in CPU per request (bench/irp-client.bench.ts) and reuses TLS sessions, which matters
 * when every invoice is one request.
 *
 * Failures below HTTP (refused, reset, timeout, aborted) are thrown as {@link TransportError} with a
 * reason, so the classifier never has to read library-specific error codes.
 */
import { Pool } from 'undici';

export type TransportFailure = 'timeout' | 'connect-timeout' | 'reset' | 'refused' | 'network' | 'aborted';

export class TransportError extends Error {
  constructor(
    readonly reason: TransportFailure,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  /** Path below the base URL, query included. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Budget for this request: time to response headers, and then idle time while reading the body. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface HttpTransportOptions {
  connections: number;
  keepAliveTimeoutMs: number;
  connectTimeoutMs: number;
  /** Larger answers are cut off and fail as `network` (default {@link MAX_RESPONSE_BYTES}). */
  maxResponseBytes?: number;
}

/**
 * The largest IRP answer read: far above any real one (a signed 1000-line invoice is well under 2 MB),
 * small enough that a broken or hostile endpoint cannot fill the process's memory.
 */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** The HTTP port of the client; {@link UndiciTransport} is the production adapter. */
export interface HttpTransport {
  request(req: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

function classifyUndiciError(error: unknown): TransportError {
  if (error instanceof TransportError) return error;
  const err = error as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = err.code ?? err.cause?.code;
  const message = err.message ?? String(error);
  switch (code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return new TransportError('timeout', message, code);
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new TransportError('connect-timeout', message, code);
    case 'ECONNREFUSED':
      return new TransportError('refused', message, code);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return new TransportError('reset', message, code);
    case 'UND_ERR_ABORTED':
      return new TransportError('aborted', message, code);
    default:
      if (err.name === 'AbortError' || err.name === 'TimeoutError')
        return new TransportError('aborted', message, code);
      return new TransportError('network', message, code);
  }
}

/** {@link HttpTransport} on an undici Pool (one origin, bounded keep-alive sockets). */
export class UndiciTransport implements HttpTransport {
  private readonly pool: Pool;
  private readonly prefix: string;
  private readonly maxResponseBytes: number;

  constructor(baseUrl: string, options: HttpTransportOptions) {
    this.maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    const url = new URL(baseUrl);
    this.prefix = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, {
      connections: options.connections,
      pipelining: 1,
      keepAliveTimeout: options.keepAliveTimeoutMs,
      connect: { timeout: options.connectTimeoutMs },
    });
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    try {
      const res = await this.pool.request({
        method: req.method,
        path: this.prefix + req.path,
        headers: req.headers,
        body: req.body,
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
        signal: req.signal,
      });
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > this.maxResponseBytes) {
        res.body.destroy();
        throw this.tooLarge(`declares ${declared} bytes`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > this.maxResponseBytes) {
          res.body.destroy();
          throw this.tooLarge(`exceeds it`);
        }
        chunks.push(chunk);
      }
      return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') };
    } catch (error) {
      throw classifyUndiciError(error);
    }
  }

  private tooLarge(what: string): TransportError {
    return new TransportError(
      'network',
      `IRP response larger than ${this.maxResponseBytes} bytes (${what}): not read`,
      'IRP_RESPONSE_TOO_LARGE',
    );
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
