import type { Command } from 'commander';
import { CliError } from '../io.js';

/**
 * `irp-bridge run --config FILE`: runs one ERP source until SIGTERM/SIGINT. On SIGTERM it stops taking
 * records, finishes and publishes what is in flight, commits, leaves the group and exits 0. After a
 * credentials failure it stays up, not ready, and never calls the IRP again (exit only on a signal, 3).
 */
export function register(program: Command): void {
  program
    .command('run')
    .description('run one ERP source: Kafka in, IRP out, results/errors/dead letters back to Kafka')
    .requiredOption('--config <file>', 'source config (config/local/<erp>.yaml)')
    .action(async (opts: { config: string }) => {
      const { ConfigError, loadSourceConfig } = await import('../../config/load.js');
      let loaded;
      try {
        loaded = loadSourceConfig(opts.config);
      } catch (err) {
        if (err instanceof ConfigError) throw new CliError(err.message, 2);
        throw err;
      }
      const { config, baseDir } = loaded;
      const { createLogger } = await import('../../ops/logging.js');
      const { createPipelineMetrics, reportOwnedLag } = await import('../../ops/metrics.js');
      const { startOpsServer } = await import('../../ops/http.js');
      const { wireKafkaSource } = await import('../wiring.js');
      const log = createLogger(config.ops?.logLevel ?? 'info').child({ source: config.id });
      const { packageVersion } = await import('../paths.js');
      const metrics = createPipelineMetrics(undefined, true, { version: packageVersion() });
      let runtime;
      try {
        runtime = await wireKafkaSource(config, baseDir, metrics, log);
      } catch (err) {
        throw new CliError(`cannot start source ${config.id}: ${(err as Error).message}`, 2);
      }
      const { runner } = runtime;
      let started = false;
      runner.onStatus((s) => (started ||= s.running));
      const ops = await startOpsServer(
        config.ops?.httpHost ?? process.env.IRP_BRIDGE_HTTP_HOST ?? '127.0.0.1',
        config.ops?.httpPort ?? Number(process.env.IRP_BRIDGE_HTTP_PORT ?? 9464),
        metrics.registry,
        () => {
          const s = runner.status();
          const reason = s.halted
            ? `halted: IRP ${s.halted.code} ${s.halted.message}`
            : s.circuitOpen
              ? 'IRP unavailable: consumption paused'
              : !s.running
                ? started
                  ? 'stopped'
                  : 'starting'
                : undefined;
          return {
            live: true,
            ready: reason === undefined,
            ...(reason ? { reason } : {}),
            details: { inFlight: s.inFlight, counts: s.counts },
          };
        },
      );
      log.info(
        { ops: ops.url, topics: config.kafka.inputTopics, connector: config.connector },
        'source starting',
      );

      // Lag of the partitions this instance owns (the others' owners report theirs).
      const lagTimer = setInterval(() => {
        void reportOwnedLag(metrics, config.id, runtime.source).catch(() => undefined);
      }, 15_000).unref();

      let signalled = false;
      const shutdown = (signal: string) => {
        if (signalled) return;
        signalled = true;
        log.info({ signal }, 'shutting down');
        void runner.stop().catch((err: unknown) => log.error({ err }, 'stop failed'));
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));

      let status;
      try {
        status = await runner.run();
      } catch (err) {
        log.error({ err: String(err) }, 'source failed');
        status = runner.status();
        process.exitCode = 1;
      }
      if (status.halted && !signalled) {
        // Stay visible (metrics, not ready) until someone fixes the credentials and restarts us.
        log.error({ code: status.halted.code }, 'halted; waiting for a signal');
        await new Promise<void>((resolve) => {
          process.once('SIGTERM', () => resolve());
          process.once('SIGINT', () => resolve());
        });
        process.exitCode = 3;
      }
      clearInterval(lagTimer);
      await runtime.close();
      await ops.close();
      log.info({ counts: status.counts }, 'source stopped');
      // Everything is stopped and committed. A handle a client library left open (seen with kafkajs
      // after a broker restart: the process stayed up after SIGTERM) must not keep the process alive
      // for its supervisor to SIGKILL; say what it was and exit with the code decided above.
      setTimeout(() => {
        log.warn(
          { resources: process.getActiveResourcesInfo() },
          'still running 10 s after the source stopped: a handle was left open; exiting',
        );
        process.exit();
      }, 10_000).unref();
    });
}
