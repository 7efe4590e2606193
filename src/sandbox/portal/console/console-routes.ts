/**
 * The console's routes: the page, and its JSON API (POST, CSRF token in `x-csrf-token`). Console
 * sessions belong to the browser (its anonymous id), so logging in to the portal keeps them.
 */
import { consolePage } from '../pages/console-page.js';
import { readJson } from '../portal-http.js';
import type { Portal, PortalContext } from '../portal.js';
import type { ApiDoc } from '../docs/api-docs.js';
import { ConsoleService } from './console-service.js';
import { runScenario } from './scenarios.js';

type Json = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function addConsoleRoutes(portal: Portal, docs: readonly ApiDoc[]): ConsoleService {
  const service = new ConsoleService({
    docs,
    baseUrl: portal.deps.baseUrl,
    publicKeyPem: portal.deps.documents.publicKeyPem,
    signingCertPem: portal.deps.documents.signingCertPem,
    clock: portal.deps.clock,
    master: portal.deps.master,
    store: portal.store,
  });
  const binding = (ctx: PortalContext) => `browser:${ctx.anonymousId}`;

  const api = (path: string, handle: (ctx: PortalContext, body: Json) => Promise<unknown> | unknown) => ({
    method: 'POST' as const,
    path: `/console/api/${path}`,
    handle: async (ctx: PortalContext) => {
      const body = await readJson(ctx.req, portal.deps.maxBodyBytes);
      if (body.kind !== 'ok' || typeof body.value !== 'object' || body.value === null) {
        ctx.out.json(400, {
          ok: false,
          error:
            body.kind === 'too-large' ? 'The request is too large.' : 'The request must be a JSON object.',
        });
        return;
      }
      const token = ctx.req.headers['x-csrf-token'];
      if (!portal.keys.csrfValid(portal.csrfBinding(ctx), typeof token === 'string' ? token : undefined)) {
        ctx.out.json(403, { ok: false, error: 'This page is out of date: reload it and try again.' });
        return;
      }
      const result = (await handle(ctx, body.value as Json)) as { ok: boolean };
      ctx.out.json(result.ok ? 200 : 400, result);
    },
  });

  portal.route(
    {
      method: 'GET',
      path: '/console',
      handle: (ctx) => {
        const user = ctx.session?.user;
        ctx.out.html(
          200,
          consolePage(
            ctx.viewer,
            docs,
            { clientId: user?.clientId, userName: user?.userName, gstin: user?.gstin },
            ctx.url.searchParams.get('api') ?? undefined,
          ),
        );
      },
    },
    api('auth', (ctx, b) =>
      service.auth(
        binding(ctx),
        {
          clientId: str(b.clientId),
          clientSecret: str(b.clientSecret),
          userName: str(b.userName),
          password: str(b.password),
          gstin: str(b.gstin),
        },
        b.version === 'v1.03' ? 'v1.03' : 'v1.04',
        b.forceRefresh === true,
      ),
    ),
    api('state', (ctx) => ({ ok: true, value: service.state(binding(ctx)) })),
    api('sample', (ctx, b) => {
      const sample = service.sample(binding(ctx), str(b.api));
      if (!sample.ok || b.sample !== 'empty') return sample;
      return {
        ok: true,
        value: { payload: sample.value.payload === null ? null : '{}', params: sample.value.params },
      };
    }),
    api('encrypt', (ctx, b) => service.encrypt(binding(ctx), str(b.api), str(b.payload))),
    api('inspect', (ctx, b) => service.inspect(binding(ctx), str(b.api), str(b.encrypted))),
    api('send', (ctx, b) =>
      service.send(binding(ctx), str(b.api), {
        ...(typeof b.payload === 'string' ? { payload: b.payload } : {}),
        ...(typeof b.rawBody === 'string' ? { rawBody: b.rawBody } : {}),
        params: (typeof b.params === 'object' && b.params !== null ? b.params : {}) as Record<string, string>,
      }),
    ),
    api('scenario', (ctx, b) =>
      runScenario(service, binding(ctx), str(b.name), {
        now: () => portal.deps.clock.now(),
        expireToken: (token, clientId, userName) =>
          portal.store.expireToken(token, clientId, userName, portal.deps.clock.nowMs()),
        backdateIrn: (irn, gstin, ms) => portal.store.backdateIrn(irn, gstin, ms),
      }),
    ),
    api('verify', (_ctx, b) => service.verify(str(b.jwt))),
  );
  return service;
}
