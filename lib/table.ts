// kubectl-style plain-text tables and durations, shared by `metagent get` and the tool server's output.

/** Left-aligned columns separated by three spaces, like kubectl's printer; the last column is not padded. */
export function formatTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : (cell ?? '').padEnd(widths[i])))
        .join('   ')
        .trimEnd(),
    )
    .join('\n');
}

/** kubectl's short age: 45s, 12m, 5h, 3d. `<unknown>` when the timestamp is missing. */
export function formatAge(from: Date | string | undefined, now: Date): string {
  if (!from) return '<unknown>';
  const t = typeof from === 'string' ? Date.parse(from) : from.getTime();
  if (Number.isNaN(t)) return '<unknown>';
  const s = Math.max(0, Math.floor((now.getTime() - t) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}
