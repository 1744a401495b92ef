// The Agent customize hook: which related objects the sync hook needs, so Metacontroller sends them and resyncs the
// Agent whenever one of them changes. Metacontroller caches this answer per (parent uid, generation) and gives the
// hook nothing but the parent, so the answer can depend only on the Agent's spec:
//   - by name, everything the Agent names: ModelConfigs, RemoteMCPServers, Services, Agents used as tools (any
//     namespace), ConfigMaps/Secrets of systemMessageFrom, headersFrom and promptTemplate;
//   - the Agent's own Namespace when a tool lives in another namespace (to evaluate allowedNamespaces selectors);
//   - for each ModelConfig and RemoteMCPServer it uses, that object's view Secret (`<name>.modelconfig-view`,
//     `<name>.remotemcpserver-view`, resolve/view.ts), by name. Those objects name further Secrets (API key, TLS
//     CA, headersFrom) that this hook cannot see when it answers; their own controllers resolve them and publish
//     what an Agent needs, so a switch to another Secret changes the view, not this answer.
// No rule asks for Secrets or ConfigMaps without names.
import { applyDefaults } from '../../crds/index.js';
import type { Agent, ValueRef, ValueSource } from '../../crds/types.js';
import type { CustomizeRequest, CustomizeResponse, RelatedResourceRule } from '../protocol.js';
import { KAGENT_API_VERSION } from '../resolve/related.js';
import { viewSecretName } from '../resolve/view.js';
import { DEFAULT_MODEL_CONFIG } from './config.js';
import { KMCP_API_VERSION, toolKind } from './tools.js';

type Key = `${string}|${string}|${string}`;

class RuleSet {
  private readonly named = new Map<Key, Set<string>>();
  private readonly wildcard = new Set<Key>();

  name(apiVersion: string, resource: string, namespace: string, name: string): void {
    const k: Key = `${apiVersion}|${resource}|${namespace}`;
    if (!this.named.has(k)) this.named.set(k, new Set());
    this.named.get(k)!.add(name);
  }

  /** Everything of a kind: only ever Namespaces (a proxy's in-cluster test); Secrets and ConfigMaps are always named. */
  all(apiVersion: 'v1', resource: 'namespaces', namespace: ''): void {
    this.wildcard.add(`${apiVersion}|${resource}|${namespace}`);
  }

  rules(): RelatedResourceRule[] {
    const out: RelatedResourceRule[] = [];
    for (const k of [...this.wildcard].sort()) {
      const [apiVersion, resource, namespace] = k.split('|');
      out.push(
        namespace
          ? { apiVersion, resource, namespace, labelSelector: {} }
          : { apiVersion, resource, labelSelector: {} },
      );
    }
    for (const k of [...this.named.keys()].sort()) {
      if (this.wildcard.has(k)) continue; // already covered
      const [apiVersion, resource, namespace] = k.split('|');
      const rule: RelatedResourceRule = { apiVersion, resource, names: [...this.named.get(k)!].sort() };
      if (namespace) rule.namespace = namespace;
      out.push(rule);
    }
    return out;
  }
}

const VALUE_RESOURCE: Record<ValueSource['type'], string> = { Secret: 'secrets', ConfigMap: 'configmaps' };

function addValueSource(rules: RuleSet, ns: string, src: ValueSource | undefined): void {
  if (src && VALUE_RESOURCE[src.type]) rules.name('v1', VALUE_RESOURCE[src.type], ns, src.name);
}

function addValueRefs(rules: RuleSet, ns: string, refs: ValueRef[] | undefined): void {
  for (const r of refs ?? []) addValueSource(rules, ns, r.valueFrom);
}

/** `proxyUrl`: the hook server's gateway proxy option (proxy.ts), which needs the Namespaces to tell in-cluster URLs. */
export function customizeAgent(req: CustomizeRequest, opts: { proxyUrl?: string } = {}): CustomizeResponse {
  const agent = applyDefaults('Agent', req.parent) as unknown as Agent;
  const ns = agent.metadata.namespace ?? '';
  const d = agent.spec?.type === 'Declarative' ? agent.spec.declarative : undefined;
  if (!d) return { relatedResources: [] };
  const rules = new RuleSet();

  const modelConfigs = [
    d.modelConfig || DEFAULT_MODEL_CONFIG,
    d.context?.compaction?.summarizer?.modelConfig,
    d.memory?.modelConfig,
  ];
  for (const mc of modelConfigs) {
    if (!mc) continue;
    rules.name(KAGENT_API_VERSION, 'modelconfigs', ns, mc);
    rules.name('v1', 'secrets', ns, viewSecretName('ModelConfig', mc));
  }

  addValueSource(rules, ns, d.systemMessageFrom);
  for (const src of d.promptTemplate?.dataSources ?? []) rules.name('v1', 'configmaps', ns, src.name);

  let crossNamespace = false;
  let remoteServers = false;
  for (const tool of d.tools ?? []) {
    addValueRefs(rules, ns, tool.headersFrom);
    const ref = tool.mcpServer ?? tool.agent;
    if (!ref) continue;
    const target = ref.namespace || ns;
    if (target !== ns) crossNamespace = true;
    if (tool.agent) {
      rules.name(KAGENT_API_VERSION, 'agents', target, ref.name);
      continue;
    }
    const kind = toolKind(ref);
    if (kind === 'Service') {
      rules.name('v1', 'services', target, ref.name);
    } else if (kind === 'MCPServer') {
      // A cluster without kmcp's CRD cannot serve such an Agent: Metacontroller reports it cannot find the resource.
      rules.name(KMCP_API_VERSION, 'mcpservers', target, ref.name);
    } else if (kind === 'RemoteMCPServer') {
      rules.name(KAGENT_API_VERSION, 'remotemcpservers', target, ref.name);
      remoteServers = true;
      rules.name('v1', 'secrets', target, viewSecretName('RemoteMCPServer', ref.name));
    }
  }
  // With a proxy, whether a RemoteMCPServer's `<name>.<namespace>` host is in-cluster depends on that Namespace
  // existing; its URL is not known here (only the Agent is), so every Namespace is asked for.
  if (opts.proxyUrl && remoteServers) rules.all('v1', 'namespaces', '');
  else if (crossNamespace) rules.name('v1', 'namespaces', '', ns);
  return { relatedResources: rules.rules() };
}
