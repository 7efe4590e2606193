/**
 * Rewrites the generated connector tables of the docs from the registry:
 * `npx tsx connectors/testkit/write-docs.ts`. Only the marked blocks change.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCS_WITH_TABLES, readDoc, REPO_ROOT, withTable } from './docs-tables.js';

for (const doc of DOCS_WITH_TABLES) {
  const before = readDoc(doc);
  const after = withTable(doc, before);
  if (after !== before) writeFileSync(join(REPO_ROOT, doc), after);
  process.stdout.write(`${doc}: ${after === before ? 'current' : 'rewritten'}\n`);
}
