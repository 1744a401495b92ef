// The layout rules applied to an import graph: pure, so the test feeds it small graphs and the CI script the real one.
// A room is a top-level folder; layout.json says which rooms each room may import. Every file must be in a known
// room, every edge between two rooms must be allowed, and no set of files may import each other in a loop.
import type { ImportEdge } from './graph.js';

export interface Room {
  floor: string;
  /** Rooms this room's files may import; "*" allows every room. A room may always import itself. */
  mayImport: string[];
  /** Why the room sits where it does; shown in the failure message. */
  about?: string;
}

export interface LayoutRules {
  rooms: Record<string, Room>;
}

export interface Problem {
  kind: 'rules' | 'unknown-room' | 'forbidden-import' | 'cycle';
  message: string;
}

/** The room of a repository path: its top-level folder, or "(root)" for files at the top. */
export function roomOf(path: string): string {
  const slash = path.indexOf('/');
  return slash < 0 ? '(root)' : path.slice(0, slash);
}

/** Checks the rules file itself: every named room exists, and the allowed imports between rooms have no loop. */
export function checkRules(rules: LayoutRules): Problem[] {
  const problems: Problem[] = [];
  const rooms = rules.rooms ?? {};
  for (const [name, room] of Object.entries(rooms)) {
    if (!room || !Array.isArray(room.mayImport)) {
      problems.push({ kind: 'rules', message: `layout.json: rooms.${name}.mayImport must be a list of room names` });
      continue;
    }
    for (const target of room.mayImport) {
      if (target !== '*' && !(target in rooms))
        problems.push({
          kind: 'rules',
          message: `layout.json: rooms.${name}.mayImport names "${target}", which is not a room`,
        });
    }
  }
  if (problems.length) return problems;
  const explicit = new Map(
    Object.entries(rooms)
      .filter(([, r]) => !r.mayImport.includes('*'))
      .map(([n, r]) => [n, r.mayImport.filter((t) => t !== n)]),
  );
  for (const loop of cycles(explicit)) {
    problems.push({
      kind: 'rules',
      message: `layout.json: rooms allowed to import each other in a loop: ${loop.join(' -> ')} -> ${loop[0]}`,
    });
  }
  return problems;
}

/** Every problem of the graph under the rules, in a stable order. `files` are all files checked (for unknown rooms). */
export function checkLayout(rules: LayoutRules, files: readonly string[], edges: readonly ImportEdge[]): Problem[] {
  const ruleProblems = checkRules(rules);
  if (ruleProblems.length) return ruleProblems;
  const problems: Problem[] = [];
  const unknown = new Map<string, string>();
  for (const f of files) {
    const room = roomOf(f);
    if (!(room in rules.rooms) && !unknown.has(room)) unknown.set(room, f);
  }
  for (const [room, example] of [...unknown].sort()) {
    problems.push({
      kind: 'unknown-room',
      message: `${example}: folder "${room}" is not a room in layout.json; add it with the rooms it may import`,
    });
  }
  for (const e of edges) {
    const from = roomOf(e.from);
    const to = roomOf(e.to);
    const room = rules.rooms[from];
    if (!room || from === to || room.mayImport.includes('*') || room.mayImport.includes(to)) continue;
    const allowed = room.mayImport.length ? room.mayImport.join(', ') : 'nothing outside itself';
    problems.push({
      kind: 'forbidden-import',
      message: `${e.from}:${e.line} imports ${e.to}: ${from}/ (${room.floor}) may import ${allowed}, not ${to}/`,
    });
  }
  const byFile = new Map<string, string[]>();
  for (const e of edges) {
    const list = byFile.get(e.from) ?? [];
    if (!list.includes(e.to)) list.push(e.to);
    byFile.set(e.from, list);
  }
  for (const loop of cycles(byFile)) {
    problems.push({ kind: 'cycle', message: `import cycle: ${loop.join(' -> ')} -> ${loop[0]}` });
  }
  return problems;
}

/**
 * One loop per strongly connected component with more than one node (or a node importing itself), each starting at
 * its alphabetically first node: Tarjan's algorithm for the components, then a shortest path back for the loop shown.
 */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(comp);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) strong(v);
  return components
    .map((comp) => {
      const members = new Set(comp);
      const start = [...comp].sort()[0];
      return shortestLoop(graph, start, members);
    })
    .sort((a, b) => a[0].localeCompare(b[0]));
}

/** The shortest path from `start` back to itself inside `members` (breadth first), without repeating `start`. */
function shortestLoop(
  graph: ReadonlyMap<string, readonly string[]>,
  start: string,
  members: ReadonlySet<string>,
): string[] {
  const prev = new Map<string, string>();
  const queue = [start];
  const seen = new Set([start]);
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of [...(graph.get(v) ?? [])].sort()) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(prev.get(path[0])!);
        return path;
      }
      if (!seen.has(w)) {
        seen.add(w);
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}
