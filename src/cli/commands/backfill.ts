import type { Command } from 'commander';
import type { Logger } from 'pino';
import type { AvroSchema } from '../../../connectors/types.js';
import type { BackfillReport, ExportFile, ExportFormat, FileReport } from '../../operator/backfill.js';
import type { EventDecoder } from '../../pipeline/ports.js';
import { CliError } from '../io.js';
import type { OperatorSource } from '../operator-wiring.js';

interface BackfillOptions {
  config: string;
  from: string;
  format?: string;
  schema?: string;
  state?: string;
  batchSize: string;
  json?: boolean;
  progress?: boolean;
  logLevel: string;
}

/**
 * `irp-bridge backfill --config FILE --from FILE|DIR`: the source's pipeline over ERP exports in files,
 * to its configured output topics (src/operator/backfill.ts). Resumable: run the same command again after
 * a stop, a crash or kill -9. Exit 0 when every record got its output, 1 when it stopped early (a signal,
 * an IRP credentials failure, Kafka), 2 for bad input before anything was sent.
 */
export function register(program: Command): void {
  program
    .command('backfill')
    .description(
      'run a source\u2019s pipeline over ERP exports in files (NDJSON, Avro container, JSON) to its outputs; resumable',
    )
    .requiredOption('--config <file>', 'the source config (as for run)')
    .requiredOption(
      '--from <path>',
      'an export file, or a folder of them (searched recursively, in name order)',
    )
    .option(
      '--format <format>',
      'ndjson (Avro JSON lines), avro (container files) or json (the connector\u2019s JSON); default by extension',
    )
    .option(
      '--schema <file>',
      'writer schema (.avsc) of NDJSON/JSON files (default: avro.schemaFile, else the connector\u2019s)',
    )
    .option('--state <dir>', 'where the offsets are kept (default .irp-bridge/backfill/<source id>)')
    .option('--batch-size <n>', 'records per batch', '200')
    .option('--json', 'print the summary as JSON')
    .option('--no-progress', 'no progress on stderr')
    .option('--log-level <level>', 'pino log level on stderr', 'error')
    .action(async (opts: BackfillOptions) => {
      const w = await import('../operator-wiring.js');
      const b = await import('../../operator/backfill.js');
      const { resolve, join } = await import('node:path');
      if (opts.format !== undefined && !['ndjson', 'avro', 'json'].includes(opts.format))
        throw new CliError(`--format ${opts.format}: expected ndjson, avro or json`, 2);
      const batchSize = w.positiveInt(opts.batchSize, '--batch-size')!;
      const format = opts.format as ExportFormat | undefined;

      const { createLogger } = await import('../../ops/logging.js');
      const log = createLogger(opts.logLevel as 'warn', process.stderr as never);
      const src = await w.loadOperatorSource(opts.config, log);
      const stateDir = resolve(
        opts.state ?? join('.irp-bridge', 'backfill', src.config.id.replace(/[^A-Za-z0-9._-]/g, '_')),
      );

      // Every input is checked, and counted, before anything is sent.
      let files: ExportFile[];
      let ignored: string[];
      try {
        const found = await b.findExports(opts.from, { ...(format ? { format } : {}), skip: [stateDir] });
        ignored = found.ignored;
        files = [];
        for (const f of found.files)
          files.push({
            ...f,
            records: await b.countRecords(f.path, f.format),
            stateName: b.stateNameOf(f.name),
          });
      } catch (err) {
        if (err instanceof b.InputError) throw new CliError(err.message, 2);
        throw err;
      }
      const decoders = await exportDecoders(src, files, opts.schema);

      const reader = w.topicReader(src);
      const t = src.config.topics;
      try {
        const missing = await reader.missingTopics([
          t.results,
          t.errors,
          t.deadLetter,
          ...(t.documentStatus ? [t.documentStatus] : []),
        ]);
        if (missing.length > 0)
          throw new CliError(
            `output topic${missing.length > 1 ? 's' : ''} ${missing.join(', ')} do${missing.length > 1 ? '' : 'es'} not exist (irp-bridge topics --config creates them)`,
            2,
          );
      } catch (err) {
        throw w.kafkaError(err, src);
      } finally {
        await reader.close();
      }
      const { claimStateDir } = await import('../owned-output.js');
      claimStateDir(stateDir, 'backfill', src.config.id);

      const report = await runFiles(src, files, decoders, {
        stateDir,
        batchSize,
        progress: opts.progress !== false,
        log,
      });
      report.ignored = ignored;
      process.stdout.write(
        opts.json
          ? `${JSON.stringify({ ...report, totals: b.totals(report) }, null, 2)}\n`
          : b.formatBackfill(report),
      );
      if (report.stopped) process.exitCode = 1;
    });
}

/** The decoder of each file: its container's schema for Avro, the writer schema for NDJSON and JSON. */
async function exportDecoders(
  src: OperatorSource,
  files: ExportFile[],
  schemaFile: string | undefined,
): Promise<Map<string, EventDecoder>> {
  const { readFileSync } = await import('node:fs');
  const { resolvePath } = await import('../../config/load.js');
  const { sourceConnector } = await import('../../pipeline/connectors.js');
  const { readContainerSchema } = await import('../../adapters/file/file-source.js');
  const { AvroEventDecoder } = await import('../../adapters/avro/avro-decoder.js');
  const { JsonEventDecoder } = await import('../../adapters/avro/json-decoder.js');
  const { NaturalJsonEventDecoder } = await import('../../adapters/avro/natural-json-decoder.js');
  const c = sourceConnector(src.config);
  if (!c.ok) throw new CliError(c.problems.join('; '), 2);
  const readerSchema = c.connector.avroSchema;
  const raw = (src.config.avro?.wireFormat ?? (src.config.avro?.registry ? 'confluent' : 'raw')) === 'raw';
  const writerFile = schemaFile ?? (raw ? src.config.avro?.schemaFile : undefined);
  let writerSchema: AvroSchema | undefined;
  if (writerFile) {
    const path = schemaFile ?? resolvePath(src.baseDir, writerFile);
    try {
      writerSchema = JSON.parse(readFileSync(path, 'utf8')) as AvroSchema;
    } catch (err) {
      throw new CliError(
        `${schemaFile ? '--schema' : 'avro.schemaFile'} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        2,
      );
    }
  }
  const decoders = new Map<string, EventDecoder>();
  for (const f of files) {
    try {
      const options = { readerSchema, ...(writerSchema ? { writerSchema } : {}) };
      decoders.set(
        f.path,
        f.format === 'avro'
          ? new AvroEventDecoder({
              readerSchema,
              writerSchema: readContainerSchema(f.path),
              wireFormat: 'raw',
            })
          : f.format === 'json'
            ? new NaturalJsonEventDecoder(options)
            : new JsonEventDecoder(options),
      );
    } catch (err) {
      throw new CliError(
        `${f.path}: its writer schema cannot be read as the ${src.config.connector} connector's (${(err as Error).message})`,
        2,
      );
    }
  }
  return decoders;
}

async function runFiles(
  src: OperatorSource,
  files: ExportFile[],
  decoders: Map<string, EventDecoder>,
  o: { stateDir: string; batchSize: number; progress: boolean; log: Logger },
) {
  const w = await import('../operator-wiring.js');
  const b = await import('../../operator/backfill.js');
  const { FileSource } = await import('../../adapters/file/file-source.js');
  const { stageDeps } = await import('../wiring.js');
  const { createIrpClient } = await import('../../irp/client/index.js');
  const started = Date.now();
  const report: BackfillReport = {
    source: src.config.id,
    stateDir: o.stateDir,
    files: [],
    ignored: [],
    seconds: 0,
  };
  const client = createIrpClient(src.resolved.irp, { logger: src.log });
  const kafka = w.outputSink(src);
  const total = files.reduce((a, f) => a + f.records, 0);
  let finishedBefore = 0;
  let current: { stop(): Promise<unknown> } | undefined;
  let signalled: string | undefined;
  const onSignal = (signal: string) => {
    if (signalled) return;
    signalled = signal;
    void current?.stop();
  };
  const sigint = () => onSignal('SIGINT');
  const sigterm = () => onSignal('SIGTERM');
  process.on('SIGINT', sigint);
  process.on('SIGTERM', sigterm);
  const tty = Boolean(process.stderr.isTTY);
  let lastLine = 0;
  try {
    for (const [i, f] of files.entries()) {
      if (signalled) break;
      const fileReport: FileReport = {
        name: f.name,
        format: f.format,
        records: f.records,
        resumedFrom: 0,
        processed: 0,
        tally: b.emptyTally(),
      };
      report.files.push(fileReport);
      const source = new FileSource({
        path: f.path,
        format: f.format,
        stateDir: o.stateDir,
        name: f.stateName,
        batchSize: o.batchSize,
        topic: `file:${f.name}`,
        log: o.log,
      });
      const sink = b.tallyingSink(kafka, () => fileReport.tally);
      // Holding a cancel for its generate is for streams where one can overtake the other (partitions,
      // instances). Exports are read in order, one record at a time: a cancel whose IRN the IRP does not
      // know is rejected at once (a generate refused in an earlier, interrupted run would otherwise hold
      // the file for the whole window), unless the source config asks for a window.
      const runner = w.operatorRunner(
        src,
        { source, sink, stages: stageDeps(src.config, client, decoders.get(f.path)!) },
        { pendingDocumentWindowMs: 0 },
      );
      current = runner;
      const show = (final = false) => {
        if (!o.progress) return;
        const all = b.totals(report).tally;
        const processed = all.result + all.error + all['dead-letter'];
        const t = fileReport.tally;
        const line = b.progressLine({
          done: finishedBefore + Number(source.resumedFrom() ?? 0) + t.result + t.error + t['dead-letter'],
          total,
          processed,
          seconds: (Date.now() - started) / 1000,
          tally: all,
          file: `${i + 1}/${files.length} ${f.name}`,
        });
        if (tty) process.stderr.write(`\r\u001b[2K${line}${final ? '\n' : ''}`);
        else if (final || Date.now() - lastLine >= 10_000) {
          process.stderr.write(`${line}\n`);
          lastLine = Date.now();
        }
      };
      const ticker = setInterval(() => show(), tty ? 250 : 1000);
      let status;
      try {
        status = await runner.run();
      } catch (err) {
        throw w.kafkaError(err, src);
      } finally {
        clearInterval(ticker);
      }
      fileReport.resumedFrom = Number(source.resumedFrom() ?? 0);
      fileReport.processed = status.counts.in;
      show(true);
      if (status.halted) {
        fileReport.stopped = `IRP ${status.halted.code} ${status.halted.message}`;
        report.stopped = `halted: ${fileReport.stopped}`;
        break;
      }
      if (signalled) {
        fileReport.stopped = signalled;
        report.stopped = `${signalled}: stopped after finishing the records in flight`;
        break;
      }
      finishedBefore += f.records;
    }
  } finally {
    process.off('SIGINT', sigint);
    process.off('SIGTERM', sigterm);
    await kafka.close().catch(() => undefined);
    await client.close().catch(() => undefined);
    report.seconds = (Date.now() - started) / 1000;
  }
  return report;
}
