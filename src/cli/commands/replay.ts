import type { Command } from 'commander';
import type { MappedEvent } from '../../../connectors/types.js';
import type { IrpClient } from '../../irp/client/index.js';
import type { IrpLookup } from '../../operator/replay.js';
import type { SourceMessage } from '../../pipeline/ports.js';
import type { StageDeps } from '../../pipeline/stages.js';
import { CliError } from '../io.js';
import type { OperatorSource } from '../operator-wiring.js';

interface ReplayOptions {
  config: string;
  from: string;
  code?: string[];
  stage?: string[];
  since?: string;
  until?: string;
  docKey?: string[];
  source?: string[];
  anySource?: boolean;
  limit?: string;
  dryRun?: boolean;
  checkIrp?: boolean;
  json?: boolean;
  logLevel: string;
}

/**
 * `irp-bridge replay --config FILE --from dead-letter|errors [filters] [--dry-run]`: re-drives failed
 * records of a source through its pipeline (src/operator/replay.ts) after the cause was fixed. Exit 0
 * when every record sent got an output (whatever it was), 1 when the run stopped before that (an IRP
 * credentials failure), 2 for bad input (options, config, an unknown topic) before anything is sent.
 */
export function register(program: Command): void {
  program
    .command('replay')
    .description(
      're-drive dead letters or rejections of a source through its pipeline, after fixing the cause',
    )
    .requiredOption('--config <file>', 'the source config (as for run)')
    .requiredOption('--from <topic>', 'dead-letter or errors: which of the source\u2019s topics to replay')
    .option(
      '--code <code...>',
      'only failures with any of these codes (AVRO_DECODE, 3028, MAP_UNKNOWN_UNIT, …)',
    )
    .option('--stage <stage...>', 'only failures at these stages: decode, map, validate, submit')
    .option('--since <time>', 'only failures written at or after this instant (yyyy-MM-dd is midnight IST)')
    .option('--until <time>', 'only failures written before this instant')
    .option('--doc-key <key...>', 'only these documents (<GSTIN>/<type>/<number>/<FY>)')
    .option('--source <id...>', 'only failures of these source ids (default: the config\u2019s id)')
    .option('--any-source', 'failures of every source id on the topic')
    .option('--limit <n>', 'at most n inputs')
    .option('--dry-run', 'show what would be sent (with --json: the payloads), send nothing')
    .option('--check-irp', 'also ask the IRP by document details before re-submitting an invoice')
    .option('--json', 'print the plan and outcome as JSON')
    .option('--log-level <level>', 'pino log level on stderr', 'error')
    .action(async (opts: ReplayOptions) => {
      const { STAGES } = await import('../../operator/replay.js');
      const w = await import('../operator-wiring.js');
      // Every option is checked before the config is read or the broker is contacted.
      if (opts.from !== 'dead-letter' && opts.from !== 'errors')
        throw new CliError(`--from ${opts.from}: expected dead-letter or errors`, 2);
      const badStage = opts.stage?.find((s) => !(STAGES as readonly string[]).includes(s));
      if (badStage) throw new CliError(`--stage ${badStage}: expected one of ${STAGES.join(', ')}`, 2);
      const times = w.timeRange(opts.since, opts.until);
      const limit = w.positiveInt(opts.limit, '--limit');
      if (opts.source && opts.anySource) throw new CliError('give --source or --any-source, not both', 2);
      const badKey = opts.docKey?.find((k) => !/^[0-9A-Z]{15}\/(INV|CRN|DBN)\/.+\/[^/]+$/.test(k));
      if (badKey)
        throw new CliError(
          `--doc-key ${badKey}: expected <GSTIN>/<INV|CRN|DBN>/<number>/<FY>, as the outputs key it`,
          2,
        );
      const badCode = opts.code?.find((c) => !/^[A-Za-z0-9_]+$/.test(c));
      if (badCode) throw new CliError(`--code ${badCode}: expected a code such as 3028 or AVRO_DECODE`, 2);

      const { createLogger } = await import('../../ops/logging.js');
      const log = createLogger(opts.logLevel as 'warn', process.stderr as never);
      const src = await w.loadOperatorSource(opts.config, log);
      const { planReplay } = await import('../../operator/replay.js');
      const { formatReplay, replayJson } = await import('../../operator/replay-report.js');
      const { prepare } = await import('../../pipeline/stages.js');
      const { randomBytes } = await import('node:crypto');
      const reader = w.topicReader(src);
      const ops = w.operatorStages(src);
      const replayId = `replay-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
      try {
        let plan;
        try {
          plan = await planReplay(
            {
              reader,
              from: opts.from,
              failuresTopic:
                opts.from === 'dead-letter' ? src.config.topics.deadLetter : src.config.topics.errors,
              resultsTopic: src.config.topics.results,
              prepare: (m) => prepare(ops.stages, m),
              ...(opts.checkIrp ? { lookupIrp: irpLookup(ops.client) } : {}),
              replayId,
              now: () => new Date(),
            },
            {
              ...(opts.code ? { codes: opts.code } : {}),
              ...(opts.stage ? { stages: opts.stage } : {}),
              ...times,
              ...(opts.docKey ? { docKeys: opts.docKey } : {}),
              sourceIds: opts.anySource ? 'any' : (opts.source ?? [src.config.id]),
              ...(limit !== undefined ? { limit } : {}),
            },
          );
        } catch (err) {
          throw w.kafkaError(err, src);
        }
        const toSend = plan.items.filter((i) => i.verdict.action === 'send');
        if (opts.dryRun || toSend.length === 0) {
          process.stdout.write(
            opts.json
              ? `${JSON.stringify(replayJson(plan, Boolean(opts.dryRun)), null, 2)}\n`
              : formatReplay(plan, Boolean(opts.dryRun)),
          );
          return;
        }
        const outcome = await send(
          src,
          ops.stages,
          toSend.map((i) => i.message!),
          w,
        );
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(replayJson(plan, false, outcome), null, 2)}\n`
            : formatReplay(plan, false, outcome),
        );
        if (outcome.halted) {
          process.stderr.write(`irp-bridge: replay stopped: ${outcome.halted}\n`);
          process.exitCode = 1;
        }
      } finally {
        await reader.close();
        await ops.close();
      }
    });
}

type Wiring = typeof import('../operator-wiring.js'); // eslint-disable-line @typescript-eslint/consistent-type-imports

/** Runs the chosen inputs through the source's runner (at-least-once: no consumer group to commit to). */
async function send(src: OperatorSource, stages: StageDeps, messages: SourceMessage[], w: Wiring) {
  const { ListSource, answeringSink } = await import('../../operator/list-source.js');
  const source = new ListSource(messages);
  const kafka = w.outputSink(src);
  const { sink, answers } = answeringSink(kafka);
  const runner = w.operatorRunner(src, { source, sink, stages });
  let status;
  try {
    status = await runner.run();
  } catch (err) {
    throw w.kafkaError(err, src);
  } finally {
    await kafka.close().catch(() => undefined);
  }
  return {
    answers,
    halted: status.halted ? `IRP ${status.halted.code} ${status.halted.message}` : undefined,
  };
}

/** Get IRN by document details, as the replay's IRP check needs it. */
function irpLookup(client: IrpClient) {
  return async (event: MappedEvent): Promise<IrpLookup> => {
    if (event.kind !== 'generate') return { kind: 'absent' };
    const d = event.invoice.DocDtls;
    const found = await client.getByDocDetails(event.invoice.SellerDtls.Gstin, {
      docType: d.Typ as 'INV' | 'CRN' | 'DBN',
      docNo: d.No,
      docDate: d.Dt,
    });
    if (found.kind === 'success')
      return {
        kind: 'registered',
        irn: found.data.Irn,
        ...(found.data.Status ? { status: found.data.Status } : {}),
      };
    if (found.kind === 'rejected') {
      if (found.errors.some((e) => e.code === '2283'))
        return {
          kind: 'not-checkable',
          message: found.errors.map((e) => `${e.code} ${e.message}`).join('; '),
        };
      // 2154 "IRN details are not found" (2148 on some IRPs): nothing registered under these details.
      if (found.errors.every((e) => e.code === '2154' || e.code === '2148')) return { kind: 'absent' };
      return { kind: 'failed', message: found.errors.map((e) => `${e.code} ${e.message}`).join('; ') };
    }
    return { kind: 'failed', message: 'message' in found ? String(found.message) : found.kind };
  };
}
