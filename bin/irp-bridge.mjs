#!/usr/bin/env node
// In a source checkout the CLI runs from TypeScript through tsx, so `npx irp-bridge` never runs a stale
// build; in the container image (no src/, no dev dependencies) it runs the compiled dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = `${root}src/cli/main.ts`;
if (existsSync(source) && !process.env.IRP_BRIDGE_USE_DIST) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(source).href);
} else {
  await import(pathToFileURL(`${root}dist/src/cli/main.js`).href);
}
