import type { Command } from 'commander';

/**
 * `irp-bridge demo` (what `npm start` runs): the main job on its embedded default. The bundled sample
 * events of every connector go through the whole pipeline against the IRP sandbox started in-process,
 * from files to files; progress on stderr, a summary on stdout.
 */
export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'run the embedded default: every connector\u2019s sample events through the pipeline against an in-process IRP sandbox',
    )
    .option('--out <dir>', 'where the result, error and dead-letter files go', 'out/demo')
    .option('--connector <id...>', 'only these connectors')
    .option('--json', 'print the summary as JSON')
    .option('--log-level <level>', 'pino log level on stderr', 'silent')
    .action(async (opts: { out: string; connector?: string[]; json?: boolean; logLevel: string }) => {
      const { resolve } = await import('node:path');
      const { projectRoot } = await import('../paths.js');
      const { runDemo, formatSummary } = await import('../demo-runner.js');
      const { createLogger } = await import('../../ops/logging.js');
      const root = projectRoot();
      const tty = process.stderr.isTTY;
      const summary = await runDemo({
        root,
        outDir: resolve(opts.out),
        ...(opts.connector ? { connectors: opts.connector } : {}),
        log: createLogger(opts.logLevel as 'silent', process.stderr as never),
        progress: (line, final) => {
          if (tty) process.stderr.write(`\r\u001b[2K${line}${final ? '\n' : ''}`);
          else if (final) process.stderr.write(`${line}\n`);
        },
      });
      if (opts.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else process.stdout.write(formatSummary(summary, root));
      const halted = summary.connectors.find((c) => c.status.halted);
      if (halted) process.exitCode = 1;
    });
}
