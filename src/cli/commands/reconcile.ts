import type { Command } from 'commander';
import type { IrpClient } from '../../irp/client/index.js';
import type { IrpAnswer, Row } from '../../operator/reconcile.js';
import { CliError } from '../io.js';

interface ReconcileOptions {
  config: string;
  erp?: string;
  erpFormat?: string;
  fromStatus?: boolean;
  since?: string;
  until?: string;
  tolerance: string;
  checkIrp?: boolean;
  sample?: string;
  irpSince?: string;
  irpUntil?: string;
  seed?: string;
  format: string;
  out?: string;
  failOn: string;
  only?: string[];
  logLevel: string;
}

/**
 * `irp-bridge reconcile --config FILE [--erp LIST] [--check-irp]`: a report per document of what the
 * source's outputs say, against the ERP's list and a sample checked at the IRP
 * (src/operator/reconcile.ts). Exit 0, 1 when a document has a status of `--fail-on` (default: missing),
 * 2 for bad input (options, config, list, unknown topic, an existing --out file) before anything is read.
 */
export function register(program: Command): void {
  program
    .command('reconcile')
    .description(
      'per document: IRN and status, rejections, cancellations, what is missing or unknown to the ERP, amounts; optionally checked at the IRP',
    )
    .requiredOption('--config <file>', 'the source config (as for run)')
    .option(
      '--erp <file>',
      'the ERP\u2019s documents: CSV with a header (seller,type,number,date,total) or NDJSON',
    )
    .option('--erp-format <format>', 'csv or ndjson (default: by extension, .csv or .ndjson/.jsonl)')
    .option(
      '--from-status',
      'read the document-status topic (one record per document) instead of results and errors',
    )
    .option('--since <date>', 'only documents dated on or after (yyyy-MM-dd or dd/MM/yyyy)')
    .option('--until <date>', 'only documents dated on or before')
    .option('--tolerance <rupees>', 'amounts may differ by this much', '1.00')
    .option('--check-irp', 'ask the IRP about a sample (Get IRN by document details)')
    .option(
      '--sample <n>',
      'how many documents to check at the IRP (default 50; all with --irp-since/--irp-until)',
    )
    .option('--irp-since <date>', 'check the documents dated on or after this at the IRP')
    .option('--irp-until <date>', 'check the documents dated on or before this at the IRP')
    .option('--seed <n>', 'seed of the sample (printed, so a check can be repeated)')
    .option('--format <format>', 'table, csv or json', 'table')
    .option('--out <file>', 'write the report to this new file (never an existing one)')
    .option(
      '--fail-on <statuses>',
      'exit 1 when any document has one of these statuses (comma-separated; add irp checks such as irp-absent)',
      'missing',
    )
    .option('--only <status...>', 'list only these statuses (the counts cover all)')
    .option('--log-level <level>', 'pino log level on stderr', 'error')
    .action(async (opts: ReconcileOptions) => {
      const r = await import('../../operator/reconcile.js');
      const w = await import('../operator-wiring.js');
      const { readFile, writeFile } = await import('node:fs/promises');
      const { existsSync } = await import('node:fs');
      const { extname } = await import('node:path');
      // Options first: nothing is read or written when one is wrong.
      if (!['table', 'csv', 'json'].includes(opts.format))
        throw new CliError(`--format ${opts.format}: expected table, csv or json`, 2);
      const known = [...r.STATUSES, ...r.IRP_CHECKS] as readonly string[];
      const failOn = opts.failOn
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const badFail = failOn.find((s) => !known.includes(s));
      if (badFail) throw new CliError(`--fail-on ${badFail}: expected statuses among ${known.join(', ')}`, 2);
      const badOnly = opts.only?.find((s) => !(r.STATUSES as readonly string[]).includes(s));
      if (badOnly) throw new CliError(`--only ${badOnly}: expected one of ${r.STATUSES.join(', ')}`, 2);
      if (!/^\d+(\.\d{1,2})?$/.test(opts.tolerance))
        throw new CliError(`--tolerance ${opts.tolerance}: expected rupees, e.g. 1.00`, 2);
      const tolerancePaise = Math.round(Number(opts.tolerance) * 100);
      const sample = w.positiveInt(opts.sample, '--sample');
      const seed =
        opts.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : w.positiveInt(opts.seed, '--seed')!;
      if ((opts.sample || opts.irpSince || opts.irpUntil || opts.seed) && !opts.checkIrp)
        throw new CliError('--sample, --irp-since, --irp-until and --seed go with --check-irp', 2);
      let range: { since?: string; until?: string };
      let irpRange: { since?: string; until?: string };
      try {
        range = {
          ...(opts.since ? { since: r.optionDate(opts.since, '--since') } : {}),
          ...(opts.until ? { until: r.optionDate(opts.until, '--until') } : {}),
        };
        irpRange = {
          ...(opts.irpSince ? { since: r.optionDate(opts.irpSince, '--irp-since') } : {}),
          ...(opts.irpUntil ? { until: r.optionDate(opts.irpUntil, '--irp-until') } : {}),
        };
      } catch (err) {
        throw new CliError((err as Error).message, 2);
      }
      if (opts.out && existsSync(opts.out))
        throw new CliError(`refusing to overwrite ${opts.out}: give a new file`, 2);
      let erp;
      if (opts.erp) {
        const format =
          opts.erpFormat ??
          (extname(opts.erp).toLowerCase() === '.csv'
            ? 'csv'
            : ['.ndjson', '.jsonl'].includes(extname(opts.erp).toLowerCase())
              ? 'ndjson'
              : undefined);
        if (format !== 'csv' && format !== 'ndjson')
          throw new CliError(
            `--erp ${opts.erp}: give --erp-format csv or ndjson (or name the file .csv or .ndjson)`,
            2,
          );
        let text;
        try {
          text = await readFile(opts.erp, 'utf8');
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          throw new CliError(
            `cannot read ${opts.erp}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code}`,
            2,
          );
        }
        try {
          erp = r.parseErpList(text, format);
        } catch (err) {
          if (err instanceof r.ErpListError) throw new CliError(`${opts.erp}: ${err.message}`, 2);
          throw err;
        }
      }

      const { createLogger } = await import('../../ops/logging.js');
      const log = createLogger(opts.logLevel as 'error', process.stderr as never);
      const src = await w.loadOperatorSource(opts.config, log);
      if (opts.fromStatus && !src.config.topics.documentStatus)
        throw new CliError('--from-status needs topics.documentStatus in the config', 2);
      const reader = w.topicReader(src);
      let outputs;
      try {
        outputs = await r.readOutputs(reader, src.config.topics, Boolean(opts.fromStatus));
      } catch (err) {
        throw w.kafkaError(err, src);
      } finally {
        await reader.close();
      }
      const rows = r.reconcile(outputs.ledger, erp, { tolerancePaise, ...range });
      if (opts.checkIrp) {
        const chosen = r.irpSample(rows, {
          ...irpRange,
          ...(sample !== undefined ? { sample } : irpRange.since || irpRange.until ? {} : { sample: 50 }),
          seed,
        });
        const ops = w.operatorStages(src);
        try {
          await checkAtIrp(ops.client, chosen, r.judge);
        } finally {
          await ops.close();
        }
      }
      const report = r.makeReport(src.config.id, rows, outputs, opts.checkIrp ? seed : undefined);
      const shown = opts.only
        ? { ...report, rows: report.rows.filter((x) => opts.only!.includes(x.status)) }
        : report;
      const text =
        opts.format === 'json'
          ? `${JSON.stringify(r.toJson(shown), null, 2)}\n`
          : opts.format === 'csv'
            ? r.toCsv(shown)
            : r.formatTable(shown);
      if (opts.out) {
        try {
          await writeFile(opts.out, text, { flag: 'wx' });
        } catch (err) {
          throw new CliError(`cannot write ${opts.out}: ${(err as NodeJS.ErrnoException).code}`, 2);
        }
        process.stderr.write(
          `${r.formatTable({ ...report, rows: [] }).split('\n')[0]} — written to ${opts.out}\n`,
        );
      } else process.stdout.write(text);
      const failing = report.rows.filter(
        (x) => failOn.includes(x.status) || (x.irp && failOn.includes(x.irp.check)),
      );
      if (failing.length > 0) process.exitCode = 1;
    });
}

/** Get IRN by document details for each row, a few at a time (the client bounds requests per GSTIN). */
async function checkAtIrp(
  client: IrpClient,
  rows: Row[],
  judge: (row: Row, answer: IrpAnswer) => NonNullable<Row['irp']>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const row = rows[next++]!;
      const found = await client.getByDocDetails(row.seller!, {
        docType: row.type as 'INV' | 'CRN' | 'DBN',
        docNo: row.number!,
        docDate: row.date!,
      });
      let answer: IrpAnswer;
      if (found.kind === 'success')
        answer = {
          kind: 'registered',
          irn: found.data.Irn,
          ...(found.data.Status ? { status: found.data.Status } : {}),
        };
      else if (found.kind === 'rejected' && found.errors.some((e) => e.code === '2283'))
        answer = {
          kind: 'not-checkable',
          message: found.errors.map((e) => `${e.code} ${e.message}`).join('; '),
        };
      else if (found.kind === 'rejected' && found.errors.every((e) => e.code === '2154' || e.code === '2148'))
        answer = { kind: 'absent' };
      else if (found.kind === 'rejected')
        answer = { kind: 'failed', message: found.errors.map((e) => `${e.code} ${e.message}`).join('; ') };
      else answer = { kind: 'failed', message: 'message' in found ? String(found.message) : found.kind };
      row.irp = judge(row, answer);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, rows.length) }, worker));
}
