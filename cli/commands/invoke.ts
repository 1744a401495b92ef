// `metagent invoke`: send one task to an agent over A2A and print its answer. Without --url the agent is reached
// through the API server's service proxy with the kubeconfig's credentials, so RBAC (services/proxy) decides access.
import { InvalidArgumentError, type Command } from 'commander';
import { parseRef } from '../lib/options.js';

interface InvokeOptions {
  agent: { namespace: string; name: string };
  task?: string;
  stream?: boolean;
  context?: string;
  taskId?: string;
  approve?: boolean;
  reject?: boolean;
  reason?: string;
  output: 'text' | 'json';
  url?: string;
  kubeconfig?: string;
  port: string;
}

export function register(program: Command): void {
  program
    .command('invoke')
    .description('Send a task to an agent over A2A and print the answer')
    .requiredOption('--agent <namespace/name>', 'the Agent to talk to', (v: string) => parseRef(v))
    .option('--task <text>', 'what to ask the agent (or, with --task-id, the reply to a task waiting for input)')
    .option('--stream', 'stream the answer as it is produced (message/stream)')
    .option('--context <id>', 'continue an earlier conversation (its context id is printed on stderr)')
    .option('--task-id <id>', 'reply to this task, one waiting for input (its id is printed on stderr when it pauses)')
    .option('--approve', 'approve the tool calls the task (--task-id) is waiting on')
    .option('--reject', 'reject the tool calls the task (--task-id) is waiting on; the model is told, and answers')
    .option('--reason <text>', 'with --reject: why, passed on to the model')
    .option(
      '-o, --output <format>',
      'text, or json: one object {taskId, contextId, state, text} (with --stream, one per event)',
      parseOutput,
      'text',
    )
    .option('--url <url>', "the agent's base URL (skips the Kubernetes service proxy)")
    .option('--kubeconfig <file>', 'kubeconfig for the service proxy (default: $KUBECONFIG, ~/.kube/config)')
    .option('--port <port>', "the agent Service's port", '8080')
    .addHelpText(
      'after',
      '\nExamples:\n  metagent invoke --agent kagent/k8s-ops-agent --task "Is any pod unhealthy?"\n  metagent invoke --agent kagent/k8s-ops-agent --task-id TASK --approve\n',
    )
    .action(async (opts: InvokeOptions) => {
      checkInvokeOptions(opts);
      await invoke(opts);
    });
}

function parseOutput(value: string): 'text' | 'json' {
  if (value !== 'text' && value !== 'json') throw new InvalidArgumentError(`expected text or json, got "${value}"`);
  return value;
}

/** The combinations commander cannot express; each message names the options. */
export function checkInvokeOptions(o: InvokeOptions): void {
  if (o.approve && o.reject) throw new Error('use either --approve or --reject, not both');
  if ((o.approve || o.reject) && !o.taskId)
    throw new Error(`--${o.approve ? 'approve' : 'reject'} needs --task-id: the task waiting for the decision`);
  if ((o.approve || o.reject) && o.task !== undefined)
    throw new Error(`--task cannot go with --${o.approve ? 'approve' : 'reject'}: the reply is the decision`);
  if (o.reason !== undefined && !o.reject) throw new Error('--reason goes with --reject');
  if (!o.approve && !o.reject && o.task === undefined)
    throw new Error("required option '--task <text>' not specified (or --task-id with --approve / --reject)");
}

async function invoke(opts: InvokeOptions): Promise<void> {
  const { connectAgent, userMessage, outcomeOf, streamEventText } = await import('../lib/a2a.js');
  let base: string;
  let fetchImpl: typeof fetch;
  let where: string;
  if (opts.url) {
    try {
      base = new URL(opts.url).toString().replace(/\/+$/, '');
    } catch {
      throw new Error(`--url: not a URL: "${opts.url}"`);
    }
    fetchImpl = fetch;
    where = base;
  } else {
    const { loadKubeConfig, kubeFetch, serviceProxyUrl } = await import('../../lib/kube.js');
    const kc = loadKubeConfig({ kubeconfig: opts.kubeconfig, fallback: 'default' });
    base = serviceProxyUrl(kc, opts.agent.namespace, opts.agent.name, opts.port);
    fetchImpl = kubeFetch(kc);
    where = `service ${opts.agent.namespace}/${opts.agent.name} via the API server proxy`;
  }

  let connected;
  try {
    connected = await connectAgent(base, fetchImpl);
  } catch (err) {
    const status = /Failed to fetch Agent Card from \S+: (\d{3})$/.exec(explain(err))?.[1];
    const hint = opts.url ? undefined : PROXY_HINTS[status ?? ''];
    throw new Error(
      `cannot reach agent ${opts.agent.namespace}/${opts.agent.name} (${where}): ${explain(err)}${hint ? `\n  ${hint(opts.agent)}` : ''}`,
      { cause: err },
    );
  }
  const { client } = connected;
  const decision = opts.approve
    ? { decision: 'approve' as const }
    : opts.reject
      ? { decision: 'reject' as const, reason: opts.reason }
      : undefined;
  const request = userMessage(opts.task ?? '', opts.context, opts.taskId, decision);
  const paused = (state: string | undefined, taskId: string) => {
    if (state !== 'input_required' || !taskId) return;
    const agent = `${opts.agent.namespace}/${opts.agent.name}`;
    process.stderr.write(
      `task ${taskId} is waiting for input: metagent invoke --agent ${agent} --task-id ${taskId} --approve (or --reject [--reason TEXT], or --task TEXT)\n`,
    );
  };

  const json = opts.output === 'json';
  const line = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);

  if (!opts.stream) {
    const out = outcomeOf(await client.sendMessage(request).catch((err: unknown) => fail('message/send', err)));
    if (json) {
      // The answer for scripts; a failed task is still an error exit, after its object.
      line({ taskId: out.taskId, contextId: out.contextId, state: out.state, text: out.text });
      if (out.failed) process.exitCode = 1;
      paused(out.state, out.taskId);
      return;
    }
    if (out.failed) throw new Error(`the agent's task ${out.state}${out.text ? `: ${out.text}` : ''}`);
    process.stdout.write(`${out.text}\n`);
    if (out.contextId) process.stderr.write(`context: ${out.contextId}\n`);
    paused(out.state, out.taskId);
    return;
  }

  let printed = '';
  let lastStatus = '';
  let final: { state?: string; failed?: boolean } = {};
  let contextId = '';
  let taskId = '';
  try {
    for await (const ev of client.sendMessageStream(request)) {
      const e = streamEventText(ev);
      contextId = e.contextId || contextId;
      taskId = e.taskId || taskId;
      if (json) {
        line({
          event: ev.payload?.$case ?? 'unknown',
          taskId: e.taskId || taskId,
          contextId: e.contextId || contextId,
          ...(e.state ? { state: e.state } : {}),
          text: e.text,
        });
        if (e.state) final = e;
        continue;
      }
      const isAnswer = ev.payload?.$case === 'artifactUpdate' || ev.payload?.$case === 'message';
      if (isAnswer && e.text) {
        process.stdout.write(e.text);
        printed += e.text;
      } else if (e.text) {
        lastStatus = e.text;
        if (!e.state) process.stderr.write(`… ${e.text.replace(/\s+/g, ' ').slice(0, 200)}\n`);
      }
      if (e.state) final = e;
    }
  } catch (err) {
    fail('message/stream', err);
  }
  if (json) {
    if (final.failed) process.exitCode = 1;
    paused(final.state, taskId);
    return;
  }
  if (final.failed) throw new Error(`the agent's task ${final.state}${lastStatus ? `: ${lastStatus}` : ''}`);
  // An agent that answers only in its final status message (no artifact) still gets its answer printed.
  if (!printed && lastStatus) process.stdout.write(lastStatus);
  process.stdout.write('\n');
  if (contextId) process.stderr.write(`context: ${contextId}\n`);
  paused(final.state, taskId);
}

/** What an API server service-proxy status usually means for an agent. */
const PROXY_HINTS: Record<string, (a: { namespace: string; name: string }) => string> = {
  '401': () => 'the API server rejected the kubeconfig credentials',
  '403': (a) => `you may not use services/proxy in namespace ${a.namespace} (RBAC decides who may talk to which agent)`,
  '404': (a) =>
    `no Service ${a.name} in namespace ${a.namespace}: check the name with \`metagent get agents -n ${a.namespace}\``,
  '503': (a) =>
    `the agent has no ready pod: check \`kubectl get pods -n ${a.namespace}\` and the Agent's Ready condition`,
};

function explain(err: unknown): string {
  const e = err as { message?: string; cause?: { message?: string; code?: string } };
  const msg = e?.message ?? String(err);
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause && !msg.includes(cause) ? `${msg} (${cause})` : msg;
}

function fail(method: string, err: unknown): never {
  throw new Error(`${method} failed: ${explain(err)}`);
}
