import type { Command } from 'commander';
import { integerOption } from '../io.js';

/**
 * `irp-bridge topics --config FILE`: creates the topics a source needs — its input topics, its
 * results, errors and dead-letter topics and (compacted) its document-status topic — where they do not exist yet (brokers that auto-create
 * topics would create them with broker defaults on first use; production clusters usually do not).
 */
export function register(program: Command): void {
  program
    .command('topics')
    .description('create the input and output topics of a source config (those that do not exist yet)')
    .requiredOption('--config <file>', 'a source config (config/local/<erp>.yaml)')
    .option('--brokers <list>', 'bootstrap servers (default: the config\u2019s, or $IRP_BRIDGE_BROKERS)')
    .option('--partitions <n>', 'partitions of each new topic', '3')
    .option('--replication-factor <n>', 'replicas of each new topic (1 for a single broker)', '1')
    .action(
      async (opts: { config: string; brokers?: string; partitions: string; replicationFactor: string }) => {
        const { kafkaFailure, kafkaTarget } = await import('../kafka-target.js');
        const { ensureTopics } = await import('../../adapters/kafka/topic-tools.js');
        const { createLogger } = await import('../../ops/logging.js');
        const partitions = integerOption('--partitions', opts.partitions, 1);
        const replicationFactor = integerOption('--replication-factor', opts.replicationFactor, 1);
        const { conn, loaded } = await kafkaTarget(opts);
        const config = loaded!.config;
        const names = [
          ...config.kafka.inputTopics,
          config.topics.results,
          config.topics.errors,
          config.topics.deadLetter,
        ];
        let done;
        try {
          done = await ensureTopics(
            conn,
            [
              ...names.map((topic) => ({ topic, partitions, replicationFactor })),
              // The document-status topic keeps the latest record per document: compacted.
              ...(config.topics.documentStatus
                ? [
                    {
                      topic: config.topics.documentStatus,
                      partitions,
                      replicationFactor,
                      settings: { 'cleanup.policy': 'compact' },
                    },
                  ]
                : []),
            ],
            createLogger('error', process.stderr as never),
          );
        } catch (err) {
          throw kafkaFailure('creating topics', conn, err);
        }
        for (const t of done.created)
          process.stdout.write(
            `created  ${t} (${partitions} partitions${t === config.topics.documentStatus ? ', compacted' : ''})\n`,
          );
        for (const t of done.existing) process.stdout.write(`exists   ${t}\n`);
      },
    );
}
