/**
 * Loads an `.avsc` file from the repository's `avro/` folder. The schemas stay plain `.avsc` files (the
 * form schema registries and avro-tools take); the loader walks up from the calling module so the same
 * code works from `connectors/` (tsx, vitest) and from `dist/connectors/` (built) — `avro/` must ship
 * next to `dist/` in the package or image.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AvroSchema } from '../types.js';

export function loadAvsc(relativePath: string, fromModuleUrl: string): AvroSchema {
  let dir = dirname(fileURLToPath(fromModuleUrl));
  for (;;) {
    const candidate = join(dir, relativePath);
    if (existsSync(candidate)) return JSON.parse(readFileSync(candidate, 'utf8')) as AvroSchema;
    const up = dirname(dir);
    if (up === dir) throw new Error(`Avro schema ${relativePath} not found above ${fromModuleUrl}`);
    dir = up;
  }
}
