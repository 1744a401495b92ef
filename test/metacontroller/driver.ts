// The contract driver: does, for one parent, exactly what Metacontroller's CompositeController does on a sync
// (pkg/controller/composite/controller.go syncParentObject, hook version v2), against the real API server and the
// real hook server over HTTP:
//   claim children (controller-uid selector with generateSelector; adopt matching orphans, release non-matching)
//   -> customize (cached per parent UID + generation, like Metacontroller) -> fetch related objects per rule
//   -> sync -> add the controller-uid label to desired children -> delete omitted children
//   -> create missing ones (with the last-applied annotation and a controller ownerReference)
//   -> update changed ones per updateStrategy (3-way dynamic apply; no write when nothing differs)
//   -> write status (+observedGeneration) through the status subresource when it differs.
// Every write to the API server is counted, so a test can assert that an unchanged resync writes 0 times.
// Not emulated: finalize hooks, rolling update strategies (ControllerRevisions), informer caches (reads are live).
import type { KubeConfig } from '@kubernetes/client-node';
import type {
  CustomizeResponse,
  KubeObject,
  LabelSelector,
  ObjectMap,
  RelatedResourceRule,
  SyncResponse,
} from '../../sync-hooks/protocol.js';
import { applyUpdate, deepCopy, deepEqual, goJsonMarshal, setLastApplied } from './apply.js';
import { KubeRest, type ApiResource } from './kube-rest.js';
import { matchesSelector, selectorToString } from './selector.js';

interface HookSpec {
  version?: 'v1' | 'v2';
  webhook?: {
    url?: string;
    path?: string;
    timeout?: string;
    service?: { name: string; namespace: string; port?: number };
  };
}

export interface CompositeControllerSpec {
  parentResource: { apiVersion: string; resource: string };
  childResources?: { apiVersion: string; resource: string; updateStrategy?: { method?: string } }[];
  generateSelector?: boolean;
  resyncPeriodSeconds?: number;
  hooks: { sync: HookSpec; customize?: HookSpec; finalize?: HookSpec };
}

export interface CompositeController extends KubeObject {
  spec: CompositeControllerSpec;
}

export interface WriteCounts {
  create: number;
  update: number;
  delete: number;
  /** Adoption/release patches of ownerReferences. */
  claim: number;
  status: number;
}

export interface ReconcileResult {
  /** The parent no longer exists (nothing was done). */
  parentGone: boolean;
  writes: WriteCounts;
  totalWrites: number;
  /** What each write was, e.g. `update Deployment ns/name` — for test failure messages. */
  log: string[];
  syncResponse?: SyncResponse;
  related?: ObjectMap;
}

export class HookHttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export interface DriverOptions {
  kubeConfig: KubeConfig;
  controller: CompositeController;
  /** Base URL of the hook server; replaces the origin of each hook's webhook URL (or service). */
  hookBaseUrl: string;
  /** How long a customize answer is kept (Metacontroller: 20 minutes from when it was stored, pkg/controller/common/customize newResponseCache). */
  customizeCacheTtlMs?: number;
  /** Clock for the customize cache (tests). */
  clock?: () => number;
}

/** Metacontroller's customize cache: zcache with a 20-minute default expiration, set per (parent uid, generation). */
export const CUSTOMIZE_CACHE_TTL_MS = 20 * 60 * 1000;

const SYNC_RESPONSE_FIELDS = new Set(['status', 'children', 'resyncAfterSeconds', 'finalized']);
const CUSTOMIZE_RESPONSE_FIELDS = new Set(['relatedResources']);
const RULE_FIELDS = new Set(['apiVersion', 'resource', 'labelSelector', 'namespaceSelector', 'namespace', 'names']);
const SELECTOR_FIELDS = new Set(['matchLabels', 'matchExpressions']);

function emptyWrites(): WriteCounts {
  return { create: 0, update: 0, delete: 0, claim: 0, status: 0 };
}

export class CompositeControllerDriver {
  readonly rest: KubeRest;
  /** Writes over the driver's lifetime. */
  readonly totals: WriteCounts = emptyWrites();
  /** Customize hook calls (Metacontroller caches the response per parent UID and generation). */
  customizeCalls = 0;
  private readonly customizeCache = new Map<string, { rules: RelatedResourceRule[]; expires: number }>();

  constructor(private readonly opts: DriverOptions) {
    this.rest = new KubeRest(opts.kubeConfig);
    const v = opts.controller.spec.hooks.sync.version ?? 'v1';
    if (v !== 'v2')
      throw new Error(
        `contract driver implements hook version v2, controller ${opts.controller.metadata.name} uses ${v}`,
      );
  }

  private get spec(): CompositeControllerSpec {
    return this.opts.controller.spec;
  }

  private hookUrl(h: HookSpec): string {
    const base = this.opts.hookBaseUrl.replace(/\/$/, '');
    if (h.webhook?.url) {
      const u = new URL(h.webhook.url);
      return base + u.pathname + u.search;
    }
    if (h.webhook?.service) return base + (h.webhook.path ?? '');
    throw new Error('hook has neither webhook.url nor webhook.service');
  }

  private async callHook(h: HookSpec, body: unknown, allowed: Set<string>): Promise<any> {
    const timeoutMs = parseTimeout(h.webhook?.timeout) ?? 10_000;
    const res = await fetch(this.hookUrl(h), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (res.status === 429) {
      const ra = Number(res.headers.get('retry-after'));
      throw new HookHttpError(`hook answered 429: ${text}`, 429, Number.isFinite(ra) ? ra : undefined);
    }
    if (res.status !== 200)
      throw new HookHttpError(`hook ${this.hookUrl(h)} answered ${res.status}: ${text}`, res.status);
    const parsed = JSON.parse(text) as Record<string, unknown>;
    // v2 hooks are decoded strictly by Metacontroller: unknown fields are an error.
    for (const k of Object.keys(parsed))
      if (!allowed.has(k)) throw new Error(`strict decoding: unknown field ${JSON.stringify(k)} in hook response`);
    return parsed;
  }

  private async parentResource(): Promise<ApiResource> {
    return this.rest.byResource(this.spec.parentResource.apiVersion, this.spec.parentResource.resource);
  }

  private selector(parent: KubeObject): LabelSelector {
    if (this.spec.generateSelector) return { matchLabels: { 'controller-uid': parent.metadata.uid! } };
    const sel = (parent.spec as { selector?: LabelSelector } | undefined)?.selector;
    if (!sel || (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length)) {
      throw new Error('.spec.selector must have either matchLabels, matchExpressions, or both');
    }
    return sel;
  }

  /** One sync of one parent. Throws on hook or API failures (Metacontroller would requeue with backoff). */
  async reconcileOnce(ref: { namespace?: string; name: string }): Promise<ReconcileResult> {
    const writes = emptyWrites();
    const log: string[] = [];
    const count = (kind: keyof WriteCounts, what: string) => {
      writes[kind]++;
      this.totals[kind]++;
      log.push(what);
    };
    const done = (extra: Partial<ReconcileResult> = {}): ReconcileResult => ({
      parentGone: false,
      writes,
      totalWrites: Object.values(writes).reduce((a, b) => a + b, 0),
      log,
      ...extra,
    });

    const pr = await this.parentResource();
    const got = await this.rest.request('GET', this.rest.objectPath(pr, ref.namespace, ref.name));
    if (got.status === 404) return done({ parentGone: true });
    if (got.status !== 200)
      throw new Error(`GET parent ${ref.namespace}/${ref.name}: ${got.status} ${JSON.stringify(got.body)}`);
    const parent = { apiVersion: pr.apiVersion, kind: pr.kind, ...got.body } as KubeObject;
    const ns = parent.metadata.namespace;
    const selector = this.selector(parent);
    const deleting = !!parent.metadata.deletionTimestamp;

    // 1. Claim children of every child resource in the parent's namespace.
    const children: ObjectMap = {};
    const childResources: { r: ApiResource; method: string }[] = [];
    for (const cr of this.spec.childResources ?? []) {
      const r = await this.rest.byResource(cr.apiVersion, cr.resource);
      childResources.push({ r, method: cr.updateStrategy?.method ?? 'OnDelete' });
      const group = (children[`${r.kind}.${r.apiVersion}`] = {} as Record<string, KubeObject>);
      for (const obj of (await this.rest.list(r, pr.namespaced ? ns : undefined)) as KubeObject[]) {
        const owner = (obj.metadata.ownerReferences ?? []).find((o) => o.controller);
        const matches = matchesSelector(obj.metadata.labels, selector);
        if (owner) {
          if (owner.uid !== parent.metadata.uid) continue;
          if (matches) {
            group[key(obj)] = obj;
          } else if (!deleting) {
            // Release: the child no longer matches the selector.
            await this.patchOwnerRefs(
              r,
              obj,
              (obj.metadata.ownerReferences ?? []).filter((o) => o.uid !== parent.metadata.uid),
            );
            count('claim', `release ${r.kind} ${key(obj)}`);
          }
        } else if (matches && !deleting && !obj.metadata.deletionTimestamp) {
          // Adopt a matching orphan.
          const adopted = await this.patchOwnerRefs(r, obj, [
            ...(obj.metadata.ownerReferences ?? []),
            controllerRef(parent),
          ]);
          count('claim', `adopt ${r.kind} ${key(obj)}`);
          group[key(adopted)] = adopted;
        }
      }
    }

    // 2. Customize (cached per UID + generation) and related objects.
    let related: ObjectMap = {};
    const customize = this.spec.hooks.customize;
    if (customize) {
      if ((customize.version ?? 'v1') !== 'v2')
        throw new Error('contract driver implements customize hook version v2 only');
      const cacheKey = `${parent.metadata.uid}/${parent.metadata.generation}`;
      // Keyed on (uid, generation) only: a change of anything else (status, labels, a related object) is not a
      // reason to ask again; the answer expires 20 minutes after it was stored (Get does not extend it).
      const now = (this.opts.clock ?? Date.now)();
      let rules = this.customizeCache.get(cacheKey);
      if (rules && rules.expires <= now) rules = undefined;
      if (!rules) {
        const resp = (await this.callHook(
          customize,
          { controller: this.opts.controller, parent },
          CUSTOMIZE_RESPONSE_FIELDS,
        )) as CustomizeResponse;
        rules = {
          rules: resp.relatedResources ?? [],
          expires: now + (this.opts.customizeCacheTtlMs ?? CUSTOMIZE_CACHE_TTL_MS),
        };
        this.customizeCalls++;
        this.customizeCache.set(cacheKey, rules);
      }
      related = await this.relatedObjects(rules.rules);
    }

    // 3. Sync.
    const resp = (await this.callHook(
      this.spec.hooks.sync,
      { controller: this.opts.controller, parent, children, related, finalizing: false },
      SYNC_RESPONSE_FIELDS,
    )) as SyncResponse;
    if (resp.children !== undefined && resp.children !== null && !Array.isArray(resp.children))
      throw new Error('sync response: children must be a list');

    // 4. Desired children: label them for the generated selector; refuse children that would be orphaned at once.
    const desired: ObjectMap = {};
    for (const c of resp.children ?? []) {
      if (
        !c ||
        typeof c.apiVersion !== 'string' ||
        typeof c.kind !== 'string' ||
        typeof c.metadata?.name !== 'string'
      ) {
        throw new Error(
          `sync response: a child lacks apiVersion, kind or metadata.name: ${JSON.stringify(c).slice(0, 200)}`,
        );
      }
      const obj = deepCopy(c);
      const r = childResources.find((x) => x.r.kind === obj.kind && x.r.apiVersion === obj.apiVersion);
      if (!r)
        throw new Error(
          `sync response: ${obj.kind}.${obj.apiVersion} is not a child resource of ${this.opts.controller.metadata.name}`,
        );
      if (r.r.namespaced && !obj.metadata.namespace) obj.metadata.namespace = ns;
      if (this.spec.generateSelector) {
        obj.metadata.labels ??= {};
        if (!('controller-uid' in obj.metadata.labels)) obj.metadata.labels['controller-uid'] = parent.metadata.uid!;
      }
      if (!matchesSelector(obj.metadata.labels, selector))
        throw new Error(`labels on desired child ${obj.kind} ${key(obj)} don't match parent selector`);
      (desired[`${obj.kind}.${obj.apiVersion}`] ??= {})[key(obj)] = obj;
    }

    // 5. Manage children (only while the parent is alive; no finalize hook is emulated).
    if (!deleting) {
      for (const { r } of childResources) {
        const g = `${r.kind}.${r.apiVersion}`;
        for (const [k, obj] of Object.entries(children[g] ?? {})) {
          if (obj.metadata.deletionTimestamp || desired[g]?.[k]) continue;
          const del = await this.rest.request(
            'DELETE',
            this.rest.objectPath(r, obj.metadata.namespace, obj.metadata.name!),
            {
              apiVersion: 'v1',
              kind: 'DeleteOptions',
              preconditions: { uid: obj.metadata.uid },
              propagationPolicy: 'Background',
            },
          );
          if (del.status >= 300 && del.status !== 404)
            throw new Error(`delete ${r.kind} ${k}: ${del.status} ${JSON.stringify(del.body)}`);
          count('delete', `delete ${r.kind} ${k}`);
        }
      }
      for (const { r, method } of childResources) {
        const g = `${r.kind}.${r.apiVersion}`;
        for (const [k, obj] of Object.entries(desired[g] ?? {})) {
          const observed = children[g]?.[k];
          if (observed) {
            const updated = applyUpdate(observed as any, obj as any);
            if (deepEqual(updated, observed)) continue;
            if (observed.metadata.deletionTimestamp) continue;
            if (method === 'OnDelete') continue;
            if (method === 'Recreate' || method === 'RollingRecreate') {
              await this.rest.request(
                'DELETE',
                this.rest.objectPath(r, observed.metadata.namespace, observed.metadata.name!),
                {
                  apiVersion: 'v1',
                  kind: 'DeleteOptions',
                  preconditions: { uid: observed.metadata.uid },
                  propagationPolicy: 'Background',
                },
              );
              count('delete', `recreate ${r.kind} ${k}`);
            } else if (method === 'InPlace' || method === 'RollingInPlace') {
              const put = await this.rest.request(
                'PUT',
                this.rest.objectPath(r, observed.metadata.namespace, observed.metadata.name!),
                updated,
              );
              // A conflict is ignored (the next sync sees the new version); Metacontroller does the same.
              if (put.status >= 300 && put.status !== 404 && put.status !== 409)
                throw new Error(`update ${r.kind} ${k}: ${put.status} ${JSON.stringify(put.body)}`);
              count('update', `update ${r.kind} ${k}: ${diffSummary(observed, updated)}`);
            } else {
              throw new Error(`invalid update strategy for ${r.kind}: unknown method ${method}`);
            }
          } else {
            const create = deepCopy(obj);
            setLastApplied(create as any, obj as any);
            create.metadata.ownerReferences = [...(create.metadata.ownerReferences ?? []), controllerRef(parent)];
            const post = await this.rest.request(
              'POST',
              this.rest.collectionPath(r, create.metadata.namespace),
              create,
            );
            if (post.status >= 300 && post.status !== 409)
              throw new Error(`create ${r.kind} ${k}: ${post.status} ${JSON.stringify(post.body)}`);
            count('create', `create ${r.kind} ${k}`);
          }
        }
      }
    }

    // 6. Status: the hook's status with observedGeneration injected, written only when it differs.
    const status = {
      ...((resp.status as Record<string, unknown>) ?? {}),
      observedGeneration: parent.metadata.generation,
    };
    for (let attempt = 0; attempt < 5; attempt++) {
      const fresh = await this.rest.request('GET', this.rest.objectPath(pr, ns, parent.metadata.name!));
      if (fresh.status === 404) break;
      if (fresh.body.metadata.uid !== parent.metadata.uid) break;
      if (deepEqual(fresh.body.status, status)) break;
      const put = await this.rest.request('PUT', this.rest.objectPath(pr, ns, parent.metadata.name!) + '/status', {
        ...fresh.body,
        apiVersion: pr.apiVersion,
        kind: pr.kind,
        status,
      });
      if (put.status === 409) continue;
      if (put.status >= 300 && put.status !== 404)
        throw new Error(`update status: ${put.status} ${JSON.stringify(put.body)}`);
      count('status', `status ${pr.kind} ${ns}/${parent.metadata.name}`);
      break;
    }
    return done({ syncResponse: resp, related });
  }

  /** Reconcile until a sync writes nothing (as Metacontroller's watch on its own writes would); returns all rounds. */
  async reconcileUntilStable(ref: { namespace?: string; name: string }, maxRounds = 5): Promise<ReconcileResult[]> {
    const rounds: ReconcileResult[] = [];
    for (let i = 0; i < maxRounds; i++) {
      const r = await this.reconcileOnce(ref);
      rounds.push(r);
      if (r.parentGone || r.totalWrites === 0) return rounds;
    }
    throw new Error(`not stable after ${maxRounds} syncs; last writes: ${rounds[rounds.length - 1].log.join('; ')}`);
  }

  /**
   * Metacontroller's work queue for one parent, in time: sync, then requeue after the response's
   * `resyncAfterSeconds` (a 429 from the hook server requeues after its Retry-After; other errors with
   * Metacontroller's per-parent backoff, client-go's DefaultTypedControllerRateLimiter: 5 ms doubling per consecutive
   * failure up to 1000 s, reset by a success), until `until(parent)` holds or `timeoutMs` passes. Returns the syncs made.
   * `defaultResyncSeconds` stands for the controller's resyncPeriodSeconds and watch events (a test's own nudge).
   */
  async runUntil(
    ref: { namespace?: string; name: string },
    until: (parent: KubeObject) => boolean,
    opts: { timeoutMs: number; defaultResyncSeconds?: number },
  ): Promise<{ syncs: number; parent: KubeObject; waitsSeconds: number[] }> {
    const deadline = Date.now() + opts.timeoutMs;
    const waitsSeconds: number[] = [];
    let syncs = 0;
    let failures = 0;
    for (;;) {
      let wait = opts.defaultResyncSeconds ?? this.spec.resyncPeriodSeconds ?? 0;
      try {
        const r = await this.reconcileOnce(ref);
        syncs++;
        failures = 0;
        if (r.totalWrites > 0)
          wait = 0; // Metacontroller's watch sees its own write and syncs again at once
        else if (r.syncResponse?.resyncAfterSeconds && r.syncResponse.resyncAfterSeconds > 0)
          wait = Math.min(wait || Infinity, r.syncResponse.resyncAfterSeconds);
      } catch (err) {
        if (err instanceof HookHttpError && err.status === 429 && err.retryAfterSeconds !== undefined)
          wait = err.retryAfterSeconds;
        else wait = Math.min(0.005 * 2 ** failures++, 1000);
      }
      const pr = await this.parentResource();
      const got = await this.rest.request('GET', this.rest.objectPath(pr, ref.namespace, ref.name));
      const parent = { apiVersion: pr.apiVersion, kind: pr.kind, ...got.body } as KubeObject;
      if (got.status === 200 && until(parent)) return { syncs, parent, waitsSeconds };
      if (!Number.isFinite(wait) || wait < 0) wait = 1;
      if (Date.now() + wait * 1000 > deadline)
        throw new Error(
          `condition not met within ${opts.timeoutMs} ms (${syncs} syncs; waits ${waitsSeconds.join(', ')} s)`,
        );
      waitsSeconds.push(wait);
      await new Promise((r) => setTimeout(r, wait * 1000));
    }
  }

  /** Lists the parents (in one namespace, or all) as Metacontroller's parent informer would. */
  async listParents(namespace?: string): Promise<KubeObject[]> {
    return (await this.rest.list(await this.parentResource(), namespace)) as KubeObject[];
  }

  /** One sync of every parent (in one namespace, or all), in name order; a failing parent does not stop the others. */
  async reconcileAll(namespace?: string): Promise<{ parent: string; result?: ReconcileResult; error?: Error }[]> {
    const parents = (await this.listParents(namespace)).sort((a, b) => key(a).localeCompare(key(b)));
    const out: { parent: string; result?: ReconcileResult; error?: Error }[] = [];
    for (const p of parents) {
      try {
        out.push({
          parent: key(p),
          result: await this.reconcileOnce({ namespace: p.metadata.namespace, name: p.metadata.name! }),
        });
      } catch (err) {
        out.push({ parent: key(p), error: err as Error });
      }
    }
    return out;
  }

  /** Related objects per rule, with Metacontroller's v2 semantics (any namespace may be named). */
  private async relatedObjects(rules: RelatedResourceRule[]): Promise<ObjectMap> {
    const out: ObjectMap = {};
    for (const rule0 of rules) {
      const rule = rule0 as RelatedResourceRule & { namespaceSelector?: LabelSelector };
      for (const f of Object.keys(rule))
        if (!RULE_FIELDS.has(f))
          throw new Error(`strict decoding: unknown field ${JSON.stringify(f)} in relatedResources rule`);
      for (const s of [rule.labelSelector, rule.namespaceSelector]) {
        for (const f of Object.keys(s ?? {}))
          if (!SELECTOR_FIELDS.has(f))
            throw new Error(`strict decoding: unknown field ${JSON.stringify(f)} in label selector`);
      }
      const r = await this.rest.byResource(rule.apiVersion, rule.resource);
      const group = (out[`${r.kind}.${r.apiVersion}`] ??= {});
      const hasNames = (rule.names ?? []).length > 0;
      const hasNs = !!rule.namespace;
      if (hasNames && (rule.labelSelector || rule.namespaceSelector))
        throw new Error('related rule cannot have both names and labelSelector/namespaceSelector');
      if (hasNs && rule.namespaceSelector)
        throw new Error('related rule cannot have both namespace and namespaceSelector');
      let objs: KubeObject[];
      if (rule.namespaceSelector) {
        const nsRes = await this.rest.byResource('v1', 'namespaces');
        const namespaces = await this.rest.list(nsRes, undefined, selectorToString(rule.namespaceSelector));
        objs = [];
        for (const n of namespaces)
          objs.push(...(await this.rest.list(r, n.metadata.name, selectorToString(rule.labelSelector))));
      } else if (rule.labelSelector && hasNs) {
        objs = await this.rest.list(r, rule.namespace, selectorToString(rule.labelSelector));
      } else if (hasNs || hasNames) {
        objs = (await this.rest.list(r, rule.namespace || undefined)).filter(
          (o: KubeObject) => !hasNames || rule.names!.includes(o.metadata.name!),
        );
      } else {
        objs = await this.rest.list(r, undefined, selectorToString(rule.labelSelector));
      }
      for (const o of objs) group[key(o)] = o;
    }
    return out;
  }

  private async patchOwnerRefs(
    r: ApiResource,
    obj: KubeObject,
    refs: KubeObject['metadata']['ownerReferences'],
  ): Promise<KubeObject> {
    const body = await this.rest.ok(
      'PATCH',
      this.rest.objectPath(r, obj.metadata.namespace, obj.metadata.name!),
      { metadata: { ownerReferences: refs, uid: obj.metadata.uid } },
      'application/merge-patch+json',
    );
    return { apiVersion: r.apiVersion, kind: r.kind, ...body } as KubeObject;
  }
}

function key(o: KubeObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name!;
}

function controllerRef(parent: KubeObject) {
  return {
    apiVersion: parent.apiVersion,
    kind: parent.kind,
    name: parent.metadata.name!,
    uid: parent.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

function parseTimeout(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(s);
  if (!m) return undefined;
  return parseFloat(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000);
}

/** Top-level paths that differ, for readable failure messages when a resync writes. */
function diffSummary(a: unknown, b: unknown, path = '', out: string[] = []): string {
  if (out.length > 8) return out.join(', ');
  if (deepEqual(a, b)) return out.join(', ');
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diffSummary(a[k], b[k], `${path}.${k}`, out);
  } else {
    // A field added or removed is undefined on one side (JSON.stringify gives no string for it).
    const show = (v: unknown) => (v === undefined ? '(absent)' : goJsonMarshal(v).slice(0, 80));
    out.push(`${path || '.'}: ${show(a)} -> ${show(b)}`);
  }
  return out.join(', ');
}

/** Loads a CompositeController from parsed YAML documents by name. */
export function findController(docs: unknown[], name: string): CompositeController {
  const c = docs.find(
    (d) => (d as KubeObject)?.kind === 'CompositeController' && (d as KubeObject).metadata?.name === name,
  );
  if (!c) throw new Error(`no CompositeController ${name} among the given documents`);
  return c as CompositeController;
}
