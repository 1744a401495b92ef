#!/usr/bin/env node
// The package's one entry point. In an image only the compiled dist/ exists; in a source checkout the TypeScript
// sources are run through tsx so that tests and contributors never run a stale build.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'cli', 'main.ts');
const compiled = join(root, 'dist', 'cli', 'main.js');

if (existsSync(source) && process.env.METAGENT_USE_DIST !== '1') {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source);
} else {
  await import(compiled);
}
