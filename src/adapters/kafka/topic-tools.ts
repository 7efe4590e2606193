/**
 * The small Kafka operations of the command line (`irp-bridge topics`, `produce`, `consume`), over
 * kafkajs with the same connection settings (TLS, SASL) a source uses. Not the pipeline's path: the
 * pipeline talks to the ports in src/pipeline/ports.ts.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { KafkaConnection } from '../../config/source-config.js';
import { kafkajsClient } from './kafkajs-client.js';

export interface TopicSpec {
  topic: string;
  partitions: number;
  replicationFactor: number;
  /** Topic-level settings, e.g. `cleanup.policy: compact`. */
  settings?: Record<string, string>;
}

/** Creates the topics that do not exist yet; returns which were created and which existed. */
export async function ensureTopics(
  conn: KafkaConnection,
  specs: TopicSpec[],
  log: Logger,
): Promise<{ created: string[]; existing: string[] }> {
  const admin = kafkajsClient(conn, log).admin();
  await admin.connect();
  try {
    const known = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !known.has(s.topic));
    if (missing.length > 0)
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({
          topic: s.topic,
          numPartitions: s.partitions,
          replicationFactor: s.replicationFactor,
          ...(s.settings
            ? { configEntries: Object.entries(s.settings).map(([name, value]) => ({ name, value })) }
            : {}),
        })),
      });
    return {
      created: missing.map((s) => s.topic),
      existing: specs.filter((s) => known.has(s.topic)).map((s) => s.topic),
    };
  } finally {
    await admin.disconnect();
  }
}

export async function topicExists(conn: KafkaConnection, topic: string, log: Logger): Promise<boolean> {
  const admin = kafkajsClient(conn, log).admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).includes(topic);
  } finally {
    await admin.disconnect();
  }
}

/** Publishes `messages` (acks from all in-sync replicas), in order, in chunks. */
export async function publish(
  conn: KafkaConnection,
  topic: string,
  messages: { key: string | null; value: Buffer }[],
  log: Logger,
): Promise<void> {
  const producer = kafkajsClient(conn, log).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += 500)
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 500) });
  } finally {
    await producer.disconnect();
  }
}

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/**
 * Reads `topics` from the beginning with a throw-away consumer group (deleted afterwards, nothing
 * committed), until `max` records arrived or no record came for `idleMs` (after the group joined).
 */
export async function readTopics(
  conn: KafkaConnection,
  topics: string[],
  { max, idleMs, onRecord }: { max: number; idleMs: number; onRecord: (r: ConsumedRecord) => void },
  log: Logger,
): Promise<number> {
  const kafka = kafkajsClient(conn, log);
  const groupId = `irp-bridge-consume-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, allowAutoTopicCreation: false });
  let count = 0;
  let timer: NodeJS.Timeout | undefined;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const idle = () => {
    clearTimeout(timer);
    timer = setTimeout(finish, idleMs);
  };
  consumer.on(consumer.events.GROUP_JOIN, idle);
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        if (count >= max) return;
        count++;
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {}))
          if (v !== undefined) headers[k] = Array.isArray(v) ? v.map(String).join(',') : String(v);
        onRecord({
          topic,
          partition,
          offset: message.offset,
          key: message.key,
          value: message.value,
          headers,
        });
        if (count >= max) finish();
        else idle();
      },
    });
    await finished;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
  return count;
}
