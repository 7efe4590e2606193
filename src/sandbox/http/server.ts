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
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { irpError } from '../../irp/errors.js';
import type { FaultDecision, FaultEngine, FaultFailure } from '../faults/fault-engine.js';
import type { AuthService } from '../services/auth-service.js';
import type { AdminApi } from './admin-api.js';
import { readBody } from './body.js';
import { failureEnvelope, type IrpEnvelope } from './envelope.js';
import { readCredentialHeaders } from './headers.js';
import { runIrpRoute, type IrpRoute, type RouteResult } from './irp-routes.js';
import { sendJson, sendText } from './responses.js';
import { Router } from './router.js';
import type { SandboxStats } from './stats.js';

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
}

/**
 * For the `envelope-5002` fault: the newer wording of 5002 from the record's notes (the old catalogue
 * text, "Request body too large", is kept for real oversize bodies).
 */
const FAULT_5002_MESSAGE =
  'Application error, issue with application while processing the request. Please try again. If error persists kindly raise a ticket along with request JSON, error details and timestamp of the error occurrence.';

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
  const sockets = new Set<Socket>();

  const server = createServer({ requestTimeout: 60_000, headersTimeout: 30_000 }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      deps.logger.error({ err, method: req.method, path: pathOf(req) }, 'unhandled sandbox error');
      sendJson(res, 500, failureEnvelope([irpError('5001')]));
    });
  });
  server.on('connection', (socket) => {
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
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
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
      await readBody(req, deps.maxBodyBytes);
      sendJson(res, found.kind === 'not-found' ? 404 : 405, failureEnvelope([irpError('5001')]));
      return;
    }
    const { route, params } = found;
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

    const { envelope, reason }: RouteResult =
      body.kind === 'too-large'
        ? {
            envelope: failureEnvelope([irpError('5002')]),
            reason: `request body over ${deps.maxBodyBytes} bytes`,
          }
        : await runIrpRoute(
            route,
            { headers: req.headers, body: body.bytes, params, query: url.searchParams },
            deps.auth,
          );
    deps.stats.result(route.api, envelope.Status, envelope.ErrorDetails?.[0]?.ErrorCode);

    if (decision.failure?.phase === 'after') {
      applyFailure(req, res, decision.failure);
    } else {
      sendJson(res, 200, envelope);
    }
    log(route, method, pathname, started, envelope, reason, decision);
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
      const body = await readBody(req, deps.maxBodyBytes);
      if (body.kind === 'aborted') return;
      if (body.kind === 'too-large') {
        sendJson(res, 413, { error: 'body too large' });
        return;
      }
      await deps.admin.handle(req, res, pathname, body.bytes);
    } else {
      await readBody(req, deps.maxBodyBytes);
      sendJson(res, 404, { error: 'not found' });
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

function pathOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://sandbox.invalid').pathname;
  } catch {
    return '?';
  }
}
