import type { Command } from 'commander';
import { CliError } from '../io.js';

/** `irp-bridge irn --gstin G --type INV|CRN|DBN --no N --date dd/MM/yyyy [--as-of yyyy-MM-dd]`. */
export function register(program: Command): void {
  program
    .command('irn')
    .description('print the IRN the IRP will assign to a document (sha256 of GSTIN + FY + type + number)')
    .requiredOption('--gstin <gstin>', 'supplier GSTIN')
    .requiredOption('--type <type>', 'INV, CRN or DBN')
    .requiredOption('--no <number>', 'document number')
    .requiredOption('--date <dd/MM/yyyy>', 'document date')
    .option('--as-of <yyyy-MM-dd>', 'generation date: decides the upper-casing rule (default: today, IST)')
    .action(async (opts: { gstin: string; type: string; no: string; date: string; asOf?: string }) => {
      const { computeIrn } = await import('../../irp/irn.js');
      const { formatIrpDate, parseIrpDate, parseIsoDate } = await import('../../irp/dates.js');
      const { hasGstinShape } = await import('../../irp/gstin.js');
      const type = opts.type.toUpperCase();
      if (type !== 'INV' && type !== 'CRN' && type !== 'DBN')
        throw new CliError(`--type must be INV, CRN or DBN`, 2);
      if (!hasGstinShape(opts.gstin.toUpperCase()))
        throw new CliError(`--gstin ${opts.gstin} is not a GSTIN`, 2);
      if (!parseIrpDate(opts.date)) throw new CliError(`--date ${opts.date} is not a dd/MM/yyyy date`, 2);
      const asOf = opts.asOf ? parseIsoDate(opts.asOf) : parseIrpDate(formatIrpDate(new Date()));
      if (!asOf) throw new CliError(`--as-of ${opts.asOf} is not a yyyy-MM-dd date`, 2);
      process.stdout.write(
        `${computeIrn({ gstin: opts.gstin, docType: type, docNo: opts.no, docDate: opts.date, asOf })}\n`,
      );
    });
}
