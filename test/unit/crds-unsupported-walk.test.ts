// describeUnsupported walks each row's path depth-first and builds a path string only for hits. It must report the
// same hits, in the same order, as the breadth-first walk it replaced (kept below as the reference).
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { describeUnsupported, KIND_NAMES, UNSUPPORTED, type KindName } from '../../crds/index.js';
import { joinPath } from '../../crds/paths.js';

function reference(kind: KindName, obj: unknown): { path: string; reason: string }[] {
  const out: { path: string; reason: string }[] = [];
  for (const row of UNSUPPORTED.filter((r) => r.kind === kind)) {
    let current: [string, unknown][] = [['', obj]];
    for (const part of row.path.split('.')) {
      const key = part.replace(/\[\*\]$/, '');
      const each = part.endsWith('[*]');
      const next: [string, unknown][] = [];
      for (const [path, node] of current) {
        if (typeof node !== 'object' || node === null || Array.isArray(node)) continue;
        const value = (node as Record<string, unknown>)[key];
        if (value === undefined || value === null) continue;
        const at = joinPath(path, key);
        if (!each) next.push([at, value]);
        else if (Array.isArray(value)) value.forEach((v, i) => next.push([joinPath(at, i), v]));
      }
      current = next;
    }
    for (const [path, value] of current) if (!row.when || row.when(value)) out.push({ path, reason: row.reason });
  }
  return out;
}

const inputsDir = fileURLToPath(new URL('../../../shared/conformance/kagent-v0.10/inputs/', import.meta.url));
const inputs = readdirSync(inputsDir)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((file) => (parse(readFileSync(inputsDir + file, 'utf8')) as { objects: Record<string, unknown>[] }).objects)
  .filter((o) => o.apiVersion === 'kagent.dev/v1alpha2' && (KIND_NAMES as string[]).includes(o.kind as string));

const tool = (i: number) =>
  [
    { type: 'McpServer', mcpServer: { name: `s${i}`, kind: 'MCPServer' } },
    { type: 'McpServer', mcpServer: { name: `s${i}`, kind: 'RemoteMCPServer' } },
    { type: 'Agent', agent: { name: `a${i}` } },
    null,
    'garbage',
    { mcpServer: null },
    { mcpServer: [1] },
  ][i % 7];

describe('describeUnsupported (depth-first walk)', () => {
  it('reports what the breadth-first walk reports, in the same order', () => {
    const objects: [KindName, unknown][] = inputs.map((o) => [o.kind as KindName, o]);
    for (let n = 0; n < 80; n++) {
      objects.push([
        'Agent',
        {
          spec: {
            skills: n % 3 === 0 ? { refs: ['x'] } : undefined,
            declarative: {
              tools: Array.from({ length: n % 9 }, (_, i) => tool(i + n)),
              memory: n % 4 === 0 ? { modelConfig: 'm' } : n % 4 === 1 ? null : undefined,
              executeCodeBlocks: n % 2 === 0,
              description: n % 5 === 0 ? 'd' : undefined,
              context: n % 6 === 0 ? { compaction: {} } : 'x',
            },
          },
        },
      ]);
    }
    objects.push(
      ['Agent', 'garbage'],
      ['Agent', { spec: { declarative: { tools: 'x' } } }],
      ['ModelConfig', { spec: null }],
    );
    let hits = 0;
    for (const [kind, obj] of objects) {
      const got = describeUnsupported(kind, obj);
      expect(got).toEqual(reference(kind, obj));
      hits += got.length;
    }
    expect(hits).toBeGreaterThan(100);
  });
});
