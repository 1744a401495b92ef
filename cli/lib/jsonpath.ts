// kubectl's JSONPath output templates (`-o jsonpath='{.items[*].metadata.name}'`), the subset people use: fields
// (`.a.b`, `['a.b']`), indexes (`[0]`, `[-1]`), slices (`[1:3]`), wildcards (`[*]`, `.*`), filters
// (`[?(@.type=="Ready")]`, `!=`, `<`, `>`, or a bare `@.field` for "has it"), string literals (`{"\n"}`),
// `{range ...}{end}`. As kubectl does by default (--allow-missing-template-keys), a missing field prints nothing;
// several results of one expression print space-separated; maps and lists print as JSON. Pure: parse, then evaluate.

export type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'slice'; start?: number; end?: number }
  | { kind: 'wildcard' }
  | { kind: 'filter'; path: Step[]; op?: '==' | '!=' | '<' | '>'; value?: string | number | boolean };

export type TemplateNode =
  | { kind: 'text'; text: string }
  | { kind: 'path'; steps: Step[] }
  | { kind: 'range'; steps: Step[]; body: TemplateNode[] };

export class JsonPathError extends Error {
  constructor(template: string, message: string) {
    super(`jsonpath template ${JSON.stringify(template)}: ${message}`);
    this.name = 'JsonPathError';
  }
}

const UNESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'" };

/** A quoted literal starting at `i` (after the quote); returns its value and the index after the closing quote. */
function readQuoted(expr: string, i: number, quote: string, fail: (m: string) => never): [string, number] {
  let out = '';
  while (i < expr.length && expr[i] !== quote) {
    if (expr[i] === '\\' && i + 1 < expr.length) {
      out += UNESCAPES[expr[i + 1]] ?? expr[i + 1];
      i += 2;
    } else out += expr[i++];
  }
  if (i >= expr.length) fail(`unterminated string ${quote}${out}`);
  return [out, i + 1];
}

function parseNumber(text: string, fail: (m: string) => never): number {
  if (!/^-?\d+$/.test(text.trim())) fail(`"${text}" is not an index`);
  return Number(text.trim());
}

/** The steps of a path like `.items[*].metadata.name` or `@.type` (the `@` or leading `$` dropped). */
function parsePath(expr: string, fail: (m: string) => never): Step[] {
  const steps: Step[] = [];
  let i = expr.startsWith('$') || expr.startsWith('@') ? 1 : 0;
  while (i < expr.length) {
    const c = expr[i];
    if (c === '.') {
      i++;
      if (expr[i] === '.') fail('recursive descent (..) is not supported');
      if (expr[i] === '*') {
        steps.push({ kind: 'wildcard' });
        i++;
        continue;
      }
      const m = /^[A-Za-z0-9_\-/]+/.exec(expr.slice(i));
      if (!m) {
        if (i >= expr.length) break; // a lone "." is the current object
        fail(`expected a field name at "${expr.slice(i - 1)}"`);
      }
      steps.push({ kind: 'field', name: m[0] });
      i += m[0].length;
    } else if (c === '[') {
      const inner = i + 1;
      if (expr[inner] === "'" || expr[inner] === '"') {
        const [name, after] = readQuoted(expr, inner + 1, expr[inner], fail);
        if (expr[after] !== ']') fail(`expected "]" after ${expr[inner]}${name}${expr[inner]}`);
        steps.push({ kind: 'field', name });
        i = after + 1;
      } else if (expr[inner] === '?') {
        const close = findFilterEnd(expr, inner, fail);
        steps.push(parseFilter(expr.slice(inner + 1, close), fail));
        i = close + 2; // past ")]"
      } else {
        const close = expr.indexOf(']', inner);
        if (close < 0) fail(`unclosed "[" in "${expr}"`);
        const body = expr.slice(inner, close).trim();
        if (body === '*') steps.push({ kind: 'wildcard' });
        else if (body.includes(':')) {
          const [a, b] = body.split(':');
          steps.push({
            kind: 'slice',
            start: a.trim() ? parseNumber(a, fail) : undefined,
            end: b?.trim() ? parseNumber(b, fail) : undefined,
          });
        } else steps.push({ kind: 'index', index: parseNumber(body, fail) });
        i = close + 1;
      }
    } else if (/[A-Za-z_]/.test(c) && steps.length === 0 && i === 0) {
      // kubectl accepts `{items[0]}` without the leading dot.
      expr = `.${expr}`;
    } else fail(`unexpected "${c}" in "${expr}"`);
  }
  return steps;
}

/** The index of the `)` that closes `[?(` ... `)]`, skipping quoted strings. */
function findFilterEnd(expr: string, at: number, fail: (m: string) => never): number {
  if (expr[at + 1] !== '(') fail(`a filter is written [?(...)]`);
  let i = at + 2;
  while (i < expr.length) {
    if (expr[i] === '"' || expr[i] === "'") i = readQuoted(expr, i + 1, expr[i], fail)[1];
    else if (expr[i] === ')' && expr[i + 1] === ']') return i;
    else i++;
  }
  return fail(`unclosed filter in "${expr}"`);
}

function parseFilter(body: string, fail: (m: string) => never): Step {
  const inner = body.trim().replace(/^\(/, '').trim();
  const m = /^(@[^\s=!<>]*)\s*(==|!=|<|>)?\s*(.*)$/.exec(inner);
  if (!m) fail(`a filter must start with @: "${inner}"`);
  const path = parsePath(m[1], fail);
  if (!m[2]) return { kind: 'filter', path };
  const raw = m[3].trim();
  let value: string | number | boolean;
  if (raw.startsWith('"') || raw.startsWith("'")) value = readQuoted(raw, 1, raw[0], fail)[0];
  else if (raw === 'true' || raw === 'false') value = raw === 'true';
  else if (raw !== '' && !Number.isNaN(Number(raw))) value = Number(raw);
  else return fail(`cannot compare with "${raw}"`);
  return { kind: 'filter', path, op: m[2] as '==' | '!=' | '<' | '>', value };
}

/** Parses a kubectl JSONPath template; a malformed one is a JsonPathError quoting the template and saying what is wrong. */
export function parseJsonPath(template: string): TemplateNode[] {
  const fail = (m: string): never => {
    throw new JsonPathError(template, m);
  };
  const root: TemplateNode[] = [];
  const stack: Array<{ body: TemplateNode[]; steps: Step[] }> = [];
  const current = () => (stack.length ? stack[stack.length - 1].body : root);
  let i = 0;
  let text = '';
  while (i < template.length) {
    const c = template[i];
    if (c !== '{') {
      text += c;
      i++;
      continue;
    }
    if (text) current().push({ kind: 'text', text });
    text = '';
    // The expression runs to the matching "}", quoted strings aside.
    let j = i + 1;
    while (j < template.length && template[j] !== '}')
      j = template[j] === '"' || template[j] === "'" ? readQuoted(template, j + 1, template[j], fail)[1] : j + 1;
    if (j >= template.length) fail(`unclosed "{" at position ${i}`);
    const expr = template.slice(i + 1, j).trim();
    i = j + 1;
    if (expr.startsWith('"') || expr.startsWith("'")) {
      const [value, after] = readQuoted(expr, 1, expr[0], fail);
      if (after !== expr.length) fail(`unexpected text after the string in {${expr}}`);
      current().push({ kind: 'text', text: value });
    } else if (expr === 'end') {
      const open = stack.pop() ?? fail('{end} without {range}');
      current().push({ kind: 'range', steps: open.steps, body: open.body });
    } else if (expr.startsWith('range ')) {
      stack.push({ steps: parsePath(expr.slice(6).trim(), fail), body: [] });
    } else if (expr === '') {
      fail(`empty expression {} at position ${i - 2}`);
    } else {
      current().push({ kind: 'path', steps: parsePath(expr, fail) });
    }
  }
  if (text) current().push({ kind: 'text', text });
  if (stack.length) fail('{range} without {end}');
  return root;
}

type Json = unknown;

function step(values: Json[], s: Step): Json[] {
  const out: Json[] = [];
  for (const v of values) {
    if (s.kind === 'field') {
      if (v && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, s.name))
        out.push((v as Record<string, Json>)[s.name]);
    } else if (s.kind === 'wildcard') {
      if (Array.isArray(v)) out.push(...v);
      else if (v && typeof v === 'object') out.push(...Object.values(v));
    } else if (Array.isArray(v)) {
      if (s.kind === 'index') {
        const k = s.index < 0 ? v.length + s.index : s.index;
        if (k >= 0 && k < v.length) out.push(v[k]);
      } else if (s.kind === 'slice') {
        out.push(...v.slice(s.start ?? 0, s.end ?? v.length));
      } else {
        out.push(...v.filter((item) => matches(item, s)));
      }
    }
  }
  return out;
}

function matches(item: Json, f: Extract<Step, { kind: 'filter' }>): boolean {
  const found = f.path.reduce<Json[]>((vals, s) => step(vals, s), [item]);
  if (!f.op) return found.length > 0;
  return found.some((x) => {
    if (f.op === '==') return x === f.value || (typeof f.value === 'number' && String(x) === String(f.value));
    if (f.op === '!=') return x !== f.value;
    const [a, b] = [Number(x), Number(f.value)];
    return f.op === '<' ? a < b : a > b;
  });
}

const show = (v: Json): string =>
  typeof v === 'string'
    ? v
    : v === null || v === undefined
      ? ''
      : typeof v === 'object'
        ? JSON.stringify(v)
        : String(v);

function render(nodes: TemplateNode[], data: Json): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') out += n.text;
    else {
      const values = n.steps.reduce<Json[]>((vals, s) => step(vals, s), [data]);
      if (n.kind === 'path') out += values.map(show).join(' ');
      else for (const v of values) out += render(n.body, v);
    }
  }
  return out;
}

/** The template applied to one object (a single resource, or a v1 List of them). */
export function evaluateJsonPath(nodes: TemplateNode[], data: Json): string {
  return render(nodes, data);
}
