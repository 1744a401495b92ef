// `metagent render -f FILE|DIR|- ... [-R] [-o yaml|json]`: the GitOps dry run of the controller. Prints, as one v1
// List, the children the sync hook would create for every Agent in the files; exits 1 with the reasons when an Agent is
// not accepted. Reads -f as kubectl does (cli/lib/manifests.ts), and also kagent's translator test-case files
// (objects under a top-level `objects:`, whose `namespace:` fills the gaps).
import { Command, InvalidArgumentError } from 'commander';
import { stringify } from 'yaml';
import { renderObjects } from '../../sync-hooks/render.js';
import { DEFAULT_RUNTIME_IMAGE } from '../../sync-hooks/server.js';
import { DEFAULT_SKILLS_INIT_IMAGE } from '../../sync-hooks/agent/skills.js';
import { collect, flagChecked } from '../lib/options.js';
import { checkProxyUrl } from '../../sync-hooks/agent/proxy.js';
import { checkServiceAccountName } from '../../sync-hooks/agent/children.js';
import { readManifests } from '../lib/manifests.js';
import { apiKeySecretStandIns } from '../lib/local-run.js';

function parseOutput(v: string): 'yaml' | 'json' {
  if (v !== 'yaml' && v !== 'json') throw new InvalidArgumentError('expected yaml or json');
  return v;
}

export function register(program: Command): void {
  program
    .command('render')
    .description(
      'Print the children (Secret, ServiceAccount, Deployment, Service) the controller would create for each Agent in the files',
    )
    .requiredOption(
      '-f, --filename <path>',
      'a file, a folder of .yaml/.yml/.json files, or - for standard input, with Agents and what they refer to; repeatable',
      collect,
      [],
    )
    .option('-R, --recursive', 'read the sub-folders of -f folders too', false)
    .option('-o, --output <format>', 'yaml or json', parseOutput, 'yaml')
    .option('-n, --namespace <ns>', 'namespace for objects that name none')
    .option(
      '--runtime-image <image>',
      'agent runtime image for declarative Agents',
      process.env.METAGENT_RUNTIME_IMAGE ?? DEFAULT_RUNTIME_IMAGE,
    )
    .option('--image-pull-policy <policy>', 'imagePullPolicy of the runtime container', 'IfNotPresent')
    .option(
      '--proxy-url <url>',
      "as the hook server's --proxy-url (in-cluster hosts: *.svc.cluster.local, or <name>.<namespace> for a Namespace in the files)",
      flagChecked(checkProxyUrl, '--proxy-url'),
    )
    .option(
      '--default-service-account-name <name>',
      "as the hook server's --default-service-account-name",
      flagChecked(checkServiceAccountName, '--default-service-account-name'),
    )
    .option(
      '--skills-init-image <image>',
      "as the hook server's --skills-init-image",
      process.env.METAGENT_SKILLS_INIT_IMAGE || DEFAULT_SKILLS_INIT_IMAGE,
    )
    .action(
      (o: {
        filename: string[];
        recursive: boolean;
        output: 'yaml' | 'json';
        namespace?: string;
        runtimeImage: string;
        imagePullPolicy: string;
        proxyUrl?: string;
        defaultServiceAccountName?: string;
        skillsInitImage: string;
      }) => {
        const read = readManifests(o.filename, { recursive: o.recursive, testCases: true });
        const namespace = o.namespace ?? read.caseNamespace;
        const objects = read.objects.map((s) => s.object);
        if (!objects.some((x) => x.kind === 'Agent')) throw new Error(`no Agent found in ${o.filename.join(', ')}`);
        // API keys are not kept in git: a ModelConfig's key Secret missing from the files is taken to exist in the
        // cluster, as `metagent run` does, and said so — only the secret-hash annotation differs from the cluster's.
        const standIns = apiKeySecretStandIns(objects, namespace ?? 'default');
        for (const s of standIns) {
          process.stderr.write(
            `metagent render: Secret ${s.metadata.namespace}/${s.metadata.name} (a ModelConfig's API key) is not in the files; rendered as if it exists (the pod template's secret hash will differ)\n`,
          );
        }
        const { items, problems } = renderObjects([...objects, ...standIns], {
          runtimeImage: o.runtimeImage,
          imagePullPolicy: o.imagePullPolicy,
          proxyUrl: o.proxyUrl,
          defaultServiceAccountName: o.defaultServiceAccountName,
          skillsInitImage: o.skillsInitImage,
          namespace,
        });
        const list = { apiVersion: 'v1', kind: 'List', items };
        process.stdout.write(o.output === 'json' ? `${JSON.stringify(list, null, 2)}\n` : stringify(list));
        if (problems.length) {
          process.stderr.write(`${problems.join('\n')}\n`);
          process.exitCode = 1;
        }
      },
    );
}
