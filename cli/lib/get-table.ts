// `metagent get` tables: one row per object, columns per kind, like kubectl's printer columns plus the conditions
// that matter (Ready, Accepted). Pure; the command fetches.
import { formatAge, formatTable } from './table.js';

export interface KindColumns {
  plural: string;
  /** kubectl's `-o name` prefix is `<singular>.<group>`. */
  singular: string;
  /** The object kind, for items of a list (which the API server may return without apiVersion/kind). */
  kind: string;
  aliases: string[];
  columns: { name: string; value: (o: AnyObject) => string }[];
}

export const GET_GROUP = 'kagent.dev';
export const GET_API_VERSION = 'kagent.dev/v1alpha2';

export interface AnyObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; creationTimestamp?: string | Date; resourceVersion?: string };
  spec?: Record<string, unknown>;
  status?: { conditions?: { type: string; status: string; reason?: string }[]; [k: string]: unknown };
}

const condition = (type: string) => (o: AnyObject) => o.status?.conditions?.find((c) => c.type === type)?.status ?? 'Unknown';
const field = (...path: string[]) => (o: AnyObject) => {
  let v: unknown = o;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return v === undefined || v === null || v === '' ? '<none>' : String(v);
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
      { name: 'TOOLS', value: (o) => (Array.isArray(o.status?.discoveredTools) ? String(o.status.discoveredTools.length) : '<none>') },
      { name: 'REASON', value: notice },
    ],
  },
];

export function findGetKind(name: string): KindColumns | undefined {
  const n = name.toLowerCase();
  return GET_KINDS.find((k) => k.plural === n || k.aliases.includes(n) || `${k.plural}.kagent.dev` === n);
}

/** The column names; with -A a NAMESPACE column first. REASON is always there (formatGetTable drops it when empty). */
export function getTableHeader(kind: KindColumns, allNamespaces: boolean): string[] {
  return [...(allNamespaces ? ['NAMESPACE'] : []), 'NAME', ...kind.columns.map((c) => c.name), 'AGE'];
}

/** One object's cells, in getTableHeader's order. */
export function getTableRow(kind: KindColumns, o: AnyObject, now: Date, allNamespaces: boolean): string[] {
  return [
    ...(allNamespaces ? [o.metadata?.namespace ?? ''] : []),
    o.metadata?.name ?? '',
    ...kind.columns.map((c) => c.value(o)),
    formatAge(o.metadata?.creationTimestamp, now),
  ];
}

/** Objects in kubectl's order: by namespace, then name. */
export function sortObjects<T extends AnyObject>(items: readonly T[]): T[] {
  return [...items].sort((a, b) =>
    `${a.metadata?.namespace}/${a.metadata?.name}`.localeCompare(`${b.metadata?.namespace}/${b.metadata?.name}`),
  );
}

export function formatGetTable(kind: KindColumns, items: AnyObject[], now: Date, allNamespaces: boolean): string {
  const header = getTableHeader(kind, allNamespaces);
  const rows = sortObjects(items).map((o) => getTableRow(kind, o, now, allNamespaces));
  // Drop the REASON column when every row is fine, as kubectl shows no empty columns for healthy objects.
  const reasonAt = header.indexOf('REASON');
  if (reasonAt >= 0 && rows.every((r) => !r[reasonAt])) {
    header.splice(reasonAt, 1);
    rows.forEach((r) => r.splice(reasonAt, 1));
  }
  return formatTable(header, rows);
}
