// `metagent get` tables: one row per object, columns per kind, like kubectl's printer columns plus the conditions
// that matter (Ready, Accepted). Pure; the command fetches.
import { formatAge, formatTable } from './table.js';

export interface KindColumns {
  plural: string;
  aliases: string[];
  columns: { name: string; value: (o: AnyObject) => string }[];
}

export interface AnyObject {
  metadata?: { name?: string; namespace?: string; creationTimestamp?: string | Date };
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

export function formatGetTable(kind: KindColumns, items: AnyObject[], now: Date, allNamespaces: boolean): string {
  const sorted = [...items].sort((a, b) =>
    `${a.metadata?.namespace}/${a.metadata?.name}`.localeCompare(`${b.metadata?.namespace}/${b.metadata?.name}`),
  );
  const header = [...(allNamespaces ? ['NAMESPACE'] : []), 'NAME', ...kind.columns.map((c) => c.name), 'AGE'];
  const rows = sorted.map((o) => [
    ...(allNamespaces ? [o.metadata?.namespace ?? ''] : []),
    o.metadata?.name ?? '',
    ...kind.columns.map((c) => c.value(o)),
    formatAge(o.metadata?.creationTimestamp, now),
  ]);
  // Drop the REASON column when every row is fine, as kubectl shows no empty columns for healthy objects.
  const reasonAt = header.indexOf('REASON');
  if (reasonAt >= 0 && rows.every((r) => !r[reasonAt])) {
    header.splice(reasonAt, 1);
    rows.forEach((r) => r.splice(reasonAt, 1));
  }
  return formatTable(header, rows);
}
