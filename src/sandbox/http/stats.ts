/** Request counters per API, for chaos tests that need to know what actually reached the IRP. */
import type { ApiName } from '../api-names.js';

export interface ApiCounters {
  requests: number;
  /** Envelopes with Status 1. */
  succeeded: number;
  /** Envelopes with Status 0, by IRP error code (first code of the envelope). */
  failed: Record<string, number>;
  /** Requests on which a fault rule fired, by rule name. */
  faults: Record<string, number>;
}

export class SandboxStats {
  private counters = new Map<ApiName, ApiCounters>();

  private entry(api: ApiName): ApiCounters {
    let c = this.counters.get(api);
    if (!c) {
      c = { requests: 0, succeeded: 0, failed: {}, faults: {} };
      this.counters.set(api, c);
    }
    return c;
  }

  request(api: ApiName, firedRules: readonly string[]): void {
    const c = this.entry(api);
    c.requests += 1;
    for (const rule of firedRules) c.faults[rule] = (c.faults[rule] ?? 0) + 1;
  }

  result(api: ApiName, status: 0 | 1, firstCode: string | undefined): void {
    const c = this.entry(api);
    if (status === 1) c.succeeded += 1;
    else if (firstCode) c.failed[firstCode] = (c.failed[firstCode] ?? 0) + 1;
  }

  snapshot(): Record<string, ApiCounters> {
    return Object.fromEntries(this.counters);
  }

  reset(): void {
    this.counters = new Map();
  }
}
