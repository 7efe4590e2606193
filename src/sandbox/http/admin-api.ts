/**
 * The admin API under `/sandbox/admin/`, behind the `x-admin-secret` header: move the clock, install
 * faults, revoke tokens, edit the taxpayer master, create accounts, read counters. Plain JSON (not the
 * IRP envelope): it is the test harness's interface, not part of the simulated IRP.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as t from 'io-ts';
import { hasGstinShape } from '../../irp/gstin.js';
import type { SandboxClock } from '../clock.js';
import { decodeStrict } from '../decode.js';
import { decodeFaultProfile, decodeFaultRule, MAX_FAULT_RULES } from '../faults/fault-profile.js';
import type { FaultEngine } from '../faults/fault-engine.js';
import { createAccount } from '../services/accounts.js';
import type { AuthService } from '../services/auth-service.js';
import { gstinDetails } from '../services/gstin-service.js';
import { implicitTaxpayer, type TaxpayerMaster } from '../services/taxpayer-master.js';
import type { SandboxStore } from '../store/index.js';
import type { Taxpayer } from '../store/taxpayers-repo.js';
import type { SandboxStats } from './stats.js';
import { sendJson } from './responses.js';
import { Router, type Routable } from './router.js';

export const ADMIN_SECRET_HEADER = 'x-admin-secret';

export interface AdminDeps {
  adminSecret: string;
  clock: SandboxClock;
  faults: FaultEngine;
  auth: AuthService;
  store: SandboxStore;
  master: TaxpayerMaster;
  stats: SandboxStats;
}

type AdminResult = { status: number; body: unknown };

interface AdminRoute extends Routable {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  paths: readonly string[];
  handle(input: { body: unknown; params: Record<string, string> }): AdminResult | Promise<AdminResult>;
}

const ok = (body: unknown): AdminResult => ({ status: 200, body });
const badRequest = (errors: string[]): AdminResult => ({
  status: 400,
  body: { error: 'bad request', details: errors },
});

const ClockRequest = t.exact(
  t.partial({ now: t.string, advanceMs: t.number, freeze: t.boolean, reset: t.boolean }),
);

/** The sandbox clock's bounds: GST began on 1 July 2017; four-digit years end in 9999, we stop at 2099. */
export const CLOCK_RANGE = { from: Date.UTC(2017, 6, 1), until: Date.UTC(2099, 11, 31) };

const TokenFilterRequest = t.exact(
  t.partial({ clientId: t.string, userName: t.string, gstin: t.string, token: t.string }),
);

const Status = t.keyof({ ACT: null, CNL: null, SUS: null, INA: null, PRO: null });
const nullableString = t.union([t.string, t.null]);

const TaxpayerRequest = t.exact(
  t.partial({
    legalName: t.string,
    tradeName: nullableString,
    addrBnm: nullableString,
    addrBno: nullableString,
    addrFlno: nullableString,
    addrSt: nullableString,
    addrLoc: nullableString,
    stateCode: t.string,
    pincode: t.union([t.number, t.null]),
    txpType: t.string,
    status: Status,
    portalStatus: t.union([Status, t.null]),
    blkStatus: nullableString,
    dtReg: nullableString,
    dtDReg: nullableString,
    largeTaxpayer: t.boolean,
  }),
);

/** Strings of the admin API are bounded: no request can make the sandbox store megabytes per row. */
const MAX_ADMIN_TEXT = 256;

function longStrings(value: unknown, path: string): string[] {
  if (typeof value === 'string')
    return value.length > MAX_ADMIN_TEXT ? [`${path} is longer than ${MAX_ADMIN_TEXT} characters`] : [];
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => longStrings(v, `${path}.${k}`));
  return [];
}

const AccountRequest = t.intersection([
  t.strict({ userName: t.string, gstin: t.string }),
  t.exact(t.partial({ password: t.string, clientId: t.string, clientSecret: t.string })),
]);

function secretMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  // Compare digests: timingSafeEqual needs equal lengths, and the length must not leak either.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export class AdminApi {
  private readonly router: Router<AdminRoute>;

  constructor(private readonly deps: AdminDeps) {
    this.router = new Router(this.routes());
  }

  /** Whether the request carries the admin secret (checked before its body is read). */
  authorized(req: IncomingMessage): boolean {
    return secretMatches(req.headers[ADMIN_SECRET_HEADER], this.deps.adminSecret);
  }

  async handle(req: IncomingMessage, res: ServerResponse, pathname: string, body: Buffer): Promise<void> {
    if (!this.authorized(req)) {
      sendJson(res, 401, { error: `admin secret required in the ${ADMIN_SECRET_HEADER} header` });
      return;
    }
    const found = this.router.lookup(req.method ?? 'GET', pathname);
    if (found.kind !== 'found') {
      sendJson(res, found.kind === 'not-found' ? 404 : 405, { error: found.kind });
      return;
    }
    let parsed: unknown = undefined;
    const text = body.toString('utf8').trim();
    if (text !== '') {
      try {
        parsed = JSON.parse(text) as unknown;
      } catch {
        sendJson(res, 400, { error: 'body is not JSON' });
        return;
      }
    }
    const result = await found.route.handle({ body: parsed ?? {}, params: found.params });
    sendJson(res, result.status, result.body);
  }

  private routes(): AdminRoute[] {
    const { clock, faults, auth, store, master, stats } = this.deps;
    return [
      { method: 'GET', paths: ['/sandbox/admin/clock'], handle: () => ok(clock.state()) },
      {
        method: 'POST',
        paths: ['/sandbox/admin/clock'],
        handle: ({ body }) => {
          const decoded = decodeStrict(ClockRequest, body, 'clock');
          if (!decoded.ok) return badRequest(decoded.errors);
          const { now, advanceMs, freeze, reset } = decoded.value;
          // Validate everything before moving anything: the clock stays within CLOCK_RANGE, so no
          // request can meet a date the IRP's formats cannot write (advanceMs: 1e308 used to wedge).
          let instant: number | undefined;
          if (now !== undefined) {
            instant = Date.parse(now);
            if (Number.isNaN(instant)) return badRequest(['clock.now is not an ISO date']);
          }
          if (advanceMs !== undefined && !Number.isFinite(advanceMs))
            return badRequest(['clock.advanceMs must be a finite number']);
          const base = instant ?? (reset ? Date.now() : clock.nowMs());
          const target = base + (advanceMs ?? 0);
          if (!(target >= CLOCK_RANGE.from && target <= CLOCK_RANGE.until))
            return badRequest([
              `the clock must stay between ${new Date(CLOCK_RANGE.from).toISOString()} and ${new Date(CLOCK_RANGE.until).toISOString()}`,
            ]);
          if (reset) clock.reset();
          if (instant !== undefined) clock.set(new Date(instant));
          if (advanceMs !== undefined) clock.advance(advanceMs);
          if (freeze === true) clock.freeze();
          if (freeze === false) clock.unfreeze();
          return ok(clock.state());
        },
      },
      { method: 'GET', paths: ['/sandbox/admin/faults'], handle: () => ok(faults.snapshot()) },
      {
        method: 'PUT',
        paths: ['/sandbox/admin/faults'],
        handle: ({ body }) => {
          const decoded = decodeFaultProfile(body);
          if (!decoded.ok) return badRequest(decoded.errors);
          faults.load(decoded.value);
          return ok(faults.snapshot());
        },
      },
      {
        method: 'POST',
        paths: ['/sandbox/admin/faults/rules'],
        handle: ({ body }) => {
          const decoded = decodeFaultRule(body);
          if (!decoded.ok) return badRequest(decoded.errors);
          if (faults.snapshot().rules.length >= MAX_FAULT_RULES)
            return badRequest([`at most ${MAX_FAULT_RULES} fault rules`]);
          const name = faults.add(decoded.value);
          return ok({ name, ...faults.snapshot() });
        },
      },
      {
        method: 'DELETE',
        paths: ['/sandbox/admin/faults'],
        handle: () => {
          faults.clear();
          return ok(faults.snapshot());
        },
      },
      {
        method: 'POST',
        paths: ['/sandbox/admin/tokens/invalidate'],
        handle: ({ body }) => {
          const decoded = decodeStrict(TokenFilterRequest, body, 'filter');
          if (!decoded.ok) return badRequest(decoded.errors);
          const filter = { ...decoded.value };
          if (filter.gstin) filter.gstin = filter.gstin.toUpperCase();
          return ok({ revoked: auth.revokeTokens(filter) });
        },
      },
      {
        method: 'GET',
        paths: ['/sandbox/admin/taxpayers/:gstin'],
        handle: ({ params }) => {
          const gstin = params.gstin!.toUpperCase();
          const stored = store.taxpayers.find(gstin);
          const effective = master.lookup(gstin);
          if (!effective) return { status: 404, body: { error: 'not in the master', gstin } };
          return ok({
            inMaster: stored !== undefined,
            taxpayer: effective,
            details: gstinDetails(effective),
          });
        },
      },
      {
        method: 'PUT',
        paths: ['/sandbox/admin/taxpayers/:gstin'],
        handle: ({ body, params }) => {
          const gstin = params.gstin!.toUpperCase();
          if (!hasGstinShape(gstin)) return badRequest([`${gstin} is not a GSTIN`]);
          const decoded = decodeStrict(TaxpayerRequest, body, 'taxpayer');
          if (!decoded.ok) return badRequest(decoded.errors);
          const tooLong = longStrings(decoded.value, 'taxpayer');
          if (tooLong.length > 0) return badRequest(tooLong);
          const base: Taxpayer = store.taxpayers.find(gstin) ?? implicitTaxpayer(gstin);
          const updated: Taxpayer = { ...base, ...decoded.value, gstin };
          store.taxpayers.upsert(updated);
          return ok({ taxpayer: updated });
        },
      },
      {
        method: 'POST',
        paths: ['/sandbox/admin/accounts'],
        handle: async ({ body }) => {
          const decoded = decodeStrict(AccountRequest, body, 'account');
          if (!decoded.ok) return badRequest(decoded.errors);
          const tooLong = longStrings(decoded.value, 'account');
          if (tooLong.length > 0) return badRequest(tooLong);
          if (!hasGstinShape(decoded.value.gstin.toUpperCase()))
            return badRequest(['account.gstin is not a GSTIN']);
          const created = await createAccount(store, decoded.value, clock.nowMs());
          return { status: 201, body: created };
        },
      },
      { method: 'GET', paths: ['/sandbox/admin/stats'], handle: () => ok(stats.snapshot()) },
      {
        method: 'DELETE',
        paths: ['/sandbox/admin/stats'],
        handle: () => {
          stats.reset();
          return ok(stats.snapshot());
        },
      },
    ];
  }
}
