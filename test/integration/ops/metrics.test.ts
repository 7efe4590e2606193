/**
 * The metrics a running source exports, from real parts: the IRP client's statistics against the
 * sandbox over real HTTP (faults injected through its admin API), and consumer lag of two instances of
 * one group on the real broker, each reporting only the partitions it owns.
 */
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { wireKafkaSource } from '../../../src/cli/wiring.js';
import { createIrpClient } from '../../../src/irp/client/index.js';
import {
  createPipelineMetrics,
  initialiseSeries,
  irpClientObserver,
  reportOwnedLag,
} from '../../../src/ops/metrics.js';
import {
  adminOf,
  clientConfig,
  demoInvoice,
  startSandbox as startClientSandbox,
} from '../irp-client/harness.js';
import { uniqueGroupId } from '../../support/kafka.js';
import {
  pipelineTopics,
  produce,
  sapEvents,
  sellerGstins,
  sourceConfig,
  startSandbox,
} from '../../support/pipeline-harness.js';

const log = pino({ level: 'silent' });

async function value(
  metric: { get(): Promise<{ values: { labels: Record<string, unknown>; value: number }[] }> },
  labels: Record<string, string>,
) {
  const found = (await metric.get()).values.find((v) =>
    Object.entries(labels).every(([k, x]) => v.labels[k] === x),
  );
  return found?.value;
}

describe('IRP client statistics as metrics', () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
  });

  it('logins by reason (the re-login after a 1005), requests by result, retries by reason, breaker changes, IRP codes', async () => {
    const { sandbox } = await startClientSandbox();
    closers.push(() => sandbox.close());
    const admin = adminOf(sandbox);
    const m = createPipelineMetrics(undefined, false);
    initialiseSeries(m, 's', ['in']);
    const client = createIrpClient(
      clientConfig(sandbox, {
        retry: { maxRetries: 1, initialDelayMs: 10, maxDelayMs: 20, deadlineMs: 5_000 },
        breaker: { consecutiveFailures: 3, halfOpenAfterMs: 200, maxHalfOpenAfterMs: 400 },
      }),
      { logger: log, observer: irpClientObserver(m, 's') },
    );
    closers.push(() => client.close());
    const gstin = sandbox.credentials.gstin;

    expect((await client.generateIrn(demoInvoice(gstin))).kind).toBe('success');
    expect(await value(m.irpLogins, { reason: 'initial', result: 'ok' })).toBe(1);
    expect(await value(m.irpRequests, { api: 'generateIrn', result: 'success' })).toBe(1);

    // A 1005 on the next call: one re-login, counted as such.
    await admin.addFault({
      name: 'revoke',
      scope: { apis: ['generate-irn'] },
      invalidateToken: true,
      maxHits: 1,
    });
    expect((await client.generateIrn(demoInvoice(gstin))).kind).toBe('success');
    expect(await value(m.irpRequests, { api: 'generateIrn', result: 'token' })).toBe(1);
    expect(await value(m.irpLogins, { reason: 'invalid-token', result: 'ok' })).toBe(1);
    expect(await value(m.irpErrorCodes, { code: '1005' })).toBe(1);

    // A rejection: its IRP codes.
    const bad = demoInvoice(gstin);
    (bad.SellerDtls as Record<string, unknown>).Pin = 999999;
    expect((await client.generateIrn(bad)).kind).toBe('rejected');
    expect(
      (await m.irpErrorCodes.get()).values.filter((v) => v.labels.code !== '1005').length,
    ).toBeGreaterThan(0);

    // An outage: HTTP 503s, retried by reason, then the breaker opens.
    await admin.addFault({
      name: 'outage',
      scope: { apis: ['generate-irn'] },
      failure: { kind: 'http-5xx', status: 503 },
    });
    for (let i = 0; i < 3; i++) await client.generateIrn(demoInvoice(gstin));
    expect(await value(m.irpRetries, { reason: 'http-status' })).toBeGreaterThanOrEqual(1);
    expect(await value(m.irpBreakerTransitions, { state: 'open' })).toBe(1);
    expect(await value(m.irpRequests, { api: 'generateIrn', result: 'transient' })).toBeGreaterThanOrEqual(2);
  });

  it('lag is reported by each instance for the partitions it owns only', async () => {
    const h = await startSandbox();
    closers.push(() => h.close());
    const topics = await pipelineTopics('lag', 4);
    const events = sapEvents(40, 7);
    const { config, env, dir } = await sourceConfig(h, topics, sellerGstins(events.records), {
      groupId: uniqueGroupId('lag'),
    });
    await produce(
      topics.input,
      events.values.map((value, i) => ({ key: events.keys[i]!, value })),
    );
    const instances = await Promise.all(
      [0, 1].map(async () => {
        const metrics = createPipelineMetrics(undefined, false);
        const runtime = await wireKafkaSource(config, dir, metrics, log, env);
        const running = runtime.runner.run();
        return { metrics, runtime, running };
      }),
    );
    closers.push(async () => {
      for (const i of instances) {
        await i.runtime.runner.stop();
        await i.running.catch(() => undefined);
        await i.runtime.close();
      }
    });
    // Wait for the group to settle with both members owning partitions.
    const deadline = Date.now() + 60_000;
    while (instances.some((i) => i.runtime.source.assignment().length === 0)) {
      if (Date.now() > deadline) throw new Error('the two instances never shared the partitions');
      await new Promise((r) => setTimeout(r, 200));
    }
    let reported: string[][] = [];
    for (;;) {
      reported = [];
      for (const i of instances) {
        await reportOwnedLag(i.metrics, config.id, i.runtime.source);
        reported.push(
          (await i.metrics.consumerLag.get()).values.map((v) => String(v.labels.partition)).sort(),
        );
      }
      const owned = instances.map((i) =>
        i.runtime.source
          .assignment()
          .map((tp) => String(tp.partition))
          .sort(),
      );
      if (JSON.stringify(owned) === JSON.stringify(reported)) break; // no rebalance in between
      if (Date.now() > deadline)
        throw new Error(`lag ${JSON.stringify(reported)} vs owned ${JSON.stringify(owned)}`);
    }
    expect(reported[0]!.length).toBeGreaterThan(0);
    expect(reported[1]!.length).toBeGreaterThan(0);
    expect(reported[0]!.filter((p) => reported[1]!.includes(p))).toEqual([]);
    expect([...reported[0]!, ...reported[1]!].sort()).toEqual(['0', '1', '2', '3']);
  }, 120_000);
});
