/**
 * Where the Kafka tools of the command line (`topics`, `produce`, `consume`) connect: `--brokers`, else
 * the source config's `kafka` section (environment overrides applied, TLS and SASL included), else
 * `$IRP_BRIDGE_BROKERS`, else 127.0.0.1:9092.
 */
import type { LoadedConfig } from '../config/load.js';
import type { KafkaConnection } from '../config/source-config.js';
import { CliError } from './io.js';

export interface KafkaTargetOptions {
  config?: string;
  brokers?: string;
}

export interface KafkaTarget {
  conn: KafkaConnection;
  loaded?: LoadedConfig;
}

export async function kafkaTarget(opts: KafkaTargetOptions): Promise<KafkaTarget> {
  const { ConfigError, loadSourceConfig, resolveSecret } = await import('../config/load.js');
  let loaded: LoadedConfig | undefined;
  if (opts.config) {
    try {
      loaded = loadSourceConfig(opts.config);
    } catch (err) {
      if (err instanceof ConfigError) throw new CliError(err.message, 2);
      throw err;
    }
  }
  const list = (s: string) =>
    s
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean);
  const brokers = opts.brokers
    ? list(opts.brokers)
    : (loaded?.config.kafka.brokers ?? list(process.env.IRP_BRIDGE_BROKERS || '127.0.0.1:9092'));
  const conn: KafkaConnection = { clientId: 'irp-bridge-cli', brokers };
  const k = loaded?.config.kafka;
  if (k && !opts.brokers) {
    if (k.ssl) conn.ssl = k.ssl;
    if (k.sasl) {
      let password: string;
      try {
        password = resolveSecret(k.sasl.password, loaded!.baseDir);
      } catch (err) {
        throw new CliError(`kafka.sasl.password: ${(err as Error).message}`, 2);
      }
      const { registerSecret } = await import('../ops/logging.js');
      registerSecret(password);
      conn.sasl = { mechanism: k.sasl.mechanism, username: k.sasl.username, password };
    }
  }
  return { conn, ...(loaded ? { loaded } : {}) };
}

/** A Kafka error as one line (kafkajs nests the broker's reason). */
export function kafkaFailure(what: string, conn: KafkaConnection, err: unknown): CliError {
  return new CliError(`${what} at ${conn.brokers.join(',')}: ${(err as Error).message}`, 1);
}
