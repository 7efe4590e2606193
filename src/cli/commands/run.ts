import type { Command } from 'commander';
import { CliError } from '../io.js';

/** Exit codes of `irp-bridge run` (docs/operations.md: lifecycle). */
export const RUN_EXIT = {
  /** Stopped on SIGTERM/SIGINT after the drain, in any state (halted, circuit open, still connecting). */
  stopped: 0,
  /** Kafka not reached (or the group not joined) within kafka.startupTimeoutMs, or the source failed. */
  failed: 1,
  /** The configuration or a start-up check is wrong. */
  config: 2,
  /** The drain did not finish within pipeline.drainTimeoutMs: what completed was committed. */
  drainTimeout: 4,
} as const;

/** One clear line on stderr and the exit code, now (a client still retrying must not keep the process up). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

function exitWith(code: number, message: string): never {
  process.stderr.write(`irp-bridge: ${message.replace(CONTROL, ' ')}\n`);
  process.exit(code);
}

/** Bounds a clean-up step: shutting down must never hang on a client that does not answer. */
function bounded(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((r) => (timer = setTimeout(r, ms))),
  ]).finally(() => clearTimeout(timer));
}

/**
 * `irp-bridge run --config FILE`: runs one ERP source until SIGTERM/SIGINT.
 *
 * Lifecycle: ready (`/readyz` 200) only once connected to the brokers and a member of the group (with an
 * assignment or waiting for one), not while connecting, halted or stopping. An IRP outage is reported as
 * `degraded` by `/healthz` and leaves readiness alone (every pod would flip at once, and a restart does
 * not bring the IRP back). Start-up must join the group within `kafka.startupTimeoutMs`, else one line on
 * stderr and exit 1. A signal in any state stops taking records, drains (within
 * `pipeline.drainTimeoutMs`), commits and exits 0 (4 if the drain ran out of time). After a halt the
 * process stays up, paused in its group and not ready, until a signal.
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
        if (err instanceof ConfigError) throw new CliError(err.message, RUN_EXIT.config);
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
        throw new CliError(`cannot start source ${config.id}: ${(err as Error).message}`, RUN_EXIT.config);
      }
      const { runner, source } = runtime;
      const ops = await startOpsServer(
        config.ops?.httpHost ?? process.env.IRP_BRIDGE_HTTP_HOST ?? '127.0.0.1',
        config.ops?.httpPort ?? Number(process.env.IRP_BRIDGE_HTTP_PORT ?? 9464),
        metrics.registry,
        () => {
          const s = runner.status();
          const group = source.state();
          const reason = s.halted
            ? `halted: ${s.halted.code} ${s.halted.message}`
            : s.stopping
              ? 'stopping'
              : group.phase === 'connecting'
                ? 'connecting to Kafka'
                : group.phase === 'stopped'
                  ? 'stopped'
                  : undefined;
          return {
            live: true,
            ready: reason === undefined,
            ...(reason ? { reason } : {}),
            ...(s.circuitOpen ? { degraded: 'IRP unavailable: consumption paused' } : {}),
            details: {
              group: group.phase,
              assigned: group.assigned.length,
              inFlight: s.inFlight,
              counts: s.counts,
            },
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

      const cleanUp = async () => {
        clearInterval(lagTimer);
        clearInterval(joinWatch);
        clearTimeout(startupTimer);
        await bounded(runtime.close(), 5000);
        await bounded(ops.close(), 2000);
      };

      let signalled: string | undefined;
      let drained = true;
      let stopping: Promise<void> | undefined;
      const drainTimeoutMs = config.pipeline?.drainTimeoutMs ?? 45_000;
      const shutdown = (signal: string) => {
        if (signalled)
          exitWith(RUN_EXIT.drainTimeout, `second ${signal}: exiting without finishing the drain`);
        signalled = signal;
        log.info({ signal, state: source.state().phase }, 'shutting down: draining');
        stopping = runner.stop().then(
          (ok) => void (drained = ok),
          (err: unknown) => log.warn({ err: String(err) }, 'stopping the source failed'),
        );
        // A client that never lets go (a disconnect stuck on an unreachable broker) must not keep us up.
        setTimeout(
          () =>
            exitWith(
              RUN_EXIT.drainTimeout,
              `source ${config.id}: shutdown did not finish within ${drainTimeoutMs + 15_000} ms`,
            ),
          drainTimeoutMs + 15_000,
        ).unref();
      };
      process.on('SIGTERM', () => shutdown('SIGTERM'));
      process.on('SIGINT', () => shutdown('SIGINT'));

      const startupTimeoutMs = config.kafka.startupTimeoutMs ?? 60_000;
      const notJoined =
        `could not connect to Kafka (${config.kafka.brokers.join(', ')}) and join group ` +
        `${config.kafka.groupId} within ${startupTimeoutMs} ms (kafka.startupTimeoutMs)`;
      let joined = false;
      const joinWatch = setInterval(() => {
        if (source.state().phase !== 'member') return;
        joined = true;
        clearInterval(joinWatch);
      }, 200).unref();
      let startupFailure: string | undefined;
      const startupTimer = setTimeout(() => {
        if (source.state().phase !== 'connecting' || signalled) return;
        startupFailure = notJoined;
        log.error({ startupTimeoutMs }, startupFailure);
        void runner.stop().catch(() => undefined);
      }, startupTimeoutMs);
      startupTimer.unref();

      let failure: unknown;
      let status;
      try {
        status = await Promise.race([
          runner.run(),
          // A start-up failure must end the process promptly even if the client is stuck connecting.
          new Promise<never>((_, reject) => {
            const check = setInterval(() => {
              if (startupFailure) {
                clearInterval(check);
                reject(new Error(startupFailure));
              }
            }, 100);
            check.unref();
          }),
        ]);
      } catch (err) {
        failure = err;
        status = runner.status();
      }
      if (stopping) await stopping;
      await cleanUp();
      log.info({ counts: status.counts, signal: signalled }, 'source stopped');
      if (signalled) {
        if (!drained)
          exitWith(
            RUN_EXIT.drainTimeout,
            `source ${config.id}: the drain did not finish within ${drainTimeoutMs} ms (pipeline.drainTimeoutMs); what completed is committed, the rest is read again`,
          );
        // Exit 0, whatever state the signal found us in. Everything is stopped and committed: a handle a
        // client library left open (seen with kafkajs after a broker restart) must not keep the process
        // up for its supervisor to SIGKILL; say what it was and exit (the timer is unref'd: it only
        // fires if something else holds the loop).
        setTimeout(() => {
          log.warn(
            { resources: process.getActiveResourcesInfo() },
            'still running 10 s after the source stopped: a handle was left open; exiting',
          );
          process.exit(RUN_EXIT.stopped);
        }, 10_000).unref();
        return;
      }
      if (startupFailure) exitWith(RUN_EXIT.failed, `source ${config.id}: ${startupFailure}`);
      // The adapter's own connection deadline (the same kafka.startupTimeoutMs) may answer first.
      if (failure !== undefined && !joined)
        exitWith(
          RUN_EXIT.failed,
          `source ${config.id}: ${notJoined}: ${(failure as Error)?.message ?? String(failure)}`,
        );
      if (failure !== undefined)
        exitWith(
          RUN_EXIT.failed,
          `source ${config.id} failed: ${(failure as Error)?.message ?? String(failure)}`,
        );
      exitWith(RUN_EXIT.failed, `source ${config.id}: the Kafka consumer stopped unexpectedly`);
    });
}
