// A SKILL.md's YAML frontmatter (`---` line, YAML mapping with `name` and `description`, `---` line), as kagent reads
// it to list a skill. Pure: the text in, the metadata or the reason it is not usable out.
import { parse } from 'yaml';

export interface SkillMetadata {
  name: string;
  description: string;
}

export type FrontmatterResult = { ok: true; meta: SkillMetadata } | { ok: false; problem: string };

const OPENING = /^---[ \t]*\r?\n/;
const CLOSING = /^---[ \t]*$/m;

/** A scalar YAML may have typed (`name: 2048`) is still usable as text; a list or mapping is not. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return String(value);
  return undefined;
}

export function parseSkillFrontmatter(content: string): FrontmatterResult {
  // An editor's byte-order mark must not hide the opening line.
  const body = content.replace(/^\uFEFF/, '');
  const open = OPENING.exec(body);
  if (!open) return { ok: false, problem: 'does not start with a "---" frontmatter block' };
  const rest = body.slice(open[0].length);
  // An empty block (`---` right after `---`) has no name either; it is reported as such below.
  const close = CLOSING.exec(rest);
  if (!close) return { ok: false, problem: 'the frontmatter block is not closed by a "---" line' };
  let data: unknown;
  try {
    data = parse(rest.slice(0, close.index));
  } catch (err) {
    return { ok: false, problem: `the frontmatter is not valid YAML (${(err as Error).message.split('\n')[0]})` };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return { ok: false, problem: 'the frontmatter is not a YAML mapping with name and description' };
  const fields = data as Record<string, unknown>;
  const name = text(fields.name);
  if (!name) return { ok: false, problem: 'the frontmatter has no name (a non-empty string)' };
  const description = text(fields.description);
  if (!description) return { ok: false, problem: 'the frontmatter has no description (a non-empty string)' };
  return { ok: true, meta: { name, description } };
}
