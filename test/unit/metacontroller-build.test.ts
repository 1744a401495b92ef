// build-metacontroller.sh: the cache key, the flock that makes concurrent callers wait for one build, and its
// refusals. A stand-in `go` on PATH records each build and writes a script as the binary, so this runs in a second;
// the real build runs in .ci/steps/45-metacontroller.sh and every real-Metacontroller test uses its result.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../cluster/build-metacontroller.sh', import.meta.url));

function run(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = spawn('bash', [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => res({ code: code ?? 1, stdout, stderr }));
  });
}

/** A source archive laid out like Metacontroller's, and a fake `go` that logs each build to builds.log. */
function fixture(opts: { goMod?: boolean } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'mc-build-'));
  const src = join(root, 'src', 'metacontroller-v9.9.9');
  mkdirSync(join(src, 'manifests', 'production'), { recursive: true });
  if (opts.goMod !== false) writeFileSync(join(src, 'go.mod'), 'module metacontroller\n');
  writeFileSync(
    join(src, 'manifests', 'production', 'metacontroller-crds-v1.yaml'),
    'kind: CustomResourceDefinition\n',
  );
  const archive = join(root, 'metacontroller-v9.9.9-src.tar.gz');
  const bin = join(root, 'bin');
  mkdirSync(bin);
  // go build -trimpath -ldflags X -o OUT PKG: sleep (so concurrent callers overlap), record, write OUT.
  writeFileSync(
    join(bin, 'go'),
    `#!/usr/bin/env bash
out=""; while [ $# -gt 0 ]; do [ "$1" = "-o" ] && out="$2"; shift; done
sleep 1; echo build >> "${root}/builds.log"; printf '#!/bin/sh\\necho fake\\n' > "$out"; chmod +x "$out"
`,
  );
  chmodSync(join(bin, 'go'), 0o755);
  return {
    root,
    archive,
    src,
    env: {
      METAGENT_CACHE: join(root, 'cache'),
      METAGENT_METACONTROLLER_SRC: archive,
      PATH: `${bin}:${process.env.PATH}`,
    },
  };
}

async function tar(f: ReturnType<typeof fixture>) {
  await new Promise((res) =>
    spawn('tar', ['czf', f.archive, '-C', join(f.root, 'src'), 'metacontroller-v9.9.9']).on('close', res),
  );
}

describe('build-metacontroller.sh', () => {
  it('builds once for concurrent callers, keyed by version and sha256, then answers from the cache', async () => {
    const f = fixture();
    await tar(f);
    const results = await Promise.all([run(f.env), run(f.env), run(f.env)]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const dirs = new Set(results.map((r) => r.stdout.trim()));
    expect(dirs.size).toBe(1);
    const dir = [...dirs][0];
    expect(dir).toMatch(/\/cache\/metacontroller-v9\.9\.9-[0-9a-f]{16}$/);
    expect(readFileSync(join(f.root, 'builds.log'), 'utf8')).toBe('build\n');
    expect(results.some((r) => r.stderr.includes('waiting for it'))).toBe(true);
    expect(readFileSync(join(dir, 'crds.yaml'), 'utf8')).toContain('CustomResourceDefinition');
    expect(existsSync(join(dir, 'bin', 'metacontroller'))).toBe(true);
    expect(readdirSync(join(f.root, 'cache')).filter((n) => n.endsWith('.build'))).toEqual([]);
    const again = await run(f.env);
    expect(again.stdout.trim()).toBe(dir);
    expect(readFileSync(join(f.root, 'builds.log'), 'utf8')).toBe('build\n');
  });

  it('refuses an archive that does not exist, naming it', async () => {
    const f = fixture();
    const r = await run({ ...f.env, METAGENT_METACONTROLLER_SRC: join(f.root, 'missing.tar.gz') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`source archive ${join(f.root, 'missing.tar.gz')} is not readable`);
  });

  it('refuses an archive without go.mod before building anything', async () => {
    const f = fixture({ goMod: false });
    await tar(f);
    const r = await run(f.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('has no go.mod at its top directory');
    expect(existsSync(join(f.root, 'builds.log'))).toBe(false);
    expect(readdirSync(join(f.root, 'cache')).filter((n) => n.endsWith('.build'))).toEqual([]);
  });
});
