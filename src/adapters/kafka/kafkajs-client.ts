/**
 * Building a kafkajs client from the source config: brokers, TLS, SASL, and kafkajs' own log lines
 * routed into the process logger (kafkajs prints to the console by default).
 */
import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from 'kafkajs';
import type { Logger } from 'pino';
import type { KafkaConnection } from '../../config/source-config.js';

const toPino: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export function kafkajsClient(
  conn: KafkaConnection,
  log: Logger,
  tuning: Pick<KafkaConfig, 'requestTimeout'> = {},
): Kafka {
  const config: KafkaConfig = {
    ...tuning,
    clientId: conn.clientId,
    brokers: conn.brokers,
    // kafkajs is chatty at INFO (every group join); WARN and up reach the log, as structured lines.
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, namespace, log: entry }) => {
        const { message, timestamp: _t, logger: _l, ...extra } = entry;
        log[toPino[level] ?? 'info']({ kafka: namespace, ...extra }, String(message));
      },
  };
  if (conn.ssl?.enabled) {
    config.ssl = {
      rejectUnauthorized: conn.ssl.rejectUnauthorized ?? true,
      ...(conn.ssl.caFile ? { ca: [readFileSync(conn.ssl.caFile, 'utf8')] } : {}),
      ...(conn.ssl.certFile ? { cert: readFileSync(conn.ssl.certFile, 'utf8') } : {}),
      ...(conn.ssl.keyFile ? { key: readFileSync(conn.ssl.keyFile, 'utf8') } : {}),
    };
  }
  if (conn.sasl) {
    config.sasl = {
      mechanism: conn.sasl.mechanism,
      username: conn.sasl.username,
      password: conn.sasl.password,
    } as SASLOptions;
  }
  return new Kafka(config);
}
