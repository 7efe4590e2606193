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
import { startKafkaBroker, waitForKafka } from './kafka-broker.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Bootstrap servers of the cluster the integration tests use, `host:port[,host:port]`. */
    kafkaBrokers: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
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
