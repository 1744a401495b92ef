// kagent's skills without code execution: when KAGENT_SKILLS_FOLDER is set (kagent's controller mounts the skills an
// init container fetched at /skills), the folder is read once at startup and the model gets the `skills` and
// `read_file` tools. A missing folder or one without usable skills is one warning and no tools: the agent still runs.
import type { Logger } from 'pino';
import type { Tool } from '../tools/types.js';
import { discoverSkills, type Skill } from './discover.js';
import { readSkillsFolder } from './folder.js';
import { skillsTools } from './tools.js';

export { READ_FILE_TOOL, SKILLS_TOOL } from './tools.js';
export type { Skill } from './discover.js';

export interface LoadedSkills {
  skills: Skill[];
  tools: Tool[];
}

export const SKILLS_FOLDER_ENV = 'KAGENT_SKILLS_FOLDER';

/** The skills of the folder KAGENT_SKILLS_FOLDER names, or undefined (unset, or nothing usable: logged). */
export async function loadSkills(
  env: NodeJS.ProcessEnv,
  opts: { log: Logger; timeoutMs: number },
): Promise<LoadedSkills | undefined> {
  const folder = env[SKILLS_FOLDER_ENV]?.trim();
  if (!folder) return undefined;
  const { log } = opts;
  const listing = await readSkillsFolder(folder);
  if ('missing' in listing) {
    log.warn(
      { folder, reason: listing.missing },
      `${SKILLS_FOLDER_ENV}: the skills folder cannot be used; the skills and read_file tools are not offered`,
    );
    return undefined;
  }
  const { skills, problems } = discoverSkills(listing.entries);
  for (const p of problems)
    log.warn({ folder, file: p.file, reason: p.problem }, `skipping skill ${p.file}: ${p.problem}`);
  if (!skills.length) {
    log.warn(
      { folder },
      `${SKILLS_FOLDER_ENV}: no skills found in ${folder} (no directory with a SKILL.md that has a name and description); the skills and read_file tools are not offered`,
    );
    return undefined;
  }
  log.info({ folder, skills: skills.map((s) => s.name) }, 'skills loaded');
  return { skills, tools: skillsTools({ root: listing.root, skills, timeoutMs: opts.timeoutMs }) };
}
