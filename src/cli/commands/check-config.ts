import type { Command } from 'commander';
import { CliError } from '../io.js';

/**
 * `irp-bridge check-config FILE`: the checks `irp-bridge run` makes before it starts (start-checks.ts),
 * without connecting to anything: the shape (unknown keys, types, URLs, ports, lists), the connector,
 * keys, certificates and credentials files, the Avro schema resolution, and with `--resolve-secrets`
 * every SecretRef. Every problem in one pass; exit 0 valid, 1 invalid, 2 unreadable.
 */
export function register(program: Command): void {
  program
    .command('check-config')
    .description('check a source config with the start-up checks of `run`, every problem with its path')
    .argument('<file>', 'a source config (config/local/<erp>.yaml)')
    .option('--resolve-secrets', 'also resolve every secret reference (env var or file), as `run` does')
    .action(async (file: string, opts: { resolveSecrets?: boolean }) => {
      const { ConfigError, loadSourceConfig } = await import('../../config/load.js');
      const { startChecks } = await import('../start-checks.js');
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
      const { config, baseDir, overrides } = loaded;
      const { problems } = await startChecks(config, baseDir, {
        resolveSecrets: Boolean(opts.resolveSecrets),
      });
      const from = overrides.map((o) => `${o.path} from ${o.variable}`).join(', ');
      if (problems.length > 0)
        throw new CliError(
          `${file}: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}` +
            (from ? `\n  (environment overrides: ${from})` : ''),
          1,
        );
      const { transportWarnings } = await import('../transport-warnings.js');
      for (const warning of transportWarnings(config)) process.stderr.write(`warning: ${warning}\n`);
      if (!config.irp.signingCertFile && !config.irp.credentials.some((c) => c.file))
        process.stderr.write(
          'warning: irp.signingCertFile is not set: signed IRP answers will not be verified\n',
        );
      process.stdout.write(
        `${file}: ok (source ${config.id}, connector ${config.connector}, topics ${config.kafka.inputTopics.join(', ')}` +
          `${opts.resolveSecrets ? ', secrets resolved' : ''}${from ? `; ${from}` : ''})\n`,
      );
    });
}
