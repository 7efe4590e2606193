import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generatedConfigFiles } from '../../../scripts/lib/config-files.js';
import { SCHEMA_FILE } from '../../../src/config/reference.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('generated from the config codec', { timeout: 60_000 }, () => {
  it('config/source-config.schema.json and docs/configuration.md are up to date (npm run config:generate)', async () => {
    for (const [path, content] of Object.entries(await generatedConfigFiles(ROOT)))
      expect(readFileSync(join(ROOT, path), 'utf8'), `${path} is stale: run npm run config:generate`).toBe(
        content,
      );
  });

  it('the schema knows every key the shipped configs use, and nothing else is allowed', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, SCHEMA_FILE), 'utf8')) as Schema;
    for (const erp of ['sap', 'oracle', 'd365', 'tally', 'erpnext', 'canonical']) {
      const text = readFileSync(join(ROOT, 'config/local', `${erp}.yaml`), 'utf8');
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../source-config.schema.json');
      expect(unknownKeys(schema, parse(text), erp)).toEqual([]);
    }
    expect(unknownKeys(schema, { pipeline: { modee: 'x' } }, '')).toEqual(['.pipeline.modee']);
  });
});

interface Schema {
  properties?: Record<string, Schema>;
  additionalProperties?: boolean;
  items?: Schema;
  oneOf?: Schema[];
}

/** Keys of `value` the schema does not declare (a small walker: objects, arrays, oneOf). */
function unknownKeys(schema: Schema, value: unknown, at: string): string[] {
  if (Array.isArray(value))
    return value.flatMap((v, i) => (schema.items ? unknownKeys(schema.items, v, `${at}[${i}]`) : []));
  if (typeof value !== 'object' || value === null) return [];
  if (schema.oneOf) {
    const options = schema.oneOf.map((s) => unknownKeys(s, value, at));
    return options.find((o) => o.length === 0) ?? options[0]!;
  }
  return Object.entries(value).flatMap(([k, v]) => {
    const inner = schema.properties?.[k];
    return inner ? unknownKeys(inner, v, `${at}.${k}`) : [`${at}.${k}`];
  });
}
