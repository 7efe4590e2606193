/**
 * A tiny path router: `/eicore/v1.03/Invoice/irn/:irn`. Literal segments match case-insensitively
 * (the IRP runs on IIS, where paths are case-insensitive); a trailing slash is ignored.
 */
export interface Routable {
  method: string;
  paths: readonly string[];
}

interface Compiled<R> {
  route: R;
  segments: string[];
}

export type RouteLookup<R> =
  | { kind: 'found'; route: R; params: Record<string, string> }
  | { kind: 'method-not-allowed' }
  | { kind: 'not-found' };

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

export class Router<R extends Routable> {
  private readonly compiled: Compiled<R>[] = [];

  constructor(routes: readonly R[] = []) {
    for (const route of routes) this.add(route);
  }

  add(route: R): void {
    for (const path of route.paths) this.compiled.push({ route, segments: split(path) });
  }

  lookup(method: string, pathname: string): RouteLookup<R> {
    let segments: string[];
    try {
      segments = split(pathname).map((s) => decodeURIComponent(s));
    } catch {
      return { kind: 'not-found' };
    }
    let pathMatched = false;
    for (const candidate of this.compiled) {
      const params = match(candidate.segments, segments);
      if (!params) continue;
      if (candidate.route.method === method) return { kind: 'found', route: candidate.route, params };
      pathMatched = true;
    }
    return pathMatched ? { kind: 'method-not-allowed' } : { kind: 'not-found' };
  }
}

function match(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const a = actual[i]!;
    if (p.startsWith(':')) params[p.slice(1)] = a;
    else if (p.toLowerCase() !== a.toLowerCase()) return undefined;
  }
  return params;
}
