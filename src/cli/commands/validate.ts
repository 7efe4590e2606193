import type { Command } from 'commander';
import { CliError, readInput } from '../io.js';

/**
 * `irp-bridge validate FILE|- [--json]`: every IRP finding of one invoice, offline.
 * Exit 0 valid, 1 invalid, 2 for input that cannot be read as an invoice: unreadable, not JSON, not a
 * JSON object, or nested deeper than any invoice (MAX_JSON_DEPTH).
 */
export function register(program: Command): void {
  program
    .command('validate')
    .description('validate an IRP invoice JSON (file or - for stdin) with the IRP rules, offline')
    .argument('<file>', 'invoice JSON file, or - for standard input')
    .option('--json', 'print {"valid","errors","warnings"} as JSON')
    .option('--today <yyyy-MM-dd>', "the IRP's today for date rules (default: today in IST)")
    .option('--large-taxpayer', 'apply the 30-day reporting window (AATO ≥ ₹10 crore)')
    .action(async (file: string, opts: { json?: boolean; today?: string; largeTaxpayer?: boolean }) => {
      const { validateInvoice, jsonDepth, MAX_JSON_DEPTH } = await import('../../irp/validate/index.js');
      const { parseIsoDate } = await import('../../irp/dates.js');
      const now = opts.today ? parseIsoDate(opts.today) : new Date();
      if (!now) throw new CliError(`--today ${opts.today} is not a yyyy-MM-dd date`, 2);
      const text = await readInput(file);
      let input: unknown;
      try {
        input = JSON.parse(text);
      } catch (err) {
        throw new CliError(
          `${file === '-' ? 'standard input' : file} is not JSON: ${(err as Error).message}`,
          2,
        );
      }
      const source = file === '-' ? 'standard input' : file;
      if (input === null || typeof input !== 'object' || Array.isArray(input))
        throw new CliError(
          `${source} is not an invoice: the JSON is ${Array.isArray(input) ? 'an array' : input === null ? 'null' : `a ${typeof input}`}, not an object`,
          2,
        );
      if (jsonDepth(input) > MAX_JSON_DEPTH)
        throw new CliError(
          `${source} is not an invoice: the JSON is nested more than ${MAX_JSON_DEPTH} levels deep`,
          2,
        );
      const result = validateInvoice(input, { now, isLargeTaxpayer: () => Boolean(opts.largeTaxpayer) });
      if (opts.json) {
        const { valid, errors, warnings } = result;
        process.stdout.write(`${JSON.stringify({ valid, errors, warnings }, null, 2)}\n`);
      } else {
        const { formatFindings } = await import('../format.js');
        process.stdout.write(formatFindings(file, result));
      }
      process.exitCode = result.valid ? 0 : 1;
    });
}
