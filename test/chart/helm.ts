// Helm for the chart tests: the binary .ci/steps/40-helm.sh builds (cached by version; METAGENT_HELM overrides it),
// and Metacontroller's chart vendored into charts/metagent/charts/ from its source archive (the chart's dependency
// is declared with Metacontroller's public OCI repository, which these machines cannot reach).
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../cluster/cluster.js';

const execFileP = promisify(execFile);

export const HELM_VERSION = 'v4.3.2';
export const chartDir = join(repoRoot, 'charts', 'metagent');

export function helmPath(): string | null {
  const p =
    process.env.METAGENT_HELM ??
    join(process.env.METAGENT_CACHE ?? join(homedir(), '.cache', 'metagent'), `helm-${HELM_VERSION}`, 'helm');
  return existsSync(p) ? p : null;
}

/** Why the chart tests cannot run, or null; in CI a missing helm fails instead (the suite's rule). */
export function helmMissing(): string | null {
  if (helmPath()) return null;
  const why = `helm ${HELM_VERSION} is not built (run .ci/steps/40-helm.sh, or set METAGENT_HELM)`;
  if (process.env.CI === 'true') throw new Error(why);
  console.warn(`SKIPPING chart tests: ${why}`);
  return why;
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export async function helm(args: string[], env: Record<string, string> = {}): Promise<Run> {
  vendorMetacontrollerChart();
  try {
    const r = await execFileP(helmPath()!, args, {
      env: { ...process.env, HELM_CACHE_HOME: join(repoRoot, 'node_modules', '.cache', 'helm'), ...env },
      maxBuffer: 64 << 20,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(err) };
  }
}

export function metacontrollerArchive(): string {
  if (process.env.METAGENT_METACONTROLLER_SRC) return process.env.METAGENT_METACONTROLLER_SRC;
  const dir = join(repoRoot, '..', 'shared', 'metacontroller');
  const dirs = [dir, '/work/shared/metacontroller'].filter(existsSync);
  for (const d of dirs) {
    const found = readdirSync(d).filter((f) => f.endsWith('.tar.gz'));
    if (found.length === 1) return join(d, found[0]);
  }
  throw new Error(
    'Metacontroller source archive not found (../shared/metacontroller/*.tar.gz); set METAGENT_METACONTROLLER_SRC',
  );
}

/** Unpacks deploy/helm/metacontroller of the archive as charts/metagent/charts/metacontroller-helm (once). */
export function vendorMetacontrollerChart(): void {
  const target = join(chartDir, 'charts', 'metacontroller-helm');
  if (existsSync(join(target, 'Chart.yaml'))) return;
  const scratch = join(repoRoot, 'node_modules', '.cache');
  mkdirSync(scratch, { recursive: true });
  const tmp = mkdtempSync(join(scratch, 'metacontroller-chart-'));
  try {
    // Synchronous on purpose: test files call this in parallel; the rename below makes the first finisher win.
    execFileSync('tar', ['xzf', metacontrollerArchive(), '-C', tmp, '--wildcards', '*/deploy/helm/metacontroller/*']);
    const top = readdirSync(tmp)[0];
    const src = join(tmp, top, 'deploy', 'helm', 'metacontroller');
    try {
      renameSync(src, target);
    } catch (err) {
      if (!existsSync(join(target, 'Chart.yaml'))) throw err;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
