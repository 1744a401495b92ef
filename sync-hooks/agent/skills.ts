// spec.skills -> the JSON config of kagent's skills-init container (kagent release/v0.10.x, `prepareSkillsInitConfig`
// and the `skillsinit.Config` contract of its translator). kagent's own skills-init image reads this file from
// /etc/kagent/skills-init/config.json, fetches every skill into /skills/<name> (OCI images, git repositories, S3
// prefixes or archives) and exits; the runtime then finds them through KAGENT_SKILLS_FOLDER. Pure: the same Agent
// always gives the same bytes. Every problem is the user's InvalidSpec, named by its field path.
import type { SkillForAgent } from '../../crds/types.js';
import { ResolutionError } from '../resolve/errors.js';

/** The shared volume both containers mount; each skill lands in `/skills/<name>`. */
export const SKILLS_DIR = '/skills';
/** Where the skills-init config is mounted in the init container (kagent's skillsinit.ConfigMountPath). */
export const SKILLS_INIT_CONFIG_DIR = '/etc/kagent/skills-init';
/** Where the gitAuthSecretRef Secret is mounted (kagent's skillsinit.AuthMountPath). */
export const GIT_AUTH_DIR = '/git-auth';
/** Where each spec.skills.imagePullSecrets Secret is mounted, one folder per name (kagent's skillsinit.DockerSecretsDir). */
export const DOCKER_SECRETS_DIR = '/docker-secrets';
/** The key of the ConfigMap (kagent's skillsinit.ConfigMapKey). */
export const SKILLS_INIT_CONFIG_KEY = 'config.json';
/**
 * kagent's skills-init image as its Helm chart names it (`ghcr.io` + `kagent-dev/kagent/skills-init` + the chart's
 * version as the tag). The hook server's --skills-init-image overrides it; pin it to the kagent release whose
 * skills-init reads this config format.
 */
export const DEFAULT_SKILLS_INIT_IMAGE = 'ghcr.io/kagent-dev/kagent/skills-init:0.10.0';

/**
 * The sandbox settings kagent writes into the config Secret (srt-settings.json) of an Agent with skills, for its
 * runtime's sandboxed bash tool; the metagent runtime has no such tool, but kagent's runtime image would need it.
 * Byte-identical to kagent's (Go marshals map keys sorted).
 */
export const SRT_SETTINGS_JSON =
  '{"filesystem":{"allowWrite":[".","/tmp"],"denyRead":[],"denyWrite":[]},"network":{"allowedDomains":[],"deniedDomains":[]}}';

export interface SkillsInit {
  /** The ConfigMap's config.json, exactly as written (compact JSON in kagent's field order). */
  configJson: string;
  /** The Secret mounted at /git-auth for the git clones, when gitAuthSecretRef is set. */
  gitAuthSecretName?: string;
  /**
   * The dockerconfigjson Secrets of spec.skills.imagePullSecrets, each mounted at /docker-secrets/<name>; kagent's
   * skills-init merges them into the registry credentials of its OCI pulls. Not the pod's imagePullSecrets: the skill
   * images are pulled by skills-init, not by the kubelet.
   */
  pullSecretNames?: string[];
}

/** The pod volume of an image pull Secret of the skills (kagent's name). */
export function pullSecretVolumeName(secret: string): string {
  return `pull-secret-${secret}`;
}

/** A volume name is a DNS-1123 label: at most 63 characters. */
const MAX_VOLUME_NAME = 63;

/** True when the Agent asks for any skill (kagent's condition for the init container). */
export function hasSkills(skills: SkillForAgent | undefined): skills is SkillForAgent {
  return (
    !!skills &&
    ((skills.refs?.length ?? 0) > 0 || (skills.gitRefs?.length ?? 0) > 0 || (skills.s3Refs?.length ?? 0) > 0)
  );
}

/** Go's path.Base: the last element, trailing slashes removed; "." for "", "/" for slashes only. */
export function goBase(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

const SKILL_NAME = /^[A-Za-z0-9._-]+$/;

/** kagent's validateSkillName: the name is the last path segment under /skills, so it must not escape it. */
function checkSkillName(name: string, path: string): void {
  if (name === '') throw new ResolutionError('InvalidSpec', `${path}: skill name is empty`);
  if (name === '.' || name === '..')
    throw new ResolutionError('InvalidSpec', `${path}: skill name "${name}" is not a valid directory name`);
  if (!SKILL_NAME.test(name))
    throw new ResolutionError('InvalidSpec', `${path}: skill name "${name}" must match ${SKILL_NAME.source}`);
}

/** Go's filepath.IsLocal on Unix: relative, non-empty, and not escaping its root once cleaned. */
export function isLocalPath(p: string): boolean {
  if (p === '' || p.startsWith('/')) return false;
  const stack: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (stack.length === 0) return false;
      stack.pop();
    } else stack.push(part);
  }
  return true;
}

/** kagent's ociSkillName: the repository's last path segment, without tag or digest. */
export function ociSkillName(image: string): string {
  let ref = image;
  const at = ref.lastIndexOf('@');
  if (at !== -1) ref = ref.slice(0, at);
  const colon = ref.lastIndexOf(':');
  if (colon !== -1 && colon > ref.lastIndexOf('/')) ref = ref.slice(0, colon);
  return goBase(ref);
}

/** The path of a URL as Go's url.Parse gives it ("" when there is none), or undefined when Go could not parse it. */
function urlPath(raw: string): string | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return undefined;
  }
  // WHATWG URLs of http(s) always have a path ("/"); Go's is empty when the URL names none.
  if (u.host && !/^[^:/?#]+:\/\/[^/?#]*\//.test(raw)) return '';
  return decodeURIComponent(u.pathname);
}

/** kagent's gitSkillName: the explicit name, else the last segment of `path`, else the repository's name. */
export function gitSkillName(ref: { url: string; path?: string; name?: string }): string {
  const name = (ref.name ?? '').trim();
  if (name) return name;
  const p = (ref.path ?? '').trim().replace(/^\/+|\/+$/g, '');
  if (p) return goBase(p);
  let u = urlPath(ref.url) ?? ref.url;
  if (u === '') u = ref.url;
  if (u.endsWith('.git')) u = u.slice(0, -4);
  return goBase(u);
}

const ARCHIVE_SUFFIXES = ['.tar.gz', '.tgz', '.zip'];

/** `s3://bucket/key` -> the key; undefined when the URI has no bucket or key (kagent's skills-init refuses those). */
function s3Key(uri: string): string | undefined {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  return m ? m[2] : undefined;
}

/** The skill directory of an S3 ref: the explicit name, else the key's last segment without an archive suffix. */
export function s3SkillName(ref: { uri: string; name?: string }): string {
  const name = (ref.name ?? '').trim();
  if (name) return name;
  const base = goBase(s3Key(ref.uri) ?? ref.uri);
  const suffix = ARCHIVE_SUFFIXES.find((s) => base.toLowerCase().endsWith(s) && base.length > s.length);
  return suffix ? base.slice(0, -suffix.length) : base;
}

const COMMIT_SHA = /^[0-9a-fA-F]{40}$/;
const SSH_HOST = /^[A-Za-z0-9.-]+$/;
const SSH_PORT = /^[0-9]+$/;
const SCP_LIKE = /^(?:[^@/]+@)?([^:/]+):.+$/;

/**
 * kagent's gitSSHHost: the host (and port other than 22) of an SSH git URL — `ssh://`, `git+ssh://` or scp-like
 * `user@host:path` — which skills-init adds to known_hosts before cloning; undefined for HTTP(S) and anything else.
 */
export function gitSshHost(raw: string): { host: string; port?: string } | undefined {
  let u: URL | undefined;
  try {
    u = new URL(raw);
  } catch {
    u = undefined;
  }
  if (u && (u.protocol === 'ssh:' || u.protocol === 'git+ssh:')) {
    const host = u.hostname;
    if (!host || !SSH_HOST.test(host)) return undefined;
    const port = u.port === '22' ? '' : u.port;
    if (port && !SSH_PORT.test(port)) return undefined;
    return port ? { host, port } : { host };
  }
  if (u && (u.protocol === 'http:' || u.protocol === 'https:')) return undefined;
  if (raw.includes('://')) return undefined;
  const m = SCP_LIKE.exec(raw);
  if (!m || !SSH_HOST.test(m[1])) return undefined;
  return { host: m[1] };
}

/**
 * The skills-init config of an Agent with skills: git refs first, then OCI images, then S3 locations, each with its
 * destination `/skills/<name>`; names must be unique across all three. Keys in kagent's order (authMountPath,
 * gitRefs, ociRefs, s3Refs, insecureOci, sshHosts, imagePullSecrets), empty ones omitted as Go's `omitempty` does.
 */
export function buildSkillsInit(skills: SkillForAgent): SkillsInit {
  const seen = new Map<string, string>();
  const claim = (name: string, path: string) => {
    checkSkillName(name, path);
    const prev = seen.get(name);
    if (prev)
      throw new ResolutionError('InvalidSpec', `${path}: duplicate skill directory name "${name}" (also ${prev})`);
    seen.set(name, path);
  };
  const auth = skills.gitAuthSecretRef?.name;
  const cfg: Record<string, unknown> = {};
  if (auth) cfg.authMountPath = GIT_AUTH_DIR;

  const gitRefs: Record<string, unknown>[] = [];
  const sshHosts = new Map<string, { host: string; port?: string }>();
  for (const [i, ref] of (skills.gitRefs ?? []).entries()) {
    const path = `spec.skills.gitRefs[${i}]`;
    const subPath = (ref.path ?? '').replace(/\/$/, '');
    if (subPath !== '' && !isLocalPath(subPath)) {
      throw new ResolutionError(
        'InvalidSpec',
        `${path}.path: must be a relative path without '..' segments, got "${ref.path}"`,
      );
    }
    const gitRef = ref.ref || 'main';
    claim(gitSkillName(ref), path);
    if (auth) {
      const h = gitSshHost(ref.url);
      if (h) sshHosts.set(`${h.host}:${h.port ?? ''}`, h);
    }
    const out: Record<string, unknown> = { url: ref.url, ref: gitRef, dest: `${SKILLS_DIR}/${gitSkillName(ref)}` };
    if (COMMIT_SHA.test(gitRef)) out.full = true;
    if (subPath) out.subPath = subPath;
    gitRefs.push(out);
  }
  if (gitRefs.length) cfg.gitRefs = gitRefs;

  const ociRefs = (skills.refs ?? []).map((image, i) => {
    const name = ociSkillName(image);
    claim(name, `spec.skills.refs[${i}]`);
    return { image, dest: `${SKILLS_DIR}/${name}` };
  });
  if (ociRefs.length) cfg.ociRefs = ociRefs;

  const s3Refs = (skills.s3Refs ?? []).map((ref, i) => {
    const path = `spec.skills.s3Refs[${i}]`;
    if (s3Key(ref.uri) === undefined)
      throw new ResolutionError('InvalidSpec', `${path}.uri: must be s3://<bucket>/<key or prefix>, got "${ref.uri}"`);
    const name = s3SkillName(ref);
    claim(name, path);
    const out: Record<string, unknown> = { uri: ref.uri, dest: `${SKILLS_DIR}/${name}` };
    if (ref.region) out.region = ref.region;
    return out;
  });
  if (s3Refs.length) cfg.s3Refs = s3Refs;

  if (skills.insecureSkipVerify) cfg.insecureOci = true;
  if (sshHosts.size) {
    // Byte order, as Go's strings.Compare (host, then port).
    const key = (h: { host: string; port?: string }) => [h.host, h.port ?? ''];
    cfg.sshHosts = [...sshHosts.values()].sort((a, b) => {
      const [ah, ap] = key(a);
      const [bh, bp] = key(b);
      if (ah !== bh) return ah < bh ? -1 : 1;
      return ap === bp ? 0 : ap < bp ? -1 : 1;
    });
  }
  const pullSecrets = pullSecretNames(skills);
  if (pullSecrets.length) cfg.imagePullSecrets = pullSecrets;
  const out: SkillsInit = { configJson: JSON.stringify(cfg) };
  if (auth) out.gitAuthSecretName = auth;
  if (pullSecrets.length) out.pullSecretNames = pullSecrets;
  return out;
}

/** The names of spec.skills.imagePullSecrets, in order, each once (a repeat would be a second volume of that name). */
function pullSecretNames(skills: SkillForAgent): string[] {
  const names: string[] = [];
  for (const [i, ref] of (skills.imagePullSecrets ?? []).entries()) {
    const path = `spec.skills.imagePullSecrets[${i}].name`;
    const name = ref.name ?? '';
    if (name === '') throw new ResolutionError('InvalidSpec', `${path}: must name a Secret`);
    if (pullSecretVolumeName(name).length > MAX_VOLUME_NAME)
      throw new ResolutionError(
        'InvalidSpec',
        `${path}: "${name}" is too long: its volume name "${pullSecretVolumeName(name)}" exceeds ${MAX_VOLUME_NAME} characters`,
      );
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** kagent's SkillsInitConfigMapName. */
export function skillsInitConfigMapName(agentName: string): string {
  return `${agentName}-skills-init`;
}
