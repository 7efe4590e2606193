/**
 * The stream pipeline end to end on the real broker, with the sandbox as the IRP over real HTTP, for
 * each Kafka adapter: the happy path, rejections on the errors topic, garbage on the dead-letter topic
 * with its headers, an IRP outage that pauses and resumes without a spurious rejection, and Odoo
 * account.move events (generated and hand-written) through the same path.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { KafkaAdapterName } from '../../../src/adapters/kafka/index.js';
import { createPipelineMetrics } from '../../../src/ops/metrics.js';
import { wireKafkaSource } from '../../../src/cli/wiring.js';
import type { SourceConfig } from '../../../src/config/source-config.js';
import { decode, encode } from '../../../connectors/testkit/avro-codec.js';
import { readDocumented } from '../../../connectors/testkit/documented.js';
import { fromNaturalJson } from '../../../connectors/testkit/natural-json.js';
import { connectors } from '../../../connectors/registry.js';
import type { AccountMoveEvent } from '../../../connectors/odoo/record.js';
import {
  SAP_SCHEMA,
  connectorEvents,
  encodedEvents,
  inputOffsetOf,
  pipelineTopics,
  produce,
  readOutputs,
  sapEvents,
  sellerGstins,
  sourceConfig,
  startSandbox,
  today,
  type SandboxHarness,
} from '../../support/pipeline-harness.js';

const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
let h: SandboxHarness;

beforeAll(async () => {
  h = await startSandbox();
});
afterAll(async () => {
  await h.close();
});

/** Runs the source in-process until `done()` says so, then stops it (as SIGTERM would). */
async function runUntil(
  config: SourceConfig,
  dir: string,
  env: Record<string, string>,
  done: () => Promise<boolean>,
) {
  const metrics = createPipelineMetrics(undefined, false);
  const runtime = await wireKafkaSource(config, dir, metrics, log, env);
  const running = runtime.runner.run();
  const started = Date.now();
  while (!(await done()) && Date.now() - started < 90_000) await new Promise((r) => setTimeout(r, 250));
  await runtime.runner.stop();
  const status = await running;
  await runtime.close();
  return { status, metrics };
}

const ADAPTERS: KafkaAdapterName[] = inject('kafkaAdapters');

describe.each(ADAPTERS)('pipeline on the real broker (%s)', (adapter) => {
  it('registers every invoice, rejects bad ones with IRP codes, dead-letters garbage with headers', async () => {
    const topics = await pipelineTopics(`pipe-${adapter}`);
    const events = sapEvents(40, adapter === 'kafkajs' ? 11 : 12);
    const { config, env, dir } = await sourceConfig(h, topics, sellerGstins(events.records), { adapter });
    const messages = events.values.map((value, i) => ({ key: events.keys[i]!, value }));
    // An ERP record that cannot become an IRP document: its sales unit has no UQC.
    const created = events.records.findIndex((r) => r.EVENT === 'CREATED');
    const unmappable = decode(SAP_SCHEMA, events.values[created]!) as {
      VBRK: { XBLNR: string };
      VBRP: { VRKME: string }[];
    };
    unmappable.VBRP[0]!.VRKME = 'ZZZ';
    unmappable.VBRK.XBLNR = 'UNMAPPABLE1';
    messages.push({ key: 'unmappable-1', value: encode(SAP_SCHEMA, unmappable) });
    const garbage = [{ key: 'garbage-1', value: Buffer.from('not avro at all \u0000\u0001') }];
    await produce(topics.input, [...messages, ...garbage]);

    const total = messages.length + garbage.length;
    let outputs = await readOutputs(topics, 0, 1, 0);
    const { status } = await runUntil(config, dir, env, async () => {
      outputs = await readOutputs(topics, total, 5_000, 300);
      return outputs.length >= total;
    });

    // Exactly one output per input.
    const byInput = new Map<string, number>();
    for (const o of outputs) byInput.set(inputOffsetOf(o), (byInput.get(inputOffsetOf(o)) ?? 0) + 1);
    expect(byInput.size).toBe(total);
    expect([...byInput.entries()].filter(([, n]) => n !== 1)).toEqual([]);

    const results = outputs.filter((o) => o.topic === topics.results);
    const errors = outputs.filter((o) => o.topic === topics.errors);
    const dead = outputs.filter((o) => o.topic === topics.deadLetter);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.value.toString('utf8')).toBe('not avro at all \u0000\u0001');
    expect(dead[0]!.headers).toMatchObject({
      'irp-bridge.errors.topic': topics.input,
      'irp-bridge.errors.stage': 'decode',
      'irp-bridge.errors.source.id': config.id,
    });
    expect(dead[0]!.headers['irp-bridge.errors.code']).toMatch(/^AVRO_/);
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(r.key).toBe(r.json!.docKey);
      if (r.json!.kind === 'generate') {
        expect(r.json!.Irn).toMatch(/^[0-9a-f]{64}$/);
        expect(String(r.json!.AckNo)).toMatch(/^\d{15}$/);
        expect(String(r.json!.SignedQRCode).split('.')).toHaveLength(3);
      }
    }
    // Whatever the generator made that the IRP refuses arrives as a rejection with IRP or mapping codes.
    for (const e of errors)
      expect((e.json!.errors as { code: string }[])[0]!.code).toMatch(/^(\d{4}|MAP_[A-Z_]+)$/);
    const mapping = errors.find((e) => e.json!.stage === 'map')!;
    expect(mapping.json!.errors).toEqual([
      expect.objectContaining({ code: 'MAP_UNKNOWN_UNIT', path: 'VBRP[0].VRKME' }),
    ]);
    expect(mapping.headers['irp-bridge.errors.code']).toBe('MAP_UNKNOWN_UNIT');
    // The generator's SEZ buyers are unknown to the sandbox's GSTIN master, so the IRP itself refuses those.
    expect(
      errors.some(
        (e) => e.json!.stage === 'submit' && /^\d{4}$/.test((e.json!.errors as { code: string }[])[0]!.code),
      ),
    ).toBe(true);
    expect(status.counts.in).toBe(total);
    expect(await h.registrations()).toBeGreaterThanOrEqual(
      results.filter((r) => r.json!.kind === 'generate').length,
    );
  });

  it('carries Odoo account.move events: registered, cancelled, and refused naming the Odoo field', async () => {
    const topics = await pipelineTopics(`odoo-${adapter}`);
    const generated = connectorEvents('odoo', 30, adapter === 'kafkajs' ? 31 : 32);
    // Hand-written records (connectors/odoo/fixtures), dated today for the IRP's reporting window and
    // renumbered per adapter, since both adapters register with one sandbox.
    const prefix = adapter === 'kafkajs' ? 'K' : 'C';
    const handWritten = readDocumented('odoo')
      .filter((f) =>
        [
          'export-forex-foreign-consignee',
          'reverse-charge-gta',
          'negative-line',
          'error-lines-missing',
        ].includes(f.name),
      )
      .map((f) => {
        const r = fromNaturalJson(connectors.odoo.avroSchema, f.record) as AccountMoveEvent;
        r.move.name = `${prefix}${r.move.name.slice(1)}`;
        r.move.invoice_date = today();
        if (r.move.l10n_in_shipping_bill_date) r.move.l10n_in_shipping_bill_date = today();
        return r;
      });
    const hand = encodedEvents('odoo', handWritten);
    const records = [...generated.records, ...hand.records];
    const { config, env, dir } = await sourceConfig(h, topics, sellerGstins(records, 'odoo'), {
      adapter,
      connector: 'odoo',
    });
    const messages = [...generated.values, ...hand.values].map((value, i) => ({
      key: [...generated.keys, ...hand.keys][i]!,
      value,
    }));
    await produce(topics.input, messages);

    let outputs = await readOutputs(topics, 0, 1, 0);
    await runUntil(config, dir, env, async () => {
      outputs = await readOutputs(topics, messages.length, 5_000, 300);
      return outputs.length >= messages.length;
    });
    const byInput = new Map<string, number>();
    for (const o of outputs) byInput.set(inputOffsetOf(o), (byInput.get(inputOffsetOf(o)) ?? 0) + 1);
    expect(byInput.size).toBe(messages.length);
    expect([...byInput.values()].every((n) => n === 1)).toBe(true);

    const results = outputs.filter((o) => o.topic === topics.results);
    const kinds = new Set(results.map((r) => r.json!.kind));
    expect(kinds).toContain('generate');
    expect(kinds).toContain('cancel');
    // The hand-written export (USD, foreign consignee), reverse-charge and negative-line invoices register.
    for (const no of ['NV/24-25/0433', 'TA/24-25/0077', 'NV/24-25/0420']) {
      const r = results.find((o) => String(o.key).includes(`/${prefix}${no}/`));
      expect(r?.json!.Irn, no).toMatch(/^[0-9a-f]{64}$/);
    }
    // The move whose totals its lines do not reach is refused, naming Odoo's own fields.
    const refused = outputs.find(
      (o) =>
        o.topic === topics.errors &&
        o.json!.stage === 'map' &&
        (o.json!.errors as { path: string }[]).some((e) => e.path === 'move.amount_total_signed'),
    )!;
    expect(refused.json!.stage).toBe('map');
    expect((refused.json!.errors as { path: string }[]).map((e) => e.path)).toEqual([
      'move.amount_total_signed',
      'move.amount_untaxed_signed',
      'move.line_ids[display_type=tax].balance',
    ]);
    expect(outputs.filter((o) => o.topic === topics.deadLetter)).toEqual([]);
  });

  it('an IRP outage pauses consumption and resumes with no spurious rejection', async () => {
    const topics = await pipelineTopics(`outage-${adapter}`, 1);
    const events = sapEvents(12, adapter === 'kafkajs' ? 21 : 22);
    const { config, env, dir } = await sourceConfig(h, topics, sellerGstins(events.records), { adapter });
    // Every IRP API fails for 3 seconds from now (HTTP 503), then the IRP is back.
    await h.admin('POST', 'faults/rules', {
      name: `outage-${adapter}`,
      failure: { kind: 'http-5xx', status: 503 },
      window: { forMs: 3000 },
    });
    await produce(
      topics.input,
      events.values.map((value, i) => ({ key: events.keys[i]!, value })),
    );
    let outputs = await readOutputs(topics, 0, 1, 0);
    const { status, metrics } = await runUntil(config, dir, env, async () => {
      outputs = await readOutputs(topics, 12, 5_000, 300);
      return outputs.length >= 12;
    });
    await h.admin('DELETE', 'faults');
    expect(outputs).toHaveLength(12);
    const retries = (await metrics.retries.get()).values.reduce((a, v) => a + v.value, 0);
    expect(retries).toBeGreaterThan(0);
    // No output says "unavailable": transient failures never become rejections.
    for (const o of outputs.filter((x) => x.topic === topics.errors)) {
      const codes = (o.json!.errors as { code: string }[]).map((e) => e.code);
      expect(codes.some((c) => /^(HTTP|CIRCUIT|TIMEOUT|RESET|5002)/i.test(c))).toBe(false);
    }
    expect(status.counts.in).toBe(12);
  });
});
