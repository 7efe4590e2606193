import type { Command } from 'commander';
import type { WriteBackErp } from '../../operator/write-back.js';
import type { SourceBatch } from '../../pipeline/ports.js';
import { CliError } from '../io.js';

interface WriteBackOptions {
  config: string;
  out: string;
  erp?: string;
  qr: string;
  fromStatus?: boolean;
  group?: string;
  once?: boolean;
  logLevel: string;
}

/**
 * `irp-bridge write-back --config FILE --out DIR`: the reference consumer of the results topic
 * (src/operator/write-back.ts). A consumer group of its own reads the results (or the document-status
 * topic), writes per document what the ERP stores under its own field names and the QR image to print,
 * and commits a record's offset only after its files are written. `--once` stops when the group has
 * caught up; otherwise it runs until SIGINT/SIGTERM. Exit 0; 1 when a file in the way is not its own;
 * 2 for bad input before anything is read.
 */
export function register(program: Command): void {
  program
    .command('write-back')
    .description(
      'reference consumer of the results: what each ERP stores (its own field names) and the QR image to print',
    )
    .requiredOption('--config <file>', 'the source config (as for run)')
    .requiredOption('--out <dir>', 'where the files go (a new or empty folder, or one this command made)')
    .option(
      '--erp <id>',
      'sap, erpnext, tally, odoo, d365, oracle or canonical (default: the config\u2019s connector)',
    )
    .option('--qr <format>', 'png, svg or none', 'png')
    .option('--from-status', 'read the document-status topic instead of the results topic')
    .option('--group <id>', 'consumer group (default <kafka.groupId>.write-back)')
    .option('--once', 'stop when caught up with the topic')
    .option('--log-level <level>', 'pino log level on stderr', 'error')
    .action(async (opts: WriteBackOptions) => {
      const wb = await import('../../operator/write-back.js');
      const w = await import('../operator-wiring.js');
      if (!['png', 'svg', 'none'].includes(opts.qr))
        throw new CliError(`--qr ${opts.qr}: expected png, svg or none`, 2);
      if (opts.erp !== undefined && !(wb.WRITE_BACK_ERPS as readonly string[]).includes(opts.erp))
        throw new CliError(`--erp ${opts.erp}: expected one of ${wb.WRITE_BACK_ERPS.join(', ')}`, 2);
      const { createLogger } = await import('../../ops/logging.js');
      const log = createLogger(opts.logLevel as 'error', process.stderr as never);
      const src = await w.loadOperatorSource(opts.config, log);
      const erp = (opts.erp ?? src.config.connector) as WriteBackErp;
      if (!(wb.WRITE_BACK_ERPS as readonly string[]).includes(erp))
        throw new CliError(`the ${src.config.connector} connector has no write-back mapping: give --erp`, 2);
      const topic = opts.fromStatus ? src.config.topics.documentStatus : src.config.topics.results;
      if (!topic) throw new CliError('--from-status needs topics.documentStatus in the config', 2);
      const reader = w.topicReader(src);
      try {
        const missing = await reader.missingTopics([topic]);
        if (missing.length > 0) throw new CliError(`topic ${topic} does not exist`, 2);
      } catch (err) {
        throw w.kafkaError(err, src);
      } finally {
        await reader.close();
      }
      const { resolve } = await import('node:path');
      const out = resolve(opts.out);
      const { claimStateDir } = await import('../owned-output.js');
      claimStateDir(out, 'write-back', src.config.id);

      const { renderQrPng, renderQrSvg } = await import('../../irp/client/index.js');
      const files = new wb.WriteBackFiles(
        out,
        (jwt) => (opts.qr === 'svg' ? renderQrSvg(jwt) : renderQrPng(jwt)),
        opts.qr === 'none' ? undefined : (opts.qr as 'png' | 'svg'),
      );
      const { kafkajsClient } = await import('../../adapters/kafka/kafkajs-client.js');
      const { KafkajsSource } = await import('../../adapters/kafka/kafkajs-source.js');
      const groupId = opts.group ?? `${src.config.kafka.groupId}.write-back`;
      const source = new KafkajsSource(
        kafkajsClient(
          src.resolved.kafka,
          src.log.child({}, { level: src.log.level === 'error' ? 'fatal' : src.log.level }),
        ),
        {
          groupId,
          topics: [topic],
          fromBeginning: true,
          partitionsConsumedConcurrently: 1,
          sessionTimeoutMs: 30_000,
          readCommitted: true,
        },
        src.log,
      );
      const counts = { records: 0, written: 0, files: 0, skipped: 0 };
      let failure: Error | undefined;
      const handle = async (batch: SourceBatch) => {
        let last: string | undefined;
        for (const m of batch.messages) {
          if (!batch.isActive() || failure) break;
          counts.records++;
          let value: Record<string, unknown> | undefined;
          try {
            value = JSON.parse(m.value?.toString('utf8') ?? '') as Record<string, unknown>;
          } catch {
            value = undefined;
          }
          const record = value ? wb.writeBackRecord(erp, fromStatus(value)) : undefined;
          if (!record) counts.skipped++;
          else {
            try {
              const written = await files.write(
                record,
                typeof value!.SignedQRCode === 'string' ? value!.SignedQRCode : undefined,
              );
              counts.written++;
              counts.files += written.length;
              log.info({ docKey: record.docKey, event: record.event, files: written }, 'written back');
            } catch (err) {
              failure = err as Error;
              break;
            }
          }
          batch.resolveOffset(m.offset);
          last = m.offset;
        }
        // Only what is written is committed: a restart resumes after it.
        if (last !== undefined)
          await source.commit([
            { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
          ]);
        if (failure) void source.stop();
      };
      const stop = () => void source.stop();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      let watcher: NodeJS.Timeout | undefined;
      if (opts.once) {
        watcher = setInterval(() => {
          if (source.assignment().length === 0) return;
          void source
            .lag()
            .then((rows) => {
              if (rows.length > 0 && rows.every((r) => r.lag <= 0)) stop();
            })
            .catch(() => undefined);
        }, 1000);
      }
      try {
        await source.run(handle);
      } catch (err) {
        throw w.kafkaError(err, src);
      } finally {
        if (watcher) clearInterval(watcher);
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
      process.stdout.write(
        `write-back (${erp}) from ${topic}: ${counts.records} records, ${counts.written} written back (${counts.files} files in ${out}), ${counts.skipped} skipped\n`,
      );
      if (failure) throw new CliError(failure.message, 1);
    });
}

/** A document-status value in the results topic's shape (kind, Status); results pass through. */
function fromStatus(v: Record<string, unknown>): Record<string, unknown> {
  if (v.kind !== undefined || typeof v.event !== 'string') return v;
  if (v.state !== 'registered' && v.state !== 'cancelled') return {};
  return { ...v, kind: v.event, ...(v.state === 'cancelled' ? { Status: 'CNL' } : {}) };
}
