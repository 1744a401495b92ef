// How the README test runs each command (test/readme/README.md). One row per command the test cannot run exactly as
// written, matched on the README's text (first match wins); a command no row matches runs as written in the
// README's session (bash, the repository as the working directory). A README edit that changes a command so that
// no row matches any more makes it run as written — and fail if it does not work.
//   skip:    not run; the reason is printed (a real model key, a remote cluster, an image registry, a browser)
//   serves:  a server that runs until stopped: started in the background, ready when its output matches
//            (or, for a trailing `&`, when its --port answers); stopped when the README's session ends
//   append:  arguments added for the test cluster, with why (printed next to the command)
//   instead: what the test does in place of the command, with why (printed)
//   after:   what stands in for the cluster's own machinery after the command (printed)
import type { ReadmeCommand } from './extract.js';

export interface SessionContext {
  /** Ports standing in for the README's fixed ones, etc. */
  vars: Record<string, string>;
  /** Runs a step the README implies; its failure fails the command. */
  hooks: Record<string, () => Promise<void>>;
}

export interface Rule {
  match: RegExp;
  file?: string;
  skip?: string;
  serves?: RegExp;
  append?: { why: string; args: (ctx: SessionContext) => string };
  instead?: { why: string; hook: string };
  after?: { why: string; hook: string };
}

export const RULES: Rule[] = [
  { match: /^npm ci$/, skip: 'reinstalls node_modules under the running suite (CI runs it in .ci/steps/20-node.sh)' },
  { match: /^npm test$/, skip: 'the suite this test is part of' },
  {
    match: /^npm run build && npx metagent dashboard --open/,
    skip: 'opens a browser; the dashboard runs in a real Chromium in test/dashboard/scenario.test.ts',
  },
  { match: /npm run image$/, skip: 'needs buildah or Docker and a base image registry' },
  { match: /^buildah push /, skip: 'needs an image registry' },
  { match: /--set image\.registry=registry\.example\.com/, skip: 'needs the images in a registry' },
  {
    match: /^metagent toolserver --port 8084$/,
    skip: "runs in a pod: the service account's in-cluster config (the next line is the same server on a machine)",
  },
  {
    match: /^OPENAI_API_KEY=sk-\.\.\. metagent run -f examples\/k8s-ops-agent\/ --port 8080$/,
    file: 'examples/README.md',
    skip: 'calls OpenAI: needs a real model key (README.md runs the same with OPENAI_BASE_URL and the mock LLM)',
  },
  {
    match: /--url http:\/\/127\.0\.0\.1:8080 --task "Is any pod unhealthy\?"$/,
    file: 'examples/README.md',
    skip: 'the agent of the line before, which needs a real model key',
  },
  {
    match: /^helm dependency build charts\/metagent$/,
    instead: {
      why: "ghcr.io is not reachable: Metacontroller's chart is vendored from its source archive (test/chart/helm.ts)",
      hook: 'vendorChart',
    },
  },
  {
    match: /^helm install metagent charts\/metagent -n metagent-system --create-namespace$/,
    append: {
      why: 'no kubelet: the webhook Service and the hook URL point at the servers on this host',
      args: (c) =>
        `--set webhooks.service.externalName=127.0.0.1,webhooks.service.port=${c.vars.webhookPort} --set syncHooks.externalURL=${c.vars.hooksUrl}`,
    },
    after: {
      why: "stand-ins for the chart's pods: the webhook server with the chart's certificate, Metacontroller with the chart's arguments",
      hook: 'controlPlane',
    },
  },
  {
    match: /^kubectl apply -f examples\/k8s-ops-agent\/$/,
    after: {
      why: "no kubelet: the Agent's pod is its runtime on this host (config from the Secret Metacontroller made, the tool server and the mock LLM reached as the pod's network would), behind the Agent Service's Endpoints",
      hook: 'agentPod',
    },
  },
  {
    match: /^kubectl -n metagent-system create secret tls metagent-webhooks-tls /,
    append: {
      why: "the chart's install (README.md) already made this Secret; the route without cert-manager is checked with a client dry run",
      args: () => '--dry-run=client -o name',
    },
  },
  {
    match: /^kubectl -n metagent-system create secret generic metagent-dashboard-oauth2-proxy /,
    file: 'dashboard/README.md',
    append: {
      why: "the identity provider's settings are the reader's own (no OIDC issuer here); checked with a client dry run",
      args: () => '--dry-run=client -o name',
    },
  },
  {
    match: /^(\w+=\S+ )*(npx )?metagent run (?!.*--port)/,
    serves: /Press Ctrl-C to stop\./,
    append: { why: 'its default port 8080 may be taken on a shared machine', args: (c) => `--port ${c.vars['8080']}` },
  },
  { match: /^(\w+=\S+ )*(npx )?metagent run /, serves: /Press Ctrl-C to stop\./ },
  { match: /^(\w+=\S+ )*(npx )?metagent toolserver /, serves: /tool server listening/ },
];

export function ruleFor(cmd: ReadmeCommand): Rule | undefined {
  return RULES.find((r) => r.match.test(cmd.command) && (!r.file || r.file === cmd.file));
}
