/**
 * The process logger: pino, structured JSON on stdout, with the IRP client's redaction (secret-named
 * properties censored, every registered secret value scrubbed from each line) applied to every log call.
 * Secrets a source resolves (Kafka SASL password, IRP passwords and client secrets) are registered with
 * {@link registerSecret} before anything can log them.
 */
import type { DestinationStream, Level, Logger } from 'pino';
import { createRedactingLogger, globalSecretRegistry } from '../irp/client/index.js';

export function createLogger(level: Level | 'silent' = 'info', destination?: DestinationStream): Logger {
  return createRedactingLogger({ level, base: { service: 'irp-bridge' } }, destination);
}

/** Registers a configuration secret for the life of the process (never evicted, whatever its length). */
export function registerSecret(value: string | undefined): void {
  if (value) globalSecretRegistry.pin(value);
}
