// Metacontroller's scale flags are written once (cli/install/metacontroller-flags.ts): the chart's values carry
// them, the README's install section names them and gives a patch with them for a Metacontroller installed from
// its own manifests, and sync-hooks/README.md's bench:scale figures name them as the recommended set.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  METACONTROLLER_DEFAULT_FLAGS,
  METACONTROLLER_SCALE_FLAGS,
  metacontrollerArgs,
} from '../../cli/install/metacontroller-flags.js';
import { DEFAULT_FLAGS, RECOMMENDED_FLAGS } from '../metacontroller/flags.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const recommended = metacontrollerArgs(METACONTROLLER_SCALE_FLAGS);

/** The text of one `## ` section of a Markdown file. */
function section(markdown: string, title: string): string {
  const start = markdown.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`no section "## ${title}"`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

describe("Metacontroller's scale flags, one source", () => {
  it('are Go flag arguments, the recommended ones above the defaults', () => {
    expect(recommended).toEqual([
      `--client-go-qps=${METACONTROLLER_SCALE_FLAGS['client-go-qps']}`,
      `--client-go-burst=${METACONTROLLER_SCALE_FLAGS['client-go-burst']}`,
      `--workers=${METACONTROLLER_SCALE_FLAGS.workers}`,
    ]);
    for (const k of ['client-go-qps', 'client-go-burst', 'workers'] as const)
      expect(METACONTROLLER_SCALE_FLAGS[k]).toBeGreaterThan(METACONTROLLER_DEFAULT_FLAGS[k]);
    expect(RECOMMENDED_FLAGS).toEqual(recommended);
    expect(DEFAULT_FLAGS).toEqual(['--client-go-qps=5', '--client-go-burst=10', '--workers=5']);
  });

  it("are in the chart's Metacontroller commandArgs", () => {
    const values = parse(read('charts/metagent/values.yaml')) as { metacontroller: { commandArgs: string[] } };
    const args = values.metacontroller.commandArgs;
    expect(args.filter((a) => /^--(client-go-qps|client-go-burst|workers)=/.test(a))).toEqual(recommended);
  });

  it("are named in the README's install section, with a patch for Metacontroller's own manifests", () => {
    const install = section(read('README.md'), 'Install into a cluster');
    expect(install).toContain(`\`${recommended.join(' ')}\``);
    const patch = /kubectl -n metacontroller patch statefulset metacontroller --type json -p\s+'(\[[^']*\])'/.exec(
      install,
    );
    expect(patch, 'the README gives the kubectl patch for a kustomize-installed Metacontroller').not.toBeNull();
    const ops = JSON.parse(patch![1]) as { op: string; path: string; value: string }[];
    expect(ops).toEqual(
      recommended.map((value) => ({ op: 'add', path: '/spec/template/spec/containers/0/args/-', value })),
    );
  });

  it("are the ones sync-hooks/README.md's bench:scale figures call recommended", () => {
    const scale = section(read('sync-hooks/README.md'), 'Scale: the real Metacontroller');
    const { 'client-go-qps': qps, 'client-go-burst': burst, workers } = METACONTROLLER_SCALE_FLAGS;
    expect(scale).toContain(`recommended (${qps} / ${burst} / ${workers})`);
    for (const arg of recommended) expect(scale).toContain(`\`${arg}\``);
  });
});
