// `metagent get` tables: one row per object, columns per kind, like kubectl's printer columns plus the conditions
// that matter (Ready, Accepted). Pure; the command fetches.
import type { ObjectMeta } from '../../crds/kube-object.js';
import { formatAge, formatTable } from '../../lib/table.js';

export interface KindColumns {
  plural: string;
  /** kubectl's `-o name` prefix is `<singular>.<group>`. */
  singular: string;
  /** The object kind, for items of a list (which the API server may return without apiVersion/kind). */
  kind: string;
  aliases: string[];
  columns: GetColumn[];
  /** `-o wide`'s extra columns, after AGE (kubectl puts a wide printer's additions at the end). */
  wide: GetColumn[];
}

export interface GetColumn {
  name: string;
  value: (o: AnyObject) => string;
}

export const GET_GROUP = 'kagent.dev';
export const GET_API_VERSION = 'kagent.dev/v1alpha2';

export interface AnyObject {
  apiVersion?: string;
  kind?: string;
  // client-node's list calls give Date timestamps, raw JSON gives strings.
  metadata?: Pick<ObjectMeta, 'name' | 'namespace' | 'resourceVersion'> & { creationTimestamp?: string | Date };
  spec?: Record<string, unknown>;
  status?: { conditions?: { type: string; status: string; reason?: string }[]; [k: string]: unknown };
}

const condition = (type: string) => (o: AnyObject) =>
  o.status?.conditions?.find((c) => c.type === type)?.status ?? 'Unknown';
const valueAt = (o: AnyObject, path: readonly string[]): unknown => {
  let v: unknown = o;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return v;
};
const field =
  (...path: string[]) =>
  (o: AnyObject) => {
    const v = valueAt(o, path);
    return v === undefined || v === null || v === '' ? '<none>' : String(v);
  };
/** A string field only (an object or number where a name belongs prints as <none>, never as its contents). */
const stringAt = (o: AnyObject, path: readonly string[]): string | undefined => {
  const v = valueAt(o, path);
  return typeof v === 'string' && v !== '' ? v : undefined;
};
const isByo = (o: AnyObject) => o.spec?.type === 'BYO';
/** The number of declarative tools; BYO agents have no tools list at all. */
const toolCount = (o: AnyObject) => {
  if (isByo(o)) return '<none>';
  const tools = valueAt(o, ['spec', 'declarative', 'tools']);
  return Array.isArray(tools) ? String(tools.length) : '0';
};

/**
 * Where each provider keeps the URL its model is reached at (ModelConfig's BASE-URL column). Providers without one
 * (Gemini, the Vertex AI ones, Bedrock) and Foundry's endpointFrom (a Secret) print <none>.
 */
const BASE_URL_FIELD: Readonly<Record<string, readonly string[]>> = {
  OpenAI: ['openAI', 'baseUrl'],
  Anthropic: ['anthropic', 'baseUrl'],
  SAPAICore: ['sapAICore', 'baseUrl'],
  AzureOpenAI: ['azureOpenAI', 'azureEndpoint'],
  Ollama: ['ollama', 'host'],
  Foundry: ['foundry', 'endpoint'],
};
const baseUrl = (o: AnyObject) => {
  const provider = stringAt(o, ['spec', 'provider']);
  const at = provider !== undefined && Object.hasOwn(BASE_URL_FIELD, provider) ? BASE_URL_FIELD[provider] : undefined;
  const url = at && stringAt(o, ['spec', ...at]);
  return url ? withoutPassword(url) : '<none>';
};
/** A table ends up in terminals, tickets and screenshots: a password in a URL's userinfo is masked. */
function withoutPassword(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password) return url;
    u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

const DESCRIPTION_WIDTH = 40;
/** One line (a table row cannot hold a newline), at most DESCRIPTION_WIDTH characters with … where it was cut. */
const shortDescription = (o: AnyObject) => {
  const text = (stringAt(o, ['spec', 'description']) ?? '').replace(/\s+/g, ' ').trim();
  if (!text) return '<none>';
  const chars = Array.from(text);
  return chars.length <= DESCRIPTION_WIDTH ? text : `${chars.slice(0, DESCRIPTION_WIDTH - 1).join('')}…`;
};

/** The reason of the first condition that is not True: the one-word "why" a user wants next to the columns. */
const notice = (o: AnyObject) => {
  const bad = (o.status?.conditions ?? []).find((c) => c.status !== 'True' && ['Accepted', 'Ready'].includes(c.type));
  return bad?.reason ?? '';
};

export const GET_KINDS: readonly KindColumns[] = [
  {
    plural: 'agents',
    singular: 'agent',
    kind: 'Agent',
    aliases: ['agent'],
    columns: [
      { name: 'TYPE', value: field('spec', 'type') },
      { name: 'READY', value: condition('Ready') },
      { name: 'ACCEPTED', value: condition('Accepted') },
      { name: 'REASON', value: notice },
    ],
    wide: [
      // What is stored (the webhook may have filled in the default); a BYO agent has no model config.
      {
        name: 'MODELCONFIG',
        value: (o) => (isByo(o) ? '<none>' : (stringAt(o, ['spec', 'declarative', 'modelConfig']) ?? '<none>')),
      },
      { name: 'TOOLS', value: toolCount },
      {
        name: 'IMAGE',
        value: (o) => (isByo(o) ? (stringAt(o, ['spec', 'byo', 'deployment', 'image']) ?? '<none>') : '<none>'),
      },
    ],
  },
  {
    plural: 'modelconfigs',
    singular: 'modelconfig',
    kind: 'ModelConfig',
    aliases: ['modelconfig', 'mc'],
    columns: [
      { name: 'PROVIDER', value: field('spec', 'provider') },
      { name: 'MODEL', value: field('spec', 'model') },
      { name: 'ACCEPTED', value: condition('Accepted') },
      { name: 'REASON', value: notice },
    ],
    wide: [
      // The Secret's name only: the key and the value stay out of the table.
      { name: 'API-KEY-SECRET', value: (o) => stringAt(o, ['spec', 'apiKeySecret']) ?? '<none>' },
      { name: 'BASE-URL', value: baseUrl },
    ],
  },
  {
    plural: 'remotemcpservers',
    singular: 'remotemcpserver',
    kind: 'RemoteMCPServer',
    aliases: ['remotemcpserver', 'rmcps'],
    columns: [
      { name: 'PROTOCOL', value: field('spec', 'protocol') },
      { name: 'URL', value: field('spec', 'url') },
      { name: 'ACCEPTED', value: condition('Accepted') },
      {
        name: 'TOOLS',
        value: (o) => (Array.isArray(o.status?.discoveredTools) ? String(o.status.discoveredTools.length) : '<none>'),
      },
      { name: 'REASON', value: notice },
    ],
    wide: [
      { name: 'TIMEOUT', value: (o) => stringAt(o, ['spec', 'timeout']) ?? '<none>' },
      { name: 'DESCRIPTION', value: shortDescription },
    ],
  },
  {
    // kagent's printer columns (Type, Endpoint, Models, Ready) plus REASON.
    plural: 'modelproviderconfigs',
    singular: 'modelproviderconfig',
    kind: 'ModelProviderConfig',
    aliases: ['modelproviderconfig', 'mprov'],
    columns: [
      { name: 'TYPE', value: field('spec', 'type') },
      { name: 'ENDPOINT', value: (o) => withoutPasswordOrNone(stringAt(o, ['spec', 'endpoint'])) },
      {
        name: 'MODELS',
        value: (o) => (typeof o.status?.modelCount === 'number' ? String(o.status.modelCount) : '<none>'),
      },
      { name: 'READY', value: condition('Ready') },
      { name: 'REASON', value: notice },
    ],
    wide: [
      // The Secret's name only, as for ModelConfigs.
      { name: 'SECRET', value: (o) => stringAt(o, ['spec', 'secretRef', 'name']) ?? '<none>' },
      { name: 'LAST-DISCOVERY', value: (o) => stringAt(o, ['status', 'lastDiscoveryTime']) ?? '<none>' },
    ],
  },
];

const withoutPasswordOrNone = (url: string | undefined) => (url ? withoutPassword(url) : '<none>');

export function findGetKind(name: string): KindColumns | undefined {
  const n = name.toLowerCase();
  return GET_KINDS.find((k) => k.plural === n || k.aliases.includes(n) || `${k.plural}.kagent.dev` === n);
}

/**
 * The column names; with -A a NAMESPACE column first, with `wide` the kind's wide columns after AGE. REASON is always
 * there (formatGetTable drops it when empty).
 */
export function getTableHeader(kind: KindColumns, allNamespaces: boolean, wide = false): string[] {
  return [
    ...(allNamespaces ? ['NAMESPACE'] : []),
    'NAME',
    ...kind.columns.map((c) => c.name),
    'AGE',
    ...(wide ? kind.wide.map((c) => c.name) : []),
  ];
}

/** One object's cells, in getTableHeader's order. */
export function getTableRow(
  kind: KindColumns,
  o: AnyObject,
  now: Date,
  allNamespaces: boolean,
  wide = false,
): string[] {
  return [
    ...(allNamespaces ? [o.metadata?.namespace ?? ''] : []),
    o.metadata?.name ?? '',
    ...kind.columns.map((c) => c.value(o)),
    formatAge(o.metadata?.creationTimestamp, now),
    ...(wide ? kind.wide.map((c) => c.value(o)) : []),
  ];
}

/** Objects in kubectl's order: by namespace, then name. */
export function sortObjects<T extends AnyObject>(items: readonly T[]): T[] {
  return [...items].sort((a, b) =>
    `${a.metadata?.namespace}/${a.metadata?.name}`.localeCompare(`${b.metadata?.namespace}/${b.metadata?.name}`),
  );
}

export function formatGetTable(
  kind: KindColumns,
  items: AnyObject[],
  now: Date,
  allNamespaces: boolean,
  wide = false,
): string {
  const header = getTableHeader(kind, allNamespaces, wide);
  const rows = sortObjects(items).map((o) => getTableRow(kind, o, now, allNamespaces, wide));
  // Drop the REASON column when every row is fine, as kubectl shows no empty columns for healthy objects.
  const reasonAt = header.indexOf('REASON');
  if (reasonAt >= 0 && rows.every((r) => !r[reasonAt])) {
    header.splice(reasonAt, 1);
    rows.forEach((r) => r.splice(reasonAt, 1));
  }
  return formatTable(header, rows);
}
