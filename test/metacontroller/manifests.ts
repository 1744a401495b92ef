// The CompositeControllers as the repository installs them (manifests/metacontroller/), for the contract driver and
// for the real Metacontroller: the tests drive exactly what a cluster would run.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../sync-hooks/protocol.js';
import { deepCopy } from './apply.js';
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

/**
 * The installed CompositeControllers for a Metacontroller whose hook server runs on the host: each hook's
 * `webhook.service` + `webhook.path` becomes `webhook.url` = baseUrl + path. Nothing else changes (a test holds
 * that), so the real Metacontroller runs exactly the installed controllers.
 */
export function hostControllers(baseUrl: string, docs: KubeObject[] = manifestDocuments()): CompositeController[] {
  const base = baseUrl.replace(/\/$/, '');
  return docs
    .filter((d) => d.kind === 'CompositeController')
    .map((d) => {
      const cc = deepCopy(d) as CompositeController;
      for (const [name, hook] of Object.entries(cc.spec.hooks)) {
        const wh = hook?.webhook;
        if (!wh?.service) throw new Error(`${cc.metadata.name}: hook ${name} has no webhook.service to replace`);
        const { service: _service, path, ...rest } = wh;
        hook!.webhook = { ...rest, url: base + (path ?? '') };
      }
      return cc;
    });
}
