/**
 * HTTP details of the portal: cookies (HttpOnly, SameSite=Strict, `__Host-` and Secure wherever the
 * browser treats the origin as secure — HTTPS or loopback), security headers (a strict Content
 * Security Policy: no inline script, no third-party anything), bodies, redirects.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { readBody } from '../http/body.js';
import type { Html } from './html.js';

export const FORM_BODY_LIMIT = 64 * 1024;

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (!cookies.has(name)) cookies.set(name, decodeURIComponent(value));
  }
  return cookies;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Whether browsers will keep a `Secure` cookie from this request's origin (HTTPS or loopback). */
export function secureOrigin(req: IncomingMessage): boolean {
  if ((req.socket as Partial<TLSSocket>).encrypted) return true;
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  return LOOPBACK.test(host);
}

export interface CookieNames {
  session: string;
  anonymous: string;
}

export function cookieNames(secure: boolean): CookieNames {
  return secure
    ? { session: '__Host-irp-portal-session', anonymous: '__Host-irp-portal-browser' }
    : { session: 'irp-portal-session', anonymous: 'irp-portal-browser' };
}

export function cookie(name: string, value: string, secure: boolean, maxAgeSeconds?: number): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (secure) parts.push('Secure');
  if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${maxAgeSeconds}`);
  return parts.join('; ');
}

export class PortalResponse {
  private readonly cookies: string[] = [];

  constructor(readonly res: ServerResponse) {}

  setCookie(value: string): void {
    this.cookies.push(value);
  }

  private head(status: number, headers: Record<string, string | number>): void {
    if (this.res.headersSent || this.res.destroyed) return;
    this.res.writeHead(status, {
      ...SECURITY_HEADERS,
      ...(this.cookies.length > 0 ? { 'set-cookie': this.cookies } : {}),
      ...headers,
    });
  }

  html(status: number, body: Html, options: { noStore?: boolean } = {}): void {
    const text = body.text;
    this.head(status, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'cache-control': options.noStore ? 'no-store' : 'no-cache',
    });
    this.res.end(text);
  }

  json(status: number, body: unknown): void {
    const text = JSON.stringify(body);
    this.head(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
    });
    this.res.end(text);
  }

  file(status: number, contentType: string, body: string | Buffer, extra: Record<string, string> = {}): void {
    this.head(status, {
      'content-type': contentType,
      'content-length': Buffer.byteLength(body),
      ...extra,
    });
    this.res.end(body);
  }

  /** 303 See Other: after a successful POST, the browser GETs the next page. */
  redirect(location: string): void {
    this.head(303, { location, 'content-length': 0, 'cache-control': 'no-store' });
    this.res.end();
  }
}

export type FormBody =
  | { kind: 'ok'; form: URLSearchParams }
  | { kind: 'too-large' }
  | { kind: 'aborted' }
  | { kind: 'unsupported' };

export async function readForm(req: IncomingMessage): Promise<FormBody> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const body = await readBody(req, FORM_BODY_LIMIT);
  if (body.kind !== 'ok') return body;
  if (type !== 'application/x-www-form-urlencoded') return { kind: 'unsupported' };
  return { kind: 'ok', form: new URLSearchParams(body.bytes.toString('utf8')) };
}

export type JsonBody =
  { kind: 'ok'; value: unknown } | { kind: 'too-large' } | { kind: 'aborted' } | { kind: 'invalid' };

export async function readJson(req: IncomingMessage, limitBytes: number): Promise<JsonBody> {
  const body = await readBody(req, limitBytes);
  if (body.kind !== 'ok') return body;
  try {
    return { kind: 'ok', value: JSON.parse(body.bytes.toString('utf8')) as unknown };
  } catch {
    return { kind: 'invalid' };
  }
}

/** The client's address, for rate limits (the socket's; a proxy in front is not trusted). */
export function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/**
 * Cross-site request refusal in addition to the CSRF token: a browser that says the request comes
 * from another site (Sec-Fetch-Site) or another origin (Origin) is refused.
 */
export function crossSite(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = req.headers.origin;
  if (origin && origin !== 'null') {
    try {
      return new URL(origin).host !== req.headers.host;
    } catch {
      return true;
    }
  }
  return false;
}
