import { describe, expect, it } from 'vitest';
import { DOCS_WITH_TABLES, readDoc, withTable } from './docs-tables.js';

describe('connector tables in the docs', () => {
  it.each(DOCS_WITH_TABLES)('%s lists exactly the registered connectors (write-docs.ts)', (doc) => {
    const text = readDoc(doc);
    expect(withTable(doc, text), `run npx tsx connectors/testkit/write-docs.ts`).toBe(text);
  });
});
