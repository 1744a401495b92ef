// Which skills a folder holds, from its listing (kagent's discovery): each directory with a SKILL.md whose frontmatter
// names and describes it is a skill, in directory-name order. Pure — the listing is read by folder.ts — so the rules
// are tested without a file system.
import { parseSkillFrontmatter } from './frontmatter.js';

/** One entry of the skills folder, as folder.ts read it. */
export interface SkillDirEntry {
  /** The entry's name in the folder (a skill's directory name). */
  dir: string;
  /** Only directories hold skills; files, sockets and the like are ignored. */
  isDirectory: boolean;
  /** The SKILL.md's text; undefined when the directory has none; `{ error }` when it could not be read. */
  skillMd?: string | { error: string };
}

export interface Skill {
  /** From the frontmatter: what the model sees and calls the `skills` tool with. */
  name: string;
  description: string;
  /** The directory under the skills folder (kagent loads a skill by directory name; both are accepted). */
  dir: string;
}

export interface DiscoveryProblem {
  /** The file at fault, relative to the skills folder (e.g. `pdf/SKILL.md`). */
  file: string;
  problem: string;
}

export interface Discovery {
  skills: Skill[];
  /** SKILL.md files that were skipped, and why: logged as warnings, as kagent does. */
  problems: DiscoveryProblem[];
}

export const SKILL_FILE = 'SKILL.md';

export function discoverSkills(entries: readonly SkillDirEntry[]): Discovery {
  const skills: Skill[] = [];
  const problems: DiscoveryProblem[] = [];
  const byName = new Map<string, Skill>();
  // Code-unit order, not the locale's: the same folder lists the same way on every node (kagent sorts too).
  const sorted = [...entries].sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
  for (const entry of sorted) {
    // A directory without SKILL.md is not a skill (kagent skips it silently; a git checkout has such directories).
    if (!entry.isDirectory || entry.skillMd === undefined) continue;
    const file = `${entry.dir}/${SKILL_FILE}`;
    if (typeof entry.skillMd !== 'string') {
      problems.push({ file, problem: entry.skillMd.error });
      continue;
    }
    const parsed = parseSkillFrontmatter(entry.skillMd);
    if (!parsed.ok) {
      problems.push({ file, problem: parsed.problem });
      continue;
    }
    const taken = byName.get(parsed.meta.name);
    if (taken) {
      problems.push({
        file,
        problem: `skill name "${parsed.meta.name}" is already used by ${taken.dir}/${SKILL_FILE}`,
      });
      continue;
    }
    const skill = { ...parsed.meta, dir: entry.dir };
    byName.set(skill.name, skill);
    skills.push(skill);
  }
  return { skills, problems };
}

/** The `skills` tool's name lookup: the frontmatter name first, then the directory name kagent loads by. */
export function findSkill(skills: readonly Skill[], command: string): Skill | undefined {
  return skills.find((s) => s.name === command) ?? skills.find((s) => s.dir === command);
}
