// The shell commands a README shows, read from its fenced blocks (pure):
//   ```sh / ```bash / ```shell  every line is a command (a trailing `\` continues it; `#` lines are comments)
//   ```console                  lines starting with `$ ` are commands, the lines up to the next `$ ` their output
// Unlabelled blocks are diagrams or synopses, not commands (synopsis lines are checked against `--help` instead).

export interface ReadmeCommand {
  /** The README, relative to the repository root. */
  file: string;
  /** 1-based line of the command's first line. */
  line: number;
  /** The command as the shell gets it (continuations joined, a trailing comment removed). */
  command: string;
  /** The README's output for it (console blocks), or undefined when it shows none. */
  output?: string[];
}

const SHELL = new Set(['sh', 'bash', 'shell']);

/** Removes a trailing `# comment` outside quotes. */
export function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
}

/** The lines inside fenced blocks, with their block's language ('' when unlabelled) and whether a block starts. */
function* blockLines(markdown: string): Generator<{ lang: string; i: number; raw: string; first: boolean }> {
  const lines = markdown.split('\n');
  let lang: string | null = null;
  let first = false;
  for (let i = 0; i < lines.length; i++) {
    const fence = /^\s*```(\S*)/.exec(lines[i]!);
    if (fence) {
      lang = lang === null ? fence[1]! : null;
      first = true;
    } else if (lang !== null) {
      yield { lang, i, raw: lines[i]!, first };
      first = false;
    }
  }
}

export function extractCommands(markdown: string, file: string): ReadmeCommand[] {
  const out: ReadmeCommand[] = [];
  let current: ReadmeCommand | null = null;
  let continued = false;
  for (const { lang, i, raw, first } of blockLines(markdown)) {
    if (first) {
      current = null;
      continued = false;
    }
    const text = raw.trim();
    if (SHELL.has(lang)) {
      if (continued && current) {
        current.command += ' ' + stripComment(text).replace(/\\$/, '').trim();
        continued = text.endsWith('\\');
        continue;
      }
      const cmd = stripComment(text);
      if (!cmd) continue;
      current = { file, line: i + 1, command: cmd.replace(/\\$/, '').trim() };
      continued = cmd.endsWith('\\');
      out.push(current);
    } else if (lang === 'console') {
      if (text.startsWith('$ ')) {
        current = { file, line: i + 1, command: stripComment(text.slice(2)), output: [] };
        out.push(current);
      } else if (current && text !== '') current.output!.push(raw.trimEnd());
    }
  }
  for (const c of out) if (c.output?.length === 0) delete c.output;
  return out;
}

export interface Synopsis {
  file: string;
  line: number;
  command: string;
  flags: string[];
}

/** Synopsis lines of unlabelled blocks: `metagent CMD --flag ... [--opt V]`, with the flags they name. */
export function extractSynopses(markdown: string, file: string): Synopsis[] {
  const out: Synopsis[] = [];
  let current: Synopsis | null = null;
  for (const { lang, i, raw, first } of blockLines(markdown)) {
    if (first) current = null;
    if (lang !== '') continue;
    const m = /^metagent ([a-z-]+)\b(.*)$/.exec(raw.trim());
    if (m) {
      current = { file, line: i + 1, command: m[1]!, flags: [] };
      out.push(current);
    } else if (!current || !/^\s+\[?-/.test(raw)) {
      current = null;
      continue;
    }
    for (const f of raw.matchAll(/(?:^|[\s[|])(--[a-z][a-z0-9-]*)/g)) current.flags.push(f[1]!);
  }
  return out;
}

/** `$ ` lines in unlabelled blocks: commands the test would not see (label the block ```console). */
export function unlabelledPrompts(markdown: string): number[] {
  const out: number[] = [];
  for (const { lang, i, raw } of blockLines(markdown))
    if (lang === '' && raw.trimStart().startsWith('$ ')) out.push(i + 1);
  return out;
}

/** Inline usages in prose and tables: `` `metagent CMD ... --flag ...` `` with the flags they name. */
export function extractInlineUsages(markdown: string, file: string): Synopsis[] {
  const out: Synopsis[] = [];
  const lines = markdown.split('\n');
  let fenced = false;
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*```/.test(lines[i]!)) fenced = !fenced;
    if (fenced) continue;
    for (const m of lines[i]!.matchAll(/`metagent ([a-z-]+)([^`]*)`/g)) {
      const flags = [...m[2]!.matchAll(/(?:^|[\s[|(])(--[a-z][a-z0-9-]*)/g)].map((f) => f[1]!);
      if (flags.length) out.push({ file, line: i + 1, command: m[1]!, flags });
    }
  }
  return out;
}
