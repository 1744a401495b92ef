// The A2A project's TCK against a real `metagent runtime` process (test/tck/sut.ts), with the A2A-Version: 1.0 header
// and without it (v0.3), both at once. Fails on any failure of the TCK's critical categories (mandatory,
// capabilities, transport-equivalence) that test/tck/tck-bugs.yaml does not list; quality and features are printed.
// The venv comes from .ci/steps/40-a2a-tck.sh (METAGENT_A2A_TCK); outside CI the test builds it with that script.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bugsFor, CRITICAL, readTckBugs, runTck, summaryLines, type TckBug, type TckRun } from './run-tck.js';
import { startTckSut, type TckSut } from './sut.js';

const STEP = fileURLToPath(new URL('../../.ci/steps/40-a2a-tck.sh', import.meta.url));

function tckHome(): string | undefined {
  const fromEnv = process.env.METAGENT_A2A_TCK;
  if (fromEnv && existsSync(`${fromEnv}/.built`)) return fromEnv;
  try {
    const out = execFileSync('bash', [STEP], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    return out.trim().split('\n').pop();
  } catch (err) {
    if (process.env.CI === 'true') throw err;
    return undefined;
  }
}

const home = tckHome();

describe.skipIf(!home)('A2A TCK', () => {
  let sut: TckSut;
  let bugs: TckBug[];
  const runs: TckRun[] = [];

  beforeAll(async () => {
    bugs = await readTckBugs();
    sut = await startTckSut();
  });
  afterAll(async () => {
    await sut?.stop();
    const lines = [
      `TCK tests listed as TCK bugs and not run (test/tck/tck-bugs.yaml):`,
      ...(bugs ?? []).flatMap((b) => [
        `- ${b.versions ? `A2A ${b.versions.join(', ')}` : 'both versions'}: ${b.why}`,
        `  spec: ${b.spec}`,
        ...b.ids.map((id) => `  ${id}`),
      ]),
      ...summaryLines(runs),
    ];
    console.log(lines.join('\n'));
  });

  it(
    'passes every critical category on A2A 1.0 and 0.3 apart from the listed TCK bugs',
    { timeout: 15 * 60_000 },
    async () => {
      const done = await Promise.all(
        (['1.0', '0.3'] as const).map((version) =>
          runTck({ tckHome: home!, url: sut.url, version, deselect: bugsFor(bugs, version), timeoutMs: 14 * 60_000 }),
        ),
      );
      runs.push(...done);
      const failures = done.flatMap((run) =>
        CRITICAL.flatMap((cat) =>
          run.categories[cat].failures.map((f) => `A2A ${run.version} ${cat}: ${f.id}: ${f.message}`),
        ),
      );
      expect(failures).toEqual([]);
      // A run that ran nothing would pass the check above.
      for (const run of done) expect(run.categories.mandatory.passed).toBeGreaterThan(30);
    },
  );
});
