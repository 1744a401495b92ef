// `npm run check:layout [-- DIR]`: the rooms in layout.json, checked against every import in the repository (or DIR).
// Exits 1 naming each forbidden import (file:line, the two rooms, what is allowed) and each import cycle (its files).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLayout, type LayoutRules } from './layout/check.js';
import { importGraph, sourceFiles } from './layout/graph.js';

const root = process.argv[2] ? resolve(process.argv[2]) : join(dirname(fileURLToPath(import.meta.url)), '..');
const rules = JSON.parse(readFileSync(join(root, 'layout.json'), 'utf8')) as LayoutRules;
// Every top-level folder with sources is checked, so a new folder that is not in layout.json is reported, not skipped.
const folders = readdirSync(root).filter(
  (n) => !n.startsWith('.') && n !== 'node_modules' && n !== 'dist' && statSync(join(root, n)).isDirectory(),
);
const files = sourceFiles(root, folders);
const rel = files.map((f) =>
  f
    .slice(root.length + 1)
    .split('\\')
    .join('/'),
);
const edges = importGraph(root, files);
const problems = checkLayout(rules, rel, edges);
for (const p of problems) process.stderr.write(`layout: ${p.message}\n`);
if (problems.length) {
  process.stderr.write(
    `layout: ${problems.length} problem(s); the rooms and what each may import are in layout.json\n`,
  );
  process.exit(1);
}
process.stdout.write(
  `layout: ${rel.length} files, ${edges.length} imports between them, no forbidden import, no cycle\n`,
);
