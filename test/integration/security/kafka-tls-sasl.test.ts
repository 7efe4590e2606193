/**
 * Kafka over TLS with SASL, against a real broker configured that way (test/support/kafka-broker.ts
 * `secure`: a CA and a broker certificate generated with openssl, SCRAM users created at format time,
 * a PLAIN user in the listener's JAAS config). For each adapter the pipeline consumes and publishes
 * through the SASL_SSL listener only (the harness produces and reads through the broker's PLAINTEXT
 * listener); a wrong password stops the source with an error that does not contain it.
 */
import { Writable } from 'node:stream';
import { Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { KafkaAdapterName } from '../../../src/adapters/kafka/index.js';
import { wireKafkaSource } from '../../../src/cli/wiring.js';
import type { SourceConfig } from '../../../src/config/source-config.js';
import { createPipelineMetrics } from '../../../src/ops/metrics.js';
import { startKafkaBroker, type KafkaBroker } from '../../support/kafka-broker.js';
import { uniqueGroupId, uniqueTopic } from '../../support/kafka.js';
import {
  sapEvents,
  sellerGstins,
  sourceConfig,
  startSandbox,
  type SandboxHarness,
} from '../../support/pipeline-harness.js';

const ADAPTERS: KafkaAdapterName[] = inject('kafkaAdapters');
const USERS = {
  scram256: { mechanism: 'SCRAM-SHA-256' as const, username: 'alice', password: 'tls-test-alice-Secr3t' },
  scram512: { mechanism: 'SCRAM-SHA-512' as const, username: 'bob', password: 'tls-test-bob-Secr3t' },
  plain: { username: 'carol', password: 'tls-test-carol-Secr3t' },
};

let broker: KafkaBroker;
let h: SandboxHarness;
let plain: Kafka;

beforeAll(async () => {
  broker = await startKafkaBroker({
    heap: '384m',
    secure: { scramUsers: [USERS.scram256, USERS.scram512], plainUsers: [USERS.plain] },
  });
  plain = new Kafka({ clientId: 'tls-test', brokers: [broker.brokers], logLevel: logLevel.NOTHING });
  h = await startSandbox();
}, 180_000);
afterAll(async () => {
  await h?.close();
  await broker?.stop();
});

async function topics(prefix: string) {
  const t = {
    input: uniqueTopic(`${prefix}-in`),
    results: uniqueTopic(`${prefix}-results`),
    errors: uniqueTopic(`${prefix}-errors`),
    deadLetter: uniqueTopic(`${prefix}-dlq`),
  };
  const admin = plain.admin();
  await admin.connect();
  await admin.createTopics({
    topics: Object.values(t).map((topic) => ({ topic, numPartitions: topic === t.input ? 2 : 1 })),
    waitForLeaders: true,
  });
  await admin.disconnect();
  return t;
}

async function countOutputs(t: Awaited<ReturnType<typeof topics>>): Promise<number> {
  const admin = plain.admin();
  await admin.connect();
  let n = 0;
  for (const topic of [t.results, t.errors, t.deadLetter])
    for (const p of await admin.fetchTopicOffsets(topic)) n += Number(p.high) - Number(p.low);
  await admin.disconnect();
  return n;
}

const MECHANISM: Record<string, 'scram-sha-256' | 'scram-sha-512' | 'plain'> = {
  scram256: 'scram-sha-256',
  scram512: 'scram-sha-512',
  plain: 'plain',
};

/** The config through the SASL_SSL listener; the password comes from KAFKA_SASL_PASSWORD in the env. */
function secured(config: SourceConfig, user: keyof typeof USERS): SourceConfig {
  return {
    ...config,
    kafka: {
      ...config.kafka,
      brokers: [broker.secure!.brokers],
      ssl: { enabled: true, caFile: broker.secure!.caFile },
      sasl: {
        mechanism: MECHANISM[user]!,
        username: USERS[user].username,
        password: { env: 'KAFKA_SASL_PASSWORD' },
      },
    },
  };
}

describe.each(ADAPTERS)('Kafka over TLS + SASL on a real broker (%s)', (adapter) => {
  const cases: (keyof typeof USERS)[] = adapter === 'kafkajs' ? ['scram256', 'plain'] : ['scram512'];
  it.each(cases)(
    'the pipeline consumes and publishes through SASL_SSL (%s)',
    async (user) => {
      const t = await topics(`tls-${adapter}-${user}`);
      const events = sapEvents(10, 41);
      const producer = plain.producer();
      await producer.connect();
      await producer.send({
        topic: t.input,
        messages: events.values.map((value, i) => ({ key: events.keys[i]!, value })),
      });
      await producer.disconnect();
      const base = await sourceConfig(h, { ...t }, sellerGstins(events.records), {
        adapter,
        groupId: uniqueGroupId('tls'),
      });
      const config = secured(base.config, user);
      const env = { ...base.env, KAFKA_SASL_PASSWORD: USERS[user].password };
      const runtime = await wireKafkaSource(
        config,
        base.dir,
        createPipelineMetrics(undefined, false),
        pino({ level: 'silent' }),
        env,
      );
      const running = runtime.runner.run();
      const started = Date.now();
      while ((await countOutputs(t)) < events.values.length && Date.now() - started < 90_000)
        await new Promise((r) => setTimeout(r, 500));
      await runtime.runner.stop();
      await running;
      await runtime.close();
      expect(await countOutputs(t)).toBe(events.values.length);
    },
    150_000,
  );

  it('a wrong password stops the source, and the error does not contain it', async () => {
    const t = await topics(`tls-bad-${adapter}`);
    const base = await sourceConfig(h, { ...t }, ['29AAACB1234F1Z5'], { adapter });
    const wrong = 'tls-test-WRONG-pw-Secr3t';
    const config = secured(base.config, adapter === 'kafkajs' ? 'scram256' : 'scram512');
    const lines: string[] = [];
    const log = pino(
      { level: 'debug' },
      new Writable({
        write(c: Buffer, _e, done) {
          lines.push(c.toString('utf8'));
          done();
        },
      }),
    );
    const env = { ...base.env, KAFKA_SASL_PASSWORD: wrong };
    let failure: unknown;
    try {
      const runtime = await wireKafkaSource(
        config,
        base.dir,
        createPipelineMetrics(undefined, false),
        log,
        env,
      );
      const status = await Promise.race([
        runtime.runner.run().then(
          (s) => s,
          (e: unknown) => e,
        ),
        new Promise((r) => setTimeout(() => r('still running'), 60_000)),
      ]);
      failure = status;
      await runtime.runner.stop().catch(() => undefined);
      await runtime.close().catch(() => undefined);
    } catch (error) {
      failure = error;
    }
    expect(failure).not.toBe('still running');
    const text = `${String((failure as Error)?.message ?? JSON.stringify(failure))}\n${lines.join('')}`;
    expect(text).toMatch(/SASL|authentication|Authentication/i);
    expect(text).not.toContain(wrong);
  }, 150_000);
});
