// `metagent get agents|modelconfigs|remotemcpservers|modelproviderconfigs [name]`: a kubectl-like table with the Ready/Accepted conditions,
// (-o wide: more columns), or the objects as JSON / YAML / names (-o), once or as they change (-w). Formatting lives in cli/lib/get-*.ts; this
// file does the HTTP.
import type { Command } from 'commander';
import type { KubeConfig } from '@kubernetes/client-node';
// Imported eagerly because commander runs the -o parser before the action; cli/main.ts loads this module only for
// `get` (and --help).
import { parseOutputFormat, type OutputFormat } from '../lib/get-output.js';
import type { AnyObject, KindColumns } from '../lib/get-table.js';
import type { FetchLike } from '../../lib/kube.js';

interface GetOptions {
  namespace?: string;
  allNamespaces?: boolean;
  kubeconfig?: string;
  output: OutputFormat;
  watch?: boolean;
}

export function register(program: Command): void {
  program
    .command('get')
    .description(
      'List Agents, ModelConfigs, RemoteMCPServers or ModelProviderConfigs with their Ready/Accepted conditions',
    )
    .argument('<kind>', 'agents | modelconfigs | remotemcpservers | modelproviderconfigs (or agent, mc, rmcps, mprov)')
    .argument('[name]', 'only this object')
    .option('-n, --namespace <ns>', "namespace (default: the kubeconfig context's, else default)")
    .option('-A, --all-namespaces', 'list across all namespaces')
    .option(
      '-o, --output <format>',
      "wide (the table plus more columns), json, yaml, name, or jsonpath=TEMPLATE (kubectl's JSONPath)",
      parseOutputFormat,
      'table',
    )
    .option('-w, --watch', 'after the list, print a row (or document) per change until interrupted')
    .option('--kubeconfig <file>', 'kubeconfig (default: $KUBECONFIG, ~/.kube/config)')
    .action(async (kindName: string, name: string | undefined, opts: GetOptions) => {
      const { findGetKind, GET_KINDS } = await import('../lib/get-table.js');
      const kind = findGetKind(kindName);
      if (!kind) throw new Error(`unknown kind "${kindName}"; use one of ${GET_KINDS.map((k) => k.plural).join(', ')}`);
      if (opts.allNamespaces && opts.namespace) throw new Error('use either --namespace or --all-namespaces, not both');
      const { loadKubeConfig, kubeFetch, apiServerUrl } = await import('../../lib/kube.js');
      const kc = loadKubeConfig({ kubeconfig: opts.kubeconfig, fallback: 'default' });
      const all = !!opts.allNamespaces && !name;
      const namespace = opts.namespace ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
      const collection = `${apiServerUrl(kc)}/apis/kagent.dev/v1alpha2${all ? '' : `/namespaces/${encodeURIComponent(namespace)}`}/${kind.plural}`;
      const api = { kc, fetch: kubeFetch(kc), collection, kind };
      const ctx = { now: new Date(), allNamespaces: all, namespace };
      if (opts.watch) return watch(api, name, opts.output, ctx);
      const { formatGetOutput } = await import('../lib/get-output.js');
      const body = await getJson(api, name ? `${collection}/${encodeURIComponent(name)}` : collection);
      const parsed = body as { items?: AnyObject[]; metadata?: { resourceVersion?: string } };
      const result = name
        ? { single: parsed as AnyObject }
        : { items: parsed.items ?? [], resourceVersion: parsed.metadata?.resourceVersion };
      const out = formatGetOutput(opts.output, kind, result, ctx);
      process.stdout.write(out.stdout);
      process.stderr.write(out.stderr);
    });
}

interface Api {
  kc: KubeConfig;
  fetch: FetchLike;
  collection: string;
  kind: KindColumns;
}

/** GET as JSON; API errors become one-line messages (the Status message, or a hint when the CRDs are missing). */
async function getJson(api: Api, url: string, signal?: AbortSignal): Promise<unknown> {
  const res = await request(api, url, signal);
  const body = await res.text();
  if (!res.ok) throw apiError(api, res.status, body, url);
  return JSON.parse(body);
}

/**
 * One GET, retried like client-go (so like kubectl) while the API server answers 429 or 503 with a Retry-After
 * header, e.g. "storage is (re)initializing" right after a CRD was installed.
 */
async function request(api: Api, url: string, signal?: AbortSignal): Promise<Response> {
  const { apiServerUrl, kubeErrorText } = await import('../../lib/kube.js');
  for (let attempt = 1; ; attempt++) {
    let res: Response;
    try {
      res = await api.fetch(url, { headers: { accept: 'application/json' }, signal });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new Error(`cannot reach the API server ${apiServerUrl(api.kc)}: ${kubeErrorText(err)}`, { cause: err });
    }
    const retryAfter = Number(res.headers.get('retry-after'));
    if (
      (res.status !== 429 && res.status !== 503) ||
      !Number.isFinite(retryAfter) ||
      retryAfter <= 0 ||
      attempt >= MAX_ATTEMPTS
    )
      return res;
    await res.body?.cancel();
    await sleep(Math.min(retryAfter, 10) * 1000, signal);
    if (signal?.aborted) return res;
  }
}

const MAX_ATTEMPTS = 10;

function apiError(api: Api, status: number, body: string, url: string): Error {
  let s: { message?: string; details?: { name?: string } } = {};
  try {
    s = JSON.parse(body);
  } catch {
    /* not a Status */
  }
  if (status === 404 && !s.details?.name) {
    return new Error(
      `the server has no resource type "${api.kind.plural}.kagent.dev" (are the metagent CRDs installed?)`,
    );
  }
  return new Error(s.message ? s.message : `HTTP ${status} from ${new URL(url).pathname}`);
}

class WatchGone extends Error {}

/**
 * List, print, then watch from the list's resourceVersion and print every change, until SIGINT (exit 0). A watch the
 * API server ends (its request timeout) or answers with 410 Gone is followed by a re-list that prints what changed
 * meanwhile, then a new watch.
 */
async function watch(
  api: Api,
  name: string | undefined,
  format: OutputFormat,
  ctx: { allNamespaces: boolean; namespace: string },
): Promise<void> {
  const { createWatchPrinter, isTableFormat, noResourcesMessage } = await import('../lib/get-output.js');
  const { errorText } = await import('../../lib/kube.js');
  const { KnownObjects, listQuery, watchQuery, parseWatchLine, takeLines } = await import('../lib/get-watch.js');
  const printer = createWatchPrinter(format, api.kind, ctx.allNamespaces);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  const list = async () => {
    const body = (await getJson(api, api.collection + listQuery(name), stop.signal)) as {
      items?: AnyObject[];
      metadata?: { resourceVersion?: string };
    };
    return { items: body.items ?? [], resourceVersion: body.metadata?.resourceVersion ?? '' };
  };
  /** The list, or undefined when SIGINT cut it short (then there is nothing to report). */
  const listUnlessStopped = async () => {
    try {
      return await list();
    } catch (err) {
      if (stop.signal.aborted) return undefined;
      throw err;
    }
  };
  try {
    const first = await listUnlessStopped();
    if (!first) return;
    if (name && first.items.length === 0) throw new Error(`${api.kind.plural}.kagent.dev "${name}" not found`);
    if (isTableFormat(format) && first.items.length === 0) process.stderr.write(noResourcesMessage(ctx));
    process.stdout.write(printer.initial(first.items, new Date()));
    const known = new KnownObjects(first.items);
    let resourceVersion = first.resourceVersion;
    while (!stop.signal.aborted) {
      const started = Date.now();
      try {
        const res = await request(api, api.collection + watchQuery(resourceVersion, name), stop.signal);
        if (res.status === 410) throw new WatchGone();
        if (!res.ok) throw apiError(api, res.status, await res.text(), api.collection);
        const decoder = new TextDecoder();
        let buffer = '';
        const chunks = (res.body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
        // Whatever ends the reading (an end, 410, an error), the response is released so its socket is not left open.
        const release = () => void chunks.return?.().catch(() => {});
        try {
          for (;;) {
            let next: IteratorResult<Uint8Array>;
            try {
              next = await chunks.next();
            } catch (err) {
              // The connection dropped mid-stream (undici: "terminated", socket errors): re-list below, like an end.
              if (stop.signal.aborted) break;
              process.stderr.write(`metagent: the watch connection was lost (${errorText(err)}); listing again\n`);
              break;
            }
            if (next.done) break;
            const { lines, rest } = takeLines(buffer + decoder.decode(next.value, { stream: true }));
            buffer = rest;
            for (const line of lines) {
              const event = parseWatchLine(line);
              if (event.type === 'ERROR') {
                if (event.object.code === 410) throw new WatchGone();
                throw new Error(`watch of ${api.kind.plural}: ${event.object.message ?? JSON.stringify(event.object)}`);
              }
              resourceVersion = event.object.metadata?.resourceVersion ?? resourceVersion;
              if (event.type === 'BOOKMARK') continue;
              known.apply(event);
              process.stdout.write(printer.event(event.object, new Date()));
            }
          }
        } finally {
          release();
        }
      } catch (err) {
        if (stop.signal.aborted) break;
        // 410 Gone: the resourceVersion is too old to resume from; re-list below. Anything else is the user's to see.
        if (!(err instanceof WatchGone)) throw err;
      }
      if (stop.signal.aborted) break;
      // A watch that ends at once again and again must not become a busy loop against the API server.
      if (Date.now() - started < 1000) await sleep(1000, stop.signal);
      if (stop.signal.aborted) break;
      const again = await listUnlessStopped();
      if (!again) break;
      for (const event of known.relist(again.items)) process.stdout.write(printer.event(event.object, new Date()));
      resourceVersion = again.resourceVersion;
    }
  } finally {
    process.off('SIGINT', onSignal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
