// The tools kagent gives a model with skills, minus code execution: `skills` (name, description with the
// <available_skills> list, parameter `command`, the SKILL.md framed as kagent frames it) and a read-only `read_file`
// (kagent's name and parameters, line-numbered output) restricted to the skills folder. kagent's wording about its
// bash tool is replaced: this runtime runs no scripts, and the model is told so rather than sent to a tool it lacks.
// Failures throw; the executor hands them to the model as `Error: ...` tool results.
import { join } from 'node:path';
import type { Tool } from '../tools/types.js';
import { findSkill, SKILL_FILE, type Skill } from './discover.js';
import { MAX_FILE_BYTES, readTextFile, resolveSkillPath, type SkillsRoot } from './files.js';

export const SKILLS_TOOL = 'skills';
export const READ_FILE_TOOL = 'read_file';

/** kagent's <available_skills> block (its values are the skill authors' text, unescaped, as kagent writes them). */
export function availableSkillsXml(skills: readonly Skill[]): string {
  if (!skills.length) return '<available_skills>\n<!-- No skills found -->\n</available_skills>';
  const entries = skills.map(
    (s) => `<skill>\n<name>${s.name}</name>\n<description>${s.description}</description>\n</skill>`,
  );
  return `<available_skills>\n${entries.join('\n')}\n</available_skills>`;
}

/** kagent's `skills` tool description, with the lines about its bash tool replaced by what holds here. */
export function skillsToolDescription(skills: readonly Skill[]): string {
  return `Execute a skill within the main conversation

<skills_instructions>
When users ask you to perform tasks, check if any of the available skills below can help complete the task more effectively. Skills provide specialized capabilities and domain knowledge.

How to use skills:
- Invoke skills using this tool with the skill name only (no arguments)
- When you invoke a skill, the skill's full SKILL.md will load with detailed instructions
- Follow the skill's instructions; use the read_file tool to read the skill's other files (references, scripts)
- Examples:
  - command: "data-analysis" - invoke the data-analysis skill
  - command: "pdf-processing" - invoke the pdf-processing skill

Important:
- Only use skills listed in <available_skills> below
- Do not invoke a skill that is already loaded in the conversation
- Commands and scripts cannot be run here (there is no bash tool): read a script with read_file to learn what it does, and tell the user when a step needs it run
- If not specified, scripts are located in the skill-name/scripts subdirectory
</skills_instructions>

${availableSkillsXml(skills)}
`;
}

/** kagent's framing of a loaded SKILL.md; its closing line points at read_file instead of a bash tool. */
export function framedSkill(skill: Skill, baseDir: string, content: string): string {
  return (
    `<command-message>The "${skill.name}" skill is loading</command-message>\n\n` +
    `Base directory for this skill: ${baseDir}\n\n` +
    content +
    '\n\n---\n' +
    'The skill has been loaded. Follow the instructions above. Commands and scripts cannot be run in this environment; ' +
    "use the read_file tool to read the skill's other files (paths relative to the base directory above)."
  );
}

export const READ_FILE_DESCRIPTION = `Reads a file from the skills directory with line numbers.

Usage:
- Provide a path to the file (absolute, or relative to the skills directory, e.g. "<skill>/reference.md")
- Returns content with line numbers (format: LINE_NUMBER|CONTENT)
- Optional offset and limit parameters for reading specific line ranges
- Lines longer than 2000 characters are truncated
- Only text files inside the skills directory can be read (read-only), up to ${MAX_FILE_BYTES / 1024} KiB
`;

const MAX_LINE = 2000;

/** kagent's read_file output: each line as `{number:6}|{text}`, 1-based, long lines cut at 2000 characters. */
export function numberedLines(text: string, offset?: number, limit?: number): string {
  const lines = text.split(/\r\n|\r|\n/);
  // Like Python's splitlines(): a final line break does not start another line.
  if (lines[lines.length - 1] === '') lines.pop();
  if (!lines.length) return 'File is empty.';
  const start = offset && offset > 0 ? offset - 1 : 0;
  const end = limit && limit > 0 ? start + limit : lines.length;
  const picked = lines.slice(start, end);
  if (!picked.length) return `No lines in that range (the file has ${lines.length} lines).`;
  return picked
    .map(
      (line, i) =>
        `${String(start + i + 1).padStart(6)}|${line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}...` : line}`,
    )
    .join('\n');
}

function optionalLineNumber(args: Record<string, unknown>, field: string): number | undefined {
  const raw = args[field];
  if (raw === undefined || raw === null || raw === '') return undefined;
  // Models sometimes send numbers as strings.
  const n = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
    throw new Error(`${field} must be a whole number of at least 0`);
  return n;
}

export interface SkillsToolsOptions {
  root: SkillsRoot;
  skills: readonly Skill[];
  timeoutMs: number;
}

export function skillsTools({ root, skills, timeoutMs }: SkillsToolsOptions): Tool[] {
  const base = { source: 'skills', requireApproval: false, timeoutMs };
  const names = skills.map((s) => s.name).join(', ');
  const hasSkillsDir = skills.some((s) => s.dir === 'skills');
  // A skill's framed SKILL.md, read on first use: the folder is read-only (an init container filled it).
  const cache = new Map<string, Promise<string>>();
  const load = (skill: Skill): Promise<string> => {
    let framed = cache.get(skill.dir);
    if (!framed) {
      const baseDir = join(root.folder, skill.dir);
      framed = resolveSkillPath(root, join(baseDir, SKILL_FILE), hasSkillsDir)
        .then((real) => readTextFile(real, `${skill.dir}/${SKILL_FILE}`))
        .then((content) => framedSkill(skill, baseDir, content));
      // A failed read is not cached: the next call tries again.
      framed.catch(() => cache.delete(skill.dir));
      cache.set(skill.dir, framed);
    }
    return framed;
  };
  return [
    {
      ...base,
      spec: {
        name: SKILLS_TOOL,
        description: skillsToolDescription(skills),
        parameters: {
          type: 'object',
          properties: {
            command: {
              type: 'string',
              description: 'The skill name (no arguments). E.g., "data-analysis" or "pdf-processing"',
            },
          },
          required: ['command'],
        },
      },
      async call(args) {
        const command = typeof args.command === 'string' ? args.command.trim() : '';
        if (!command) throw new Error(`No skill name provided (command). Available skills: ${names}`);
        const skill = findSkill(skills, command);
        if (!skill) throw new Error(`Skill '${command}' not found. Available skills: ${names}`);
        return load(skill);
      },
    },
    {
      ...base,
      spec: {
        name: READ_FILE_TOOL,
        description: READ_FILE_DESCRIPTION,
        parameters: {
          type: 'object',
          properties: {
            file_path: {
              type: 'string',
              description: 'Path to the file to read (absolute, or relative to the skills directory)',
            },
            offset: { type: 'integer', description: 'Optional line number to start reading from (1-indexed)' },
            limit: { type: 'integer', description: 'Optional number of lines to read' },
          },
          required: ['file_path'],
        },
      },
      async call(args) {
        const filePath = typeof args.file_path === 'string' ? args.file_path.trim() : '';
        if (!filePath) throw new Error('No file path provided (file_path)');
        const offset = optionalLineNumber(args, 'offset');
        const limit = optionalLineNumber(args, 'limit');
        // The errors name the path and the rule that refused it.
        const real = await resolveSkillPath(root, filePath, hasSkillsDir);
        return numberedLines(await readTextFile(real, filePath), offset, limit);
      },
    },
  ];
}
