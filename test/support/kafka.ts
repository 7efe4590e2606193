/**
 * Kafka helpers for integration tests, on the cluster that test/support/global-setup.ts provides.
 *
 * Tests share one broker (and may share it with a developer's own runs through KAFKA_BROKERS), so
 * every test names its topics and groups with `uniqueTopic` / `uniqueGroupId`: nothing collides and
 * nothing needs deleting between tests.
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type KafkaConfig, type logCreator } from 'kafkajs';
import { inject } from 'vitest';

let fileBrokers: string | undefined;

/** Bootstrap servers of the test cluster, `host:port[,host:port]`. */
export function kafkaBrokers(): string {
  return fileBrokers ?? inject('kafkaBrokers');
}

/**
 * Points this test file's helpers (and the pipeline harness) at a broker of its own, e.g. a restartable
 * one the file started; `undefined` goes back to the shared cluster. Vitest gives each file its own
 * module instance, so this never reaches another file.
 */
export function useKafkaBrokers(brokers: string | undefined): void {
  fileBrokers = brokers;
}

const levels: Record<string, logLevel> = {
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};

/**
 * kafkajs logs to the console by default, which buries test output under expected retries
 * ("The group coordinator is not available" while a group forms). Test clients log nothing, unless
 * `KAFKAJS_LOG=error|warn|info|debug` asks for that level and above, on stderr.
 */
export function quietLogLevel(): logLevel {
  return levels[process.env.KAFKAJS_LOG?.toLowerCase() ?? ''] ?? logLevel.NOTHING;
}

/** Writes each kafkajs entry as one line on stderr (only reached at the level `quietLogLevel` allows). */
export const stderrLogCreator: logCreator =
  () =>
  ({ namespace, label, log }) => {
    const { message, timestamp: _timestamp, logger: _logger, ...extra } = log;
    const where = namespace ? ` ${namespace}:` : '';
    process.stderr.write(`[kafkajs ${label}]${where} ${message} ${JSON.stringify(extra)}\n`);
  };

/** A kafkajs client for the test cluster, quiet unless KAFKAJS_LOG says otherwise. */
export function kafkaClient(config: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: 'irp-bridge-test',
    brokers: kafkaBrokers().split(','),
    logLevel: quietLogLevel(),
    logCreator: stderrLogCreator,
    ...config,
  });
}

/** A topic name no other test or run uses: `<prefix>-<time>-<random>`, legal Kafka characters only. */
export function uniqueTopic(prefix: string): string {
  return uniqueName(prefix);
}

/** A consumer group id no other test or run uses. */
export function uniqueGroupId(prefix: string): string {
  return uniqueName(prefix);
}

function uniqueName(prefix: string): string {
  const safe = prefix.replace(/[^a-zA-Z0-9._-]/g, '-').slice(0, 180) || 'test';
  return `${safe}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/**
 * Creates `name` with `partitions` partitions (replication factor 1) and waits until every partition
 * has a leader. Returns the name, so `const topic = await createTopic(uniqueTopic('x'), 3)` reads well.
 * Throws if the topic already exists.
 */
export async function createTopic(name: string, partitions = 3): Promise<string> {
  const admin = kafkaClient().admin();
  await admin.connect();
  try {
    const created = await admin.createTopics({
      topics: [{ topic: name, numPartitions: partitions, replicationFactor: 1 }],
      waitForLeaders: false,
    });
    if (!created) throw new Error(`topic ${name} already exists`);
    // kafkajs' own waitForLeaders fails the whole call when a metadata answer comes back before the new
    // topic reached the broker ("does not host this topic-partition"), as it does on a loaded machine:
    // poll the metadata here instead, until every partition has a leader.
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        const { topics } = await admin.fetchTopicMetadata({ topics: [name] });
        const found = topics[0]?.partitions ?? [];
        if (found.length === partitions && found.every((p) => p.leader >= 0)) return name;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) throw new Error(`topic ${name}: partitions without a leader after 60 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await admin.disconnect();
  }
}
