// Every field our schemas accept is honoured or reported — never silently dropped (DESIGN decision 8, issue #14).
// Each leaf field path of the generated schemas (Agent, ModelConfig, RemoteMCPServer, ModelProviderConfig; spec and
// status) must be one of:
//  - honoured: set in a maximal fixture (test/fixtures/full-objects.ts), and changing it alone changes what the pure
//    Agent sync hook produces (its children — config.json, agent-card.json, Deployment, Service, ConfigMap — or its
//    status, for references and the statements status makes, e.g. declarative.runtime);
//  - reported: below a row of UNSUPPORTED (crds/unsupported.ts: an admission warning and UnsupportedFeatures);
//  - consumed elsewhere: a row of CONSUMED_ELSEWHERE below, naming the file that consumes it.
// A new schema field fails here until it is one of these. The maximal Agent's config.json also loads in the runtime.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KINDS, KIND_NAMES, UNSUPPORTED, validate, type KindName } from '../../crds/index.js';
import type { Schema } from '../../crds/schema/builders.js';
import { KUBE_MODELS } from '../../crds/schema/kube.js';
import { loadConfig } from '../../runtime/config/load.js';
import type { KubeObject, SyncResponse } from '../../sync-hooks/protocol.js';
import { FULL_AGENT, FULL_MODEL } from '../fixtures/full-objects.js';
import { render, SCENARIOS, withModel, type Scenario } from '../fixtures/full-scenarios.js';
import { writeConfigDir } from '../runtime/helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Paths (and everything below them) that no Agent sync reads, with the file that consumes them. Status is written by
 * the hooks, not by users; the discriminators choose which block the translator reads (a value that does not match
 * its block is refused by the schema's rules, so it cannot be changed alone).
 */
const CONSUMED_ELSEWHERE: { kind: KindName; path: string; file: string; why: string }[] = [
  { kind: 'Agent', path: 'status', file: 'sync-hooks/agent/status.ts', why: 'written by the Agent sync hook' },
  { kind: 'ModelConfig', path: 'status', file: 'sync-hooks/modelconfig/sync.ts', why: 'written by its status hook' },
  {
    kind: 'RemoteMCPServer',
    path: 'status',
    file: 'sync-hooks/remotemcpserver/status.ts',
    why: 'written by its status hook (discovered tools)',
  },
  {
    kind: 'ModelProviderConfig',
    path: 'status',
    file: 'sync-hooks/modelproviderconfig/status.ts',
    why: 'written by its status hook (discovered models)',
  },
  {
    kind: 'ModelProviderConfig',
    path: 'spec',
    file: 'sync-hooks/modelproviderconfig/sync.ts',
    why: 'read by its status hook (type, endpoint, secretRef: test/unit/modelproviderconfig-status.test.ts), no Agent',
  },
  {
    kind: 'Agent',
    path: 'spec.declarative.tools[].type',
    file: 'crds/conditional-defaults.ts',
    why: 'redundant with the sub-object: /mutate derives it from mcpServer/agent, the rules refuse a mismatch',
  },
  {
    kind: 'RemoteMCPServer',
    path: 'spec.description',
    file: 'crds/schema/remotemcpserver.ts',
    why: 'a description for people reading the object; no behaviour is attached to it',
  },
  {
    kind: 'Agent',
    path: 'spec.type',
    file: 'sync-hooks/agent/translate.ts',
    why: 'chooses declarative or byo (the BYO and Declarative fixtures render differently)',
  },
  {
    kind: 'ModelConfig',
    path: 'spec.provider',
    file: 'sync-hooks/agent/providers/index.ts',
    why: "chooses the provider block (one fixture per provider, each rendering that provider's model.type)",
  },
];

// ---- schema leaves ----

const isFree = (s: Schema) => !!s['x-kubernetes-preserve-unknown-fields'];

/**
 * Leaf paths of a schema (`.a.b`, `[]` list items, `{}` map values). A free-form node is a leaf, and so is an embedded
 * core/v1 structure (crds/schema/kube.ts: a toleration, a container, ...): it is one value to the translator, which
 * passes it to the Deployment whole, where Kubernetes reads each of its fields. A label selector is not: the
 * translator evaluates it itself, field by field.
 */
const passedWhole = (s: Schema) => KUBE_MODELS.has(s) && KUBE_MODELS.get(s) !== 'V1LabelSelector';

function leaves(s: Schema, path: string, out: Map<string, Schema>): Map<string, Schema> {
  const props = Object.entries(s.properties ?? {});
  const map = typeof s.additionalProperties === 'object' ? (s.additionalProperties as Schema) : undefined;
  if (isFree(s) || passedWhole(s) || (props.length === 0 && !s.items && !map)) {
    out.set(path, s);
    return out;
  }
  for (const [k, c] of props) leaves(c, `${path}.${k}`, out);
  if (s.items) leaves(s.items as Schema, `${path}[]`, out);
  if (map) leaves(map, `${path}{}`, out);
  return out;
}

const schemaLeaves = (kind: KindName) =>
  leaves(KINDS[kind].status, 'status', leaves(KINDS[kind].spec, 'spec', new Map<string, Schema>()));

const covers = (prefix: string, path: string) =>
  path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`) || path.startsWith(`${prefix}{`);

const reported = (kind: KindName, path: string) =>
  UNSUPPORTED.some((r) => r.kind === kind && covers(r.path.replaceAll('[*]', '[]'), path));
const elsewhere = (kind: KindName, path: string) =>
  CONSUMED_ELSEWHERE.find((r) => r.kind === kind && covers(r.path, path));

// ---- values at a schema path ----

const SEGMENT = /\.([^.[{]+)|\[\]|\{\}/g;
const segments = (path: string) => [...`.${path}`.matchAll(SEGMENT)].map((m) => m[1] ?? m[0]);

/** Applies `f` to every value at `segs` below `node` (every list item, every map value); true if there was one. */
function visit(node: any, segs: string[], f: (parent: any, key: string | number) => void): boolean {
  if (segs.length === 0 || node === null || typeof node !== 'object') return false;
  const [seg, ...rest] = segs;
  const keys: (string | number)[] =
    seg === '[]' ? (Array.isArray(node) ? node.map((_, i) => i) : []) : seg === '{}' ? Object.keys(node) : [seg];
  let hit = false;
  for (const k of keys) {
    if (node[k] === undefined) continue;
    if (rest.length === 0) {
      f(node, k);
      hit = true;
    } else hit = visit(node[k], rest, f) || hit;
  }
  return hit;
}

const NUMBERED = /^(\d+)(\.\d+)?([A-Za-z]*)$/;

/** Another valid-looking value of the same kind: a flipped flag, another enum value, a number one up, a changed string. */
function changed(v: unknown, s: Schema): unknown {
  if (s.enum) return s.enum.find((e) => e !== v) ?? v;
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'number') return v + 1;
  if (typeof v === 'string') {
    const m = NUMBERED.exec(v);
    if (m) return `${Number(m[1]) + 1}${m[2] ?? ''}${m[3]}`;
    if (/^0\.\d+$/.test(v)) return `${v}1`;
    return `${v}z`;
  }
  if (Array.isArray(v)) return [...v, ...v];
  if (v && typeof v === 'object') return { ...v, zqChanged: 'zq' };
  return v;
}

/** The response as comparable text: Secret data decoded; conditions without times and without UnsupportedFeatures. */
function outcome(r: SyncResponse): { children: string; status: string } {
  const children = r.children.map((c) =>
    c.kind === 'Secret'
      ? {
          ...c,
          data: Object.fromEntries(
            Object.entries((c.data as Record<string, string>) ?? {}).map(([k, v]) => [
              k,
              Buffer.from(v, 'base64').toString('utf8'),
            ]),
          ),
        }
      : c,
  );
  const conditions = ((r.status.conditions as Record<string, unknown>[]) ?? [])
    .filter((c) => c.type !== 'UnsupportedFeatures')
    .map(({ lastTransitionTime: _, ...c }) => c);
  return { children: JSON.stringify(children), status: JSON.stringify(conditions) };
}

const accepted = (r: SyncResponse) =>
  (r.status.conditions as { type: string; status: string; message: string }[]).find((c) => c.type === 'Accepted');

function rerender(sc: Scenario, subject: KubeObject, next: KubeObject): SyncResponse {
  const swap = (o: KubeObject) => (o === subject ? next : o);
  return render(swap(sc.agent), sc.objects.map(swap));
}

/** How a field was shown to be read: what changed (the children, or only the status) and whether its value shows. */
type Verdict =
  | { how: 'changed' | 'removed'; in: 'children' | 'status'; scenario: string; sentinel: boolean }
  | { how: 'unproven'; why: string };

/**
 * Whether changing (else removing) the field alone changes what the sync produces, in some scenario setting it: its
 * children if any scenario shows that, else its status (references: a changed name is a missing object; statements
 * such as declarative.runtime).
 */
function prove(kind: KindName, path: string, s: Schema): Verdict | undefined {
  const segs = segments(path);
  let tried: string | undefined;
  let statusOnly: Verdict | undefined;
  for (const sc of SCENARIOS) {
    for (const subject of sc.subjects.filter((o) => o.kind === kind)) {
      if (!visit(subject, segs, () => {})) continue;
      tried ??= sc.name;
      const base = outcome(render(sc.agent, sc.objects));
      const values: unknown[] = [];
      visit(subject, segs, (p, k) => values.push(p[k]));
      const text = base.children + base.status;
      const sentinel = values.some(
        (v) =>
          (typeof v === 'string' && v.length > 2 && text.includes(v)) ||
          (typeof v === 'number' && text.includes(String(v))),
      );
      for (const how of ['changed', 'removed'] as const) {
        const next = structuredClone(subject);
        visit(next, segs, (p, k) => {
          if (how === 'changed') p[k] = changed(p[k], s);
          else if (Array.isArray(p)) p.splice(Number(k), 1);
          else delete p[k];
        });
        if (validate(kind, next).length > 0) continue; // not a value a user could store
        const got = outcome(rerender(sc, subject, next));
        if (got.children !== base.children) return { how, in: 'children', scenario: sc.name, sentinel };
        if (got.status !== base.status) statusOnly ??= { how, in: 'status', scenario: sc.name, sentinel };
      }
    }
  }
  if (statusOnly) return statusOnly;
  return tried === undefined
    ? undefined
    : {
        how: 'unproven',
        why: `in "${tried}" (and every other scenario setting it), neither changing nor removing it changes the output`,
      };
}

describe('the maximal fixtures', () => {
  const all = [...new Set(SCENARIOS.flatMap((sc) => [sc.agent, ...sc.objects]))].filter((o) =>
    (KIND_NAMES as string[]).includes(o.kind),
  );
  it.each(all.map((o) => [`${o.kind} ${o.metadata.name}`, o] as const))('%s is a valid object', (_, o) => {
    expect(validate(o.kind as KindName, o)).toEqual([]);
  });

  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s reconciles (Accepted, or refused with a reason)', (_, sc) => {
    const a = accepted(render(sc.agent, sc.objects));
    expect(a, sc.name).toBeDefined();
    if (!sc.name.match(/sapAICore|foundry|tokenExchange/)) expect(a, sc.name).toMatchObject({ status: 'True' });
  });
});

describe('every accepted field is honoured, reported or consumed elsewhere', () => {
  const counts = { honoured: 0, statusOnly: 0, sentinel: 0, reported: 0, reportedWritten: 0, elsewhere: 0 };
  const statusOnly: string[] = [];
  const failures: string[] = [];
  for (const kind of KIND_NAMES) {
    for (const [path, s] of schemaLeaves(kind)) {
      if (elsewhere(kind, path)) {
        counts.elsewhere++;
        continue;
      }
      const v = prove(kind, path, s);
      if (reported(kind, path)) {
        // Reported wins: a row may name a field the sync hook writes (config.json) but the runtime does not act on.
        counts.reported++;
        if (v && v.how !== 'unproven' && v.in === 'children') counts.reportedWritten++;
      } else if (!v)
        failures.push(
          `${kind} ${path}: set by no fixture (test/fixtures/full-objects.ts), not in UNSUPPORTED, not consumed elsewhere`,
        );
      else if (v.how === 'unproven') failures.push(`${kind} ${path}: ${v.why} — honour it or add an UNSUPPORTED row`);
      else {
        counts.honoured++;
        if (v.in === 'status') {
          counts.statusOnly++;
          statusOnly.push(`${kind} ${path}`);
        }
        if (v.sentinel) counts.sentinel++;
      }
    }
  }

  it('every leaf path of every kind', () => {
    console.log(
      `fields: ${counts.honoured} honoured (${counts.honoured - counts.statusOnly} change the children, ` +
        `${counts.statusOnly} only the status; ${counts.sentinel} with their sentinel value in the output), ` +
        `${counts.reported} reported (UNSUPPORTED; ${counts.reportedWritten} of them written to the children but ` +
        `not acted on), ${counts.elsewhere} consumed elsewhere\nhonoured through the status only: ${statusOnly.join(', ')}`,
    );
    expect(failures).toEqual([]);
    // 159 when written (embedded core/v1 structures count once each, see leaves()).
    expect(counts.honoured).toBeGreaterThan(150);
  });

  it('the consumed-elsewhere table names files that exist, and rows that still match a path', () => {
    for (const r of CONSUMED_ELSEWHERE) {
      expect(existsSync(ROOT + r.file), r.file).toBe(true);
      expect(
        [...schemaLeaves(r.kind).keys()].some((p) => covers(r.path, p)),
        `${r.kind} ${r.path}`,
      ).toBe(true);
    }
  });
});

describe("the maximal Agent's config.json in the runtime's loader", () => {
  it('loads, and every sentinel it carries is read into the loaded config', async () => {
    const r = render(FULL_AGENT, withModel(FULL_MODEL));
    const secret = r.children.find((c) => c.kind === 'Secret' && (c.data as Record<string, string>)['config.json'])!;
    const data = secret.data as Record<string, string>;
    const config = JSON.parse(Buffer.from(data['config.json'], 'base64').toString('utf8'));
    const card = JSON.parse(Buffer.from(data['agent-card.json'], 'base64').toString('utf8'));
    const dir = await writeConfigDir(config, card);
    try {
      const loaded = await loadConfig(dir);
      const text = JSON.stringify(config);
      const sentinels = [...new Set(text.match(/[^"]*zq[^"]*/g) ?? [])];
      expect(sentinels.length).toBeGreaterThan(10);
      const read = JSON.stringify(loaded.config);
      expect(sentinels.filter((s) => !read.includes(JSON.stringify(s).slice(1, -1)))).toEqual([]);
      expect(loaded.config).toEqual(config);
      expect(JSON.stringify(loaded.card)).toContain('zq-org');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
