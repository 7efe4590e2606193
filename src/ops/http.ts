/**
 * The ops endpoint of a running source: `/healthz` (the process is alive and its loop not wedged),
 * `/readyz` (a member of its consumer group, not halted, not stopping; an IRP outage is `degraded` in
 * /healthz, not unready) and `/metrics` (Prometheus text); HEAD works on every route.
 * Plain node:http: three routes do not need a framework.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface HealthReport {
  live: boolean;
  ready: boolean;
  /** Why not ready (connecting to Kafka, halted, stopping). */
  reason?: string;
  /** Working, but not fully: the IRP is unavailable and consumption is paused (readiness unaffected). */
  degraded?: string;
  details?: Record<string, unknown>;
}

export interface OpsServer {
  url: string;
  close(): Promise<void>;
}

export async function startOpsServer(
  host: string,
  port: number,
  registry: Registry,
  health: () => HealthReport,
): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    // HEAD answers like GET without a body (probes and load balancers use it).
    const send = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, {
        'content-type': type,
        'cache-control': 'no-store',
        'content-length': Buffer.byteLength(body),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(405, JSON.stringify({ error: 'GET or HEAD only' }));
    }
    if (path === '/healthz') {
      const h = health();
      const status = !h.live ? 'failing' : h.degraded ? 'degraded' : 'ok';
      return send(h.live ? 200 : 503, JSON.stringify({ status, ...h }));
    }
    if (path === '/readyz') {
      const h = health();
      return send(h.ready ? 200 : 503, JSON.stringify({ status: h.ready ? 'ready' : 'not-ready', ...h }));
    }
    if (path === '/metrics') {
      registry
        .metrics()
        .then((text) => send(200, text, registry.contentType))
        .catch((err: unknown) => send(500, JSON.stringify({ error: String(err) })));
      return;
    }
    send(404, JSON.stringify({ error: 'not found', routes: ['/healthz', '/readyz', '/metrics'] }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
