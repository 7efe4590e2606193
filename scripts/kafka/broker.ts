/**
 * A local Kafka broker for developers: `npx tsx scripts/kafka/broker.ts`.
 *
 * Starts the same single-node KRaft broker the integration tests use, prints
 * `KAFKA_BROKERS=127.0.0.1:<port>` on stdout, and stops it (removing its data) on Ctrl-C or SIGTERM.
 * Point the tests at it with `KAFKA_BROKERS=127.0.0.1:<port> npm run test:integration`.
 *
 * Options: --port N (default: a free port; the quickstart uses 9092), --partitions N (default 3),
 * --auto-create-topics, --keep (keep data and broker.log).
 */
import { parseArgs } from 'node:util';
import { startKafkaBroker } from '../../test/support/kafka-broker.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    partitions: { type: 'string', default: '3' },
    'auto-create-topics': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});

const started = Date.now();
const broker = await startKafkaBroker({
  port: Number(values.port),
  numPartitions: Number(values.partitions),
  autoCreateTopics: values['auto-create-topics'],
  keepDir: values.keep,
});
console.error(
  `Kafka ${broker.version} ready in ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${broker.pid}); ` +
    `log: ${broker.logFile}. Ctrl-C stops it.`,
);
console.log(`KAFKA_BROKERS=${broker.brokers}`);

const shutdown = (signal: NodeJS.Signals) => {
  console.error(`${signal}: stopping Kafka (pid ${broker.pid})`);
  broker.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
