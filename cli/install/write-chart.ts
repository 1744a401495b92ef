// `npm run generate:chart`: writes the generated parts of charts/metagent/ (see chart-generate.ts) and removes
// generated templates whose manifests/ file is gone.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateChart } from './chart-generate.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const chart = join(root, 'charts', 'metagent');
const files = generateChart(join(root, 'manifests'), join(root, 'package.json'));
const wanted = new Set(files.map((f) => f.path));
const generatedDir = join(chart, 'templates', 'generated');
for (const entry of readdirSync(generatedDir, { recursive: true, withFileTypes: true })) {
  const path = relative(chart, join(entry.parentPath, entry.name));
  if (entry.isFile() && !wanted.has(path)) rmSync(join(chart, path));
}
for (const f of files) {
  mkdirSync(dirname(join(chart, f.path)), { recursive: true });
  writeFileSync(join(chart, f.path), f.text);
}
console.log(`wrote ${files.length} files under charts/metagent/`);
