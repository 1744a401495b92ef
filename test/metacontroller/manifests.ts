// The CompositeControllers as the repository installs them (manifests/metacontroller/), for the contract driver: the
// integration tests drive exactly what a cluster would run.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../sync-hooks/protocol.js';
import { findController, type CompositeController } from './driver.js';

const dir = fileURLToPath(new URL('../../manifests/metacontroller/', import.meta.url));

/** Every document of manifests/metacontroller/*.yaml (the kustomization aside). */
export function manifestDocuments(): KubeObject[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .flatMap((f) => parseAllDocuments(readFileSync(dir + f, 'utf8')).map((d) => d.toJS() as KubeObject));
}

/** The installed CompositeController of this name (e.g. agents.kagent.dev). */
export function manifestController(name: string): CompositeController {
  return findController(manifestDocuments(), name);
}
