/**
 * A local schema registry for developers: `npx tsx scripts/schema-registry/registry.ts`.
 *
 * Starts the same Apicurio Registry (in-memory storage) the integration tests use, prints
 * `SCHEMA_REGISTRY_URL=http://127.0.0.1:<port>/apis/ccompat/v7` on stdout (the Confluent-compatible API
 * that `avro.registry.url` in a source config takes), and stops it on Ctrl-C or SIGTERM.
 *
 * Options: --keep (keep its folder and registry.log after stop).
 */
import { parseArgs } from 'node:util';
import { startSchemaRegistry } from '../../test/support/schema-registry.js';

const { values } = parseArgs({ options: { keep: { type: 'boolean', default: false } } });

const started = Date.now();
const registry = await startSchemaRegistry({ keepDir: values.keep });
console.error(
  `Apicurio Registry ${registry.version} ready in ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${registry.pid}); ` +
    `log: ${registry.logFile}. Ctrl-C stops it.`,
);
console.log(`SCHEMA_REGISTRY_URL=${registry.url}`);

const shutdown = (signal: NodeJS.Signals) => {
  console.error(`${signal}: stopping the schema registry (pid ${registry.pid})`);
  registry.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
