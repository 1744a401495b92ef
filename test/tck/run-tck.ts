// Runs the A2A TCK (its own runner, run_tck.py --category all) against a URL and reads what it measured: the pytest
// JSON report it writes per category (reports/<category>_*results.json) and the compliance level its own table
// (util_scripts/compliance_levels.py) gives those success rates. Its --compliance-report file is not used: run_tck.py
// builds it from a results dict it never fills, so it always says "Not A2A Compliant, 0.0%".
import { spawn, spawnSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

/** The TCK's categories, in the order run_tck.py runs them. */
export const CATEGORIES = ['mandatory', 'capabilities', 'transport-equivalence', 'quality', 'features'] as const;
export type Category = (typeof CATEGORIES)[number];
/** The categories whose failures fail our test: the TCK's own "critical" ones (quality and features are reported). */
export const CRITICAL: readonly Category[] = ['mandatory', 'capabilities', 'transport-equivalence'];

export type ProtocolVersion = '1.0' | '0.3';

export interface CategoryResult {
  passed: number;
  failed: number;
  xfailed: number;
  error: number;
  skipped: number;
  total: number;
  /** node ids of the failed or errored tests, with the first line of why */
  failures: Array<{ id: string; message: string }>;
}

export interface TckRun {
  version: ProtocolVersion;
  categories: Record<Category, CategoryResult>;
  level: { name: string; badge: string };
  log: string;
}

export interface TckBug {
  /** the TCK test ids (pytest node ids) the entry covers */
  ids: string[];
  /** the protocol versions the entry applies to (both when absent) */
  versions?: ProtocolVersion[];
  spec: string;
  why: string;
}

export const TCK_BUGS_FILE = fileURLToPath(new URL('./tck-bugs.yaml', import.meta.url));

/**
 * The listed TCK bugs (test/tck/tck-bugs.yaml): each entry names its tests (`id` or `ids`), the spec text they
 * contradict and why.
 */
export async function readTckBugs(file = TCK_BUGS_FILE): Promise<TckBug[]> {
  const doc = parseYaml(await readFile(file, 'utf8')) as { bugs?: unknown };
  if (!doc || !Array.isArray(doc.bugs)) throw new Error(`${file}: bugs: must be a list`);
  return doc.bugs.map((b: Record<string, unknown>, i: number) => {
    for (const field of ['spec', 'why'] as const) {
      if (typeof b?.[field] !== 'string' || !(b[field] as string).trim())
        throw new Error(`${file}: bugs[${i}].${field}: is required`);
    }
    const ids = b.ids ?? (b.id === undefined ? undefined : [b.id]);
    if (
      !Array.isArray(ids) ||
      ids.length === 0 ||
      ids.some((id) => typeof id !== 'string' || !/^tests\/.+\.py::/.test(id))
    ) {
      throw new Error(`${file}: bugs[${i}]: id or ids: must name TCK tests (tests/...py::test_name)`);
    }
    const versions = b.versions as unknown;
    if (versions !== undefined && (!Array.isArray(versions) || versions.some((v) => v !== '1.0' && v !== '0.3'))) {
      throw new Error(`${file}: bugs[${i}].versions: must be a list of "1.0" and "0.3"`);
    }
    return {
      ids: ids as string[],
      versions: versions as ProtocolVersion[] | undefined,
      spec: b.spec as string,
      why: b.why as string,
    };
  });
}

/** The test ids listed for a protocol version. */
export function bugsFor(bugs: TckBug[], version: ProtocolVersion): string[] {
  return bugs.filter((b) => !b.versions || b.versions.includes(version)).flatMap((b) => b.ids);
}

interface PytestReport {
  summary: Record<string, number>;
  tests: Array<{ nodeid: string; outcome: string; setup?: Phase; call?: Phase; teardown?: Phase }>;
}
interface Phase {
  outcome?: string;
  crash?: { message?: string };
  longrepr?: string;
}

/** One category's counts from its pytest JSON report, counted the way run_tck.py counts them. */
export function categoryResult(report: PytestReport): CategoryResult {
  const s = report.summary;
  const failures = report.tests
    .filter((t) => t.outcome === 'failed' || t.outcome === 'error')
    .map((t) => {
      const phase = [t.setup, t.call, t.teardown].find((p) => p && p.outcome !== 'passed' && p.outcome !== 'skipped');
      const message = (phase?.crash?.message ?? phase?.longrepr ?? '').split('\n')[0].slice(0, 300);
      return { id: t.nodeid, message };
    });
  return {
    passed: s.passed ?? 0,
    failed: (s.failed ?? 0) + (s.error ?? 0),
    xfailed: report.tests.filter((t) => t.outcome === 'xfailed').length,
    error: s.error ?? 0,
    skipped: s.skipped ?? 0,
    total: s.total ?? 0,
    failures,
  };
}

/** The TCK's success rate: passed out of the tests that were not skipped (run_tck.py's calculate_success_rate). */
export function successRate(r: CategoryResult): number {
  if (r.total === 0) return 0;
  const testable = r.total - r.skipped;
  return testable === 0 ? 100 : (r.passed / testable) * 100;
}

/** run_tck.py's own count format. */
export function formatCounts(r: CategoryResult): string {
  return `p:${r.passed}/f:${r.failed}/x:${r.xfailed}/e:${r.error}/s:${r.skipped}`;
}

function python(tckHome: string): string {
  return join(tckHome, '.venv', 'bin', 'python');
}

/** The level the TCK's compliance table gives these results. */
function complianceLevel(tckHome: string, cats: Record<Category, CategoryResult>): { name: string; badge: string } {
  const rates = [cats.mandatory, cats.capabilities, cats.quality, cats.features].map(successRate);
  const code = `import json,sys; from util_scripts.compliance_levels import get_compliance_level; l=get_compliance_level(*[float(a) for a in sys.argv[1:]]); print(json.dumps({"name": l["name"], "badge": l["badge"]}))`;
  const r = spawnSync(python(tckHome), ['-c', code, ...rates.map(String)], { cwd: tckHome, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`TCK compliance level: ${r.stderr}`);
  return JSON.parse(r.stdout) as { name: string; badge: string };
}

export interface RunOptions {
  tckHome: string;
  url: string;
  version: ProtocolVersion;
  /** node ids not to run (pytest --deselect) */
  deselect: string[];
  timeoutMs: number;
  /** copy the TCK's reports (pytest JSON per category, with every test's output) here */
  keepReportsIn?: string;
}

function run(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  what: string,
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what} did not finish in ${timeoutMs} ms:\n${out.slice(-4000)}`));
    }, timeoutMs);
    child.on('error', reject);
    // The TCK exits non-zero when a category fails; the reports say which, so the exit code is not used.
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

async function copyTree(tckHome: string, name: string): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), `a2a-tck-${name}-`));
  await cp(tckHome, work, { recursive: true, filter: (src) => !/[/\\](\.venv|reports|\.pytest_cache)$/.test(src) });
  return work;
}

async function readReport(dir: string, cat: Category, what: string, log: string): Promise<CategoryResult> {
  const files = await readdir(dir).catch(() => [] as string[]);
  const file = files.find(
    (f) => f === `${cat}_results.json` || (f.startsWith(`${cat}_`) && f.endsWith('_results.json')),
  );
  if (!file)
    throw new Error(`${what}: no report for category ${cat} in ${files.join(', ') || dir}:\n${log.slice(-4000)}`);
  return categoryResult(JSON.parse(await readFile(join(dir, file), 'utf8')) as PytestReport);
}

/**
 * One run of every category: run_tck.py --category all (JSON-RPC, its default transport), and beside it the
 * transport-equivalence category across JSON-RPC and HTTP+JSON — the pytest command run_tck.py builds for that
 * category with --transports jsonrpc,rest, which its single-category mode runs without writing a report. Each works
 * in its own copy of the TCK tree (the TCK writes reports/ under its working directory), so both protocol versions
 * can run at once; the venv is shared.
 */
export async function runTck(opts: RunOptions): Promise<TckRun> {
  const what = `TCK (A2A ${opts.version})`;
  const [all, te] = await Promise.all([
    copyTree(opts.tckHome, opts.version),
    copyTree(opts.tckHome, `${opts.version}-te`),
  ]);
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PYTEST_ADDOPTS: ['-p no:cacheprovider', ...opts.deselect.map((id) => `--deselect=${id}`)].join(' '),
      PYTHONDONTWRITEBYTECODE: '1',
    };
    // Without the header the runtime serves v0.3, as the spec asks of an empty A2A-Version.
    if (opts.version === '1.0') env.A2A_AUTH_HEADERS = JSON.stringify({ 'A2A-Version': '1.0' });
    else delete env.A2A_AUTH_HEADERS;
    const py = python(opts.tckHome);
    const [log, teLog] = await Promise.all([
      // --compliance-report keeps the per-category reports (run_tck.py deletes them otherwise).
      run(
        py,
        ['run_tck.py', '--sut-url', opts.url, '--category', 'all', '--compliance-report', 'compliance.json'],
        all,
        env,
        opts.timeoutMs,
        what,
      ),
      run(
        py,
        [
          '-m',
          'pytest',
          'tests/optional/multi_transport/',
          `--sut-url=${opts.url}`,
          '--test-scope=all',
          '--tb=short',
          '--json-report',
          '--json-report-file=reports/transport-equivalence_results.json',
          '-m',
          'transport_equivalence',
          '-q',
          '--transport-strategy',
          'agent_preferred',
          '--transports',
          'jsonrpc,rest',
          '--enable-equivalence-testing',
        ],
        te,
        env,
        opts.timeoutMs,
        `${what} transport-equivalence`,
      ),
    ]);
    const categories = {} as Record<Category, CategoryResult>;
    for (const cat of CATEGORIES) {
      categories[cat] =
        cat === 'transport-equivalence'
          ? await readReport(join(te, 'reports'), cat, what, teLog)
          : await readReport(join(all, 'reports'), cat, what, log);
    }
    if (opts.keepReportsIn) {
      await cp(join(all, 'reports'), opts.keepReportsIn, { recursive: true });
      await cp(
        join(te, 'reports', 'transport-equivalence_results.json'),
        join(opts.keepReportsIn, 'transport-equivalence_jsonrpc,rest_results.json'),
      );
    }
    return {
      version: opts.version,
      categories,
      level: complianceLevel(opts.tckHome, categories),
      log: `${log}\n${teLog}`,
    };
  } finally {
    await Promise.all([all, te].map((d) => rm(d, { recursive: true, force: true })));
  }
}

/** The lines the CI output ends with: level and run_tck.py's counts per category, per protocol version. */
export function summaryLines(runs: TckRun[]): string[] {
  const lines: string[] = [];
  for (const run of runs) {
    lines.push(
      `A2A TCK 410ba92, A2A ${run.version}${run.version === '0.3' ? ' (no A2A-Version header)' : ' (A2A-Version: 1.0)'}: ${run.level.badge} (${run.level.name})`,
    );
    for (const cat of CATEGORIES) lines.push(`  ${cat.padEnd(22)} ${formatCounts(run.categories[cat])}`);
  }
  return lines;
}
