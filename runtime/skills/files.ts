// Reading files of the skills folder safely: a path the model gives must stay inside the folder — lexically (no
// `..`, no absolute path elsewhere) and after symlinks are resolved (realpath) — and only text files up to a size cap
// are read. Errors say which rule refused the path; they never reveal whether a file outside the folder exists.
import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** Largest file read_file (and the skills tool) reads: 256 KiB of text is ~60k tokens, already a lot of context. */
export const MAX_FILE_BYTES = 256 * 1024;

/** Why a path was refused: `outside` the folder, `missing`, or `unreadable` (binary, too large, not a file, ...). */
export type SkillFileProblem = 'outside' | 'missing' | 'unreadable';

export class SkillFileError extends Error {
  constructor(
    readonly problem: SkillFileProblem,
    message: string,
  ) {
    super(message);
    this.name = 'SkillFileError';
  }
}

/** The skills folder as configured and as it really is (it may itself be a symlink, as kubelet mounts often are). */
export interface SkillsRoot {
  folder: string;
  real: string;
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * The real path of `requested` inside the skills folder. Relative paths are taken from the folder; a leading
 * `skills/` is dropped (kagent's working directory has the folder as `skills/`, and its SKILL.md framing said so)
 * unless a skill directory is itself named `skills`.
 */
export async function resolveSkillPath(root: SkillsRoot, requested: string, hasSkillsDir = false): Promise<string> {
  if (requested.includes('\0')) throw new SkillFileError('unreadable', 'the path contains a NUL byte');
  let rel = requested;
  if (!isAbsolute(rel) && !hasSkillsDir && /^(\.\/)?skills(\/|$)/.test(rel)) rel = rel.replace(/^(\.\/)?skills\/?/, '');
  const lexical = isAbsolute(rel) ? resolve(rel) : resolve(root.folder, rel);
  if (!inside(root.folder, lexical) && !inside(root.real, lexical)) {
    throw new SkillFileError('outside', `access denied: ${requested} is outside the skills directory ${root.folder}`);
  }
  let real: string;
  try {
    real = await realpath(lexical);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const missing = code === 'ENOENT' || code === 'ENOTDIR';
    throw new SkillFileError(
      missing ? 'missing' : 'unreadable',
      missing ? `file not found: ${requested}` : `cannot read ${requested} (${code ?? String(err)})`,
    );
  }
  if (!inside(root.real, real)) {
    throw new SkillFileError(
      'outside',
      `access denied: ${requested} leads through a symbolic link outside the skills directory ${root.folder}`,
    );
  }
  return real;
}

/** A text file's content (UTF-8, no NUL bytes), refused when it is not a regular file or is over `maxBytes`. */
export async function readTextFile(real: string, shownAs: string, maxBytes = MAX_FILE_BYTES): Promise<string> {
  // One open file for the checks and the read, so the file checked is the file read; O_NONBLOCK so a FIFO cannot
  // hang the open (it is then refused as not a regular file).
  const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK).catch((err: NodeJS.ErrnoException) => {
    throw new SkillFileError(
      'unreadable',
      err.code === 'EISDIR'
        ? `${shownAs} is a directory, not a file`
        : `cannot read ${shownAs} (${err.code ?? err.message})`,
    );
  });
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new SkillFileError('unreadable', `${shownAs} is a directory, not a file`);
    if (!stat.isFile()) throw new SkillFileError('unreadable', `${shownAs} is not a regular file`);
    if (stat.size > maxBytes) {
      throw new SkillFileError(
        'unreadable',
        `${shownAs} is too large to read (${stat.size} bytes; the limit is ${maxBytes} bytes)`,
      );
    }
    const bytes = await handle.readFile();
    // The size may have grown between stat and read.
    if (bytes.length > maxBytes)
      throw new SkillFileError('unreadable', `${shownAs} is too large to read (over ${maxBytes} bytes)`);
    if (bytes.includes(0)) throw new SkillFileError('unreadable', `${shownAs} is not a text file (binary content)`);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new SkillFileError('unreadable', `${shownAs} is not a text file (not valid UTF-8)`);
    }
  } finally {
    await handle.close();
  }
}
