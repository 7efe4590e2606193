/**
 * The document-status topic on the real broker with the sandbox as the IRP: in exactly-once mode each
 * status record is committed in the transaction of the output it comes from, one per state-changing
 * output, and the latest one per document says what the results and errors topics say. Also the
 * operator tools' topic reader: whole topics, offset ranges, transactional topics read to their end,
 * and an unknown topic refused before anything is read.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { kafkajsClient } from '../../../src/adapters/kafka/kafkajs-client.js';
import { KafkajsTopicReader } from '../../../src/adapters/kafka/topic-reader.js';
import { wireKafkaSource } from '../../../src/cli/wiring.js';
import { UnknownTopicError, type StoredRecord } from '../../../src/operator/ports.js';
import { createPipelineMetrics } from '../../../src/ops/metrics.js';
import { statusOf, type DocumentStatus } from '../../../src/pipeline/document-status.js';
import { createTopic, kafkaBrokers, kafkaClient, uniqueTopic } from '../../support/kafka.js';
import {
  pipelineTopics,
  produce,
  readOutputs,
  sapEvents,
  sellerGstins,
  sourceConfig,
  startSandbox,
  type SandboxHarness,
} from '../../support/pipeline-harness.js';

const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
let h: SandboxHarness;
let reader: KafkajsTopicReader;

beforeAll(async () => {
  h = await startSandbox();
  reader = new KafkajsTopicReader(
    kafkajsClient({ clientId: 'reader-test', brokers: kafkaBrokers().split(',') }, log),
    { stallMs: 20_000 },
  );
});
afterAll(async () => {
  await reader.close();
  await h.close();
});

async function readAll(topic: string): Promise<StoredRecord[]> {
  const got: StoredRecord[] = [];
  await reader.read([{ topic }], (r) => void got.push(r));
  return got;
}

describe('document-status topic', () => {
  // Exactly-once runs on the confluent adapter only (kafkajs has no KIP-447 fencing).
  it.runIf(inject('kafkaAdapters').includes('confluent'))(
    'exactly-once: one status per state-changing output, in its transaction, agreeing with it',
    async () => {
      const topics = await pipelineTopics('docstatus', 2);
      const statusTopic = await createTopic(uniqueTopic('docstatus-status'), 1);
      const events = sapEvents(30, 31);
      const { config, env, dir } = await sourceConfig(h, topics, sellerGstins(events.records), {
        adapter: 'confluent',
        mode: 'exactly-once',
      });
      config.topics.documentStatus = statusTopic;
      config.pipeline = { ...config.pipeline, transactionalId: `docstatus-${statusTopic.slice(-8)}` };
      await produce(
        topics.input,
        events.values.map((value, i) => ({ key: events.keys[i]!, value })),
      );
      const runtime = await wireKafkaSource(config, dir, createPipelineMetrics(undefined, false), log, env);
      const running = runtime.runner.run();
      let outputs = await readOutputs(topics, 0, 1, 0);
      const started = Date.now();
      while (outputs.length < events.values.length && Date.now() - started < 90_000)
        outputs = await readOutputs(topics, events.values.length, 3000, 300);
      await runtime.runner.stop();
      await running;
      await runtime.close();
      expect(outputs).toHaveLength(events.values.length);

      const statuses = await readAll(statusTopic);
      const expected = outputs
        .map((o) =>
          statusOf(
            { topic: o.topic, key: o.key, value: o.value, headers: o.headers },
            {
              ...topics,
              documentStatus: statusTopic,
            },
          ),
        )
        .filter((s): s is DocumentStatus => s !== undefined);
      expect(expected.length).toBeGreaterThan(0);
      const values = statuses.map((s) => JSON.parse(s.value!.toString('utf8')) as DocumentStatus);
      expect(values).toHaveLength(expected.length);
      // Same statuses (order across the results and errors topics is not defined, so compare as sets).
      const sig = (s: DocumentStatus) =>
        `${s.docKey} ${s.state} ${s.event} ${s.Irn ?? ''} ${JSON.stringify(s.source)}`;
      expect(values.map(sig).sort()).toEqual(expected.map(sig).sort());
      for (const [i, s] of statuses.entries()) {
        expect(s.key!.toString('utf8')).toBe(values[i]!.docKey);
        expect(s.headers['irp-bridge.output.kind']!.toString()).toBe('document-status');
      }
      // The latest status of a registered document carries what its result carries.
      const registered = values.filter((v) => v.state === 'registered' && v.event === 'generate');
      expect(registered.length).toBeGreaterThan(0);
      for (const v of registered) {
        const result = outputs.find((o) => o.topic === topics.results && o.json!.docKey === v.docKey)!;
        expect(v.Irn).toBe(result.json!.Irn);
        expect(v.SignedQRCode).toBe(result.json!.SignedQRCode);
        expect(v.document.SellerGstin).toBe(v.docKey.split('/')[0]);
        expect(typeof v.document.TotInvVal).toBe('number');
      }
    },
  );
});

describe('irp-bridge topics', () => {
  it('creates the document-status topic compacted', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { stringify } = await import('yaml');
    const { runCliAsync } = await import('../../support/cli.js');
    const dir = mkdtempSync(join(tmpdir(), 'topics-'));
    const status = uniqueTopic('topics-status');
    const file = join(dir, 'source.yaml');
    writeFileSync(
      file,
      stringify({
        id: 'topics-test',
        connector: 'sap',
        kafka: { brokers: kafkaBrokers().split(','), groupId: 'g', inputTopics: [uniqueTopic('topics-in')] },
        topics: {
          results: uniqueTopic('topics-r'),
          errors: uniqueTopic('topics-e'),
          deadLetter: uniqueTopic('topics-d'),
          documentStatus: status,
        },
        irp: { baseUrl: 'http://127.0.0.1:1', credentials: [{ gstin: '29AAACI1681G1ZI', file: 'irp.json' }] },
      }),
    );
    const r = await runCliAsync(['topics', '--config', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`created  ${status} (3 partitions, compacted)`);
    const admin = kafkaClient().admin();
    await admin.connect();
    try {
      const described = await admin.describeConfigs({
        resources: [{ type: 2, name: status, configNames: ['cleanup.policy'] }],
        includeSynonyms: false,
      });
      expect(described.resources[0]!.configEntries[0]).toMatchObject({
        configName: 'cleanup.policy',
        configValue: 'compact',
      });
    } finally {
      await admin.disconnect();
    }
  });
});

describe('topic reader', () => {
  it('reads whole topics and ranges, ends transactional topics, refuses unknown topics', async () => {
    const topic = await createTopic(uniqueTopic('reader'), 2);
    // Half written in committed transactions (ending in commit markers), one transaction aborted.
    const producer = kafkaClient().producer({
      transactionalId: `reader-${topic.slice(-8)}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    for (let i = 0; i < 3; i++) {
      const tx = await producer.transaction();
      await tx.send({
        topic,
        messages: Array.from({ length: 10 }, (_, j) => ({
          key: `k${j % 4}`,
          value: `v${i * 10 + j}`,
          headers: { h: `x${j}` },
        })),
      });
      if (i === 1) await tx.abort();
      else await tx.commit();
    }
    await producer.disconnect();

    const all = await readAll(topic);
    expect(all.map((r) => r.value!.toString()).sort()).toEqual(
      [
        ...Array.from({ length: 10 }, (_, j) => `v${j}`),
        ...Array.from({ length: 10 }, (_, j) => `v${20 + j}`),
      ].sort(),
    );
    expect(all.every((r) => Buffer.isBuffer(r.headers.h))).toBe(true);

    // A range: the first committed record of partition p only.
    const p = all[0]!.partition;
    const first = all.filter((r) => r.partition === p)[0]!;
    const got: StoredRecord[] = [];
    await reader.read(
      [
        {
          topic,
          ranges: [{ partition: p, from: first.offset, until: (BigInt(first.offset) + 1n).toString() }],
        },
      ],
      (r) => void got.push(r),
    );
    expect(got.map((r) => `${r.partition}:${r.offset}`)).toEqual([`${p}:${first.offset}`]);

    // An empty topic ends at once; an unknown one is refused before reading.
    expect(await readAll(await createTopic(uniqueTopic('reader-empty'), 1))).toEqual([]);
    const unknown = uniqueTopic('reader-nope');
    await expect(reader.read([{ topic }, { topic: unknown }], () => undefined)).rejects.toThrow(
      UnknownTopicError,
    );
    expect(await reader.missingTopics([topic, unknown])).toEqual([unknown]);
  });
});
