import type { Command } from 'commander';

/**
 * `irp-bridge demo` (what `npm start` runs): the main job on its embedded default. Until the stream
 * pipeline lands, that is the offline validator over every bundled IRP sample request, with a summary.
 */
export function register(program: Command): void {
  program
    .command('demo')
    .description('run the embedded default: validate every bundled IRP sample request and summarise')
    .option('--json', 'print the per-file results as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { readdir, readFile } = await import('node:fs/promises');
      const { join } = await import('node:path');
      const { projectRoot } = await import('../paths.js');
      const { validateInvoice } = await import('../../irp/validate/index.js');
      const { parseIrpDate } = await import('../../irp/dates.js');
      const { formatFindings } = await import('../format.js');
      const dir = join(projectRoot(), 'data', 'irp', 'samples');
      const files = (await readdir(dir))
        .filter((f) => /\.request(\.fixture)?\.json$|\.fixture\.request\.json$/.test(f))
        .sort();
      const results = [];
      for (const file of files) {
        const invoice = JSON.parse(await readFile(join(dir, file), 'utf8')) as { DocDtls?: { Dt?: string } };
        if (!invoice.DocDtls) continue; // cancel / e-way bill requests are not invoices
        // Judge each sample on the day after its document date, as the IRP did when it registered it.
        const docDate = parseIrpDate(invoice.DocDtls.Dt ?? '');
        const now = docDate ? new Date(docDate.getTime() + 86_400_000) : new Date();
        const result = validateInvoice(invoice, { now });
        results.push({ file, ...result });
        if (!opts.json) process.stdout.write(formatFindings(file, result));
      }
      const valid = results.filter((r) => r.valid).length;
      if (opts.json)
        process.stdout.write(
          `${JSON.stringify(
            results.map(({ invoice: _i, ...r }) => r),
            null,
            2,
          )}\n`,
        );
      else
        process.stdout.write(
          `\n${results.length} sample invoices from data/irp/samples: ${valid} valid, ${results.length - valid} with findings ` +
            `(the *.fixture files carry placeholders on purpose).\n`,
        );
    });
}
