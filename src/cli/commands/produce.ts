import type { Command } from 'commander';
import { CliError, integerOption } from '../io.js';

interface ProduceOptions {
  config?: string;
  connector?: string;
  topic?: string;
  brokers?: string;
  generate?: string;
  seed: string;
  asOf?: string;
  format?: string;
  registry?: string;
  register?: boolean;
  subject?: string;
  schemaId?: string;
}

/**
 * `irp-bridge produce`: publishes a connector's bundled sample events (or generated ones) to a Kafka
 * topic, Avro-encoded as the ERP side would write them — raw bodies, or the Confluent wire format with
 * the connector's schema registered (`--register`) or given by id — each keyed by its document, so a
 * source has something to read. With `--config`, the connector, topic, brokers, wire format and registry
 * come from the source config.
 */
export function register(program: Command): void {
  program
    .command('produce')
    .description('publish a connector\u2019s sample (or generated) ERP events to a Kafka topic, Avro-encoded')
    .option(
      '--config <file>',
      'take connector, topic, brokers, wire format and registry from a source config',
    )
    .option(
      '--connector <id>',
      'the connector whose events to publish (sap, oracle, d365, tally, erpnext, canonical)',
    )
    .option('--topic <topic>', 'target topic (default: the config\u2019s first input topic)')
    .option(
      '--brokers <list>',
      'bootstrap servers (default: the config\u2019s, $IRP_BRIDGE_BROKERS or 127.0.0.1:9092)',
    )
    .option('--generate <n>', 'publish n generated events instead of the samples')
    .option('--seed <n>', 'seed of the generator', '1')
    .option('--as-of <yyyy-MM-dd>', 'latest document date of generated events (default today)')
    .option('--format <format>', 'raw (Avro body) or confluent (magic byte, schema id, body)')
    .option('--registry <url>', 'schema registry for --format confluent (default: the config\u2019s)')
    .option('--register', 'register the connector\u2019s schema (subject <topic>-value) and use its id')
    .option('--subject <subject>', 'registry subject for --register (default <topic>-value)')
    .option('--schema-id <id>', 'with --format confluent and no --register: the writer schema\u2019s id')
    .action(async (opts: ProduceOptions) => {
      const { kafkaFailure, kafkaTarget } = await import('../kafka-target.js');
      const { publish, topicExists } = await import('../../adapters/kafka/topic-tools.js');
      const { createEventEncoder } = await import('../../adapters/avro/event-encoder.js');
      const { connectorById, knownConnectorIds } = await import('../../pipeline/connectors.js');
      const { createLogger } = await import('../../ops/logging.js');
      const log = createLogger('error', process.stderr as never);

      const { conn, loaded } = await kafkaTarget(opts);
      const config = loaded?.config;
      const connectorId = opts.connector ?? config?.connector;
      if (!connectorId) throw new CliError('give --connector ID or --config FILE', 2);
      const connector = connectorById(connectorId);
      if (!connector)
        throw new CliError(`unknown connector ${connectorId}; known: ${knownConnectorIds().join(', ')}`, 2);
      const topic = opts.topic ?? config?.kafka.inputTopics[0];
      if (!topic) throw new CliError('give --topic TOPIC or --config FILE', 2);
      const registryUrl = opts.registry ?? config?.avro?.registry?.url;
      // The config's rule: confluent with a registry, else raw.
      const format = opts.format ?? config?.avro?.wireFormat ?? (registryUrl ? 'confluent' : 'raw');
      if (format !== 'raw' && format !== 'confluent')
        throw new CliError(`--format must be raw or confluent, got ${format}`, 2);

      // The events: Avro-JSON samples, or generated records.
      let events: { record: unknown; encode: (e: ReturnType<typeof createEventEncoder>) => Buffer }[];
      let what: string;
      if (opts.generate !== undefined) {
        const count = integerOption('--generate', opts.generate, 1);
        const { generateRecords } = await import('../../../connectors/testkit/generators.js');
        const { isConnectorId } = await import('../../../connectors/registry.js');
        if (!isConnectorId(connectorId)) throw new CliError(`no generator for ${connectorId}`, 2);
        const records = generateRecords(connectorId, count, {
          seed: integerOption('--seed', opts.seed, 0),
          asOf: opts.asOf ?? new Date().toISOString().slice(0, 10),
        });
        events = records.map((record) => ({ record, encode: (e) => e.fromRecord(record) }));
        what = `${count} generated ${connectorId} events (seed ${opts.seed})`;
      } else {
        const { projectRoot } = await import('../paths.js');
        const { readSampleLines, sampleFile } = await import('../samples.js');
        const { relative } = await import('node:path');
        const root = projectRoot();
        const lines = readSampleLines(root, connectorId);
        const parse = createEventEncoder(connector.avroSchema, { format: 'raw' });
        events = lines.map((line, i) => {
          try {
            const { record } = parse.fromAvroJson(line);
            return { record, encode: (e) => e.fromAvroJson(line).value };
          } catch (err) {
            throw new CliError(`sample ${i + 1} of ${connectorId}: ${(err as Error).message}`, 1);
          }
        });
        what = `${lines.length} sample ${connectorId} events (${relative(process.cwd(), sampleFile(root, connectorId)) || sampleFile(root, connectorId)})`;
      }

      // The wire format.
      let schemaId: number | undefined;
      if (format === 'confluent') {
        if (opts.schemaId !== undefined) schemaId = integerOption('--schema-id', opts.schemaId, 0);
        else if (opts.register) {
          if (!registryUrl) throw new CliError('--register needs --registry URL (or avro.registry.url)', 2);
          const { SchemaRegistryClient } = await import('../../adapters/avro/schema-registry-client.js');
          const registry = new SchemaRegistryClient({ url: registryUrl });
          try {
            schemaId = await registry.register(opts.subject ?? `${topic}-value`, connector.avroSchema);
          } catch (err) {
            throw new CliError(`registering the ${connectorId} schema: ${(err as Error).message}`, 1);
          } finally {
            await registry.close();
          }
        } else
          throw new CliError('--format confluent needs --register (with a registry) or --schema-id ID', 2);
      }
      const encoder = createEventEncoder(
        connector.avroSchema,
        schemaId === undefined ? { format: 'raw' } : { format: 'confluent', schemaId },
      );
      // Keyed by the document, as the source expects (its events stay in order on one partition).
      const messages = events.map((e) => {
        const mapped = connector.map(e.record);
        return { key: mapped.ok ? mapped.event.docKey : null, value: e.encode(encoder) };
      });

      try {
        if (!(await topicExists(conn, topic, log)))
          throw new CliError(
            `topic ${topic} does not exist at ${conn.brokers.join(',')}: create it with \`irp-bridge topics --config FILE\``,
            1,
          );
        await publish(conn, topic, messages, log);
      } catch (err) {
        if (err instanceof CliError) throw err;
        throw kafkaFailure(`producing to ${topic}`, conn, err);
      }
      process.stdout.write(
        `produced ${what} to ${topic} at ${conn.brokers.join(',')} (${
          schemaId === undefined ? 'raw Avro' : `Confluent wire format, schema id ${schemaId}`
        })\n`,
      );
    });
}
