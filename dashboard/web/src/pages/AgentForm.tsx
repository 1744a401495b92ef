// Create or edit an Agent: a form for the common fields and a YAML tab for everything else, both editing one object.
// Save runs a server-side dry-run first, so the admission webhook's messages appear next to the fields they name;
// only an accepted object is then applied.
import { lazy, Suspense, useMemo, useState, type ReactNode } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { apiGet, applyObject, objectPath, type ApiError, type ApplyResult, type KObject } from '../api';
import { Empty, ErrorBox } from '../components';
import { fieldFor, getIn, setIn } from '../paths';
import { go, href } from '../router';
import { useLiveList } from '../watch';

const YamlEditor = lazy(() => import('./YamlEditor'));

/** The fields the form shows; a refusal naming any other field is listed above the form. */
const FIELDS = [
  'metadata.name',
  'metadata.namespace',
  'spec.type',
  'spec.description',
  'spec.declarative.systemMessage',
  'spec.declarative.systemMessageFrom',
  'spec.declarative.modelConfig',
  'spec.declarative.stream',
  'spec.declarative.tools',
  'spec.declarative.a2aConfig',
  'spec.declarative.deployment.replicas',
  'spec.declarative.deployment.resources',
  'spec.byo.deployment.image',
  'spec.byo.deployment.replicas',
] as const;

interface McpTool {
  type: 'McpServer';
  mcpServer: { name: string; kind: string; apiGroup: string; toolNames: string[]; requireApproval?: string[] };
}
interface AgentTool {
  type: 'Agent';
  agent: { name: string };
}
type Tool = McpTool | AgentTool;

function Field({
  id,
  label,
  errors,
  children,
  help,
}: {
  id: string;
  label: string;
  errors: string[];
  children: ReactNode;
  help?: string;
}) {
  return (
    <div className={`field ${errors.length ? 'invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {help && <p className="help">{help}</p>}
      {errors.map((e) => (
        <p key={e} className="field-error" id={`${id}-error`} role="alert">
          {e}
        </p>
      ))}
    </div>
  );
}

const blank = (ns: string): KObject => ({
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'Agent',
  metadata: { name: '', namespace: ns || 'default' },
  spec: { type: 'Declarative', description: '', declarative: { modelConfig: '', systemMessage: '', stream: true } },
});

export function AgentFormPage({
  ns,
  name,
  defaultNamespace,
}: {
  ns?: string;
  name?: string;
  defaultNamespace: string;
}) {
  const editing = !!(ns && name);
  const existing = useQuery({
    queryKey: ['object', 'agents', ns, name],
    queryFn: () => apiGet<KObject>(objectPath('agents', ns!, name!)),
    enabled: editing,
    staleTime: Infinity,
  });
  if (editing && existing.error)
    return <ErrorBox error={existing.error as ApiError} what={`read agent ${ns}/${name}`} />;
  if (editing && !existing.data) return <p className="muted">Loading…</p>;
  return <AgentForm initial={editing ? strip(existing.data!) : blank(defaultNamespace)} editing={editing} />;
}

/** What the server owns is not sent back: status, and metadata the API server writes. */
function strip(o: KObject): KObject {
  const { status: _s, ...rest } = o;
  const {
    uid: _u,
    resourceVersion: _r,
    creationTimestamp: _c,
    generation: _g,
    ...metadata
  } = o.metadata as Record<string, unknown>;
  return { ...rest, metadata: metadata as KObject['metadata'] };
}

function AgentForm({ initial, editing }: { initial: KObject; editing: boolean }) {
  const [obj, setObj] = useState<KObject>(initial);
  const [tab, setTab] = useState<'form' | 'yaml'>('form');
  const [causes, setCauses] = useState<{ field?: string; message?: string }[]>([]);
  const [warnings, setWarnings] = useState<string[]>([]);
  const ns = obj.metadata.namespace;
  const models = useLiveList('modelconfigs', ns);
  const servers = useLiveList('remotemcpservers', ns);
  const agents = useLiveList('agents', ns);
  const set = (path: string, value: unknown) => setObj((o) => setIn(o, path, value));
  const get = (path: string) => getIn(obj, path);

  const errorsFor = useMemo(() => {
    const by = new Map<string, string[]>();
    for (const c of causes) {
      const f = c.field ? fieldFor(c.field, FIELDS) : undefined;
      const key = f ?? '';
      by.set(key, [...(by.get(key) ?? []), c.field && !f ? `${c.field}: ${c.message}` : (c.message ?? '')]);
    }
    return (path: string) => by.get(path) ?? [];
  }, [causes]);

  const save = useMutation<ApplyResult, ApiError, void>({
    mutationFn: async () => {
      setCauses([]);
      // The dry-run is the validation: the same admission chain as the real write, nothing stored.
      const checked = await applyObject('agents', obj, true);
      setWarnings(checked.warnings);
      return applyObject('agents', obj, false);
    },
    onSuccess: (r) => {
      setWarnings(r.warnings);
      go(href.agent(r.object.metadata.namespace, r.object.metadata.name));
    },
    onError: (e) => setCauses(e.causes?.length ? e.causes : []),
  });

  const declarative = get('spec.type') !== 'BYO';
  const tools: Tool[] = get('spec.declarative.tools') ?? [];
  const setTools = (t: Tool[]) => set('spec.declarative.tools', t.length ? t : undefined);
  const mcpEntry = (server: string) =>
    tools.find((t): t is McpTool => t.type === 'McpServer' && t.mcpServer.name === server);
  const toggleTool = (server: string, tool: string, on: boolean) => {
    const entry = mcpEntry(server);
    const names = new Set(entry?.mcpServer.toolNames ?? []);
    if (on) names.add(tool);
    else names.delete(tool);
    const others = tools.filter((t) => t !== entry);
    if (!names.size) return setTools(others);
    const approval = (entry?.mcpServer.requireApproval ?? []).filter((n) => names.has(n));
    setTools([
      ...others,
      {
        type: 'McpServer',
        mcpServer: {
          name: server,
          kind: 'RemoteMCPServer',
          apiGroup: 'kagent.dev',
          toolNames: [...names],
          ...(approval.length ? { requireApproval: approval } : {}),
        },
      },
    ]);
  };
  const toggleApproval = (server: string, tool: string, on: boolean) => {
    const entry = mcpEntry(server);
    if (!entry) return;
    const req = new Set(entry.mcpServer.requireApproval ?? []);
    if (on) req.add(tool);
    else req.delete(tool);
    const { requireApproval: _r, ...rest } = entry.mcpServer;
    setTools(
      tools.map((t) =>
        t === entry
          ? { type: 'McpServer', mcpServer: { ...rest, ...(req.size ? { requireApproval: [...req] } : {}) } }
          : t,
      ),
    );
  };
  const agentTool = (n: string) => tools.some((t) => t.type === 'Agent' && t.agent.name === n);
  const toggleAgent = (n: string, on: boolean) =>
    setTools(
      on
        ? [...tools, { type: 'Agent', agent: { name: n } }]
        : tools.filter((t) => !(t.type === 'Agent' && t.agent.name === n)),
    );
  const msgSource: 'inline' | 'ConfigMap' | 'Secret' = get('spec.declarative.systemMessageFrom.type') ?? 'inline';
  const skills: { id: string; name: string; description?: string }[] = get('spec.declarative.a2aConfig.skills') ?? [];

  const other = errorsFor('');
  return (
    <section aria-labelledby="form-h">
      <div className="page-head">
        <h1 id="form-h">{editing ? `Edit agent ${obj.metadata.namespace}/${obj.metadata.name}` : 'New agent'}</h1>
      </div>
      <div className="tabs" role="tablist" aria-label="Editor">
        <button
          role="tab"
          aria-selected={tab === 'form'}
          className={tab === 'form' ? 'active' : ''}
          onClick={() => setTab('form')}
        >
          Form
        </button>
        <button
          role="tab"
          aria-selected={tab === 'yaml'}
          className={tab === 'yaml' ? 'active' : ''}
          onClick={() => setTab('yaml')}
        >
          YAML
        </button>
      </div>
      {save.error && !save.error.causes?.length && <ErrorBox error={save.error} what="save the agent" />}
      {other.length > 0 && (
        <div className="notice error" role="alert">
          <strong>The cluster refused the agent:</strong>
          <ul>
            {other.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      )}
      {warnings.length > 0 && (
        <div className="notice warn">
          <strong>Warnings from the cluster:</strong>
          <ul>
            {warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        {tab === 'yaml' ? (
          <Suspense fallback={<p className="muted">Loading editor…</p>}>
            <YamlEditor value={obj} onChange={setObj} />
          </Suspense>
        ) : (
          <div className="form-grid">
            <Field id="f-name" label="Name" errors={errorsFor('metadata.name')}>
              <input
                id="f-name"
                required
                disabled={editing}
                value={obj.metadata.name}
                onChange={(e) => set('metadata.name', e.target.value)}
              />
            </Field>
            <Field id="f-ns" label="Namespace" errors={errorsFor('metadata.namespace')}>
              <input
                id="f-ns"
                required
                disabled={editing}
                value={ns}
                onChange={(e) => set('metadata.namespace', e.target.value)}
              />
            </Field>
            <Field id="f-type" label="Type" errors={errorsFor('spec.type')}>
              <select
                id="f-type"
                value={get('spec.type') ?? 'Declarative'}
                onChange={(e) => set('spec.type', e.target.value)}
              >
                <option value="Declarative">Declarative (model, instructions, tools)</option>
                <option value="BYO">BYO (your own A2A image)</option>
              </select>
            </Field>
            <Field id="f-desc" label="Description" errors={errorsFor('spec.description')}>
              <input
                id="f-desc"
                value={get('spec.description') ?? ''}
                onChange={(e) => set('spec.description', e.target.value)}
              />
            </Field>
            {declarative ? (
              <>
                <Field id="f-model" label="Model config" errors={errorsFor('spec.declarative.modelConfig')}>
                  <select
                    id="f-model"
                    value={get('spec.declarative.modelConfig') ?? ''}
                    onChange={(e) => set('spec.declarative.modelConfig', e.target.value)}
                  >
                    <option value="">(choose a ModelConfig)</option>
                    {models.items.map((m) => (
                      <option key={m.metadata.name} value={m.metadata.name}>
                        {m.metadata.name} — {m.spec?.provider} {m.spec?.model}
                      </option>
                    ))}
                  </select>
                  {models.synced && !models.items.length && (
                    <Empty>
                      No ModelConfig in namespace {ns} yet: <a href={href.newModel()}>create one</a>.
                    </Empty>
                  )}
                </Field>
                <Field
                  id="f-msg-src"
                  label="System message source"
                  errors={errorsFor('spec.declarative.systemMessageFrom')}
                >
                  <select
                    id="f-msg-src"
                    value={msgSource}
                    onChange={(e) => {
                      const v = e.target.value;
                      set(
                        'spec.declarative.systemMessageFrom',
                        v === 'inline'
                          ? undefined
                          : {
                              type: v,
                              name: get('spec.declarative.systemMessageFrom.name') ?? '',
                              key: get('spec.declarative.systemMessageFrom.key') ?? '',
                            },
                      );
                    }}
                  >
                    <option value="inline">Written here</option>
                    <option value="ConfigMap">From a ConfigMap key</option>
                    <option value="Secret">From a Secret key</option>
                  </select>
                  {msgSource !== 'inline' && (
                    <div className="row">
                      <input
                        aria-label={`${msgSource} name`}
                        placeholder={`${msgSource} name`}
                        value={get('spec.declarative.systemMessageFrom.name') ?? ''}
                        onChange={(e) => set('spec.declarative.systemMessageFrom.name', e.target.value)}
                      />
                      <input
                        aria-label={`${msgSource} key`}
                        placeholder="key"
                        value={get('spec.declarative.systemMessageFrom.key') ?? ''}
                        onChange={(e) => set('spec.declarative.systemMessageFrom.key', e.target.value)}
                      />
                    </div>
                  )}
                </Field>
                <Field id="f-msg" label="System message" errors={errorsFor('spec.declarative.systemMessage')}>
                  <textarea
                    id="f-msg"
                    rows={6}
                    value={get('spec.declarative.systemMessage') ?? ''}
                    onChange={(e) => set('spec.declarative.systemMessage', e.target.value)}
                  />
                </Field>
                <fieldset className={`field wide ${errorsFor('spec.declarative.tools').length ? 'invalid' : ''}`}>
                  <legend>Tools</legend>
                  {servers.synced && !servers.items.length && (
                    <Empty>No RemoteMCPServer in namespace {ns}: tool servers appear here once one exists.</Empty>
                  )}
                  {servers.items.map((s) => {
                    const discovered = s.status?.discoveredTools ?? [];
                    const entry = mcpEntry(s.metadata.name);
                    return (
                      <div key={s.metadata.name} className="tool-server">
                        <strong>{s.metadata.name}</strong>{' '}
                        <span className="muted">
                          {discovered.length ? `${discovered.length} tools` : 'no tools discovered yet'}
                        </span>
                        <ul className="tool-list">
                          {discovered.map((t) => {
                            const on = !!entry?.mcpServer.toolNames.includes(t.name);
                            const id = `t-${s.metadata.name}-${t.name}`;
                            return (
                              <li key={t.name}>
                                <input
                                  type="checkbox"
                                  id={id}
                                  checked={on}
                                  onChange={(e) => toggleTool(s.metadata.name, t.name, e.target.checked)}
                                />
                                <label htmlFor={id} title={t.description}>
                                  {t.name}
                                </label>
                                {on && (
                                  <>
                                    <input
                                      type="checkbox"
                                      id={`${id}-approve`}
                                      checked={!!entry?.mcpServer.requireApproval?.includes(t.name)}
                                      onChange={(e) => toggleApproval(s.metadata.name, t.name, e.target.checked)}
                                    />
                                    <label htmlFor={`${id}-approve`} className="muted">
                                      requires approval
                                    </label>
                                  </>
                                )}
                              </li>
                            );
                          })}
                        </ul>
                      </div>
                    );
                  })}
                  {agents.items.filter((a) => a.metadata.name !== obj.metadata.name).length > 0 && (
                    <div className="tool-server">
                      <strong>Other agents</strong>
                      <ul className="tool-list">
                        {agents.items
                          .filter((a) => a.metadata.name !== obj.metadata.name)
                          .map((a) => (
                            <li key={a.metadata.name}>
                              <input
                                type="checkbox"
                                id={`a-${a.metadata.name}`}
                                checked={agentTool(a.metadata.name)}
                                onChange={(e) => toggleAgent(a.metadata.name, e.target.checked)}
                              />
                              <label htmlFor={`a-${a.metadata.name}`}>{a.metadata.name}</label>
                            </li>
                          ))}
                      </ul>
                    </div>
                  )}
                  {errorsFor('spec.declarative.tools').map((e) => (
                    <p key={e} className="field-error" role="alert">
                      {e}
                    </p>
                  ))}
                </fieldset>
                <Field id="f-stream" label="Stream tokens" errors={errorsFor('spec.declarative.stream')}>
                  <input
                    id="f-stream"
                    type="checkbox"
                    checked={!!get('spec.declarative.stream')}
                    onChange={(e) => set('spec.declarative.stream', e.target.checked)}
                  />
                </Field>
                <Field
                  id="f-replicas"
                  label="Replicas"
                  errors={errorsFor('spec.declarative.deployment.replicas')}
                  help="Empty: the Deployment leaves replicas to an autoscaler."
                >
                  <input
                    id="f-replicas"
                    type="number"
                    min={0}
                    value={get('spec.declarative.deployment.replicas') ?? ''}
                    onChange={(e) =>
                      set(
                        'spec.declarative.deployment.replicas',
                        e.target.value === '' ? undefined : Number(e.target.value),
                      )
                    }
                  />
                </Field>
                <Field id="f-cpu" label="CPU request" errors={errorsFor('spec.declarative.deployment.resources')}>
                  <input
                    id="f-cpu"
                    placeholder="e.g. 100m"
                    value={get('spec.declarative.deployment.resources.requests.cpu') ?? ''}
                    onChange={(e) => set('spec.declarative.deployment.resources.requests.cpu', e.target.value)}
                  />
                </Field>
                <Field id="f-mem" label="Memory limit" errors={[]}>
                  <input
                    id="f-mem"
                    placeholder="e.g. 512Mi"
                    value={get('spec.declarative.deployment.resources.limits.memory') ?? ''}
                    onChange={(e) => set('spec.declarative.deployment.resources.limits.memory', e.target.value)}
                  />
                </Field>
                <fieldset className={`field wide ${errorsFor('spec.declarative.a2aConfig').length ? 'invalid' : ''}`}>
                  <legend>A2A skills (advertised in the agent card)</legend>
                  {skills.map((s, i) => (
                    <div className="row" key={i}>
                      <input
                        aria-label={`Skill ${i + 1} id`}
                        placeholder="id"
                        value={s.id}
                        onChange={(e) =>
                          set(
                            'spec.declarative.a2aConfig.skills',
                            skills.map((x, j) => (j === i ? { ...x, id: e.target.value } : x)),
                          )
                        }
                      />
                      <input
                        aria-label={`Skill ${i + 1} name`}
                        placeholder="name"
                        value={s.name}
                        onChange={(e) =>
                          set(
                            'spec.declarative.a2aConfig.skills',
                            skills.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)),
                          )
                        }
                      />
                      <input
                        aria-label={`Skill ${i + 1} description`}
                        placeholder="description"
                        value={s.description ?? ''}
                        onChange={(e) =>
                          set(
                            'spec.declarative.a2aConfig.skills',
                            skills.map((x, j) => (j === i ? { ...x, description: e.target.value } : x)),
                          )
                        }
                      />
                      <button
                        type="button"
                        className="button small"
                        onClick={() =>
                          set(
                            'spec.declarative.a2aConfig',
                            skills.length > 1 ? { skills: skills.filter((_, j) => j !== i) } : undefined,
                          )
                        }
                      >
                        Remove
                      </button>
                    </div>
                  ))}
                  <button
                    type="button"
                    className="button small"
                    onClick={() => set('spec.declarative.a2aConfig.skills', [...skills, { id: '', name: '' }])}
                  >
                    Add skill
                  </button>
                  {errorsFor('spec.declarative.a2aConfig').map((e) => (
                    <p key={e} className="field-error" role="alert">
                      {e}
                    </p>
                  ))}
                </fieldset>
              </>
            ) : (
              <>
                <Field id="f-image" label="Image" errors={errorsFor('spec.byo.deployment.image')}>
                  <input
                    id="f-image"
                    value={get('spec.byo.deployment.image') ?? ''}
                    onChange={(e) => set('spec.byo.deployment.image', e.target.value)}
                  />
                </Field>
                <Field id="f-byo-replicas" label="Replicas" errors={errorsFor('spec.byo.deployment.replicas')}>
                  <input
                    id="f-byo-replicas"
                    type="number"
                    min={0}
                    value={get('spec.byo.deployment.replicas') ?? ''}
                    onChange={(e) =>
                      set('spec.byo.deployment.replicas', e.target.value === '' ? undefined : Number(e.target.value))
                    }
                  />
                </Field>
              </>
            )}
          </div>
        )}
        <div className="row actions">
          <button type="submit" className="button primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : editing ? 'Save' : 'Create'}
          </button>
          <a className="button" href={editing ? href.agent(obj.metadata.namespace, obj.metadata.name) : href.agents()}>
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}
