/**
 * Regenerates the golden fixtures: `npx tsx connectors/testkit/write-fixtures.ts [--erp sap]`. Review the diff
 * of `*.expected.json` before committing: a changed expectation is a changed mapping.
 */
import { parseArgs } from 'node:util';
import { connectorIds, isConnectorId } from '../registry.js';
import { writeFixtures } from './golden.js';

const { values } = parseArgs({ options: { erp: { type: 'string' } } });
const ids = values.erp ? [values.erp] : connectorIds;
for (const id of ids) {
  if (!isConnectorId(id)) throw new Error(`unknown connector ${id}; known: ${connectorIds.join(', ')}`);
  const names = writeFixtures(id);
  process.stdout.write(`${id}: ${names.length} fixtures\n`);
}
