// The subset of Go text/template that kagent's prompt templates use: {{.Field}}, {{.}}, {{include "src/key"}},
// {{range .List}}...{{end}}, {{if X}}...{{else}}...{{end}}, {{/* comments */}} and the {{- -}} trim markers.
// Anything else is an InvalidSpec error naming the action, rather than a silently different prompt.

export interface TemplateContext {
  AgentName: string;
  AgentNamespace: string;
  Description: string;
  ToolNames: string[];
  SkillNames: string[];
}

type Node =
  | { t: 'text'; v: string }
  | { t: 'value'; expr: string }
  | { t: 'range'; expr: string; body: Node[]; elseBody: Node[] }
  | { t: 'if'; expr: string; body: Node[]; elseBody: Node[] };

interface Token {
  kind: 'text' | 'action';
  v: string;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) {
      out.push({ kind: 'text', v: src.slice(i) });
      break;
    }
    let text = src.slice(i, open);
    const close = src.indexOf('}}', open + 2);
    if (close < 0) throw new Error('unclosed action "{{"');
    let inner = src.slice(open + 2, close);
    let next = close + 2;
    if (inner.startsWith('- ') || inner === '-') {
      text = text.replace(/\s+$/, '');
      inner = inner.slice(1);
    }
    if (inner.endsWith(' -')) {
      inner = inner.slice(0, -1);
      while (next < src.length && /\s/.test(src[next])) next++;
    }
    if (text) out.push({ kind: 'text', v: text });
    out.push({ kind: 'action', v: inner.trim() });
    i = next;
  }
  return out;
}

function parse(tokens: Token[], pos: { i: number }, stopAt: string[]): { nodes: Node[]; stop: string } {
  const nodes: Node[] = [];
  while (pos.i < tokens.length) {
    const tok = tokens[pos.i++];
    if (tok.kind === 'text') {
      nodes.push({ t: 'text', v: tok.v });
      continue;
    }
    const a = tok.v;
    if (a.startsWith('/*')) continue;
    if (stopAt.includes(a)) return { nodes, stop: a };
    const m = /^(range|if)\s+(.+)$/.exec(a);
    if (m) {
      const first = parse(tokens, pos, ['end', 'else']);
      const elseBody = first.stop === 'else' ? parse(tokens, pos, ['end']).nodes : [];
      nodes.push({ t: m[1] as 'range' | 'if', expr: m[2].trim(), body: first.nodes, elseBody });
      continue;
    }
    if (a === 'end' || a === 'else') throw new Error(`unexpected {{${a}}}`);
    nodes.push({ t: 'value', expr: a });
  }
  if (stopAt.length > 0) throw new Error('missing {{end}}');
  return { nodes, stop: '' };
}

function evalExpr(expr: string, dot: unknown, ctx: TemplateContext, include: (p: string) => string): unknown {
  const inc = /^include\s+"((?:[^"\\]|\\.)*)"$/.exec(expr);
  if (inc) return include(JSON.parse(`"${inc[1]}"`) as string);
  if (expr === '.') return dot;
  if (/^\.[A-Za-z_]\w*$/.test(expr)) {
    const key = expr.slice(1);
    const base = (dot && typeof dot === 'object' && key in (dot as object) ? dot : ctx) as Record<string, unknown>;
    if (!(key in base)) throw new Error(`unknown field ${expr}`);
    return base[key];
  }
  if (/^\$\.[A-Za-z_]\w*$/.test(expr)) return evalExpr(expr.slice(1), ctx, ctx, include);
  throw new Error(`unsupported template action {{${expr}}}`);
}

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return Boolean(v);
}

function render(nodes: Node[], dot: unknown, ctx: TemplateContext, include: (p: string) => string): string {
  let out = '';
  for (const n of nodes) {
    if (n.t === 'text') out += n.v;
    else if (n.t === 'value') {
      const v = evalExpr(n.expr, dot, ctx, include);
      out += Array.isArray(v) ? `[${v.join(' ')}]` : v === undefined || v === null ? '' : String(v);
    } else if (n.t === 'if') {
      out += render(truthy(evalExpr(n.expr, dot, ctx, include)) ? n.body : n.elseBody, dot, ctx, include);
    } else {
      const list = evalExpr(n.expr, dot, ctx, include);
      const items = Array.isArray(list) ? list : [];
      if (items.length === 0) out += render(n.elseBody, dot, ctx, include);
      for (const item of items) out += render(n.body, item, ctx, include);
    }
  }
  return out;
}

/** Execute a system-message template; throws Error with the reason on a malformed or unsupported template. */
export function executeTemplate(source: string, lookup: ReadonlyMap<string, string>, ctx: TemplateContext): string {
  const tokens = tokenize(source);
  const { nodes } = parse(tokens, { i: 0 }, []);
  const include = (path: string): string => {
    const v = lookup.get(path);
    if (v === undefined) {
      throw new Error(
        `prompt template "${path}" not found in promptTemplate.dataSources, available: [${[...lookup.keys()].sort().join(' ')}]`,
      );
    }
    return v;
  };
  return render(nodes, ctx, ctx, include);
}
