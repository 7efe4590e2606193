import type { Command } from 'commander';
import { CliError } from '../io.js';

interface ConsumeOptions {
  config?: string;
  brokers?: string;
  topic?: string[];
  output?: string[];
  max?: string;
  idleMs: string;
  brief?: boolean;
}

const OUTPUTS = { results: 'results', errors: 'errors', 'dead-letter': 'deadLetter' } as const;

/**
 * `irp-bridge consume`: prints what is on topics — a source's outputs (`--output results`) or any topic —
 * from the beginning, one JSON line per record (`--brief`: one readable line), and stops after `--max`
 * records or when none came for `--idle-ms`. A throw-away consumer group; nothing is committed.
 */
export function register(program: Command): void {
  program
    .command('consume')
    .description('print the records on a source\u2019s output topics (or any topic), from the beginning')
    .option('--config <file>', 'a source config: its brokers, and its topics for --output')
    .option(
      '--brokers <list>',
      'bootstrap servers (default: the config\u2019s, $IRP_BRIDGE_BROKERS or 127.0.0.1:9092)',
    )
    .option('--output <name...>', 'the config\u2019s output topics: results, errors, dead-letter')
    .option('--topic <topic...>', 'topics by name')
    .option('--max <n>', 'stop after n records')
    .option('--idle-ms <ms>', 'stop when no record came for this long', '15000')
    .option('--brief', 'one readable line per record instead of JSON')
    .action(async (opts: ConsumeOptions) => {
      const { kafkaFailure, kafkaTarget } = await import('../kafka-target.js');
      const { readTopics } = await import('../../adapters/kafka/topic-tools.js');
      const { createLogger } = await import('../../ops/logging.js');
      const { conn, loaded } = await kafkaTarget(opts);
      const topics = [...(opts.topic ?? [])];
      for (const name of opts.output ?? []) {
        const key = OUTPUTS[name as keyof typeof OUTPUTS];
        if (!key) throw new CliError(`--output ${name}: expected results, errors or dead-letter`, 2);
        if (!loaded) throw new CliError('--output needs --config FILE', 2);
        topics.push(loaded.config.topics[key]);
      }
      if (topics.length === 0) throw new CliError('give --output NAME (with --config) or --topic TOPIC', 2);
      const max = opts.max === undefined ? Number.POSITIVE_INFINITY : Number(opts.max);
      const idleMs = Number(opts.idleMs);
      if (!(max >= 1)) throw new CliError(`--max must be ≥ 1, got ${opts.max}`, 2);
      if (!Number.isInteger(idleMs) || idleMs < 1)
        throw new CliError(`--idle-ms must be ≥ 1, got ${opts.idleMs}`, 2);
      try {
        const count = await readTopics(
          conn,
          topics,
          {
            max,
            idleMs,
            onRecord: (r) => {
              const text = r.value?.toString('utf8') ?? null;
              let value: unknown;
              try {
                value = text === null ? null : JSON.parse(text);
              } catch {
                value = { base64: r.value!.toString('base64') };
              }
              const key = r.key?.toString('utf8') ?? null;
              const line = opts.brief
                ? brief(r.topic, r.partition, r.offset, key, value)
                : JSON.stringify({
                    topic: r.topic,
                    partition: r.partition,
                    offset: r.offset,
                    key,
                    headers: r.headers,
                    value,
                  });
              process.stdout.write(`${line}\n`);
            },
          },
          createLogger('error', process.stderr as never),
        );
        process.stderr.write(`${count} record(s) from ${topics.join(', ')}\n`);
      } catch (err) {
        throw kafkaFailure(`reading ${topics.join(', ')}`, conn, err);
      }
    });
}

/** A result recovered only in part (past the IRP's retrieval window) says what it lacks. */
function partialNote(partial: unknown): string {
  const missing = (partial as { missing?: unknown } | undefined)?.missing;
  return Array.isArray(missing) ? ` (partial: no ${missing.join(', ')})` : '';
}

/** `topic/partition@offset key: what it says` — the IRN of a result, the codes of a rejection. */
export function brief(
  topic: string,
  partition: number,
  offset: string,
  key: string | null,
  value: unknown,
): string {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  let what: string;
  if (typeof v.Irn === 'string')
    what = `${String(v.kind ?? 'generate')} Irn ${v.Irn} AckNo ${String(v.AckNo ?? '')}${v.recovered ? ' (recovered)' : ''}${
      v.EwbNo ? ` EwbNo ${String(v.EwbNo)}` : ''
    }${partialNote(v.partial)}`;
  else if (Array.isArray(v.errors))
    what = `rejected at ${String(v.stage)}: ${(v.errors as { code?: string; message?: string }[])
      .map((e) => `${e.code} ${e.message ?? ''}`.trim())
      .join('; ')}`;
  else if ('base64' in v) what = `${(v.base64 as string).length} base64 chars (raw input)`;
  else what = JSON.stringify(value).slice(0, 120);
  return `${topic}/${partition}@${offset} ${key ?? '(no key)'}: ${what}`;
}
