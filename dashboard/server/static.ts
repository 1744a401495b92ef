// The built single-page app (vite build → dist/dashboard-web): files by extension, index.html for any other path so
// that reloading a page works, and a Content-Security-Policy that allows nothing but this origin.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * kagent's share-link URL (what the agent's create_share_link answers, under KAGENT_UI_URL):
 * /agents/<ns>/<name>/chat/<session>?share=<token> → the page's share route, /#/shared/<ns>/<name>/<session>?share=…
 * (the token moves into the fragment, which browsers never send to a server). Undefined for any other path.
 */
export function shareLinkRedirect(urlPath: string, search: URLSearchParams): string | undefined {
  const m = /^\/agents\/([^/]+)\/([^/]+)\/chat\/([^/]+)\/?$/.exec(urlPath);
  const token = search.get('share');
  if (!m || !token) return undefined;
  // The segments stay as escaped as they came; the token is re-escaped for the fragment's query.
  return `/#/shared/${m[1]}/${m[2]}/${m[3]}?share=${encodeURIComponent(token)}`;
}

export function serveStatic(root: string, urlPath: string, res: ServerResponse): void {
  const index = join(root, 'index.html');
  if (!existsSync(index)) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`the dashboard's web app is not built (no ${index}): run \`npm run build\`\n`);
    return;
  }
  let rel = '';
  try {
    rel = normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, '');
  } catch {
    /* undecodable: index */
  }
  const file = join(root, rel);
  const inside = file.startsWith(root.endsWith(sep) ? root : root + sep);
  const target = rel && inside && existsSync(file) && statSync(file).isFile() ? file : index;
  const immutable = target !== index && rel.startsWith('assets/');
  res.writeHead(200, {
    'content-type': TYPES[extname(target)] ?? 'application/octet-stream',
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  createReadStream(target).pipe(res);
}
