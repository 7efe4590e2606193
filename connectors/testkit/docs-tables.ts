/**
 * The connector tables of the docs, derived from the registry so a new connector appears in them by
 * being registered: `npx tsx connectors/testkit/write-docs.ts` rewrites the blocks between
 * `<!-- connectors:begin -->` and `<!-- connectors:end -->`; `docs-tables.test.ts` fails when a block is
 * stale.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectorIds, connectors } from '../registry.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Files (relative to the repository root) that carry a generated connector table. */
export const DOCS_WITH_TABLES = ['docs/connectors.md', 'connectors/README.md'] as const;

const BEGIN =
  '<!-- connectors:begin (generated from connectors/registry.ts by connectors/testkit/write-docs.ts) -->';
const END = '<!-- connectors:end -->';

/** The markdown table for a document at `docPath` (links are relative to it). */
export function connectorTable(docPath: string): string {
  const from = dirname(join(REPO_ROOT, docPath));
  const link = (target: string) => relative(from, join(REPO_ROOT, target));
  const rows = connectorIds.map((id) => {
    const c = connectors[id];
    return `| \`${id}\` | ${c.title} | [\`${c.schemaFile}\`](${link(c.schemaFile)}) | [${id}/README.md](${link(`connectors/${id}/README.md`)}) | [\`${id}.yaml\`](${link(`config/local/${id}.yaml`)}) |`;
  });
  return [
    '| id | ERP and document | Avro schema | field map | source config |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** The document with its table block replaced; throws when the markers are missing. */
export function withTable(docPath: string, text: string): string {
  const start = text.indexOf('<!-- connectors:begin');
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${docPath}: no ${'<!-- connectors:begin'} … ${END} block`);
  return `${text.slice(0, start)}${BEGIN}\n\n${connectorTable(docPath)}\n\n${text.slice(end)}`;
}

export function readDoc(docPath: string): string {
  return readFileSync(join(REPO_ROOT, docPath), 'utf8');
}
