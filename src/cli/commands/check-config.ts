import type { Command } from 'commander';
import { CliError } from '../io.js';

/** `irp-bridge check-config FILE`: validate one source config; exit 0 valid, 1 invalid, 2 unreadable. */
export function register(program: Command): void {
  program
    .command('check-config')
    .description('check a source config (YAML) and report every problem with its path')
    .argument('<file>', 'config/sources/<erp>.yaml')
    .option('--resolve-secrets', 'also check that every referenced secret (env var or file) is available')
    .action(async (file: string, opts: { resolveSecrets?: boolean }) => {
      const { ConfigError, loadSourceConfig, resolveSecret } = await import('../../config/load.js');
      const { connectorById } = await import('../../pipeline/connectors.js');
      let loaded;
      try {
        loaded = loadSourceConfig(file);
      } catch (err) {
        if (err instanceof ConfigError) {
          const unreadable = err.problems.some((p) => p.startsWith('cannot read'));
          throw new CliError(err.message, unreadable ? 2 : 1);
        }
        throw err;
      }
      const { config, baseDir } = loaded;
      const problems: string[] = [];
      const connector = connectorById(config.connector);
      if (!connector) problems.push(`connector: unknown connector "${config.connector}"`);
      else {
        // Building the decoder reads the writer schema and checks it resolves to the connector's
        // (no network: a registry client connects on first use).
        const { avroDecoderFromConfig } = await import('../../adapters/avro/from-config.js');
        try {
          await avroDecoderFromConfig(config.avro, connector, { baseDir }).close();
        } catch (e) {
          problems.push(`avro: ${(e as Error).message}`);
        }
      }
      if (opts.resolveSecrets) {
        config.irp.credentials.forEach((c, i) => {
          for (const field of ['clientId', 'clientSecret', 'userName', 'password'] as const) {
            const ref = c[field];
            if (!ref) continue;
            try {
              resolveSecret(ref, baseDir);
            } catch (e) {
              problems.push(`irp.credentials[${i}].${field}: ${(e as Error).message}`);
            }
          }
        });
      }
      if (problems.length > 0)
        throw new CliError(
          `${file}: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}`,
          1,
        );
      process.stdout.write(
        `${file}: ok (source ${config.id}, connector ${config.connector}, topics ${config.kafka.inputTopics.join(', ')})\n`,
      );
    });
}
