/**
 * Decides, per request, which faults fire: added latency, a failure (5xx, 5002 envelope, any IRP
 * error code, reset, no answer) before or after processing, and forced token invalidation. Each rule draws from its own
 * seeded generator, so with a seed the same sequence of requests meets the same faults every run.
 */
import type { ApiName } from '../api-names.js';
import type { SandboxClock } from '../clock.js';
import type { FailureKind, FaultProfile, FaultRule, LatencySpec } from './fault-profile.js';
import { ruleSeed, seededRandom, type Random } from './prng.js';

export interface FaultFailure {
  kind: FailureKind;
  status: number;
  phase: 'before' | 'after';
  rule: string;
  /** For `envelope-error`. */
  code?: string;
  message?: string;
}

export interface FaultDecision {
  delayMs: number;
  failure?: FaultFailure;
  invalidateToken: boolean;
  /** Names of the rules that fired, for logs and stats. */
  fired: string[];
}

export interface RequestFacts {
  api: ApiName;
  method: string;
  path: string;
}

interface ActiveRule {
  rule: FaultRule;
  name: string;
  random: Random;
  hits: number;
  fromMs?: number;
  untilMs?: number;
}

/** What the admin API shows: the rules as installed, with absolute windows and hit counts. */
export interface FaultSnapshot {
  seed: number;
  rules: (FaultRule & { hits: number })[];
}

const MAX_DELAY_MS = 10 * 60 * 1000;

function sampleLatency(spec: LatencySpec, random: Random): number {
  if ('fixedMs' in spec) return spec.fixedMs;
  if ('uniformMs' in spec) {
    const [min, max] = spec.uniformMs;
    return min + random() * (max - min);
  }
  if ('normalMs' in spec) {
    // Box–Muller; 1 - u keeps the logarithm finite.
    const u = 1 - random();
    const v = random();
    return (
      spec.normalMs.mean + spec.normalMs.stdDev * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
    );
  }
  return -Math.log(1 - random()) * spec.exponentialMs.mean;
}

export class FaultEngine {
  private seed = 1;
  private rules: ActiveRule[] = [];

  constructor(private readonly clock: SandboxClock) {}

  /** Replaces every rule (and the seed, when the profile has one). */
  load(profile: FaultProfile): void {
    this.seed = profile.seed ?? this.seed;
    this.rules = [];
    for (const rule of profile.rules ?? []) this.add(rule);
  }

  add(rule: FaultRule): string {
    const index = this.rules.length;
    const name = rule.name ?? `rule-${index + 1}`;
    const active: ActiveRule = {
      rule: { ...rule, name },
      name,
      random: seededRandom(ruleSeed(this.seed, index)),
      hits: 0,
    };
    const window = rule.window;
    if (window?.forMs !== undefined) {
      active.fromMs = this.clock.nowMs();
      active.untilMs = active.fromMs + window.forMs;
    }
    if (window?.from !== undefined) active.fromMs = Date.parse(window.from);
    if (window?.until !== undefined) active.untilMs = Date.parse(window.until);
    this.rules.push(active);
    return name;
  }

  clear(): void {
    this.rules = [];
  }

  snapshot(): FaultSnapshot {
    return {
      seed: this.seed,
      rules: this.rules.map((r) => {
        const { window: _window, ...rest } = r.rule;
        const shown: FaultRule & { hits: number } = { ...rest, hits: r.hits };
        if (r.fromMs !== undefined || r.untilMs !== undefined) {
          shown.window = {};
          if (r.fromMs !== undefined) shown.window.from = new Date(r.fromMs).toISOString();
          if (r.untilMs !== undefined) shown.window.until = new Date(r.untilMs).toISOString();
        }
        return shown;
      }),
    };
  }

  decide(request: RequestFacts): FaultDecision {
    const decision: FaultDecision = { delayMs: 0, invalidateToken: false, fired: [] };
    if (this.rules.length === 0) return decision;
    const nowMs = this.clock.nowMs();
    for (const active of this.rules) {
      if (!this.applies(active, request, nowMs)) continue;
      // Draw for every matching request, fired or not, so decisions depend only on the request order.
      const draw = active.random();
      if (draw >= (active.rule.probability ?? 1)) continue;
      active.hits += 1;
      decision.fired.push(active.name);
      const { latency, failure, invalidateToken } = active.rule;
      if (latency) decision.delayMs += Math.max(0, sampleLatency(latency, active.random));
      if (invalidateToken) decision.invalidateToken = true;
      if (failure && !decision.failure) {
        decision.failure = {
          kind: failure.kind,
          status: failure.status ?? 503,
          phase: failure.phase ?? 'before',
          rule: active.name,
        };
        if (failure.code !== undefined) decision.failure.code = failure.code;
        if (failure.message !== undefined) decision.failure.message = failure.message;
      }
    }
    decision.delayMs = Math.min(Math.round(decision.delayMs), MAX_DELAY_MS);
    return decision;
  }

  private applies(active: ActiveRule, request: RequestFacts, nowMs: number): boolean {
    const { rule } = active;
    if (rule.maxHits !== undefined && active.hits >= rule.maxHits) return false;
    if (active.fromMs !== undefined && nowMs < active.fromMs) return false;
    if (active.untilMs !== undefined && nowMs >= active.untilMs) return false;
    const scope = rule.scope;
    if (!scope) return true;
    if (scope.apis && !scope.apis.includes(request.api)) return false;
    if (scope.methods && !scope.methods.some((m) => m.toUpperCase() === request.method)) return false;
    const path = request.path.toLowerCase();
    if (scope.paths && !scope.paths.some((p) => path.startsWith(p.toLowerCase()))) return false;
    return true;
  }
}
