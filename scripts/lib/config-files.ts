/**
 * The files generated from the config codec, as `npm run config:generate` writes them (formatted by
 * the repository's Prettier settings), for the script and for the test that keeps them in sync.
 * Development only: Prettier is a dev dependency.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemaText, REFERENCE_FILE, SCHEMA_FILE, withReference } from '../../src/config/reference.js';

export async function generatedConfigFiles(root: string): Promise<Record<string, string>> {
  const prettier = await import('prettier');
  const schemaPath = join(root, SCHEMA_FILE);
  const options = (await prettier.resolveConfig(schemaPath)) ?? {};
  return {
    [SCHEMA_FILE]: await prettier.format(jsonSchemaText(), { ...options, filepath: schemaPath }),
    [REFERENCE_FILE]: withReference(readFileSync(join(root, REFERENCE_FILE), 'utf8')),
  };
}
