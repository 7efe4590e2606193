import type { ValidationResult } from '../irp/validate/index.js';

/** Human-readable findings: one line each, code first, so a log grep by code works. */
export function formatFindings(label: string, result: ValidationResult): string {
  const lines = [`${result.valid ? 'valid' : 'INVALID'}  ${label}`];
  for (const e of result.errors)
    lines.push(
      `  error   ${e.code}  ${e.path || '(document)'}: ${e.message}${e.detail ? ` — ${e.detail}` : ''}`,
    );
  for (const w of result.warnings) lines.push(`  warning ${w.code}  ${w.path}: ${w.message}`);
  return `${lines.join('\n')}\n`;
}
