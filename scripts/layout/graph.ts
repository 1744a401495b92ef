// The project's import graph as the TypeScript compiler resolves it: every relative import, `export ... from`,
// `import type` and `import('...')` with a literal path, from each source file to the repository file it resolves to.
// Type-only imports count: a cycle through types still ties two files into one unit for a reader.
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  from: string;
  to: string;
  line: number;
}

const SKIP_DIRS = new Set(['node_modules', 'dist', '.git']);

/** Every .ts/.tsx/.js/.mjs file under `dirs` (relative to root), skipping dependencies and build output. */
export function sourceFiles(root: string, dirs: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (abs: string): void => {
    for (const name of readdirSync(abs).sort()) {
      if (SKIP_DIRS.has(name) || name.startsWith('.')) continue;
      const child = join(abs, name);
      if (statSync(child).isDirectory()) walk(child);
      else if (/\.(m?[jt]s|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(child);
    }
  };
  for (const dir of dirs) {
    const abs = join(root, dir);
    let isDir = false;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      // A folder named in the rules that does not exist (yet) simply has no files.
    }
    if (isDir) walk(abs);
  }
  return out;
}

/** The module specifiers a file names, with their line numbers. */
function specifiers(file: ts.SourceFile): Array<{ spec: string; line: number }> {
  const found: Array<{ spec: string; line: number }> = [];
  const add = (node: ts.Node, lit: ts.Expression | undefined) => {
    if (lit && ts.isStringLiteralLike(lit))
      found.push({ spec: lit.text, line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node, node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      add(node, node.moduleReference.expression);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword)
      add(node, node.arguments[0]);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node, node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

const toPosix = (p: string) => p.split(sep).join('/');

/** The edges between repository files (paths relative to root, `/`-separated); packages are not edges. */
export function importGraph(root: string, files: readonly string[]): ImportEdge[] {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowJs: true,
    resolveJsonModule: true,
  };
  const host = ts.createCompilerHost(options);
  const edges: ImportEdge[] = [];
  for (const abs of files) {
    const text = ts.sys.readFile(abs) ?? '';
    const source = ts.createSourceFile(
      abs,
      text,
      ts.ScriptTarget.Latest,
      true,
      abs.endsWith('x') ? ts.ScriptKind.TSX : undefined,
    );
    for (const { spec, line } of specifiers(source)) {
      if (!spec.startsWith('.') && !spec.startsWith('/')) continue;
      const resolved = ts.resolveModuleName(spec, abs, options, host).resolvedModule?.resolvedFileName;
      if (!resolved || resolved.includes(`${sep}node_modules${sep}`)) continue;
      edges.push({ from: toPosix(relative(root, abs)), to: toPosix(relative(root, resolved)), line });
    }
  }
  return edges;
}
