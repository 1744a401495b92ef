// The real oauth2-proxy in front of the dashboard, run exactly as manifests/dashboard/deployment.yaml runs the sidecar:
// the binary of the image's version (built by .ci/steps/40-oauth2-proxy.sh into ~/.cache/metagent/), the container's
// args verbatim except the two addresses (this host's free port instead of 0.0.0.0:4180, the test dashboard's port
// instead of 8081), and the identity provider's settings as environment, as the Secret gives them. Plus a sign-in
// through it with a cookie jar, the way a browser follows the redirects.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { freePort } from '../cluster/cluster.js';
import { repo } from './build-web.js';

interface Container {
  name: string;
  image: string;
  args: string[];
  readinessProbe?: { httpGet?: { path: string } };
}

export function dashboardContainers(): { dashboard: Container; proxy: Container } {
  const deploy = parse(readFileSync(join(repo, 'manifests/dashboard/deployment.yaml'), 'utf8')) as {
    spec: { template: { spec: { containers: Container[] } } };
  };
  const byName = (n: string) => {
    const c = deploy.spec.template.spec.containers.find((x) => x.name === n);
    if (!c) throw new Error(`manifests/dashboard/deployment.yaml: no container "${n}"`);
    return c;
  };
  return { dashboard: byName('dashboard'), proxy: byName('oauth2-proxy') };
}

/** The value after `flag` in a container's args (`--flag value` style), or undefined. */
export function argValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

/** The sidecar image's tag, which is also the version the CI step builds. */
export const oauth2ProxyVersion = () => dashboardContainers().proxy.image.split(':').pop()!;

export function oauth2ProxyBinary(): string {
  const dir = join(
    process.env.METAGENT_CACHE ?? join(homedir(), '.cache/metagent'),
    `oauth2-proxy-${oauth2ProxyVersion()}`,
  );
  return process.env.METAGENT_OAUTH2_PROXY ?? join(dir, 'oauth2-proxy');
}

export const haveOauth2Proxy = () => existsSync(oauth2ProxyBinary());

export interface RunningProxy {
  url: string;
  args: string[];
  output: () => string;
  stop(): Promise<void>;
}

/** Starts the sidecar's command line against `upstreamPort`; resolves once its /ping (the probes' path) answers. */
export async function startOauth2Proxy(
  upstreamPort: number,
  env: (url: string) => Record<string, string>,
): Promise<RunningProxy> {
  const { proxy } = dashboardContainers();
  const port = await freePort();
  const args = proxy.args.map((a) =>
    a.startsWith('--http-address=')
      ? `--http-address=127.0.0.1:${port}`
      : a.startsWith('--upstream=')
        ? a.replace(/:8081\//, `:${upstreamPort}/`)
        : a,
  );
  if (!args.some((a) => a.includes(`:${upstreamPort}/`)))
    throw new Error(`the sidecar's --upstream is not http://127.0.0.1:8081/: ${proxy.args.join(' ')}`);
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(oauth2ProxyBinary(), args, {
    env: { PATH: process.env.PATH ?? '', ...env(url) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const probe = proxy.readinessProbe?.httpGet?.path ?? '/ping';
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`oauth2-proxy exited (${child.exitCode}):\n${out}`);
    const ok = await fetch(`${url}${probe}`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`oauth2-proxy did not answer ${probe} in 20 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    args,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A browser's cookie jar, as small as the sign-in needs: name → value, for one host. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  names(): string[] {
    return [...this.cookies.keys()];
  }
}

/**
 * Signs `login` in through the proxy as a browser does: /oauth2/start → the issuer's authorization endpoint (where
 * the person says who they are) → the proxy's callback, which redeems the code and sets the session cookie. Each
 * redirect is followed by hand so the jar sees every Set-Cookie. Returns the jar holding the session.
 */
export async function signIn(proxyUrl: string, login: string): Promise<CookieJar> {
  const jar = new CookieJar();
  let next = `${proxyUrl}/oauth2/start?rd=${encodeURIComponent('/')}`;
  for (let hop = 0; hop < 6; hop++) {
    const target = new URL(next);
    if (!next.startsWith(proxyUrl) && target.pathname === '/authorize') target.searchParams.set('login', login);
    const res = await fetch(target, {
      redirect: 'manual',
      headers: next.startsWith(proxyUrl) ? { cookie: jar.header() } : {},
    });
    if (next.startsWith(proxyUrl)) jar.take(res);
    await res.arrayBuffer();
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location)
      throw new Error(`sign-in of ${login}: ${target.pathname} answered ${res.status} without a redirect`);
    next = new URL(location, target).toString();
    if (next === `${proxyUrl}/`) return jar;
  }
  throw new Error(`sign-in of ${login}: too many redirects (last: ${next})`);
}
