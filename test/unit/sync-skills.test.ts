// spec.skills in the Agent sync hook: the skills-init config (kagent's format and naming rules), the ConfigMap child,
// the init container and what the runtime container gets. kagent's three golden skills cases run in
// test/conformance/kagent.test.ts; these are the edges and the bad input.
import { describe, expect, it } from 'vitest';
import { syncAgent } from '../../sync-hooks/agent/sync.js';
import {
  buildSkillsInit,
  DEFAULT_SKILLS_INIT_IMAGE,
  gitSkillName,
  gitSshHost,
  goBase,
  isLocalPath,
  ociSkillName,
  s3SkillName,
} from '../../sync-hooks/agent/skills.js';
import { CONFIG_HASH_ANNOTATION } from '../../sync-hooks/agent/children.js';
import { isResolutionError } from '../../sync-hooks/resolve/errors.js';
import { toObjectMap, type KubeObject, type SyncRequest, type SyncResponse } from '../../sync-hooks/protocol.js';
import { renderObjects } from '../../sync-hooks/render.js';
import type { SkillForAgent } from '../../crds/types.js';

const NS = 'team';
const secret: KubeObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'openai', namespace: NS },
  data: { key: Buffer.from('sk-x').toString('base64') },
};
const model: KubeObject = {
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'ModelConfig',
  metadata: { name: 'm', namespace: NS },
  spec: { provider: 'OpenAI', model: 'gpt-4o', apiKeySecret: 'openai', apiKeySecretKey: 'key' },
};

function agent(spec: Record<string, unknown>, name = 'skilled'): KubeObject {
  return {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'Agent',
    metadata: { name, namespace: NS, uid: 'u1', generation: 1 },
    spec: { type: 'Declarative', declarative: { systemMessage: 'hi', modelConfig: 'm' }, ...spec },
  };
}

function sync(
  parent: KubeObject,
  opts: { skillsInitImage?: string; children?: SyncRequest['children']; related?: KubeObject[] } = {},
): SyncResponse {
  const req: SyncRequest = {
    controller: {
      apiVersion: 'metacontroller.k8s.io/v1alpha1',
      kind: 'CompositeController',
      metadata: { name: 'agents.kagent.dev' },
    },
    parent,
    children: opts.children ?? {},
    related: toObjectMap(opts.related ?? [secret, model]),
  };
  return syncAgent(req, {
    runtimeImage: 'example.test/runtime:1',
    imagePullPolicy: 'IfNotPresent',
    skillsInitImage: opts.skillsInitImage,
  });
}

const cond = (r: SyncResponse, type: string) =>
  (r.status.conditions as { type: string; status: string; reason: string; message: string }[]).find(
    (c) => c.type === type,
  )!;
const child = (r: SyncResponse, kind: string) => r.children.find((c) => c.kind === kind);
type Pod = {
  initContainers?: Record<string, any>[];
  containers: Record<string, any>[];
  volumes: Record<string, any>[];
};
const pod = (r: SyncResponse) => (child(r, 'Deployment')!.spec as { template: { spec: Pod } }).template.spec;
const hash = (r: SyncResponse) =>
  (child(r, 'Deployment')!.spec as { template: { metadata: { annotations: Record<string, string> } } }).template
    .metadata.annotations[CONFIG_HASH_ANNOTATION];
const secretKeys = (r: SyncResponse) => Object.keys(child(r, 'Secret')!.data as object).sort();

/** The InvalidSpec message buildSkillsInit throws, or '' when it does not throw. */
function invalid(skills: SkillForAgent): string {
  try {
    buildSkillsInit(skills);
    return '';
  } catch (e) {
    if (!isResolutionError(e)) throw e;
    expect(e.reason).toBe('InvalidSpec');
    return e.message;
  }
}

describe('skill directory names (kagent rules)', () => {
  it('goBase is Go path.Base', () => {
    expect([goBase(''), goBase('/'), goBase('a/b/'), goBase('a'), goBase('//x//')]).toEqual(['.', '/', 'b', 'a', 'x']);
  });

  it('OCI: the repository name without tag or digest; a registry port is not a tag', () => {
    expect(ociSkillName('foo:latest')).toBe('foo');
    expect(ociSkillName('ghcr.io/org/oci-skill:v1.0')).toBe('oci-skill');
    expect(ociSkillName('localhost:5000/skills/k8s')).toBe('k8s');
    expect(ociSkillName('ghcr.io/org/s@sha256:abc')).toBe('s');
    expect(ociSkillName('ghcr.io/org/s:1@sha256:abc')).toBe('s');
  });

  it('git: name, else the last segment of path, else the repository (no .git, no query)', () => {
    expect(gitSkillName({ url: 'https://github.com/org/repo', name: ' mine ', path: 'a/b' })).toBe('mine');
    expect(gitSkillName({ url: 'https://github.com/org/repo', path: '/skills/k8s/' })).toBe('k8s');
    expect(gitSkillName({ url: 'https://github.com/org/repo.git?x=1#frag' })).toBe('repo');
    expect(gitSkillName({ url: 'git@github.com:org/private.git' })).toBe('private');
    expect(gitSkillName({ url: 'ssh://git@host:2222/org/over-ssh.git' })).toBe('over-ssh');
    expect(gitSkillName({ url: 'https://github.com' })).toBe('github.com');
  });

  it('S3: name, else the key’s last segment without .zip/.tgz/.tar.gz', () => {
    expect(s3SkillName({ uri: 's3://b/team-a/kebab-maker', name: 'kebab' })).toBe('kebab');
    expect(s3SkillName({ uri: 's3://b/team-a/kebab-maker/' })).toBe('kebab-maker');
    expect(s3SkillName({ uri: 's3://b/bundles/ops.zip' })).toBe('ops');
    expect(s3SkillName({ uri: 's3://b/bundles/ops.TAR.GZ' })).toBe('ops');
    expect(s3SkillName({ uri: 's3://b/bundles/ops.tgz' })).toBe('ops');
    expect(s3SkillName({ uri: 's3://b/bundles/ops.tar' })).toBe('ops.tar');
  });

  it('subPath must stay inside the clone (filepath.IsLocal)', () => {
    expect(['a', 'a/b', 'a/../b', './a'].map(isLocalPath)).toEqual([true, true, true, true]);
    expect(['', '/abs', '..', '../x', 'a/../../x'].map(isLocalPath)).toEqual([false, false, false, false, false]);
  });

  it('SSH hosts for known_hosts: ssh://, git+ssh:// and scp-like URLs; port 22 dropped; not HTTP(S)', () => {
    expect(gitSshHost('ssh://git@github.com/org/r.git')).toEqual({ host: 'github.com' });
    expect(gitSshHost('ssh://git@github.com:22/org/r.git')).toEqual({ host: 'github.com' });
    expect(gitSshHost('git+ssh://git@git.example.com:2222/org/r.git')).toEqual({
      host: 'git.example.com',
      port: '2222',
    });
    expect(gitSshHost('git@gitlab.com:org/r.git')).toEqual({ host: 'gitlab.com' });
    expect(gitSshHost('https://github.com/org/r')).toBeUndefined();
    expect(gitSshHost('ftp://x/y')).toBeUndefined();
    expect(gitSshHost('git@bad_host!:org/r')).toBeUndefined();
  });
});

describe('buildSkillsInit', () => {
  it('writes kagent’s JSON: field order, dests, full for a commit SHA, subPath, authMountPath, insecureOci, sorted sshHosts', () => {
    const out = buildSkillsInit({
      insecureSkipVerify: true,
      refs: ['localhost:5000/skills/oci:1'],
      gitAuthSecretRef: { name: 'git-creds' },
      gitRefs: [
        { url: 'ssh://git@z.example/org/z.git', ref: 'main' },
        { url: 'git@a.example:org/a.git', ref: 'ABCDEF0123456789abcdef0123456789abcdef01', path: 'skills/a/' },
        { url: 'ssh://git@z.example/org/z2.git' },
        { url: 'https://github.com/org/h', ref: 'v1' },
      ],
      s3Refs: [{ uri: 's3://b/p/s3skill', region: 'eu-west-1' }],
    });
    expect(out.gitAuthSecretName).toBe('git-creds');
    expect(out.configJson).toBe(
      JSON.stringify({
        authMountPath: '/git-auth',
        gitRefs: [
          { url: 'ssh://git@z.example/org/z.git', ref: 'main', dest: '/skills/z' },
          {
            url: 'git@a.example:org/a.git',
            ref: 'ABCDEF0123456789abcdef0123456789abcdef01',
            dest: '/skills/a',
            full: true,
            subPath: 'skills/a',
          },
          { url: 'ssh://git@z.example/org/z2.git', ref: 'main', dest: '/skills/z2' },
          { url: 'https://github.com/org/h', ref: 'v1', dest: '/skills/h' },
        ],
        ociRefs: [{ image: 'localhost:5000/skills/oci:1', dest: '/skills/oci' }],
        s3Refs: [{ uri: 's3://b/p/s3skill', dest: '/skills/s3skill', region: 'eu-west-1' }],
        insecureOci: true,
        sshHosts: [{ host: 'a.example' }, { host: 'z.example' }],
      }),
    );
  });

  it('no auth Secret: no authMountPath and no sshHosts (kagent seeds known_hosts only for authenticated clones)', () => {
    const out = buildSkillsInit({ gitRefs: [{ url: 'git@a.example:org/a.git' }] });
    expect(out.gitAuthSecretName).toBeUndefined();
    expect(JSON.parse(out.configJson)).toStrictEqual({
      gitRefs: [{ url: 'git@a.example:org/a.git', ref: 'main', dest: '/skills/a' }],
    });
  });

  it('refuses a skill directory name used twice, across sources, naming both fields', () => {
    expect(invalid({ refs: ['ghcr.io/a/tools:1'], gitRefs: [{ url: 'https://github.com/b/tools' }] })).toBe(
      'spec.skills.refs[0]: duplicate skill directory name "tools" (also spec.skills.gitRefs[0])',
    );
    expect(invalid({ s3Refs: [{ uri: 's3://b/x/ops.zip' }, { uri: 's3://b/y/ops' }] })).toBe(
      'spec.skills.s3Refs[1]: duplicate skill directory name "ops" (also spec.skills.s3Refs[0])',
    );
  });

  it('refuses names that would escape /skills', () => {
    expect(invalid({ gitRefs: [{ url: 'https://x/r', name: '../etc' }] })).toBe(
      'spec.skills.gitRefs[0]: skill name "../etc" must match ^[A-Za-z0-9._-]+$',
    );
    expect(invalid({ gitRefs: [{ url: 'https://x/r', name: '..' }] })).toBe(
      'spec.skills.gitRefs[0]: skill name ".." is not a valid directory name',
    );
    expect(invalid({ s3Refs: [{ uri: 's3://b/k', name: 'a b' }] })).toMatch(
      /^spec\.skills\.s3Refs\[0\]: skill name "a b" must match/,
    );
    expect(invalid({ refs: ['ghcr.io/org/..'] })).toBe(
      'spec.skills.refs[0]: skill name ".." is not a valid directory name',
    );
    expect(invalid({ gitRefs: [{ url: 'https://x/r', name: '   ' }] })).toBe('');
  });

  it('refuses a subPath that is absolute or climbs out of the clone', () => {
    expect(invalid({ gitRefs: [{ url: 'https://x/r', path: '/etc' }] })).toBe(
      `spec.skills.gitRefs[0].path: must be a relative path without '..' segments, got "/etc"`,
    );
    expect(invalid({ gitRefs: [{ url: 'https://x/r', path: 'a/../../b' }] })).toMatch(
      /gitRefs\[0\]\.path: must be a relative path/,
    );
  });

  it('refuses an S3 URI without a bucket and key', () => {
    expect(invalid({ s3Refs: [{ uri: 'my-bucket/key' }] })).toBe(
      'spec.skills.s3Refs[0].uri: must be s3://<bucket>/<key or prefix>, got "my-bucket/key"',
    );
    expect(invalid({ s3Refs: [{ uri: 's3://bucket', name: 'x' }] })).toMatch(/s3Refs\[0\]\.uri: must be s3:/);
  });
});

describe('syncAgent with skills', () => {
  const skills = {
    refs: ['ghcr.io/org/oci-skill:1'],
    gitAuthSecretRef: { name: 'git-creds' },
    gitRefs: [{ url: 'https://github.com/org/repo' }],
  };

  it('adds the ConfigMap child, the init container, the /skills volume and env — and never privilege', () => {
    const r = sync(agent({ skills }));
    expect(cond(r, 'Accepted')).toMatchObject({
      status: 'True',
      message:
        "translated into Secret, ServiceAccount, ConfigMap, Deployment, Service; declarative.runtime go: served by metagent's runtime (one runtime for go and python)",
    });
    const cm = child(r, 'ConfigMap')!;
    expect(cm.metadata).toMatchObject({
      name: 'skilled-skills-init',
      namespace: NS,
      labels: { app: 'kagent', kagent: 'skilled' },
    });
    expect(JSON.parse((cm.data as Record<string, string>)['config.json'])).toStrictEqual({
      authMountPath: '/git-auth',
      gitRefs: [{ url: 'https://github.com/org/repo', ref: 'main', dest: '/skills/repo' }],
      ociRefs: [{ image: 'ghcr.io/org/oci-skill:1', dest: '/skills/oci-skill' }],
    });
    const p = pod(r);
    expect(p.initContainers).toStrictEqual([
      {
        name: 'skills-init',
        image: DEFAULT_SKILLS_INIT_IMAGE,
        resources: { requests: { cpu: '100m', memory: '384Mi' }, limits: { cpu: '2', memory: '1Gi' } },
        volumeMounts: [
          { name: 'kagent-skills', mountPath: '/skills' },
          { name: 'skills-init-config', mountPath: '/etc/kagent/skills-init', readOnly: true },
          { name: 'git-auth', mountPath: '/git-auth', readOnly: true },
        ],
      },
    ]);
    expect(p.volumes.slice(1)).toStrictEqual([
      { name: 'kagent-skills', emptyDir: {} },
      { name: 'skills-init-config', configMap: { name: 'skilled-skills-init' } },
      { name: 'git-auth', secret: { secretName: 'git-creds' } },
    ]);
    const main = p.containers[0];
    expect(main.volumeMounts).toContainEqual({ name: 'kagent-skills', mountPath: '/skills', readOnly: true });
    expect(main.env).toEqual(
      expect.arrayContaining([
        { name: 'KAGENT_SKILLS_FOLDER', value: '/skills' },
        { name: 'KAGENT_SRT_SETTINGS_PATH', value: '/config/srt-settings.json' },
      ]),
    );
    expect(main.securityContext).toBeUndefined();
    expect(secretKeys(r)).toEqual(['agent-card.json', 'config.json', 'srt-settings.json']);
    expect(cond(r, 'UnsupportedFeatures')).toMatchObject({
      status: 'True',
      message: expect.stringContaining('their scripts are not run'),
    });
  });

  it('a gitAuthSecretRef naming a missing Secret is mounted as is, like kagent (the pod waits for the Secret)', () => {
    // The related objects hold no git-creds Secret (the customize hook asks for every Secret of the namespace).
    const r = sync(agent({ skills }));
    expect(cond(r, 'Accepted').status).toBe('True');
    expect(pod(r).volumes).toContainEqual({ name: 'git-auth', secret: { secretName: 'git-creds' } });
  });

  it('spec.skills.imagePullSecrets: each Secret is mounted into skills-init at /docker-secrets/<name> and named in its config, as kagent does', () => {
    const r = sync(
      agent({
        skills: {
          refs: ['private.example/org/skill:1'],
          imagePullSecrets: [{ name: 'regcred' }, { name: 'other' }, { name: 'regcred' }],
        },
      }),
    );
    expect(cond(r, 'Accepted').status).toBe('True');
    const cfg = JSON.parse((child(r, 'ConfigMap')!.data as Record<string, string>)['config.json']);
    expect(cfg).toStrictEqual({
      ociRefs: [{ image: 'private.example/org/skill:1', dest: '/skills/skill' }],
      imagePullSecrets: ['regcred', 'other'],
    });
    const p = pod(r);
    expect(p.volumes.slice(-2)).toStrictEqual([
      { name: 'pull-secret-regcred', secret: { secretName: 'regcred' } },
      { name: 'pull-secret-other', secret: { secretName: 'other' } },
    ]);
    expect(p.initContainers![0].volumeMounts.slice(2)).toStrictEqual([
      { name: 'pull-secret-regcred', mountPath: '/docker-secrets/regcred', readOnly: true },
      { name: 'pull-secret-other', mountPath: '/docker-secrets/other', readOnly: true },
    ]);
    // The agent container never sees the registry credentials, and the kubelet does not need them (skill images are
    // pulled by skills-init).
    expect(p.containers[0].volumeMounts.map((m: { name: string }) => m.name)).not.toContain('pull-secret-regcred');
    expect((p as { imagePullSecrets?: unknown }).imagePullSecrets).toBeUndefined();
    expect(cond(r, 'UnsupportedFeatures').message).not.toContain('imagePullSecrets');
  });

  it('spec.skills.imagePullSecrets: a nameless entry, a name too long for a volume, or a clash with a user volume is InvalidSpec', () => {
    expect(invalid({ refs: ['o/s:1'], imagePullSecrets: [{}] })).toBe(
      'spec.skills.imagePullSecrets[0].name: must name a Secret',
    );
    expect(invalid({ refs: ['o/s:1'], imagePullSecrets: [{ name: 'x'.repeat(60) }] })).toMatch(
      /^spec\.skills\.imagePullSecrets\[0\]\.name: "x+" is too long: its volume name "pull-secret-x+" exceeds 63 characters$/,
    );
    const r = sync(
      agent({
        skills: { refs: ['o/s:1'], imagePullSecrets: [{ name: 'regcred' }] },
        declarative: {
          systemMessage: 'hi',
          modelConfig: 'm',
          deployment: { volumes: [{ name: 'pull-secret-regcred', emptyDir: {} }] },
        },
      }),
    );
    expect(cond(r, 'Accepted')).toMatchObject({
      status: 'False',
      message: expect.stringContaining(
        'spec.declarative.deployment.volumes: the name "pull-secret-regcred" is reserved for the skills of spec.skills',
      ),
    });
  });

  it('the init container takes spec.skills.initContainer env and resources (canonical) and the agent’s securityContext; the image from the option', () => {
    const sc = { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
    const r = sync(
      agent({
        skills: {
          s3Refs: [{ uri: 's3://b/k' }],
          initContainer: {
            env: [
              { name: 'AWS_REGION', value: 'us-east-1' },
              { name: 'AWS_REGION', value: 'dup' },
            ],
            resources: { limits: { cpu: '1500m', memory: '1.5Gi' } },
          },
        },
        declarative: { systemMessage: 'hi', modelConfig: 'm', deployment: { securityContext: sc } },
      }),
      { skillsInitImage: 'registry.example/skills-init:9' },
    );
    const init = pod(r).initContainers![0];
    expect(init.image).toBe('registry.example/skills-init:9');
    expect(init.env).toStrictEqual([{ name: 'AWS_REGION', value: 'us-east-1' }]);
    expect(init.resources).toStrictEqual({ limits: { cpu: '1500m', memory: '1536Mi' } });
    expect(init.securityContext).toStrictEqual(sc);
    expect(init.volumeMounts.map((m: { name: string }) => m.name)).toEqual(['kagent-skills', 'skills-init-config']);
    expect(pod(r).volumes.map((v) => v.name)).not.toContain('git-auth');
  });

  it('a changed skill list rolls the pods; an Agent without skills keeps its hash and gets no ConfigMap', () => {
    const a = sync(agent({ skills: { refs: ['ghcr.io/o/a:1'] } }));
    const b = sync(agent({ skills: { refs: ['ghcr.io/o/a:2'] } }));
    expect(child(a, 'Secret')).toStrictEqual(child(b, 'Secret'));
    expect(hash(a)).not.toBe(hash(b));
    const none = sync(agent({}));
    expect(none.children.map((c) => c.kind)).toEqual(['Secret', 'ServiceAccount', 'Deployment', 'Service']);
    expect(pod(none).initContainers).toBeUndefined();
    expect(secretKeys(none)).toEqual(['agent-card.json', 'config.json']);
    expect(pod(none).containers[0].env.map((e: { name: string }) => e.name)).not.toContain('KAGENT_SKILLS_FOLDER');
    // An empty skills block (only initContainer settings) asks for nothing: kagent adds no init container either.
    expect(sync(agent({ skills: { initContainer: { env: [] } } })).children.map((c) => c.kind)).not.toContain(
      'ConfigMap',
    );
  });

  it('is deterministic', () => {
    expect(JSON.stringify(sync(agent({ skills })))).toBe(JSON.stringify(sync(agent({ skills }))));
  });

  it('BYO agents get the skills and KAGENT_SKILLS_FOLDER but not kagent’s sandbox settings (as kagent)', () => {
    const r = sync(
      agent({
        type: 'BYO',
        declarative: undefined,
        byo: { deployment: { image: 'me/agent:1' } },
        skills: { refs: ['ghcr.io/o/a:1'] },
      }),
    );
    expect(cond(r, 'Accepted').status).toBe('True');
    expect(pod(r).initContainers).toHaveLength(1);
    const names = pod(r).containers[0].env.map((e: { name: string }) => e.name);
    expect(names).toContain('KAGENT_SKILLS_FOLDER');
    expect(names).not.toContain('KAGENT_SRT_SETTINGS_PATH');
    expect(secretKeys(r)).toEqual(['agent-card.json', 'config.json']);
  });

  it('executeCodeBlocks gets kagent’s sandbox settings too (for kagent’s runtime), without skills', () => {
    const r = sync(agent({ declarative: { systemMessage: 'hi', modelConfig: 'm', executeCodeBlocks: true } }));
    expect(secretKeys(r)).toEqual(['agent-card.json', 'config.json', 'srt-settings.json']);
    expect(pod(r).initContainers).toBeUndefined();
  });

  describe('bad input keeps what runs (Accepted=False, observed children returned)', () => {
    const observed = sync(agent({ skills }));
    const children = toObjectMap(observed.children);

    const cases: [string, Record<string, unknown>, RegExp][] = [
      [
        'a duplicate skill name',
        { skills: { refs: ['ghcr.io/a/x:1', 'ghcr.io/b/x:2'] } },
        /spec\.skills\.refs\[1\]: duplicate skill directory name "x"/,
      ],
      [
        'a user volume named like a skills volume',
        {
          skills,
          declarative: {
            systemMessage: 'hi',
            modelConfig: 'm',
            deployment: { volumes: [{ name: 'kagent-skills', emptyDir: {} }] },
          },
        },
        /volumes: the name "kagent-skills" is reserved/,
      ],
      [
        'a user mount at /skills',
        {
          skills,
          declarative: {
            systemMessage: 'hi',
            modelConfig: 'm',
            deployment: { volumes: [{ name: 'v', emptyDir: {} }], volumeMounts: [{ name: 'v', mountPath: '/skills' }] },
          },
        },
        /volumeMounts: \/skills is reserved/,
      ],
      [
        'an extra container named skills-init',
        {
          skills,
          declarative: {
            systemMessage: 'hi',
            modelConfig: 'm',
            deployment: { extraContainers: [{ name: 'skills-init', image: 'x' }] },
          },
        },
        /extraContainers: container name "skills-init" is reserved/,
      ],
      [
        'a malformed init container quantity',
        { skills: { refs: ['a:1'], initContainer: { resources: { limits: { cpu: 'lots' } } } } },
        /spec\.skills\.initContainer\.resources/,
      ],
    ];
    for (const [what, spec, message] of cases) {
      it(what, () => {
        const r = sync(agent(spec), { children });
        expect(cond(r, 'Accepted')).toMatchObject({
          status: 'False',
          reason: 'InvalidSpec',
          message: expect.stringMatching(message),
        });
        expect(r.children.map((c) => `${c.kind}/${c.metadata.name}`).sort()).toEqual(
          observed.children.map((c) => `${c.kind}/${c.metadata.name}`).sort(),
        );
      });
    }

    it('without skills, the skills names are the user’s to use', () => {
      const r = sync(
        agent({
          declarative: {
            systemMessage: 'hi',
            modelConfig: 'm',
            deployment: {
              volumes: [{ name: 'kagent-skills', emptyDir: {} }],
              extraContainers: [{ name: 'skills-init', image: 'x' }],
            },
          },
        }),
      );
      expect(cond(r, 'Accepted').status).toBe('True');
    });

    it('an Agent name too long for the ConfigMap suffix', () => {
      const r = sync(agent({ skills }, 'a'.repeat(250)));
      expect(cond(r, 'Accepted')).toMatchObject({
        status: 'False',
        reason: 'InvalidSpec',
        message: expect.stringMatching(/^metadata\.name: too long for an Agent with skills/),
      });
    });
  });

  it('render shows the ConfigMap and takes the skills-init image option', () => {
    const { items, problems } = renderObjects([secret, model, agent({ skills })], {
      runtimeImage: 'r:1',
      imagePullPolicy: 'IfNotPresent',
      skillsInitImage: 'si:2',
    });
    expect(problems).toEqual([]);
    expect(items.map((i) => i.kind)).toContain('ConfigMap');
    const dep = items.find((i) => i.kind === 'Deployment')!;
    expect((dep.spec as any).template.spec.initContainers[0].image).toBe('si:2');
  });
});
