// `metagent render -f FILE... [-o yaml|json]`: the GitOps dry run of the controller. Prints, as one v1 List, the
// children the sync hook would create for every Agent in the files; exits 1 with the reasons when an Agent is not
// accepted. Reads multi-document YAML and kagent's translator test-case files (objects under a top-level `objects:`).
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { parseAllDocuments, stringify } from 'yaml';
import { renderObjects } from '../../sync-hooks/render.js';
import type { KubeObject } from '../../sync-hooks/protocol.js';
import { DEFAULT_RUNTIME_IMAGE } from '../../sync-hooks/server.js';
import { DEFAULT_SKILLS_INIT_IMAGE } from '../../sync-hooks/agent/skills.js';
import { collect, flagChecked } from '../lib/options.js';
import { checkProxyUrl } from '../../sync-hooks/agent/proxy.js';
import { checkServiceAccountName } from '../../sync-hooks/agent/children.js';
import { readManifestText } from '../lib/manifests.js';

/** Objects of one file: plain manifests, or a kagent test case `{objects: [...]}` (its namespace fills the gaps). */
export function loadRenderFile(text: string, file: string): { objects: KubeObject[]; namespace?: string } {
  const docs = parseAllDocuments(text);
  const first = docs.length === 1 && docs[0].errors.length === 0 ? (docs[0].toJS() as Record<string, unknown> | null) : null;
  if (first && !('apiVersion' in first) && Array.isArray(first.objects)) {
    const namespace = typeof first.namespace === 'string' ? first.namespace : undefined;
    const objects = readManifestText(stringify({ apiVersion: 'v1', kind: 'List', items: first.objects }), file).map((s) => s.object as KubeObject);
    return { objects, namespace };
  }
  return { objects: readManifestText(text, file).map((s) => s.object as KubeObject) };
}

function parseOutput(v: string): 'yaml' | 'json' {
  if (v !== 'yaml' && v !== 'json') throw new InvalidArgumentError('expected yaml or json');
  return v;
}

export function register(program: Command): void {
  program
    .command('render')
    .description('Print the children (Secret, ServiceAccount, Deployment, Service) the controller would create for each Agent in the files')
    .requiredOption('-f, --file <file>', 'YAML with Agents and what they refer to; repeatable', collect, [])
    .option('-o, --output <format>', 'yaml or json', parseOutput, 'yaml')
    .option('-n, --namespace <ns>', 'namespace for objects that name none')
    .option('--runtime-image <image>', 'agent runtime image for declarative Agents', process.env.METAGENT_RUNTIME_IMAGE ?? DEFAULT_RUNTIME_IMAGE)
    .option('--image-pull-policy <policy>', 'imagePullPolicy of the runtime container', 'IfNotPresent')
    .option('--proxy-url <url>', "as the hook server's --proxy-url (in-cluster hosts: *.svc.cluster.local, or <name>.<namespace> for a Namespace in the files)", flagChecked(checkProxyUrl, '--proxy-url'))
    .option('--default-service-account-name <name>', "as the hook server's --default-service-account-name", flagChecked(checkServiceAccountName, '--default-service-account-name'))
    .option('--skills-init-image <image>', "as the hook server's --skills-init-image", process.env.METAGENT_SKILLS_INIT_IMAGE || DEFAULT_SKILLS_INIT_IMAGE)
    .action((o: { file: string[]; output: 'yaml' | 'json'; namespace?: string; runtimeImage: string; imagePullPolicy: string; proxyUrl?: string; defaultServiceAccountName?: string; skillsInitImage: string }) => {
      let namespace = o.namespace;
      const objects: KubeObject[] = [];
      for (const file of o.file) {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (err) {
          throw new Error(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
        }
        const loaded = loadRenderFile(text, file);
        namespace ??= loaded.namespace;
        objects.push(...loaded.objects);
      }
      if (!objects.some((x) => x.kind === 'Agent')) throw new Error(`no Agent found in ${o.file.join(', ')}`);
      const { items, problems } = renderObjects(objects, { runtimeImage: o.runtimeImage, imagePullPolicy: o.imagePullPolicy, proxyUrl: o.proxyUrl, defaultServiceAccountName: o.defaultServiceAccountName, skillsInitImage: o.skillsInitImage, namespace });
      const list = { apiVersion: 'v1', kind: 'List', items };
      process.stdout.write(o.output === 'json' ? `${JSON.stringify(list, null, 2)}\n` : stringify(list));
      if (problems.length) {
        process.stderr.write(`${problems.join('\n')}\n`);
        process.exitCode = 1;
      }
    });
}
