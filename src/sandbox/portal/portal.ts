/**
 * The developer portal served by `irp-bridge sandbox` at `/`: registration with OTPs, login and the
 * account page, the API documentation generated from the server's own routes, and the encryption
 * console. Server-rendered HTML with small vanilla script modules (see docs/portal.md for why); no
 * external network at run time, no third-party script, a strict Content Security Policy.
 *
 * The HTTP server hands a request here when {@link Portal.owns} its path; IRP paths never collide.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { formatIrpDateTime } from '../../irp/dates.js';
import type { SandboxClock } from '../clock.js';
import type { IrpRoute } from '../http/irp-routes.js';
import type { TaxpayerMaster } from '../services/taxpayer-master.js';
import type { SandboxStore } from '../store/index.js';
import { addConsoleRoutes } from './console/console-routes.js';
import { addDocsRoutes } from './docs/docs-routes.js';
import { html } from './html.js';
import {
  accountPage,
  credentialsPage,
  homePage,
  loginPage,
  messagePage,
  outboxPage,
  registerPage,
  resetPasswordPage,
  verifyPage,
  type Viewer,
} from './pages/account-pages.js';
import { page } from './pages/layout.js';
import { maskAddress, PortalAccounts, type FieldErrors } from './portal-accounts.js';
import {
  clientIp,
  cookie,
  cookieNames,
  crossSite,
  parseCookies,
  PortalResponse,
  readForm,
  secureOrigin,
} from './portal-http.js';
import { PortalStore, type PortalSession, type PortalUser } from './portal-store.js';
import { PortalKeys, randomId, sessionIdHash } from './security.js';

export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_MAX_MS = 8 * 60 * 60 * 1000;
const ANONYMOUS_COOKIE_DAYS = 30;

export interface PortalDeps {
  store: SandboxStore;
  clock: SandboxClock;
  master: TaxpayerMaster;
  routes: readonly IrpRoute[];
  documents: { publicKeyPem: string; signingCertPem: string };
  strictGstin: boolean;
  logger: Logger;
  maxBodyBytes: number;
  /** The sandbox's own base URL, known once it listens (the console calls the IRP APIs over HTTP). */
  baseUrl: () => string;
}

/** One request as the portal sees it. */
export interface PortalContext {
  req: IncomingMessage;
  out: PortalResponse;
  url: URL;
  method: string;
  secure: boolean;
  ip: string;
  /** The browser's anonymous id (cookie), set on first visit. */
  anonymousId: string;
  /** Owner of this browser's flows and outbox messages. */
  owner: string;
  session?: { id: string; record: PortalSession; user: PortalUser };
  /** The CSRF token of this browser (bound to the session once logged in). */
  csrf: string;
  viewer: Viewer;
}

type Handler = (ctx: PortalContext) => Promise<void> | void;

export interface PortalRoute {
  method: 'GET' | 'POST';
  /** An exact path, or a prefix ending in `/*`. */
  path: string;
  handle: Handler;
  /** POSTs check the CSRF token (form field `csrf` or header `x-csrf-token`) unless false. */
  csrf?: boolean;
}

const ASSET_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};
export const ASSETS_DIR = fileURLToPath(new URL('./assets/', import.meta.url));

export class Portal {
  readonly store: PortalStore;
  readonly keys: PortalKeys;
  readonly accounts: PortalAccounts;
  private readonly routes: PortalRoute[] = [];
  private readonly assets = new Map<string, Buffer>();

  constructor(readonly deps: PortalDeps) {
    this.store = PortalStore.open(deps.store.database, deps.store.meta);
    this.keys = PortalKeys.load(deps.store.meta);
    this.accounts = new PortalAccounts({
      core: deps.store,
      store: this.store,
      keys: this.keys,
      clock: deps.clock,
      master: deps.master,
      strictGstin: deps.strictGstin,
      logger: deps.logger,
    });
    this.store.deleteExpiredSessions(deps.clock.nowMs());
    this.addAccountRoutes();
    const docs = addDocsRoutes(this, deps.routes);
    addConsoleRoutes(this, docs.docs);
    this.route({ method: 'GET', path: '/assets/*', handle: (ctx) => this.asset(ctx) });
  }

  /** Adds routes (the docs and the console register theirs this way). */
  route(...routes: PortalRoute[]): void {
    this.routes.push(...routes);
  }

  /** Whether a path is the portal's (every other path is the IRP's or the sandbox's own). */
  owns(pathname: string): boolean {
    return this.routes.some((r) => matches(r.path, pathname));
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const out = new PortalResponse(res);
    let ctx: PortalContext | undefined;
    try {
      ctx = this.context(req, out, url);
      const candidates = this.routes.filter((r) => matches(r.path, url.pathname));
      const route = candidates.find((r) => r.method === ctx!.method);
      if (!route) {
        await readForm(req);
        if (candidates.length > 0) {
          out.file(405, 'text/plain; charset=utf-8', 'Method not allowed', {
            allow: candidates.map((r) => r.method).join(', '),
          });
        } else {
          out.html(
            404,
            messagePage(
              ctx.viewer,
              'Page not found',
              html`There is no page at <code>${url.pathname}</code>. Start from the
                <a href="/">home page</a>.`,
            ),
          );
        }
        return;
      }
      if (route.method === 'POST' && crossSite(req)) {
        await readForm(req);
        out.html(
          403,
          messagePage(
            ctx.viewer,
            'Request refused',
            'This request came from another site, so it was refused. Nothing was changed.',
            'warning',
          ),
        );
        return;
      }
      await route.handle(ctx);
    } catch (err) {
      this.deps.logger.error({ err, path: url.pathname }, 'portal error');
      out.html(
        500,
        page({
          title: 'Something went wrong',
          csrf: ctx?.csrf ?? '',
          body: html`<p>
            The sandbox could not finish this request; it is in the server log. Nothing was shown that should
            not be.
          </p>`,
        }),
      );
    }
  }

  /** Checks the CSRF token of a form; on failure answers 403 and returns undefined. */
  async form(ctx: PortalContext): Promise<URLSearchParams | undefined> {
    const body = await readForm(ctx.req);
    if (body.kind !== 'ok') {
      const message =
        body.kind === 'too-large'
          ? 'The form is too large.'
          : body.kind === 'unsupported'
            ? 'The form must be sent as a web form.'
            : 'The request was interrupted.';
      ctx.out.html(400, messagePage(ctx.viewer, 'Form not accepted', message, 'warning'));
      return undefined;
    }
    if (!this.keys.csrfValid(this.csrfBinding(ctx), body.form.get('csrf') ?? undefined)) {
      ctx.out.html(
        403,
        messagePage(
          ctx.viewer,
          'Form expired',
          'This form is out of date (or came from elsewhere), so nothing was changed. Go back, reload the page and send it again.',
          'warning',
        ),
      );
      return undefined;
    }
    return body.form;
  }

  csrfBinding(ctx: Pick<PortalContext, 'session' | 'anonymousId'>): string {
    return ctx.session ? `session:${ctx.session.id}` : `browser:${ctx.anonymousId}`;
  }

  private context(req: IncomingMessage, out: PortalResponse, url: URL): PortalContext {
    const secure = secureOrigin(req);
    const names = cookieNames(secure);
    const cookies = parseCookies(req.headers.cookie);
    let anonymousId = cookies.get(names.anonymous);
    if (!anonymousId || !/^[A-Za-z0-9_-]{32}$/.test(anonymousId)) {
      anonymousId = randomId();
      out.setCookie(cookie(names.anonymous, anonymousId, secure, ANONYMOUS_COOKIE_DAYS * 86_400));
    }
    let session: PortalContext['session'];
    const sid = cookies.get(names.session);
    if (sid) {
      const idHash = sessionIdHash(sid);
      const record = this.store.findSession(idHash);
      const now = this.deps.clock.nowMs();
      const user = record && this.store.findPortalUser(record.userName);
      if (record && user && record.expiresAt > now && record.lastSeenAt + SESSION_IDLE_MS > now) {
        this.store.touchSession(idHash, now);
        session = { id: sid, record, user };
      } else {
        if (record) this.store.deleteSession(idHash);
        out.setCookie(cookie(names.session, '', secure, 0));
      }
    }
    const partial = { session, anonymousId };
    const csrf = this.keys.csrfToken(this.csrfBinding(partial));
    return {
      req,
      out,
      url,
      method: req.method ?? 'GET',
      secure,
      ip: clientIp(req),
      anonymousId,
      owner: this.keys.owner(anonymousId),
      session,
      csrf,
      viewer: { csrf, user: session?.user.userName },
    };
  }

  private async asset(ctx: PortalContext): Promise<void> {
    const name = ctx.url.pathname.slice('/assets/'.length);
    const ext = name.slice(name.lastIndexOf('.'));
    const type = ASSET_TYPES[ext];
    if (!/^[a-z0-9-]+\.(css|js)$/.test(name) || !type) {
      ctx.out.file(404, 'text/plain; charset=utf-8', 'not found');
      return;
    }
    let body = this.assets.get(name);
    if (!body) {
      try {
        body = await readFile(`${ASSETS_DIR}${name}`);
      } catch {
        ctx.out.file(404, 'text/plain; charset=utf-8', 'not found');
        return;
      }
      this.assets.set(name, body);
    }
    ctx.out.file(200, type, body, { 'cache-control': 'no-cache' });
  }

  private startSession(ctx: PortalContext, user: PortalUser): void {
    const id = randomId(32);
    const now = this.deps.clock.nowMs();
    this.store.insertSession({
      idHash: sessionIdHash(id),
      clientId: user.clientId,
      userName: user.userName,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + SESSION_MAX_MS,
    });
    ctx.out.setCookie(cookie(cookieNames(ctx.secure).session, id, ctx.secure));
  }

  private requireUser(ctx: PortalContext): PortalUser | undefined {
    if (ctx.session) return ctx.session.user;
    ctx.out.redirect('/login');
    return undefined;
  }

  private showErrors(
    ctx: PortalContext,
    status: number,
    render: (errors: FieldErrors) => ReturnType<typeof page>,
    errors: FieldErrors,
  ): void {
    ctx.out.html(status, render(errors), { noStore: true });
  }

  private addAccountRoutes(): void {
    const a = this.accounts;
    const time = (ms: number) => `${formatIrpDateTime(new Date(ms))} IST`;
    this.route(
      {
        method: 'GET',
        path: '/',
        handle: (ctx) =>
          ctx.out.html(200, homePage(ctx.viewer, { gstinCount: 0, strictGstin: this.deps.strictGstin })),
      },
      { method: 'GET', path: '/register', handle: (ctx) => ctx.out.html(200, registerPage(ctx.viewer)) },
      {
        method: 'POST',
        path: '/register',
        handle: async (ctx) => {
          const form = await this.form(ctx);
          if (!form) return;
          const values = {
            gstin: form.get('gstin') ?? '',
            mobile: form.get('mobile') ?? '',
            email: form.get('email') ?? '',
          };
          const started = a.startRegistration(values, { owner: ctx.owner, ip: ctx.ip });
          if (!started.ok)
            return this.showErrors(ctx, 400, (e) => registerPage(ctx.viewer, values, e), started.errors);
          ctx.out.redirect(`/register/verify?flow=${encodeURIComponent(started.value.id)}&sent=1`);
        },
      },
      {
        method: 'GET',
        path: '/register/verify',
        handle: (ctx) => {
          const flow = this.registration(ctx, ctx.url.searchParams.get('flow'));
          if (!flow) return;
          ctx.out.html(
            200,
            verifyPage(
              ctx.viewer,
              a.otpTargets(flow.value),
              {},
              this.verifyOptions(flow.value.id, ctx.url.searchParams.has('sent')),
            ),
            { noStore: true },
          );
        },
      },
      {
        method: 'POST',
        path: '/register/verify',
        handle: async (ctx) => {
          const form = await this.form(ctx);
          if (!form) return;
          const flow = this.registration(ctx, form.get('flow') ?? ctx.url.searchParams.get('flow'));
          if (!flow) return;
          const verified = a.verifyOtps(flow.value, {
            mobile: form.get('mobileOtp') ?? '',
            email: form.get('emailOtp') ?? '',
          });
          if (!verified.ok)
            return this.showErrors(
              ctx,
              400,
              (e) => verifyPage(ctx.viewer, a.otpTargets(flow.value), e, this.verifyOptions(flow.value.id)),
              verified.errors,
            );
          const done = await a.completeRegistration(flow.value);
          if (!done.ok)
            return ctx.out.html(
              409,
              messagePage(ctx.viewer, 'Registration', done.errors.form ?? 'Registration failed.', 'warning'),
            );
          ctx.out.html(200, credentialsPage(ctx.viewer, done.value), { noStore: true });
        },
      },
      {
        method: 'POST',
        path: '/register/resend',
        handle: async (ctx) => {
          const form = await this.form(ctx);
          if (!form) return;
          const flow = this.registration(ctx, form.get('flow') ?? ctx.url.searchParams.get('flow'));
          if (!flow) return;
          const sent = a.resend(flow.value, ctx.ip);
          if (!sent.ok)
            return this.showErrors(
              ctx,
              429,
              (e) => verifyPage(ctx.viewer, a.otpTargets(flow.value), e, this.verifyOptions(flow.value.id)),
              sent.errors,
            );
          ctx.out.redirect(`/register/verify?flow=${encodeURIComponent(flow.value.id)}&sent=1`);
        },
      },
      {
        method: 'GET',
        path: '/outbox',
        handle: (ctx) =>
          ctx.out.html(200, outboxPage(ctx.viewer, this.store.outbox(ctx.owner), time), { noStore: true }),
      },
      {
        method: 'GET',
        path: '/login',
        handle: (ctx) => {
          const info =
            ctx.url.searchParams.get('done') === 'password'
              ? 'Password changed. Log in with the new one.'
              : undefined;
          ctx.out.html(200, loginPage(ctx.viewer, {}, {}, info));
        },
      },
      {
        method: 'POST',
        path: '/login',
        handle: async (ctx) => {
          const form = await this.form(ctx);
          if (!form) return;
          const userName = form.get('userName') ?? '';
          const result = await a.login(userName, form.get('password') ?? '', ctx.ip);
          if (!result.ok)
            return this.showErrors(ctx, 400, (e) => loginPage(ctx.viewer, { userName }, e), result.errors);
          if (ctx.session) this.store.deleteSession(sessionIdHash(ctx.session.id));
          this.startSession(ctx, result.value);
          ctx.out.redirect('/account');
        },
      },
      {
        method: 'POST',
        path: '/logout',
        handle: async (ctx) => {
          const form = await this.form(ctx);
          if (!form) return;
          if (ctx.session) this.store.deleteSession(sessionIdHash(ctx.session.id));
          ctx.out.setCookie(cookie(cookieNames(ctx.secure).session, '', ctx.secure, 0));
          ctx.out.redirect('/');
        },
      },
      {
        method: 'GET',
        path: '/account',
        handle: (ctx) => {
          const user = this.requireUser(ctx);
          if (!user) return;
          const flash =
            ctx.url.searchParams.get('done') === 'password' ? 'Your password was changed.' : undefined;
          ctx.out.html(200, accountPage(ctx.viewer, this.accountData(user), {}, flash), { noStore: true });
        },
      },
      {
        method: 'POST',
        path: '/account/secret',
        handle: async (ctx) => {
          const user = this.requireUser(ctx);
          if (!user) return;
          const form = await this.form(ctx);
          if (!form) return;
          const secret = await a.regenerateSecret(user.clientId);
          ctx.out.html(
            200,
            credentialsPage(
              ctx.viewer,
              {
                clientId: user.clientId,
                clientSecret: secret,
                userName: user.userName,
                password: '(unchanged)',
                gstin: user.gstin,
              },
              'New client secret',
            ),
            { noStore: true },
          );
        },
      },
      {
        method: 'POST',
        path: '/account/password/start',
        handle: async (ctx) => {
          const user = this.requireUser(ctx);
          if (!user) return;
          const form = await this.form(ctx);
          if (!form) return;
          const started = a.startPasswordReset(user, { owner: ctx.owner, ip: ctx.ip });
          if (!started.ok)
            return this.showErrors(
              ctx,
              429,
              (e) => accountPage(ctx.viewer, this.accountData(user), e),
              started.errors,
            );
          ctx.out.redirect(`/account/password?flow=${encodeURIComponent(started.value.id)}&sent=1`);
        },
      },
      {
        method: 'GET',
        path: '/account/password',
        handle: (ctx) => {
          const user = this.requireUser(ctx);
          if (!user) return;
          const flow = a.openFlow(ctx.url.searchParams.get('flow') ?? undefined, ctx.owner, 'reset');
          if (!flow.ok)
            return ctx.out.html(
              404,
              messagePage(
                ctx.viewer,
                'Reset your password',
                html`${flow.errors.form ?? ''} <a href="/account">Account</a>.`,
                'warning',
              ),
            );
          ctx.out.html(
            200,
            resetPasswordPage(
              ctx.viewer,
              maskAddress('mobile', flow.value.mobile),
              {},
              ctx.url.searchParams.has('sent'),
              flow.value.id,
            ),
            { noStore: true },
          );
        },
      },
      {
        method: 'POST',
        path: '/account/password',
        handle: async (ctx) => {
          const user = this.requireUser(ctx);
          if (!user) return;
          const form = await this.form(ctx);
          if (!form) return;
          const flow = a.openFlow(form.get('flow') ?? undefined, ctx.owner, 'reset');
          if (!flow.ok || flow.value.userName !== user.userName)
            return ctx.out.html(
              400,
              messagePage(
                ctx.viewer,
                'Reset your password',
                html`${flow.ok ? 'This reset belongs to another user.' : (flow.errors.form ?? '')}
                  <a href="/account">Account</a>.`,
                'warning',
              ),
            );
          const done = await a.completePasswordReset(flow.value, {
            otp: form.get('mobileOtp') ?? '',
            password: form.get('password') ?? '',
            confirm: form.get('confirm') ?? '',
          });
          if (!done.ok)
            return this.showErrors(
              ctx,
              400,
              (e) =>
                resetPasswordPage(
                  ctx.viewer,
                  maskAddress('mobile', flow.value.mobile),
                  e,
                  false,
                  flow.value.id,
                ),
              done.errors,
            );
          ctx.out.redirect('/account?done=password');
        },
      },
      {
        method: 'POST',
        path: '/account/gstins',
        handle: async (ctx) => {
          const user = this.requireUser(ctx);
          if (!user) return;
          const form = await this.form(ctx);
          if (!form) return;
          const added = await a.addGstin(user.clientId, form.get('gstin') ?? '');
          if (!added.ok)
            return this.showErrors(
              ctx,
              400,
              (e) => accountPage(ctx.viewer, this.accountData(user), e),
              added.errors,
            );
          ctx.out.html(200, credentialsPage(ctx.viewer, added.value, `GSTIN ${added.value.gstin} added`), {
            noStore: true,
          });
        },
      },
    );
  }

  /** This browser's open registration, or an answer saying why there is none (then undefined). */
  private registration(ctx: PortalContext, flowId: string | null) {
    const flow = this.accounts.openFlow(flowId ?? undefined, ctx.owner, 'register');
    if (flow.ok) return { value: flow.value };
    const status = ctx.method === 'GET' ? 404 : 400;
    ctx.out.html(
      status,
      messagePage(
        ctx.viewer,
        'Registration',
        html`${flow.errors.form ?? ''} <a href="/register">Register</a>.`,
        'warning',
      ),
    );
    return undefined;
  }

  private verifyOptions(flowId: string, sent = false) {
    const q = `?flow=${encodeURIComponent(flowId)}`;
    return { action: `/register/verify${q}`, resendAction: `/register/resend${q}`, sent };
  }

  private accountData(user: PortalUser) {
    const account = this.store.findAccount(user.clientId)!;
    return { account, users: this.store.usersOf(user.clientId), current: user.userName };
  }
}

function matches(pattern: string, pathname: string): boolean {
  if (pattern.endsWith('/*'))
    return pathname.startsWith(pattern.slice(0, -1)) && pathname.length > pattern.length - 1;
  return (
    pattern === pathname || (pathname.endsWith('/') && pathname.slice(0, -1) === pattern && pattern !== '/')
  );
}
