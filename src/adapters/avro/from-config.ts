/**
 * Builds the Avro decoder of a source from its config's `avro` section (for src/cli, which wires it to
 * the pipeline). Secrets and the schema file are read here, at start-up, so a missing file or variable
 * stops the source before it consumes anything.
 */
import { readFileSync } from 'node:fs';
import type { AvroSchema, Connector } from '../../../connectors/types.js';
import { resolvePath, resolveSecret } from '../../config/load.js';
import { registerSecret } from '../../ops/logging.js';
import type { SourceConfig } from '../../config/source-config.js';
import { AvroEventDecoder } from './avro-decoder.js';
import { SchemaRegistryClient } from './schema-registry-client.js';

export type AvroConfig = NonNullable<SourceConfig['avro']>;

export interface ConfiguredAvroDecoder {
  decoder: AvroEventDecoder;
  /** The registry client when the wire format is `confluent` (also usable to register schemas). */
  registry: SchemaRegistryClient | undefined;
  /** Releases the registry's sockets. */
  close(): Promise<void>;
}

/**
 * The decoder for `avro` (absent: `raw` with the connector's schema). The wire format defaults to
 * `confluent` when a registry is configured, else `raw`; `schemaFile` (relative to the config file)
 * is the writer schema of `raw` and is not used with a registry.
 *
 * Throws (an Error naming the setting) for `confluent` without a registry, an unreadable or unparsable
 * schema file, a writer schema the connector cannot resolve, or an unresolvable password secret.
 */
export function avroDecoderFromConfig(
  avro: AvroConfig | undefined,
  connector: Pick<Connector, 'avroSchema'>,
  { baseDir, env = process.env }: { baseDir: string; env?: NodeJS.ProcessEnv },
): ConfiguredAvroDecoder {
  const wireFormat = avro?.wireFormat ?? (avro?.registry ? 'confluent' : 'raw');
  if (wireFormat === 'raw') {
    const writerSchema = avro?.schemaFile ? readSchemaFile(resolvePath(baseDir, avro.schemaFile)) : undefined;
    const decoder = new AvroEventDecoder({
      readerSchema: connector.avroSchema,
      writerSchema,
      wireFormat,
      limits: avro?.limits,
    });
    return { decoder, registry: undefined, close: async () => undefined };
  }
  const conf = avro?.registry;
  if (!conf)
    throw new Error('avro.wireFormat is confluent, but avro.registry (the schema registry url) is not set');
  let password: string | undefined;
  if (conf.password) {
    try {
      password = resolveSecret(conf.password, baseDir, env);
      registerSecret(password);
    } catch (error) {
      throw new Error(`avro.registry.password: ${(error as Error).message}`, { cause: error });
    }
  }
  const registry = new SchemaRegistryClient({
    url: conf.url,
    username: conf.username,
    password,
    timeoutMs: conf.timeoutMs,
  });
  const decoder = new AvroEventDecoder({
    readerSchema: connector.avroSchema,
    wireFormat,
    registry,
    limits: avro.limits,
  });
  return { decoder, registry, close: () => registry.close() };
}

function readSchemaFile(path: string): AvroSchema {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`avro.schemaFile ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`, {
      cause: error,
    });
  }
  try {
    return JSON.parse(text) as AvroSchema;
  } catch (error) {
    throw new Error(`avro.schemaFile ${path}: not JSON (${(error as Error).message})`, { cause: error });
  }
}
