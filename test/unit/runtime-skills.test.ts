// Skills' pure core: SKILL.md frontmatter, discovery from a folder listing (order, skipped entries and why, duplicate
// names), the lookup the `skills` tool uses, kagent's <available_skills> block and read_file's numbered lines.
import { describe, expect, it } from 'vitest';
import { parseSkillFrontmatter } from '../../runtime/skills/frontmatter.js';
import { discoverSkills, findSkill, type SkillDirEntry } from '../../runtime/skills/discover.js';
import { availableSkillsXml, framedSkill, numberedLines, skillsToolDescription } from '../../runtime/skills/tools.js';

const md = (name: string, description: string, body = '# Instructions\n') =>
  `---\nname: ${name}\ndescription: ${description}\n---\n${body}`;

describe('SKILL.md frontmatter', () => {
  it('reads name and description', () => {
    expect(parseSkillFrontmatter(md('pdf-processing', 'Extract text from PDFs'))).toEqual({
      ok: true,
      meta: { name: 'pdf-processing', description: 'Extract text from PDFs' },
    });
  });

  it('accepts CRLF line ends, a byte-order mark, other fields, multi-line YAML and a closing line with trailing spaces', () => {
    const text =
      '\uFEFF---\r\nname: "k8s-debug"\r\nlicense: MIT\r\ndescription: >\r\n  Debug pods\r\n  that crash\r\n---  \r\nbody';
    expect(parseSkillFrontmatter(text)).toEqual({
      ok: true,
      meta: { name: 'k8s-debug', description: 'Debug pods that crash' },
    });
  });

  it('keeps a "---" inside the body out of the frontmatter', () => {
    const parsed = parseSkillFrontmatter(md('a', 'b', 'text\n---\nmore: yaml\n'));
    expect(parsed).toEqual({ ok: true, meta: { name: 'a', description: 'b' } });
  });

  it('takes a scalar name YAML typed as a number as text', () => {
    expect(parseSkillFrontmatter('---\nname: 2048\ndescription: the game\n---\n')).toEqual({
      ok: true,
      meta: { name: '2048', description: 'the game' },
    });
  });

  it.each([
    ['# just markdown\n', 'does not start with a "---" frontmatter block'],
    ['', 'does not start with a "---" frontmatter block'],
    ['---\nname: a\ndescription: b\n', 'the frontmatter block is not closed by a "---" line'],
    ['---\n---\nbody', 'the frontmatter is not a YAML mapping with name and description'],
    ['---\n- a\n- b\n---\n', 'the frontmatter is not a YAML mapping with name and description'],
    ['---\nname: [unclosed\n---\n', /^the frontmatter is not valid YAML \(/],
    ['---\ndescription: b\n---\n', 'the frontmatter has no name (a non-empty string)'],
    ['---\nname: "  "\ndescription: b\n---\n', 'the frontmatter has no name (a non-empty string)'],
    ['---\nname: a\n---\n', 'the frontmatter has no description (a non-empty string)'],
    ['---\nname: a\ndescription: {x: 1}\n---\n', 'the frontmatter has no description (a non-empty string)'],
  ])('%j is refused: %s', (text, problem) => {
    const parsed = parseSkillFrontmatter(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(problem);
  });
});

describe('discovery', () => {
  const entries: SkillDirEntry[] = [
    { dir: 'zeta', isDirectory: true, skillMd: md('zeta', 'last one') },
    { dir: 'notes.txt', isDirectory: false },
    { dir: 'alpha', isDirectory: true, skillMd: md('alpha-skill', 'first one') },
    { dir: 'plain', isDirectory: true, skillMd: '# no frontmatter\n' },
    { dir: '.git', isDirectory: true },
    { dir: 'broken', isDirectory: true, skillMd: { error: 'broken/SKILL.md is not a text file (binary content)' } },
    { dir: 'zz-copy', isDirectory: true, skillMd: md('zeta', 'same name again') },
  ];

  it('lists the directories with a usable SKILL.md in name order; says why each other SKILL.md was skipped', () => {
    const { skills, problems } = discoverSkills(entries);
    expect(skills).toEqual([
      { name: 'alpha-skill', description: 'first one', dir: 'alpha' },
      { name: 'zeta', description: 'last one', dir: 'zeta' },
    ]);
    expect(problems).toEqual([
      { file: 'broken/SKILL.md', problem: 'broken/SKILL.md is not a text file (binary content)' },
      { file: 'plain/SKILL.md', problem: 'does not start with a "---" frontmatter block' },
      { file: 'zz-copy/SKILL.md', problem: 'skill name "zeta" is already used by zeta/SKILL.md' },
    ]);
  });

  it('a duplicate name: the first directory in order keeps it, the other is skipped naming both', () => {
    const { skills, problems } = discoverSkills([
      { dir: 'b', isDirectory: true, skillMd: md('same', 'from b') },
      { dir: 'a', isDirectory: true, skillMd: md('same', 'from a') },
    ]);
    expect(skills).toEqual([{ name: 'same', description: 'from a', dir: 'a' }]);
    expect(problems).toEqual([{ file: 'b/SKILL.md', problem: 'skill name "same" is already used by a/SKILL.md' }]);
  });

  it('an empty listing has no skills and no problems', () => {
    expect(discoverSkills([])).toEqual({ skills: [], problems: [] });
  });

  it('finds a skill by its frontmatter name first, then by its directory', () => {
    const skills = [
      { name: 'alpha-skill', description: 'x', dir: 'alpha' },
      { name: 'alpha', description: 'y', dir: 'other' },
    ];
    expect(findSkill(skills, 'alpha')?.dir).toBe('other');
    expect(findSkill(skills, 'alpha-skill')?.dir).toBe('alpha');
    expect(findSkill(skills, 'other')?.name).toBe('alpha');
    expect(findSkill(skills, 'nope')).toBeUndefined();
  });
});

describe('what the model reads', () => {
  const skills = [
    { name: 'alpha', description: 'first', dir: 'alpha' },
    { name: 'beta', description: 'second', dir: 'b' },
  ];

  it("lists skills in kagent's <available_skills> form", () => {
    expect(availableSkillsXml(skills)).toBe(
      '<available_skills>\n<skill>\n<name>alpha</name>\n<description>first</description>\n</skill>\n<skill>\n<name>beta</name>\n<description>second</description>\n</skill>\n</available_skills>',
    );
    expect(availableSkillsXml([])).toBe('<available_skills>\n<!-- No skills found -->\n</available_skills>');
  });

  it("keeps kagent's description but never points the model at a bash tool", () => {
    const d = skillsToolDescription(skills);
    expect(d.startsWith('Execute a skill within the main conversation\n\n<skills_instructions>\n')).toBe(true);
    expect(d.endsWith(`</skills_instructions>\n\n${availableSkillsXml(skills)}\n`)).toBe(true);
    expect(d).toContain('- Invoke skills using this tool with the skill name only (no arguments)');
    expect(d).toContain('cannot be run here');
    expect(d).not.toMatch(/use the bash tool/i);
  });

  it('frames a SKILL.md as kagent does, ending with what can be done here', () => {
    const framed = framedSkill(skills[1], '/skills/b', 'CONTENT');
    expect(
      framed.startsWith(
        '<command-message>The "beta" skill is loading</command-message>\n\nBase directory for this skill: /skills/b\n\nCONTENT\n\n---\nThe skill has been loaded. Follow the instructions above.',
      ),
    ).toBe(true);
    expect(framed).toContain('read_file');
    expect(framed).not.toMatch(/bash tool to execute/);
  });

  it("numbers lines as kagent's read_file does; offset, limit, long lines, empty files", () => {
    expect(numberedLines('a\nb\r\nc\n')).toBe('     1|a\n     2|b\n     3|c');
    expect(numberedLines('a\nb\nc\nd', 2, 2)).toBe('     2|b\n     3|c');
    expect(numberedLines('a\nb', 0, 0)).toBe('     1|a\n     2|b');
    expect(numberedLines('x'.repeat(2001))).toBe(`     1|${'x'.repeat(2000)}...`);
    expect(numberedLines('')).toBe('File is empty.');
    expect(numberedLines('a\nb', 5)).toBe('No lines in that range (the file has 2 lines).');
  });
});
