// Where the built web app lives: dist/dashboard-web under the package root, found from this file whether it runs as
// source (dashboard/server/) or compiled (dist/dashboard/server/).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_DIST = join('dist', 'dashboard-web');

export function defaultWebRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the package root above ${from}`);
    dir = up;
  }
  return join(dir, WEB_DIST);
}
