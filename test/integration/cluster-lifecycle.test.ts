// `npm run cluster:up` / `cluster:down` as a user runs them: a second, private control plane in its own state
// directory, so the shared one the other tests use is not disturbed.
import { it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithCluster, kubeBinDir } from '../cluster/vitest.js';
import { alive, repoRoot } from '../cluster/cluster.js';

const run = promisify(execFile);

describeWithCluster('cluster:up and cluster:down', () => {
  it(
    'prints the KUBECONFIG line, is idempotent, and leaves no process or state behind',
    { timeout: 180_000 },
    async () => {
      const dir = join(mkdtempSync(join(tmpdir(), 'metagent-lifecycle-')), 'cluster');
      const env = { ...process.env, METAGENT_CLUSTER_DIR: dir };
      const npm = (script: string) => run('npm', ['run', '--silent', script], { cwd: repoRoot, env });

      const first = await npm('cluster:up');
      const line = first.stdout.trim().split('\n').pop()!;
      expect(line).toBe(`KUBECONFIG=${join(dir, 'kubeconfig')}`);
      const kubectl = join(kubeBinDir()!, 'kubectl');
      const ready = await run(kubectl, ['--kubeconfig', join(dir, 'kubeconfig'), 'get', '--raw', '/readyz']);
      expect(ready.stdout.trim()).toBe('ok');

      const pids = Object.values(
        JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')).pids as Record<string, number>,
      );
      expect(pids).toHaveLength(3);
      const second = await npm('cluster:up');
      expect(second.stdout.trim().split('\n').pop()).toBe(line);
      expect(second.stderr).toContain('already running');

      await npm('cluster:down');
      expect(pids.filter(alive)).toEqual([]);
      expect(existsSync(dir)).toBe(false);
    },
  );

  it('cleans up after a crashed run: a dead state is replaced by a fresh cluster', { timeout: 180_000 }, async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'metagent-crash-')), 'cluster');
    const env = { ...process.env, METAGENT_CLUSTER_DIR: dir };
    const npm = (script: string) => run('npm', ['run', '--silent', script], { cwd: repoRoot, env });
    await npm('cluster:up');
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as {
      pids: Record<string, number>;
      server: string;
    };
    // Simulate a crash of the API server only; etcd and the controller manager are left running.
    process.kill(state.pids['kube-apiserver'], 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const again = await npm('cluster:up');
    const fresh = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as {
      pids: Record<string, number>;
      server: string;
    };
    expect(again.stderr).toContain('started');
    expect(Object.values(state.pids).filter(alive)).toEqual([]);
    expect(fresh.server).not.toBe(state.server);
    await npm('cluster:down');
    expect(Object.values(fresh.pids).filter(alive)).toEqual([]);
  });
});
