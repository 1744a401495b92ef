// The README's "accepted but not honoured" table, rendered from UNSUPPORTED (crds/unsupported.ts) so the two cannot
// drift: `npm run generate` rewrites it between the markers, test/unit/readme-compat.test.ts fails when it differs.
import { UNSUPPORTED } from './unsupported.js';

export const TABLE_BEGIN = '<!-- generated from crds/unsupported.ts by `npm run generate`: begin -->';
export const TABLE_END = '<!-- generated from crds/unsupported.ts by `npm run generate`: end -->';

const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** A Markdown table laid out as Prettier lays it out (columns padded to the widest cell). */
function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function unsupportedTable(): string {
  const rows = UNSUPPORTED.map((r) => [
    cell(`\`${r.kind}.${r.path}${r.whenText ? `: ${r.whenText}` : ''}\``),
    cell(r.reason),
  ]);
  return markdownTable(['field', 'why'], rows);
}

/** `readme` with the text between the markers replaced by the table; an error when a marker is missing. */
export function withUnsupportedTable(readme: string): string {
  const a = readme.indexOf(TABLE_BEGIN);
  const b = readme.indexOf(TABLE_END);
  if (a < 0 || b < a) throw new Error(`README.md: the markers ${TABLE_BEGIN} ... ${TABLE_END} are missing`);
  return `${readme.slice(0, a + TABLE_BEGIN.length)}\n\n${unsupportedTable()}\n\n${readme.slice(b)}`;
}
