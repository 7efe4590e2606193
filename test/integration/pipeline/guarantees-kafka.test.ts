/**
 * Issue 14, the Kafka adapters' half, on the real broker and on every adapter: group membership survives
 * long handlers and long pauses, resumeAll reaches partitions paused before a rebalance, a source that
 * cannot reach its brokers fails once and clearly, a sink whose first connect failed connects later.
 */
import { createServer } from 'node:net';
import pino from 'pino';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createKafkaAdapters, type KafkaAdapterName } from '../../../src/adapters/kafka/index.js';
import type { InvoiceSource, OutputSink, SourceBatch, SourceMessage } from '../../../src/pipeline/ports.js';
import { wireKafkaSource } from '../../../src/cli/wiring.js';
import { createPipelineMetrics } from '../../../src/ops/metrics.js';
import { startKafkaBroker } from '../../support/kafka-broker.js';
import {
  pipelineTopics,
  produce as produceInputs,
  readOutputs,
  sourceConfig,
  startSandbox,
} from '../../support/pipeline-harness.js';
import { createTopic, kafkaBrokers, kafkaClient, uniqueGroupId, uniqueTopic } from '../../support/kafka.js';

const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
const ADAPTERS: KafkaAdapterName[] = inject('kafkaAdapters');
/** The broker's smallest allowed session timeout (group.min.session.timeout.ms). */
const SESSION_MS = 6000;

const opened: { source: InvoiceSource; sink: OutputSink }[] = [];
afterAll(async () => {
  for (const a of opened) {
    await a.source.stop().catch(() => undefined);
    await a.sink.close().catch(() => undefined);
  }
});

async function adapters(
  name: KafkaAdapterName,
  topic: string,
  groupId: string,
  extra: { brokers?: string; connectTimeoutMs?: number } = {},
) {
  const a = await createKafkaAdapters(
    name,
    { clientId: `guarantees-${name}`, brokers: (extra.brokers ?? kafkaBrokers()).split(',') },
    {
      groupId,
      topics: [topic],
      fromBeginning: true,
      partitionsConsumedConcurrently: 2,
      sessionTimeoutMs: SESSION_MS,
      readCommitted: true,
      ...(extra.connectTimeoutMs ? { connectTimeoutMs: extra.connectTimeoutMs } : {}),
    },
    log,
  );
  opened.push(a);
  return a;
}

async function produce(topic: string, partition: number, values: string[]) {
  const producer = kafkaClient().producer();
  await producer.connect();
  await producer.send({ topic, messages: values.map((value) => ({ partition, value })) });
  await producer.disconnect();
}

/** The group's members as the coordinator sees them. */
async function members(groupId: string): Promise<{ state: string; memberIds: string[] }> {
  const admin = kafkaClient().admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    return { state: groups[0]!.state, memberIds: groups[0]!.members.map((m) => m.memberId) };
  } finally {
    await admin.disconnect();
  }
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `source`, recording what it delivers, resolving every record; `onBatch` runs first. */
function run(source: InvoiceSource, onBatch: (b: SourceBatch) => Promise<void> = async () => {}) {
  const seen: SourceMessage[] = [];
  const done = source.run(async (batch) => {
    await onBatch(batch);
    seen.push(...batch.messages);
    for (const m of batch.messages) batch.resolveOffset(m.offset);
  });
  done.catch(() => undefined);
  return { seen, done };
}

describe.each(ADAPTERS)('Kafka adapter guarantees: %s', (name) => {
  it('a batch handler that blocks longer than the session timeout keeps the member', async () => {
    const topic = await createTopic(uniqueTopic(`g-block-${name}`), 1);
    const groupId = uniqueGroupId(`g-block-${name}`);
    await produce(topic, 0, ['a', 'b']);
    const { source } = await adapters(name, topic, groupId);
    let blocked = false;
    const r = run(source, async () => {
      if (blocked) return;
      blocked = true;
      await sleep(SESSION_MS * 2.5); // no heartbeat() call from the handler
    });
    await waitFor('the first batch', () => blocked);
    const before = await members(groupId);
    expect(before.memberIds).toHaveLength(1);
    await waitFor('the batch to finish', () => r.seen.length >= 2, 60_000);
    const after = await members(groupId);
    // The same member, never evicted (an evicted member rejoins under a new id).
    expect(after).toEqual({ state: 'Stable', memberIds: before.memberIds });
    expect(source.state().phase).toBe('member');
    await source.stop();
  }, 90_000);

  it('pauseAll keeps the member through a pause longer than the session timeout; resumeAll delivers', async () => {
    const topic = await createTopic(uniqueTopic(`g-pause-${name}`), 2);
    const groupId = uniqueGroupId(`g-pause-${name}`);
    const { source } = await adapters(name, topic, groupId);
    const r = run(source);
    await waitFor(
      'an assignment',
      () => source.state().phase === 'member' && source.assignment().length === 2,
    );
    source.pauseAll();
    const before = await members(groupId);
    await produce(topic, 0, ['p0']);
    await produce(topic, 1, ['p1']);
    await sleep(SESSION_MS * 2.5);
    expect(r.seen).toHaveLength(0); // paused: nothing delivered
    expect(await members(groupId)).toEqual({ state: 'Stable', memberIds: before.memberIds });
    expect(source.state().phase).toBe('member');
    source.resumeAll();
    await waitFor('the held records', () => r.seen.length >= 2);
    expect(r.seen.map((m) => m.value!.toString()).sort()).toEqual(['p0', 'p1']);
    await source.stop();
  }, 90_000);

  it('resumeAll releases a partition paused before a rebalance took it away and gave it back', async () => {
    const topic = await createTopic(uniqueTopic(`g-rebalance-${name}`), 2);
    const groupId = uniqueGroupId(`g-rebalance-${name}`);
    const a = await adapters(name, topic, groupId);
    const ra = run(a.source);
    await waitFor('a owning both partitions', () => a.source.assignment().length === 2);
    // A halt pauses each partition it owns.
    a.source.pause(a.source.assignment());
    // A second instance joins (takes one partition), and leaves again.
    const b = await adapters(name, topic, groupId);
    const rb = run(b.source);
    await waitFor('b owning a partition', () => b.source.assignment().length === 1);
    await waitFor('a owning one partition', () => a.source.assignment().length === 1);
    // The halt ends while a owns one partition: everything a paused must come back.
    a.source.resumeAll();
    await b.source.stop();
    await rb.done;
    await waitFor('a owning both partitions again', () => a.source.assignment().length === 2);
    await produce(topic, 0, ['p0']);
    await produce(topic, 1, ['p1']);
    await waitFor('records of both partitions', () => ra.seen.length >= 2, 30_000);
    expect(ra.seen.map((m) => m.value!.toString()).sort()).toEqual(['p0', 'p1']);
    await a.source.stop();
  }, 120_000);

  it('run rejects once, with a clear error, when the brokers cannot be reached', async () => {
    const port = await closedPort();
    const { source } = await adapters(name, uniqueTopic('unreachable'), uniqueGroupId('unreachable'), {
      brokers: `127.0.0.1:${port}`,
      connectTimeoutMs: 4000,
    });
    const outcome = await source
      .run(async () => {})
      .then(
        () => 'resolved',
        (e: Error) => e.message,
      );
    expect(outcome).toMatch(new RegExp(`^${name}: (cannot connect to|no connection to) the Kafka brokers`));
    expect(source.state().phase).toBe('stopped');
    await source.stop(); // resolves
  }, 60_000);

  it('stop() while the source is still connecting resolves, and run resolves with it', async () => {
    const port = await closedPort();
    const { source } = await adapters(name, uniqueTopic('connecting'), uniqueGroupId('connecting'), {
      brokers: `127.0.0.1:${port}`,
      connectTimeoutMs: 60_000,
    });
    const running = source.run(async () => {});
    await sleep(500);
    expect(source.state().phase).toBe('connecting');
    await source.stop();
    await expect(running).resolves.toBeUndefined();
  }, 60_000);
});

describe.each(ADAPTERS)('lost input: %s', (name) => {
  it('records deleted under the committed offset are one `lost` output on the errors topic', async () => {
    const h = await startSandbox();
    try {
      const topics = await pipelineTopics(`lost-${name}`, 1);
      // Not Avro: each record that is still there ends as a dead letter, which is all this needs.
      await produceInputs(
        topics.input,
        Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, value: Buffer.from(`junk ${i}`) })),
      );
      const { config, env, dir } = await sourceConfig(h, topics, [], { adapter: name });
      const admin = kafkaClient().admin();
      await admin.connect();
      await admin.setOffsets({
        groupId: config.kafka.groupId,
        topic: topics.input,
        partitions: [{ partition: 0, offset: '2' }],
      });
      await admin.deleteTopicRecords({ topic: topics.input, partitions: [{ partition: 0, offset: '4' }] });
      await admin.disconnect();
      const runtime = await wireKafkaSource(config, dir, createPipelineMetrics(undefined, false), log, env);
      const done = runtime.runner.run();
      const outputs = await readOutputs(topics, 3, 60_000);
      await runtime.runner.stop();
      await done;
      await runtime.close();
      const lost = outputs.filter((o) => o.headers['irp-bridge.output.kind'] === 'lost');
      expect(lost).toHaveLength(1);
      expect(lost[0]!.topic).toBe(topics.errors);
      expect(lost[0]!.headers).toMatchObject({
        'irp-bridge.errors.code': 'OFFSET_OUT_OF_RANGE',
        'irp-bridge.errors.topic': topics.input,
        'irp-bridge.errors.partition': '0',
        'irp-bridge.errors.offset': '2',
        'irp-bridge.errors.lost.to': '4',
      });
      expect(lost[0]!.json).toMatchObject({
        family: 'lost',
        lost: { fromOffset: '2', toOffset: '4', count: '2', committedOffset: '2', logStartOffset: '4' },
      });
      // Offsets 4 and 5 are still there: a dead letter each.
      expect(outputs.filter((o) => o.topic === topics.deadLetter)).toHaveLength(2);
    } finally {
      await h.close();
    }
  }, 120_000);
});

describe.each(ADAPTERS)('Kafka sink: %s', (name) => {
  it('a sink whose first connect failed connects on a later send (a broker that comes up late)', async () => {
    const port = await closedPort();
    const { sink } = await adapters(name, 'unused', uniqueGroupId('late'), { brokers: `127.0.0.1:${port}` });
    const first = await sink.send([{ topic: 'late', key: 'k', value: 'early', headers: {} }]).catch((e) => e);
    expect(first).toMatchObject({ name: 'PublishError', kind: 'unavailable' });
    const broker = await startKafkaBroker({ port, heap: '256m' });
    try {
      const admin = kafkaClient({ brokers: [broker.brokers] }).admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'late', numPartitions: 1 }], waitForLeaders: true });
      await admin.disconnect();
      await sink.send([{ topic: 'late', key: 'k', value: 'on time', headers: {} }]);
      const offsets = await (async () => {
        const a = kafkaClient({ brokers: [broker.brokers] }).admin();
        await a.connect();
        try {
          return await a.fetchTopicOffsets('late');
        } finally {
          await a.disconnect();
        }
      })();
      expect(offsets[0]!.high).toBe('1');
    } finally {
      await sink.close().catch(() => undefined);
      await broker.stop();
    }
  }, 180_000);
});

/** A local port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
