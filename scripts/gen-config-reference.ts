/**
 * `npm run config:generate`: writes the JSON Schema of a source config (config/source-config.schema.json)
 * and the reference part of docs/configuration.md from the codec in src/config/source-config.ts.
 * test/unit/config/reference.test.ts fails when either file is not what this would write.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedConfigFiles } from './lib/config-files.js';

const root = fileURLToPath(new URL('..', import.meta.url));
for (const [path, content] of Object.entries(await generatedConfigFiles(root))) {
  const file = join(root, path);
  let before = '';
  try {
    before = readFileSync(file, 'utf8');
  } catch {
    // a new file
  }
  if (before === content) console.log(`${path}: up to date`);
  else {
    writeFileSync(file, content);
    console.log(`${path}: written`);
  }
}
