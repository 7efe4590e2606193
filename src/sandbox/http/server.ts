/**
 * The sandbox's HTTP server (node:http on loopback or any host): routes a request to the public
 * files, the admin API or an IRP API, applies fault injection to IRP APIs only, and guarantees every
 * request an answer — an IRP envelope for client mistakes, HTTP 500 with error 5001 for the sandbox's
 * own — unless a fault deliberately withholds it.
 */
import {
  createServer,
  STATUS_CODES,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { setMaxListeners } from 'node:events';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { irpError, irpErrorWithDetail } from '../../irp/errors.js';
import type { FaultDecision, FaultEngine, FaultFailure } from '../faults/fault-engine.js';
import type { AuthService } from '../services/auth-service.js';
import type { AdminApi } from './admin-api.js';
import { readBody } from './body.js';
import { failureEnvelope, type IrpEnvelope } from './envelope.js';
import { readCredentialHeaders } from './headers.js';
import type { CredentialHeaders } from '../services/session.js';
import { routeResult, runIrpRoute, type IrpRoute, type RouteResult } from './irp-routes.js';
import { sendJson, sendText } from './responses.js';
import { Router } from './router.js';
import type { SandboxStats } from './stats.js';
import { NIC_5002_APPLICATION_ERROR, RateLimiter, throttledEnvelope, type SandboxLimits } from './limits.js';

export interface PublicDocuments {
  publicKeyPem: string;
  signingCertPem: string;
}

/** The developer portal (src/sandbox/portal): the paths it owns are handed to it whole. */
export interface PortalHandler {
  owns(pathname: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

export interface HttpDeps {
  routes: readonly IrpRoute[];
  auth: AuthService;
  admin: AdminApi;
  faults: FaultEngine;
  stats: SandboxStats;
  documents: PublicDocuments;
  logger: Logger;
  maxBodyBytes: number;
  portal?: PortalHandler;
  limits: SandboxLimits;
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { certPem: string; keyPem: string };
}

/**
 * For the `envelope-5002` fault: the newer wording of 5002 from the record's notes (the old catalogue
 * text, "Request body too large", is kept for real oversize bodies).
 */
const FAULT_5002_MESSAGE = NIC_5002_APPLICATION_ERROR;

const NO_FAULT: FaultDecision = { delayMs: 0, invalidateToken: false, fired: [] };

export const PUBLIC_KEY_PATH = '/sandbox/public-key.pem';
export const SIGNING_CERT_PATH = '/sandbox/signing-cert.pem';
export const HEALTH_PATH = '/sandbox/health';

export interface SandboxHttpServer {
  server: Server;
  /** Stops accepting, ends every connection (including requests a fault holds unanswered). */
  close(): Promise<void>;
}

export function createSandboxHttpServer(deps: HttpDeps): SandboxHttpServer {
  const router = new Router<IrpRoute>(deps.routes);
  const shutdown = new AbortController();
  // Every request a latency fault holds listens for the shutdown: as many listeners as requests held
  // (bounded by maxConnections), not a leak — without this node warns past ten.
  setMaxListeners(0, shutdown.signal);
  const sockets = new Set<Socket>();
  const rate = new RateLimiter(deps.limits.requestsPerSecond, deps.limits.burst);
  const inFlight = new Map<string, number>();

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      if (isBusy(err)) {
        // Another process held the database past the busy timeout: a transient answer to retry, never
        // a 500 (the transaction that failed changed nothing).
        deps.logger.warn({ method: req.method, path: pathOf(req) }, 'database busy');
        sendJson(res, 503, throttledEnvelope('the database is busy; retry'), { 'retry-after': '1' });
        return;
      }
      deps.logger.error({ err, method: req.method, path: pathOf(req) }, 'unhandled sandbox error');
      sendJson(res, 500, failureEnvelope([irpError('5001')]));
    });
  };
  const timeouts = { requestTimeout: 60_000, headersTimeout: 30_000 };
  const server: Server = deps.tls
    ? createHttpsServer({ ...timeouts, cert: deps.tls.certPem, key: deps.tls.keyPem }, onRequest)
    : createServer(timeouts, onRequest);
  server.on('connection', (socket: Socket) => {
    if (sockets.size >= deps.limits.maxConnections && deps.tls) {
      socket.destroy(); // over the cap before the TLS handshake: nothing readable can be said
      return;
    }
    if (sockets.size >= deps.limits.maxConnections) {
      // Over the connection cap: one short answer and close, before anything is read or buffered.
      const body = JSON.stringify(
        throttledEnvelope(`more than ${deps.limits.maxConnections} open connections`),
      );
      socket.end(
        `HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\n` +
          `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      socket.on('error', () => socket.destroy());
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // Malformed HTTP: answer 400 and close, never leave the socket hanging.
  server.on('clientError', (_err, socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const url = requestUrl(req);
    if (!url) {
      // A request target that is not a path ("////", "http://x"): nothing here answers it.
      sendJson(res, 400, failureEnvelope([irpErrorWithDetail('3009', 'the request target is not a path')]));
      return;
    }
    const method = req.method ?? 'GET';
    const pathname = url.pathname;

    if (deps.portal?.owns(pathname)) {
      await deps.portal.handle(req, res, url);
      return;
    }
    if (pathname.toLowerCase().startsWith('/sandbox/')) {
      await handleSandboxPath(req, res, method, pathname);
      return;
    }

    const found = router.lookup(method, pathname);
    if (found.kind !== 'found') {
      refuse(res, found.kind === 'not-found' ? 404 : 405, failureEnvelope([irpError('5001')]));
      return;
    }
    const { route, params } = found;
    const headers = readCredentialHeaders(req.headers);

    // Before a byte of the body is read: its declared size, the caller's rate, and its credentials.
    const declared = Number(req.headers['content-length'] ?? 0);
    if (method === 'POST' && declared > deps.maxBodyBytes) {
      const reason = `request body of ${declared} bytes is over the ${deps.maxBodyBytes}-byte limit`;
      deps.stats.request(route.api, []);
      finish(res, route, method, pathname, started, tooLarge(reason), true);
      return;
    }
    const clientKey = headers.clientId
      ? `client:${headers.clientId}`
      : `addr:${req.socket.remoteAddress ?? '?'}`;
    const waitMs = rate.take(clientKey);
    const busy = inFlight.get(clientKey) ?? 0;
    if (waitMs > 0 || busy >= deps.limits.maxInFlightPerClient) {
      deps.stats.request(route.api, []);
      const reason =
        waitMs > 0
          ? `more than ${deps.limits.requestsPerSecond} requests per second for this client`
          : `more than ${deps.limits.maxInFlightPerClient} requests in flight for this client`;
      finish(res, route, method, pathname, started, throttledResult(reason, Math.max(waitMs, 100)), true);
      return;
    }
    inFlight.set(clientKey, busy + 1);
    try {
      await handleIrp(req, res, route, params, headers, url, method, pathname, started);
    } finally {
      const left = (inFlight.get(clientKey) ?? 1) - 1;
      if (left <= 0) inFlight.delete(clientKey);
      else inFlight.set(clientKey, left);
    }
  }

  async function handleIrp(
    req: IncomingMessage,
    res: ServerResponse,
    route: IrpRoute,
    params: Record<string, string>,
    headers: CredentialHeaders,
    url: URL,
    method: string,
    pathname: string,
    started: bigint,
  ): Promise<void> {
    const early =
      route.kind === 'login'
        ? await deps.auth.checkClientHeaders(headers)
        : await deps.auth.authenticate(headers, route.requireUserName).then((r) => (r.ok ? undefined : r));
    if (early) {
      deps.stats.request(route.api, []);
      finish(res, route, method, pathname, started, routeResult(early), true);
      return;
    }
    // The body is read before any injected delay, so a long latency fault never trips the server's
    // own request timeout (which covers receiving the request).
    const body =
      method === 'POST'
        ? await readBody(req, deps.maxBodyBytes)
        : ({ kind: 'ok', bytes: Buffer.alloc(0) } as const);
    if (body.kind === 'aborted') return;

    const decision = deps.faults.decide({ api: route.api, method, path: pathname });
    deps.stats.request(route.api, decision.fired);
    if (decision.delayMs > 0) {
      try {
        await sleep(decision.delayMs, undefined, { signal: shutdown.signal });
      } catch {
        return; // shutting down
      }
    }
    if (decision.failure?.phase === 'before') {
      applyFailure(req, res, decision.failure);
      log(route, method, pathname, started, undefined, undefined, decision);
      return;
    }
    if (decision.invalidateToken) revokeCallerToken(req);

    const result: RouteResult =
      body.kind === 'too-large'
        ? tooLarge(`request body over ${deps.maxBodyBytes} bytes`)
        : await runIrpRoute(
            route,
            { headers: req.headers, body: body.bytes, params, query: url.searchParams },
            deps.auth,
          );
    if (decision.failure?.phase === 'after') {
      deps.stats.result(route.api, result.envelope.Status, result.envelope.ErrorDetails?.[0]?.ErrorCode);
      applyFailure(req, res, decision.failure);
      log(route, method, pathname, started, result.envelope, result.reason, decision);
      return;
    }
    finish(res, route, method, pathname, started, result, body.kind === 'too-large', decision);
  }

  function tooLarge(reason: string): RouteResult {
    return { envelope: failureEnvelope([irpError('5002')]), reason };
  }

  function throttledResult(reason: string, retryAfterMs: number): RouteResult {
    return { envelope: throttledEnvelope(reason), reason, retryAfterMs };
  }

  /** Sends a route's result (429 + Retry-After when throttled), counts and logs it. */
  function finish(
    res: ServerResponse,
    route: IrpRoute,
    method: string,
    pathname: string,
    started: bigint,
    result: RouteResult,
    closeConnection: boolean,
    decision: FaultDecision = NO_FAULT,
  ): void {
    const { envelope, reason, retryAfterMs } = result;
    deps.stats.result(route.api, envelope.Status, envelope.ErrorDetails?.[0]?.ErrorCode);
    const extra: Record<string, string> = {};
    if (retryAfterMs !== undefined)
      extra['retry-after'] = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
    // An unread body is not drained into memory: the connection closes after the answer.
    if (closeConnection) extra.connection = 'close';
    sendJson(res, retryAfterMs !== undefined ? 429 : 200, envelope, extra);
    log(route, method, pathname, started, envelope, reason, decision);
  }

  /** Answers without reading the body, and closes the connection so the body is never buffered. */
  function refuse(res: ServerResponse, status: number, body: unknown): void {
    sendJson(res, status, body, { connection: 'close' });
  }

  async function handleSandboxPath(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    pathname: string,
  ): Promise<void> {
    const lower = pathname.toLowerCase();
    if (method === 'GET' && lower === PUBLIC_KEY_PATH) {
      sendText(res, 200, 'application/x-pem-file', deps.documents.publicKeyPem);
    } else if (method === 'GET' && lower === SIGNING_CERT_PATH) {
      sendText(res, 200, 'application/x-pem-file', deps.documents.signingCertPem);
    } else if (method === 'GET' && lower === HEALTH_PATH) {
      sendJson(res, 200, { status: 'ok' });
    } else if (lower.startsWith('/sandbox/admin/')) {
      if (!deps.admin.authorized(req)) {
        refuse(res, 401, { error: 'admin secret required in the x-admin-secret header' });
        return;
      }
      const body = await readBody(req, deps.maxBodyBytes);
      if (body.kind === 'aborted') return;
      if (body.kind === 'too-large') {
        sendJson(res, 413, { error: 'body too large' });
        return;
      }
      await deps.admin.handle(req, res, pathname, body.bytes);
    } else {
      refuse(res, 404, { error: 'not found' });
    }
  }

  function revokeCallerToken(req: IncomingMessage): void {
    const token = readCredentialHeaders(req.headers).authToken;
    if (token) deps.auth.revokeTokens({ token });
  }

  function applyFailure(req: IncomingMessage, res: ServerResponse, failure: FaultFailure): void {
    switch (failure.kind) {
      case 'http-5xx': {
        const reason = STATUS_CODES[failure.status] ?? 'Server Error';
        const html = `<html><head><title>${failure.status} ${reason}</title></head><body><h1>${failure.status} ${reason}</h1></body></html>`;
        sendText(res, failure.status, 'text/html; charset=utf-8', html);
        return;
      }
      case 'envelope-5002':
        sendJson(res, 200, failureEnvelope([{ ErrorCode: '5002', ErrorMessage: FAULT_5002_MESSAGE }]));
        return;
      case 'envelope-error': {
        const code = failure.code ?? '5001';
        sendJson(
          res,
          200,
          failureEnvelope([
            failure.message !== undefined
              ? { ErrorCode: code, ErrorMessage: failure.message }
              : irpError(code),
          ]),
        );
        return;
      }
      case 'connection-reset':
        req.socket.resetAndDestroy();
        return;
      case 'no-response':
        // Deliberately nothing: the request stays open until the client gives up or the server closes.
        return;
    }
  }

  function log(
    route: IrpRoute,
    method: string,
    path: string,
    started: bigint,
    envelope: IrpEnvelope | undefined,
    reason: string | undefined,
    decision: FaultDecision,
  ): void {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    deps.logger.info(
      {
        api: route.api,
        method,
        path,
        ms: Math.round(ms * 10) / 10,
        irpStatus: envelope?.Status,
        codes: envelope?.ErrorDetails?.map((e) => e.ErrorCode),
        reason,
        faults: decision.fired.length > 0 ? decision.fired : undefined,
        failure: decision.failure?.kind,
      },
      'irp request',
    );
  }

  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        shutdown.abort();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** The request's URL when its target is a path (origin form), else undefined. */
function requestUrl(req: IncomingMessage): URL | undefined {
  const target = req.url ?? '/';
  if (!target.startsWith('/')) return undefined;
  try {
    return new URL(`http://sandbox.invalid${target}`);
  } catch {
    return undefined;
  }
}

function pathOf(req: IncomingMessage): string {
  return requestUrl(req)?.pathname ?? '?';
}
