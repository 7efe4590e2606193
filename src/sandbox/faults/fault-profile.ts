/**
 * Fault profiles: what chaos the sandbox injects, as a document (a JSON/YAML file at start, or the
 * admin API at run time). Decoded with io-ts at the boundary; unknown members are errors, so a typo in
 * a chaos test fails loudly instead of silently injecting nothing.
 */
import * as t from 'io-ts';
import { lookupErrorCode } from '../../irp/errors.js';
import { API_NAMES, type ApiName } from '../api-names.js';
import { decodeStrict, type Decoded } from '../decode.js';

const ApiNameCodec = t.keyof(Object.fromEntries(API_NAMES.map((n) => [n, null])) as Record<ApiName, null>);

const LatencyCodec = t.union([
  t.strict({ fixedMs: t.number }),
  t.strict({ uniformMs: t.tuple([t.number, t.number]) }),
  t.strict({ normalMs: t.strict({ mean: t.number, stdDev: t.number }) }),
  t.strict({ exponentialMs: t.strict({ mean: t.number }) }),
]);

export const FailureKindCodec = t.keyof({
  /** An HTTP 5xx from a gateway (HTML body, no envelope). */
  'http-5xx': null,
  /** HTTP 200 with `Status: 0` and error 5002 — the IRP's own "application error, try again". */
  'envelope-5002': null,
  /** TCP reset mid-request. */
  'connection-reset': null,
  /** The request is read and never answered: the client must time out. */
  'no-response': null,
  /**
   * HTTP 200 with `Status: 0` and the IRP error `code` (NIC's message, or `message`; a code outside
   * the catalogue needs `message`): what an IRP says when its read side lags (2148 right after a
   * DUPIRN) or when it answers with a code nobody catalogued.
   */
  'envelope-error': null,
});

const FailureCodec = t.intersection([
  t.strict({ kind: FailureKindCodec }),
  t.exact(
    t.partial({
      /** HTTP status for `http-5xx` (default 503). */
      status: t.number,
      /** IRP error code for `envelope-error`. */
      code: t.string,
      /** Its message (default: NIC's message for a catalogued code). */
      message: t.string,
      /**
       * `before` (default): the request never reaches the IRP. `after`: the IRP processes it (an IRN is
       * registered) and then the answer is lost — the case that makes a client meet 2150 on retry.
       */
      phase: t.keyof({ before: null, after: null }),
    }),
  ),
]);

const WindowCodec = t.exact(
  t.partial({
    /** ISO instants on the sandbox clock. */
    from: t.string,
    until: t.string,
    /** From the moment the rule is installed, this long (converted to from/until on install). */
    forMs: t.number,
  }),
);

const ScopeCodec = t.exact(
  t.partial({
    apis: t.array(ApiNameCodec),
    /** Path prefixes, case-insensitive, e.g. `/eicore/`. */
    paths: t.array(t.string),
    methods: t.array(t.string),
  }),
);

export const FaultRuleCodec = t.exact(
  t.partial({
    name: t.string,
    scope: ScopeCodec,
    /** Chance per matching request, 0..1 (default 1). */
    probability: t.number,
    latency: LatencyCodec,
    failure: FailureCodec,
    /** Active only inside this window: an outage is a window plus a failure. */
    window: WindowCodec,
    /** Revoke the caller's token before the call, so it answers 1005 and the client must log in again. */
    invalidateToken: t.boolean,
    /** Stop firing after this many hits. */
    maxHits: t.number,
  }),
);

export const FaultProfileCodec = t.exact(
  t.partial({
    seed: t.number,
    rules: t.array(FaultRuleCodec),
  }),
);

export type FaultRule = t.TypeOf<typeof FaultRuleCodec>;
export type FaultProfile = t.TypeOf<typeof FaultProfileCodec>;
export type FailureKind = t.TypeOf<typeof FailureKindCodec>;
export type LatencySpec = t.TypeOf<typeof LatencyCodec>;

/** Paths of numbers that are not finite (JSON's 1e309 parses to Infinity), or negative where a count or duration belongs. */
function badNumbers(value: unknown, path: string): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${path} must be a finite number`];
  if (Array.isArray(value)) return value.flatMap((v, i) => badNumbers(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => badNumbers(v, `${path}.${k}`));
  return [];
}

/** At most this many rules in one profile. */
export const MAX_FAULT_RULES = 1000;

function semanticErrors(rule: FaultRule, where: string): string[] {
  const errors: string[] = badNumbers(rule, where);
  if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) {
    errors.push(`${where}.probability must be between 0 and 1`);
  }
  if (!rule.latency && !rule.failure && !rule.invalidateToken) {
    errors.push(`${where} does nothing: give latency, failure or invalidateToken`);
  }
  for (const key of ['from', 'until'] as const) {
    const value = rule.window?.[key];
    if (value !== undefined && Number.isNaN(Date.parse(value)))
      errors.push(`${where}.window.${key} is not an ISO date`);
  }
  const failure = rule.failure;
  if (failure?.kind === 'envelope-error') {
    if (!failure.code) errors.push(`${where}.failure.code is required for envelope-error`);
    else if (failure.message === undefined && !lookupErrorCode(failure.code))
      errors.push(`${where}.failure.code ${failure.code} is not catalogued: give failure.message too`);
  } else if (failure?.code !== undefined || failure?.message !== undefined) {
    errors.push(`${where}.failure.code and .message belong to envelope-error only`);
  }
  const status = rule.failure?.status;
  if (status !== undefined && !(Number.isInteger(status) && status >= 500 && status <= 599)) {
    errors.push(`${where}.failure.status must be a 5xx status`);
  }
  return errors;
}

export function decodeFaultRule(input: unknown): Decoded<FaultRule> {
  const decoded = decodeStrict(FaultRuleCodec, input, 'rule');
  if (!decoded.ok) return decoded;
  const errors = semanticErrors(decoded.value, 'rule');
  return errors.length > 0 ? { ok: false, errors } : decoded;
}

export function decodeFaultProfile(input: unknown): Decoded<FaultProfile> {
  const decoded = decodeStrict(FaultProfileCodec, input, 'profile');
  if (!decoded.ok) return decoded;
  const errors = (decoded.value.rules ?? []).flatMap((rule, i) => semanticErrors(rule, `rules[${i}]`));
  errors.push(...badNumbers(decoded.value.seed, 'profile.seed'));
  if ((decoded.value.rules ?? []).length > MAX_FAULT_RULES)
    errors.push(`profile.rules: at most ${MAX_FAULT_RULES} rules`);
  return errors.length > 0 ? { ok: false, errors } : decoded;
}
