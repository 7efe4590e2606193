import { afterAll, describe, expect, it } from 'vitest';
import { startOpsServer, type HealthReport } from '../../../src/ops/http.js';
import { createPipelineMetrics } from '../../../src/ops/metrics.js';

describe('ops endpoint', async () => {
  const metrics = createPipelineMetrics(undefined, false);
  let health: HealthReport = { live: true, ready: true };
  const ops = await startOpsServer('127.0.0.1', 0, metrics.registry, () => health);
  afterAll(() => ops.close());

  it('answers /healthz and /readyz from the runner status', async () => {
    expect((await fetch(`${ops.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${ops.url}/readyz`)).status).toBe(200);
    health = { live: true, ready: false, reason: 'IRP unavailable: consumption paused' };
    const ready = await fetch(`${ops.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      status: 'not-ready',
      reason: 'IRP unavailable: consumption paused',
    });
    expect((await fetch(`${ops.url}/healthz`)).status).toBe(200);
  });

  it('answers HEAD on the probes like GET, without a body; reports an IRP outage as degraded, still ready', async () => {
    health = { live: true, ready: true, degraded: 'IRP unavailable: consumption paused' };
    const head = await fetch(`${ops.url}/readyz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await fetch(`${ops.url}/healthz`, { method: 'HEAD' })).status).toBe(200);
    const healthz = await fetch(`${ops.url}/healthz`);
    expect(await healthz.json()).toMatchObject({
      status: 'degraded',
      degraded: 'IRP unavailable: consumption paused',
    });
    health = { live: true, ready: false, reason: 'halted: 1010 bad secret' };
    expect((await fetch(`${ops.url}/readyz`, { method: 'HEAD' })).status).toBe(503);
    expect((await fetch(`${ops.url}/readyz`, { method: 'POST' })).status).toBe(405);
  });

  it('serves Prometheus metrics', async () => {
    metrics.recordsIn.inc({ source: 's', topic: 't' }, 3);
    metrics.rejections.inc({ source: 's', code: '2189', stage: 'validate' });
    metrics.irpLatency.observe({ source: 's', outcome: 'result' }, 0.02);
    const text = await (await fetch(`${ops.url}/metrics`)).text();
    expect(text).toContain('irp_bridge_records_in_total{source="s",topic="t"} 3');
    expect(text).toContain('irp_bridge_rejections_total{source="s",code="2189",stage="validate"} 1');
    expect(text).toContain('irp_bridge_irp_latency_seconds_bucket');
  });
});
