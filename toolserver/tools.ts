// The tool table: each read-only Kubernetes tool is a name, a description the model reads, an input schema, and a
// function that fetches and hands the objects to the pure formatters in format.ts. Adding a tool = adding a row.
import { z } from 'zod';
import { stringify } from 'yaml';
import type { CoreV1Api, CoreV1Event, V1Pod } from '@kubernetes/client-node';
import {
  formatEvents,
  formatLogs,
  formatNamespaces,
  formatPodDescription,
  formatPodList,
  formatServerTable,
  truncate,
  type ServerTable,
} from './format.js';
import { podHealth } from './pod-health.js';
import { RESOURCE_KINDS, findResourceKind, resourcePath } from './resources.js';

/** What the tools need from the cluster; the server builds it from a KubeConfig. */
export interface KubeAccess {
  core: CoreV1Api;
  /** GET an API path and parse JSON; throws an error with `code` and `body` (like the client's ApiException). */
  getJson(path: string, accept?: string): Promise<unknown>;
}

export interface ToolDef<S extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  description: string;
  input: S;
  run(kube: KubeAccess, args: z.infer<z.ZodObject<S>>, now: Date): Promise<string>;
}

function tool<S extends z.ZodRawShape>(def: ToolDef<S>): ToolDef {
  return def as unknown as ToolDef;
}

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io, application/json';

const namespaceArg = z.string().min(1).describe('Namespace');
const podNameArg = z.string().min(1).describe('Pod name');

export const TOOLS: readonly ToolDef[] = [
  tool({
    name: 'list_pods',
    description:
      'List pods in one namespace or in all namespaces, with ready containers, status (e.g. CrashLoopBackOff, ' +
      'ImagePullBackOff, Pending), restarts and age. Unhealthy pods are listed first with the reason. Use this first ' +
      'to check whether anything in the cluster is unhealthy.',
    input: {
      namespace: z.string().optional().describe('Namespace; omit for all namespaces'),
      label_selector: z.string().optional().describe('Label selector, e.g. app=redis'),
      only_unhealthy: z.boolean().optional().describe('Only return unhealthy pods'),
    },
    async run(kube, args, now) {
      const list = args.namespace
        ? await kube.core.listNamespacedPod({ namespace: args.namespace, labelSelector: args.label_selector })
        : await kube.core.listPodForAllNamespaces({ labelSelector: args.label_selector });
      let pods: V1Pod[] = list.items;
      if (args.only_unhealthy) pods = pods.filter((p) => !podHealth(p, now).healthy);
      const scope = args.namespace ? `in namespace ${args.namespace}` : 'across all namespaces';
      if (args.only_unhealthy && pods.length === 0)
        return `No unhealthy pods ${scope} (${list.items.length} pods checked).`;
      return formatPodList(pods, scope, now);
    },
  }),
  tool({
    name: 'get_pod_logs',
    description: "Fetch a pod container's logs (the last lines). Use previous=true for the crashed previous instance.",
    input: {
      namespace: namespaceArg,
      name: podNameArg,
      container: z.string().optional().describe('Container name; required when the pod has several'),
      tail_lines: z.number().int().min(1).max(5000).optional().describe('Lines from the end (default 100)'),
      previous: z.boolean().optional().describe("The previous (crashed) container instance's logs"),
    },
    async run(kube, args) {
      const text = await kube.core.readNamespacedPodLog({
        namespace: args.namespace,
        name: args.name,
        container: args.container,
        tailLines: args.tail_lines ?? 100,
        previous: args.previous,
      });
      const what = `of ${args.namespace}/${args.name}${args.container ? ` container ${args.container}` : ''}${args.previous ? ' (previous instance)' : ''}`;
      return formatLogs(String(text ?? ''), what);
    },
  }),
  tool({
    name: 'describe_pod',
    description:
      'Describe one pod: conditions, each container state and last state (exit codes, reasons), and its recent events.',
    input: { namespace: namespaceArg, name: podNameArg },
    async run(kube, args, now) {
      const pod = await kube.core.readNamespacedPod({ namespace: args.namespace, name: args.name });
      const events = await kube.core.listNamespacedEvent({
        namespace: args.namespace,
        fieldSelector: `involvedObject.name=${args.name},involvedObject.kind=Pod`,
      });
      return formatPodDescription(pod, events.items, now);
    },
  }),
  tool({
    name: 'get_events',
    description:
      'List recent events in a namespace (or all namespaces), optionally only for one object or only warnings.',
    input: {
      namespace: z.string().optional().describe('Namespace; omit for all namespaces'),
      involved_object: z.string().optional().describe('Name of the object the events are about'),
      kind: z.string().optional().describe('Kind of that object, e.g. Pod, Deployment'),
      only_warnings: z.boolean().optional().describe('Only Warning events'),
      limit: z.number().int().min(1).max(500).optional().describe('At most this many, most recent (default 50)'),
    },
    async run(kube, args, now) {
      const selectors = [
        args.involved_object ? `involvedObject.name=${args.involved_object}` : '',
        args.kind ? `involvedObject.kind=${args.kind}` : '',
        args.only_warnings ? 'type=Warning' : '',
      ].filter(Boolean);
      const fieldSelector = selectors.length ? selectors.join(',') : undefined;
      const list = args.namespace
        ? await kube.core.listNamespacedEvent({ namespace: args.namespace, fieldSelector })
        : await kube.core.listEventForAllNamespaces({ fieldSelector });
      const scope = [
        args.namespace ? `in namespace ${args.namespace}` : 'across all namespaces',
        args.involved_object ? `for ${args.kind ? `${args.kind} ` : ''}${args.involved_object}` : '',
      ]
        .filter(Boolean)
        .join(' ');
      return formatEvents(list.items as CoreV1Event[], scope, now, args.limit ?? 50);
    },
  }),
  tool({
    name: 'get_resources',
    description: `Get Kubernetes resources of one kind as a table (or one object as YAML with output=yaml). Kinds: ${RESOURCE_KINDS.map((k) => k.resource).join(', ')}.`,
    input: {
      kind: z.string().min(1).describe('Kind, plural or short name, e.g. deployments, deploy, svc'),
      namespace: z
        .string()
        .optional()
        .describe('Namespace; omit for all namespaces (ignored for cluster-scoped kinds)'),
      name: z.string().optional().describe('One object by name'),
      label_selector: z.string().optional().describe('Label selector'),
      output: z.enum(['table', 'yaml']).optional().describe('table (default) or yaml (requires name)'),
    },
    async run(kube, args) {
      const kind = findResourceKind(args.kind);
      if (!kind) {
        throw new ToolInputError(
          `unsupported kind "${args.kind}"; supported: ${RESOURCE_KINDS.map((k) => k.resource).join(', ')}`,
        );
      }
      if (kind.namespaced && args.name && !args.namespace)
        throw new ToolInputError(`namespace is required to get ${kind.resource} "${args.name}"`);
      const path = resourcePath(kind, args.namespace, args.name);
      if (args.output === 'yaml') {
        if (!args.name) throw new ToolInputError('output=yaml needs a name');
        const obj = (await kube.getJson(path)) as { metadata?: Record<string, unknown> };
        if (obj.metadata) delete obj.metadata.managedFields;
        return truncate(stringify(obj));
      }
      const query =
        args.label_selector && !args.name ? `?labelSelector=${encodeURIComponent(args.label_selector)}` : '';
      const table = (await kube.getJson(path + query, TABLE_ACCEPT)) as ServerTable;
      const where = kind.namespaced
        ? args.namespace
          ? ` in namespace ${args.namespace}`
          : ' across all namespaces'
        : '';
      return formatServerTable(table, `${kind.resource}${where}`, kind.namespaced && !args.namespace);
    },
  }),
  tool({
    name: 'list_namespaces',
    description: 'List namespaces with their status and age.',
    input: {},
    async run(kube, _args, now) {
      const list = await kube.core.listNamespace();
      return formatNamespaces(list.items, now);
    },
  }),
];

/** A mistake in the tool's arguments (as opposed to an API error); reported to the model as a tool error. */
export class ToolInputError extends Error {}
