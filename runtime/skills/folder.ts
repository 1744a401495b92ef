// Reads the skills folder (KAGENT_SKILLS_FOLDER) into the listing discover.ts decides on. Directories are followed
// through symlinks only when they stay inside the folder; each SKILL.md is read with read_file's limits.
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SKILL_FILE, type SkillDirEntry } from './discover.js';
import { readTextFile, resolveSkillPath, SkillFileError, type SkillsRoot } from './files.js';

export type FolderListing = { root: SkillsRoot; entries: SkillDirEntry[] } | { missing: string };

export async function readSkillsFolder(configured: string): Promise<FolderListing> {
  // Absolute from here on: the model is shown paths under it, and the inside-checks compare against it.
  const folder = resolve(configured);
  let root: SkillsRoot;
  try {
    const real = await realpath(folder);
    if (!(await stat(real)).isDirectory()) return { missing: `${folder} is not a directory` };
    root = { folder, real };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      missing: code === 'ENOENT' ? `${folder} does not exist` : `${folder} cannot be read (${code ?? String(err)})`,
    };
  }
  let names: string[];
  try {
    names = await readdir(root.real);
  } catch (err) {
    return { missing: `${folder} cannot be listed (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
  }
  const entries = await Promise.all(names.map((dir) => readEntry(root, dir)));
  return { root, entries };
}

async function readEntry(root: SkillsRoot, dir: string): Promise<SkillDirEntry> {
  let real: string;
  try {
    // A symlinked skill directory is fine as long as it stays inside the folder.
    real = await resolveSkillPath(root, join(root.folder, dir), true);
    if (!(await stat(real)).isDirectory()) return { dir, isDirectory: false };
  } catch (err) {
    if (err instanceof SkillFileError && err.problem === 'outside')
      return { dir, isDirectory: true, skillMd: { error: err.message } };
    return { dir, isDirectory: false };
  }
  const shown = `${dir}/${SKILL_FILE}`;
  let file: string;
  try {
    file = await resolveSkillPath(root, join(real, SKILL_FILE), true);
  } catch (err) {
    // No SKILL.md: not a skill. Anything else (a SKILL.md symlinked out of the folder) is worth a warning.
    if (err instanceof SkillFileError && err.problem === 'missing') return { dir, isDirectory: true };
    return { dir, isDirectory: true, skillMd: { error: (err as Error).message } };
  }
  try {
    return { dir, isDirectory: true, skillMd: await readTextFile(file, shown) };
  } catch (err) {
    return { dir, isDirectory: true, skillMd: { error: (err as Error).message } };
  }
}
