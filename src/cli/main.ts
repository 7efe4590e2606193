/**
 * The `irp-bridge` command line. This is the only place (with the demo runner) that wires adapters to ports.
 * Each sub-command lives in its own module under src/cli/commands and is loaded lazily, so a command
 * does not pay for the start-up of the others (the sandbox does not load Kafka, `irn` loads neither).
 */
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.js';
import { CliError } from './io.js';
import { packageVersion } from './paths.js';

const program = new Command('irp-bridge')
  .description('Stream ERP invoices through India\u2019s GST e-invoice IRP, and simulate the IRP')
  .version(packageVersion(), '-V, --version', 'print the version')
  .showHelpAfterError()
  .exitOverride();

registerCommands(program);

/**
 * An error message as the terminal gets it: control characters other than line breaks (ESC among
 * them, which input may carry into a message) written as \u001b, so input can never drive the terminal.
 */
function terminalSafe(message: string): string {
  return message.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else if (err instanceof CliError) {
    process.stderr.write(`irp-bridge: ${terminalSafe(err.message)}\n`);
    process.exitCode = err.exitCode;
  } else {
    // Unexpected failures still get one clear line, never a stack trace unless asked for.
    process.stderr.write(`irp-bridge: ${terminalSafe((err as Error)?.message ?? String(err))}\n`);
    if (process.env.IRP_BRIDGE_DEBUG) process.stderr.write(`${(err as Error)?.stack}\n`);
    process.exitCode = 1;
  }
}
