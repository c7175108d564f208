// Import loops between files, and between folders, in the extension's own TypeScript.
// Type-only imports count too: a loop in types is still a loop a newcomer has to untangle.
//   node scripts/import-loops.mjs          → prints the loops, exit 1 if any
// test/import-loops.test.ts runs the same check in `npm test`.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE_ROOTS = ['entrypoints', 'content-scripts', 'providers', 'shared'];
const EXTENSIONS = ['.ts', '.tsx'];
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function walk(root, directory, out) {
  for (const name of readdirSync(join(root, directory))) {
    const path = join(directory, name);
    if (statSync(join(root, path)).isDirectory()) walk(root, path, out);
    else if (EXTENSIONS.some((e) => name.endsWith(e)) && !name.endsWith('.d.ts')) out.push(path);
  }
}

function resolveImport(root, fromFile, specifier) {
  let base;
  if (specifier.startsWith('@/')) base = specifier.slice(2);
  else if (specifier.startsWith('.')) base = relative(root, resolve(root, dirname(fromFile), specifier));
  else return null; // a package
  for (const candidate of [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => join(base, 'index' + e))]) {
    if (existsSync(join(root, candidate)) && statSync(join(root, candidate)).isFile()) return candidate;
  }
  return null;
}

/** The folder a file belongs to, for the folder-level check: `shared/engine`, `providers`, … */
const folderOf = (file) => dirname(file);

/** Strongly connected components with more than one member (or a self-edge): the loops. */
function loops(graph) {
  let index = 0;
  const indices = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (node) => {
    indices.set(node, index);
    low.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node), indices.get(next)));
    }
    if (low.get(node) === indices.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? new Set()).has(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return found;
}

export function importLoops(root) {
  const files = [];
  for (const r of SOURCE_ROOTS) if (existsSync(join(root, r))) walk(root, r, files);
  const fileGraph = new Map();
  const folderGraph = new Map();
  const edgesBetween = new Map(); // "a → b" folder edge → the file imports that make it
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const targets = new Set();
    for (const m of text.matchAll(IMPORT)) {
      const target = resolveImport(root, file, m[1] ?? m[2] ?? m[3]);
      if (target && SOURCE_ROOTS.some((r) => target.startsWith(r + '/'))) targets.add(target);
    }
    fileGraph.set(file, targets);
    const from = folderOf(file);
    if (!folderGraph.has(from)) folderGraph.set(from, new Set());
    for (const target of targets) {
      const to = folderOf(target);
      if (to === from) continue;
      folderGraph.get(from).add(to);
      const key = `${from} → ${to}`;
      if (!edgesBetween.has(key)) edgesBetween.set(key, []);
      edgesBetween.get(key).push(`${file} → ${target}`);
    }
  }
  const folderLoops = loops(folderGraph).map((folders) => ({
    folders,
    because: [...edgesBetween.entries()]
      .filter(([key]) => {
        const [a, b] = key.split(' → ');
        return folders.includes(a) && folders.includes(b);
      })
      .flatMap(([, imports]) => imports),
  }));
  return { files: files.length, fileLoops: loops(fileGraph), folderLoops };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const result = importLoops(root);
  for (const loop of result.fileLoops) console.log(`file loop: ${loop.join(' ⇄ ')}`);
  for (const loop of result.folderLoops) console.log(`folder loop: ${loop.folders.join(' ⇄ ')}\n  ${loop.because.join('\n  ')}`);
  console.log(`${result.files} files: ${result.fileLoops.length} file loops, ${result.folderLoops.length} folder loops`);
  process.exit(result.fileLoops.length || result.folderLoops.length ? 1 : 0);
}
