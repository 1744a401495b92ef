// The README's "accepted but not honoured" table is generated from crds/unsupported.ts (the table the webhook's
// warnings and the UnsupportedFeatures conditions come from): it fails when the committed README differs.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { unsupportedTable, withUnsupportedTable } from '../../crds/unsupported-table.js';
import { UNSUPPORTED } from '../../crds/unsupported.js';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

describe("README's compatibility table", () => {
  it('is what `npm run generate` writes from crds/unsupported.ts', () => {
    const readme = readFileSync(README, 'utf8');
    expect(readme).toBe(withUnsupportedTable(readme));
  });

  it('has a row per unsupported field, with the condition of those that count only when set so', () => {
    const table = unsupportedTable();
    for (const r of UNSUPPORTED) expect(table).toContain(`${r.kind}.${r.path}${r.whenText ? `: ${r.whenText}` : ''}`);
    expect(UNSUPPORTED.filter((r) => r.when && !r.whenText).map((r) => r.path)).toEqual([]);
    expect(table.split('\n')).toHaveLength(UNSUPPORTED.length + 2);
  });

  it('refuses a README without the markers', () => {
    expect(() => withUnsupportedTable('# no table here\n')).toThrow(/markers .* are missing/);
  });
});
