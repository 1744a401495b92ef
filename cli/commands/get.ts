// `metagent get agents|modelconfigs|remotemcpservers`: a kubectl-like table with the Ready/Accepted conditions.
import type { Command } from 'commander';

interface GetOptions {
  namespace?: string;
  allNamespaces?: boolean;
  kubeconfig?: string;
}

export function register(program: Command): void {
  program
    .command('get')
    .description('List Agents, ModelConfigs or RemoteMCPServers with their Ready/Accepted conditions')
    .argument('<kind>', 'agents | modelconfigs | remotemcpservers (or agent, mc, rmcps)')
    .argument('[name]', 'only this object')
    .option('-n, --namespace <ns>', "namespace (default: the kubeconfig context's, else default)")
    .option('-A, --all-namespaces', 'list across all namespaces')
    .option('--kubeconfig <file>', 'kubeconfig (default: $KUBECONFIG, ~/.kube/config)')
    .action(async (kindName: string, name: string | undefined, opts: GetOptions) => {
      const { findGetKind, formatGetTable, GET_KINDS } = await import('../lib/get-table.js');
      const kind = findGetKind(kindName);
      if (!kind) throw new Error(`unknown kind "${kindName}"; use one of ${GET_KINDS.map((k) => k.plural).join(', ')}`);
      if (opts.allNamespaces && opts.namespace) throw new Error('use either --namespace or --all-namespaces, not both');
      const { loadKubeConfig, kubeFetch, apiServerUrl, kubeErrorText } = await import('../lib/kube.js');
      const kc = loadKubeConfig({ kubeconfig: opts.kubeconfig, fallback: 'default' });
      const all = !!opts.allNamespaces && !name;
      const namespace = opts.namespace ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
      const path = `/apis/kagent.dev/v1alpha2${all ? '' : `/namespaces/${encodeURIComponent(namespace)}`}/${kind.plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
      let res: Response;
      try {
        res = await kubeFetch(kc)(apiServerUrl(kc) + path, { headers: { accept: 'application/json' } });
      } catch (err) {
        throw new Error(`cannot reach the API server ${apiServerUrl(kc)}: ${kubeErrorText(err)}`);
      }
      const body = await res.text();
      if (!res.ok) {
        let status: { message?: string; reason?: string; details?: { name?: string } } = {};
        try {
          status = JSON.parse(body);
        } catch {
          /* not a Status */
        }
        if (res.status === 404 && !status.details?.name) {
          throw new Error(`the server has no resource type "${kind.plural}.kagent.dev" (are the metagent CRDs installed?)`);
        }
        throw new Error(status.message ? `${status.message}` : `HTTP ${res.status} from ${path}`);
      }
      const parsed = JSON.parse(body) as { items?: unknown[] };
      const items = (name ? [parsed] : (parsed.items ?? [])) as Parameters<typeof formatGetTable>[1];
      if (items.length === 0) {
        process.stderr.write(all ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n`);
        return;
      }
      process.stdout.write(`${formatGetTable(kind, items, new Date(), all)}\n`);
    });
}
