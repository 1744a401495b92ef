// `metagent get -o wide|json|yaml|name|jsonpath=TEMPLATE` and the `--watch` printer: what kubectl prints for the same
// objects. Pure; the command fetches and writes.
import { InvalidArgumentError } from 'commander';
import { stringify } from 'yaml';
import { evaluateJsonPath, parseJsonPath, type TemplateNode } from './jsonpath.js';
import {
  GET_API_VERSION,
  GET_GROUP,
  getTableHeader,
  getTableRow,
  formatGetTable,
  sortObjects,
  type AnyObject,
  type KindColumns,
} from './get-table.js';

export const OUTPUT_FORMATS = ['wide', 'json', 'yaml', 'name'] as const;
/** A named format, or a parsed kubectl JSONPath template (`-o jsonpath=...`). */
export type OutputFormat = 'table' | (typeof OUTPUT_FORMATS)[number] | { jsonpath: TemplateNode[] };

/** Whether the format prints a table (with a header and "No resources found" for an empty list) rather than objects. */
export function isTableFormat(format: OutputFormat): format is 'table' | 'wide' {
  return format === 'table' || format === 'wide';
}

/** commander argument parser for -o; commander prefixes the message with the option, and exits 1. */
export function parseOutputFormat(value: string): OutputFormat {
  if ((OUTPUT_FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
  if (value.startsWith('jsonpath=')) {
    try {
      return { jsonpath: parseJsonPath(value.slice('jsonpath='.length)) };
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  }
  if (value === 'jsonpath') throw new InvalidArgumentError("jsonpath needs a template: -o jsonpath='{.metadata.name}'");
  throw new InvalidArgumentError(
    `unknown output format "${value}"; allowed formats are ${OUTPUT_FORMATS.join(', ')}, jsonpath=TEMPLATE`,
  );
}

/**
 * The object as kubectl prints it: apiVersion and kind first (list items of a CRD usually carry them already, but
 * kubectl sets them on every item, and a List without them could not be applied back), and without
 * metadata.managedFields, which kubectl hides unless --show-managed-fields.
 */
export function printableObject(kind: KindColumns, o: AnyObject): AnyObject {
  const { apiVersion, kind: k, ...rest } = o;
  const out: AnyObject = { apiVersion: apiVersion ?? GET_API_VERSION, kind: k ?? kind.kind, ...rest };
  if (o.metadata && 'managedFields' in o.metadata) {
    const { managedFields: _hidden, ...metadata } = o.metadata as Record<string, unknown>;
    out.metadata = metadata as AnyObject['metadata'];
  }
  return out;
}

/** kubectl's `-o name` for a CRD: `<singular>.<group>/<name>`. */
export function objectName(kind: KindColumns, o: AnyObject): string {
  return `${kind.singular}.${GET_GROUP}/${o.metadata?.name ?? ''}`;
}

/** kubectl's list wrapper: a v1 List with the list's resourceVersion, its keys in kubectl's (alphabetical) order. */
export function listObject(kind: KindColumns, items: AnyObject[], resourceVersion = ''): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    items: items.map((o) => printableObject(kind, o)),
    kind: 'List',
    metadata: { resourceVersion },
  };
}

/** kubectl indents JSON by 4 spaces; its YAML puts sequence dashes at the parent's indentation and never folds lines. */
function document(format: 'json' | 'yaml', value: unknown): string {
  return format === 'json'
    ? `${JSON.stringify(value, null, 4)}\n`
    : stringify(value, { indentSeq: false, lineWidth: 0 });
}

export type GetResult = { single: AnyObject } | { items: AnyObject[]; resourceVersion?: string };

export interface GetOutputContext {
  now: Date;
  allNamespaces: boolean;
  /** The namespace listed, for the "No resources found in NS namespace." message. */
  namespace: string;
}

/**
 * What `get` prints without --watch. A named object prints as itself, a list as a v1 List (also when empty, as kubectl
 * does); only the table says "No resources found", on stderr.
 */
export function formatGetOutput(
  format: OutputFormat,
  kind: KindColumns,
  result: GetResult,
  ctx: GetOutputContext,
): { stdout: string; stderr: string } {
  const items = 'single' in result ? [result.single] : result.items;
  switch (format) {
    case 'table':
    case 'wide':
      if (items.length === 0) return { stdout: '', stderr: noResourcesMessage(ctx) };
      return { stdout: `${formatGetTable(kind, items, ctx.now, ctx.allNamespaces, format === 'wide')}\n`, stderr: '' };
    case 'name':
      return { stdout: items.map((o) => `${objectName(kind, o)}\n`).join(''), stderr: '' };
    case 'json':
    case 'yaml': {
      const value =
        'single' in result
          ? printableObject(kind, result.single)
          : listObject(kind, result.items, result.resourceVersion);
      return { stdout: document(format, value), stderr: '' };
    }
    default: {
      // As kubectl: the template sees the object, or the v1 List, and nothing is added after what it prints.
      const value =
        'single' in result
          ? printableObject(kind, result.single)
          : listObject(kind, result.items, result.resourceVersion);
      return { stdout: evaluateJsonPath(format.jsonpath, value), stderr: '' };
    }
  }
}

export function noResourcesMessage(ctx: { allNamespaces: boolean; namespace: string }): string {
  return ctx.allNamespaces ? 'No resources found\n' : `No resources found in ${ctx.namespace} namespace.\n`;
}

export interface WatchPrinter {
  /** The initial list: the table with its header ('' when empty), or one document / name per object. */
  initial(items: AnyObject[], now: Date): string;
  /** One change (ADDED, MODIFIED, DELETED alike, as kubectl): a row in the table's columns, or one document / name. */
  event(o: AnyObject, now: Date): string;
}

/**
 * The printer of `get --watch`. The table keeps its REASON column even when empty (a later row may need it) and pads
 * later rows to the widths of the first table, so the columns stay under their header until a longer cell arrives.
 * When the initial list was empty, the first event prints the header. `wide` is the table with the kind's wide columns
 * on every row. YAML documents are separated by `---`.
 */
export function createWatchPrinter(format: OutputFormat, kind: KindColumns, allNamespaces: boolean): WatchPrinter {
  let widths: number[] | undefined;
  let documents = 0;
  const wide = format === 'wide';
  const table = (objects: AnyObject[], now: Date): string => {
    const rows = objects.map((o) => getTableRow(kind, o, now, allNamespaces, wide));
    let lines = '';
    if (!widths) {
      const header = getTableHeader(kind, allNamespaces, wide);
      widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
      lines += alignedRow(header, widths);
    }
    for (const r of rows) lines += alignedRow(r, widths);
    return lines;
  };
  const one = (o: AnyObject): string => {
    if (format === 'name') return `${objectName(kind, o)}\n`;
    if (typeof format === 'object') return evaluateJsonPath(format.jsonpath, printableObject(kind, o));
    const text = document(format as 'json' | 'yaml', printableObject(kind, o));
    return format === 'yaml' && documents++ > 0 ? `---\n${text}` : text;
  };
  return {
    initial: (items, now) =>
      isTableFormat(format) ? (items.length ? table(sortObjects(items), now) : '') : items.map(one).join(''),
    event: (o, now) => (isTableFormat(format) ? table([o], now) : one(o)),
  };
}

/** formatTable's layout for one row: cells padded to the widths, three spaces apart, the last cell unpadded. */
function alignedRow(cells: string[], widths: number[]): string {
  return `${cells
    .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
    .join('   ')
    .trimEnd()}\n`;
}
