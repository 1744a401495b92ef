// kagent's skills over A2A (KAGENT_SKILLS_FOLDER): real folders in a temp dir, the scripted mock LLM calling the
// `skills` and `read_file` tools, the @a2a-js/sdk client as the caller. Discovery (skipped SKILL.md files, files
// ignored), kagent's tool description, the framed SKILL.md, unknown skills, reading a skill's files, every way out of
// the folder refused (`..`, absolute paths, symlinks), limits, an MCP tool of the same name winning, and a folder
// that is not there (a warning in the log, no tools).
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskState, type Task } from '@a2a-js/sdk';
import { startMockLlm, type ChatRequestBody, type MockLlm, type MockTurn } from '../mocks/mock-llm.js';
import { startMcpServer } from '../mocks/mcp-server.js';
import { textOf, userMessage } from '../../runtime/a2a/parts.js';
import { MAX_FILE_BYTES } from '../../runtime/skills/files.js';
import { baseConfig, clientFor, rpc, spawnRuntimeCli, startAgent, writeConfigDir } from './helpers.js';

const DEBUG_SKILL = `---
name: k8s-debug
description: Find out why a pod is unhealthy
---
# Debugging pods

1. Read references/checklist.md.
2. Run scripts/collect.sh.
`;

/**
 * A model that calls the tool the user names — `call <tool> <json args>` — and then answers with the tool's result,
 * so a test reads what the tool returned from the answer.
 */
function script(body: ChatRequestBody): MockTurn {
  const last = body.messages[body.messages.length - 1];
  if (last.role === 'tool') return { text: `tool said: ${String(last.content)}` };
  const m = /^call (\S+) (.*)$/s.exec(String(last.content));
  return m ? { toolCalls: [{ name: m[1], arguments: m[2] }] } : { text: 'ok' };
}

let llm: MockLlm;
let base = '';
let folder = '';
let outside = '';
beforeAll(async () => {
  llm = await startMockLlm(script);
  base = await mkdtemp(join(tmpdir(), 'metagent-skills-'));
  folder = join(base, 'skills');
  outside = join(base, 'outside');
  await mkdir(join(folder, 'k8s-debug', 'references'), { recursive: true });
  await mkdir(join(folder, 'k8s-debug', 'scripts'), { recursive: true });
  await mkdir(join(folder, 'notes'), { recursive: true });
  await mkdir(join(folder, 'plain'), { recursive: true });
  await mkdir(join(folder, 'no-skill-md'), { recursive: true });
  await mkdir(outside, { recursive: true });
  await writeFile(join(folder, 'k8s-debug', 'SKILL.md'), DEBUG_SKILL);
  await writeFile(
    join(folder, 'k8s-debug', 'references', 'checklist.md'),
    'Check restarts.\nCheck events.\nCheck logs.\n',
  );
  await writeFile(join(folder, 'k8s-debug', 'scripts', 'collect.sh'), '#!/bin/sh\nkubectl get pods -A\n');
  await writeFile(join(folder, 'k8s-debug', 'big.txt'), 'x'.repeat(MAX_FILE_BYTES + 1));
  await writeFile(join(folder, 'k8s-debug', 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]));
  await writeFile(
    join(folder, 'notes', 'SKILL.md'),
    '---\nname: release-notes\ndescription: Write release notes from merged PRs\n---\nGroup by area.\n',
  );
  await writeFile(join(folder, 'plain', 'SKILL.md'), '# A skill without frontmatter\n');
  await writeFile(join(folder, 'README.txt'), 'not a skill directory\n');
  await writeFile(join(outside, 'secret.txt'), 'TOP SECRET\n');
  // Ways out of the folder through symlinks: a file, a directory, and a skill directory pointing outside.
  await symlink(join(outside, 'secret.txt'), join(folder, 'k8s-debug', 'escape.md'));
  await symlink(outside, join(folder, 'k8s-debug', 'outdir'));
  // A symlink that stays inside the folder is fine.
  await symlink(join(folder, 'k8s-debug', 'references', 'checklist.md'), join(folder, 'notes', 'checklist-link.md'));
});
afterAll(async () => {
  await llm?.close();
  await rm(base, { recursive: true, force: true });
});

const send = (text: string) => ({
  tenant: '',
  message: userMessage(text),
  configuration: undefined,
  metadata: undefined,
});

async function ask(url: string, text: string): Promise<{ task: Task; answer: string }> {
  const task = (await (await clientFor(url)).sendMessage(send(text))) as Task;
  return { task, answer: textOf(task.status?.message) };
}

const toolNames = (body: ChatRequestBody) => (body.tools ?? []).map((t) => t.function.name);

describe('skills over A2A', () => {
  let rt: Awaited<ReturnType<typeof startAgent>>;
  beforeAll(async () => {
    rt = await startAgent(baseConfig(llm.url), { KAGENT_SKILLS_FOLDER: folder });
  });
  afterAll(async () => {
    await rt?.close();
  });

  it("offers the skills tool with kagent's description listing the discovered skills, and read_file", async () => {
    const before = llm.requests.length;
    expect((await ask(rt.url, 'hello')).answer).toBe('ok');
    const body = llm.requests[before].body;
    expect(toolNames(body)).toEqual(['skills', 'read_file']);
    const skills = body.tools!.find((t) => t.function.name === 'skills')!.function;
    // Sorted by directory (k8s-debug, notes); the one without frontmatter, the one without SKILL.md and the file are not there.
    expect(skills.description).toContain(
      '<available_skills>\n<skill>\n<name>k8s-debug</name>\n<description>Find out why a pod is unhealthy</description>\n</skill>\n' +
        '<skill>\n<name>release-notes</name>\n<description>Write release notes from merged PRs</description>\n</skill>\n</available_skills>',
    );
    expect(skills.description).not.toMatch(/plain|no-skill-md|README/);
    expect(skills.description).toMatch(/^Execute a skill within the main conversation\n\n<skills_instructions>/);
    expect(skills.description).not.toMatch(/use the bash tool/);
    expect(skills.parameters).toEqual({
      type: 'object',
      properties: {
        command: {
          type: 'string',
          description: 'The skill name (no arguments). E.g., "data-analysis" or "pdf-processing"',
        },
      },
      required: ['command'],
    });
    const readFile = body.tools!.find((t) => t.function.name === 'read_file')!.function;
    expect(readFile.parameters).toMatchObject({
      properties: { file_path: { type: 'string' }, offset: { type: 'integer' }, limit: { type: 'integer' } },
      required: ['file_path'],
    });
  });

  it('skills with a name returns the framed SKILL.md (by frontmatter name or directory)', async () => {
    const { task, answer } = await ask(rt.url, 'call skills {"command":"k8s-debug"}');
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(answer).toBe(
      `tool said: <command-message>The "k8s-debug" skill is loading</command-message>\n\nBase directory for this skill: ${join(folder, 'k8s-debug')}\n\n${DEBUG_SKILL}\n\n---\n` +
        "The skill has been loaded. Follow the instructions above. Commands and scripts cannot be run in this environment; use the read_file tool to read the skill's other files (paths relative to the base directory above).",
    );
    // kagent loads a skill by its directory name; that works too.
    expect((await ask(rt.url, 'call skills {"command":"notes"}')).answer).toContain(
      '<command-message>The "release-notes" skill is loading</command-message>',
    );
  });

  it('an unknown skill or a skill that was skipped is an error result naming the available skills', async () => {
    for (const command of ['nope', 'plain', '../outside']) {
      const { task, answer } = await ask(rt.url, `call skills {"command":${JSON.stringify(command)}}`);
      expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
      expect(answer).toBe(`tool said: Error: Skill '${command}' not found. Available skills: k8s-debug, release-notes`);
    }
    expect((await ask(rt.url, 'call skills {}')).answer).toBe(
      'tool said: Error: No skill name provided (command). Available skills: k8s-debug, release-notes',
    );
  });

  it("read_file reads a skill's files with line numbers: relative, skills/-prefixed, absolute, ranges, symlinks inside", async () => {
    const numbered = '     1|Check restarts.\n     2|Check events.\n     3|Check logs.';
    expect((await ask(rt.url, 'call read_file {"file_path":"k8s-debug/references/checklist.md"}')).answer).toBe(
      `tool said: ${numbered}`,
    );
    expect((await ask(rt.url, 'call read_file {"file_path":"skills/k8s-debug/references/checklist.md"}')).answer).toBe(
      `tool said: ${numbered}`,
    );
    const abs = JSON.stringify(join(folder, 'k8s-debug', 'references', 'checklist.md'));
    expect((await ask(rt.url, `call read_file {"file_path":${abs},"offset":2,"limit":1}`)).answer).toBe(
      'tool said:      2|Check events.',
    );
    expect((await ask(rt.url, 'call read_file {"file_path":"k8s-debug/scripts/collect.sh"}')).answer).toBe(
      'tool said:      1|#!/bin/sh\n     2|kubectl get pods -A',
    );
    expect((await ask(rt.url, 'call read_file {"file_path":"notes/checklist-link.md","limit":"1"}')).answer).toBe(
      'tool said:      1|Check restarts.',
    );
  });

  it.each([
    ['k8s-debug/../../outside/secret.txt', 'is outside the skills directory'],
    ['../outside/secret.txt', 'is outside the skills directory'],
    ['/etc/passwd', 'is outside the skills directory'],
    ['k8s-debug/escape.md', 'leads through a symbolic link outside the skills directory'],
    ['k8s-debug/outdir/secret.txt', 'leads through a symbolic link outside the skills directory'],
  ])('read_file refuses %s', async (path, why) => {
    const { task, answer } = await ask(rt.url, `call read_file ${JSON.stringify({ file_path: path })}`);
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(answer).toBe(`tool said: Error: access denied: ${path} ${why} ${folder}`);
    expect(answer).not.toContain('TOP SECRET');
  });

  it('read_file refuses an absolute path outside the folder without saying whether it exists', async () => {
    const missing = (
      await ask(rt.url, `call read_file ${JSON.stringify({ file_path: join(outside, 'nothing-here') })}`)
    ).answer;
    const present = (await ask(rt.url, `call read_file ${JSON.stringify({ file_path: join(outside, 'secret.txt') })}`))
      .answer;
    expect(missing.replace('nothing-here', 'X')).toBe(present.replace('secret.txt', 'X'));
  });

  it('read_file refuses an oversized file, a binary file, a directory, a missing file and bad arguments, clearly', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [
        { file_path: 'k8s-debug/big.txt' },
        `k8s-debug/big.txt is too large to read (${MAX_FILE_BYTES + 1} bytes; the limit is ${MAX_FILE_BYTES} bytes)`,
      ],
      [{ file_path: 'k8s-debug/logo.png' }, 'k8s-debug/logo.png is not a text file (binary content)'],
      [{ file_path: 'k8s-debug/references' }, 'k8s-debug/references is a directory, not a file'],
      [{ file_path: 'k8s-debug/nope.md' }, 'file not found: k8s-debug/nope.md'],
      [{ file_path: '' }, 'No file path provided (file_path)'],
      [{ file_path: 'k8s-debug/SKILL.md', offset: -1 }, 'offset must be a whole number of at least 0'],
    ];
    for (const [args, message] of cases) {
      expect((await ask(rt.url, `call read_file ${JSON.stringify(args)}`)).answer).toBe(`tool said: Error: ${message}`);
    }
  });
});

describe('skills next to other tools', () => {
  it('an MCP tool of the same name wins; the skills tool is still offered', async () => {
    const mcp = await startMcpServer({ tools: [{ name: 'read_file', description: 'the MCP server own read_file' }] });
    const rt = await startAgent(baseConfig(llm.url, { http_tools: [{ params: { url: mcp.url } }] }), {
      KAGENT_SKILLS_FOLDER: folder,
    });
    try {
      const before = llm.requests.length;
      expect((await ask(rt.url, 'call read_file {"file_path":"k8s-debug/SKILL.md"}')).answer).toBe(
        'tool said: read_file',
      );
      expect(mcp.calls.map((c) => c.tool)).toEqual(['read_file']);
      const tools = llm.requests[before].body.tools!;
      expect(tools.filter((t) => t.function.name === 'read_file').map((t) => t.function.description)).toEqual([
        'the MCP server own read_file',
      ]);
      expect(tools.map((t) => t.function.name)).toContain('skills');
    } finally {
      await rt.close();
      await mcp.close();
    }
  });

  it('without KAGENT_SKILLS_FOLDER there are no skills tools', async () => {
    const rt = await startAgent(baseConfig(llm.url));
    try {
      const before = llm.requests.length;
      await ask(rt.url, 'hello');
      expect(toolNames(llm.requests[before].body)).toEqual([]);
    } finally {
      await rt.close();
    }
  });
});

/** `metagent runtime` as a child process with the skills folder in `env`, once it listens. */
async function spawnRuntime(env: NodeJS.ProcessEnv) {
  const rt = spawnRuntimeCli(await writeConfigDir(baseConfig(llm.url)), env);
  return { ...rt, url: await rt.url };
}

const v03Send = (text: string) => ({
  jsonrpc: '2.0',
  id: 1,
  method: 'message/send',
  params: {
    message: { kind: 'message', role: 'user', messageId: `m-${Math.random()}`, parts: [{ kind: 'text', text }] },
  },
});

describe('startup logs', () => {
  it.each([
    ['a folder that does not exist', () => join(base, 'no-such-folder'), /does not exist/],
    ['an empty folder', () => join(base, 'outside'), /no skills found/],
  ])('%s: the agent starts with one warning and without the tools', async (_what, path, reason) => {
    const rt = await spawnRuntime({ KAGENT_SKILLS_FOLDER: path() });
    try {
      const before = llm.requests.length;
      const res = await rpc(rt.url, v03Send('hello'));
      expect(res.json.result.status.state).toBe('completed');
      expect(toolNames(llm.requests[before].body)).toEqual([]);
      const warnings = rt.lines().filter((l) => l.level === 40);
      expect(warnings).toHaveLength(1);
      expect(JSON.stringify(warnings[0])).toMatch(reason);
      expect(warnings[0].msg).toMatch(/KAGENT_SKILLS_FOLDER: .*the skills and read_file tools are not offered/);
      expect(rt.lines().find((l) => l.msg === 'agent runtime listening')?.skills).toBeNull();
    } finally {
      await rt.stop();
    }
  });

  it('a SKILL.md without valid frontmatter is skipped with a warning naming the file; the rest load', async () => {
    const rt = await spawnRuntime({ KAGENT_SKILLS_FOLDER: folder });
    try {
      const warnings = rt.lines().filter((l) => l.level === 40);
      expect(warnings.map((w) => w.file)).toEqual(['plain/SKILL.md']);
      expect(warnings[0].msg).toBe('skipping skill plain/SKILL.md: does not start with a "---" frontmatter block');
      expect(rt.lines().find((l) => l.msg === 'agent runtime listening')?.skills).toEqual([
        'k8s-debug',
        'release-notes',
      ]);
      // config.json never carries `skills` in kagent's outputs: nothing warns that it is ignored.
      expect(rt.lines().some((l) => /not supported by this runtime/.test(String(l.msg)))).toBe(false);
    } finally {
      await rt.stop();
    }
  });
});
