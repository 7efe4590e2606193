/**
 * Global setup of the `integration` project (vitest.config.ts): one Kafka cluster for the whole run.
 *
 * - `KAFKA_BROKERS=host:port[,host:port]` set: use that cluster (checked to answer first), start nothing.
 * - otherwise: start a throwaway single-node broker (test/support/kafka-broker.ts) and stop it after the run.
 *
 * Vitest runs a project's global setup only when that project has test files to run, so
 * `vitest run --project unit` never starts a JVM. Tests read the address with `kafkaBrokers()` from
 * test/support/kafka.ts.
 */
import type { TestProject } from 'vitest/node';
import { confluentAvailable } from '../../src/adapters/kafka/confluent.js';
import { startKafkaBroker, waitForKafka } from './kafka-broker.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Bootstrap servers of the cluster the integration tests use, `host:port[,host:port]`. */
    kafkaBrokers: string;
    /** The Kafka adapters whose tests run here (see `kafkaAdaptersUnderTest`). */
    kafkaAdapters: ('kafkajs' | 'confluent')[];
  }
}

/**
 * The librdkafka binding is an optional dependency that only builds where its toolchain is (see
 * docs/running.md#kafka-adapters). Where it is absent its tests are skipped with one line saying so;
 * where CI built it (`IRP_BRIDGE_REQUIRE_CONFLUENT=1`, set by .ci/run) its absence fails the run.
 */
async function kafkaAdaptersUnderTest(): Promise<('kafkajs' | 'confluent')[]> {
  if (await confluentAvailable()) return ['kafkajs', 'confluent'];
  if (process.env.IRP_BRIDGE_REQUIRE_CONFLUENT === '1')
    throw new Error(
      'IRP_BRIDGE_REQUIRE_CONFLUENT=1 but @confluentinc/kafka-javascript does not load: its tests would be skipped',
    );
  console.log(
    'irp-bridge: @confluentinc/kafka-javascript is not installed (optional; CKJS_LINKING=dynamic npm ci builds it): confluent adapter tests skipped',
  );
  return ['kafkajs'];
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  project.provide('kafkaAdapters', await kafkaAdaptersUnderTest());
  const external = process.env.KAFKA_BROKERS?.trim();
  if (external) {
    try {
      await waitForKafka(external, { timeoutMs: 30_000 });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`KAFKA_BROKERS=${external} is set but that cluster does not answer: ${reason}`, {
        cause: error,
      });
    }
    project.provide('kafkaBrokers', external);
    return undefined;
  }

  const broker = await startKafkaBroker();
  project.provide('kafkaBrokers', broker.brokers);
  return () => broker.stop();
}
