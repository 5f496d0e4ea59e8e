#!/usr/bin/env node
// Fails when the modules under src/ import each other in a cycle. Reads .ts and .svelte files
// (the <script> blocks of the latter), follows relative imports, re-exports and dynamic imports
// (type-only imports count too), and reports every cycle. A component importing itself (recursion,
// e.g. a tree item) is not a cycle.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const EXTENSIONS = ['.ts', '.svelte'];

/** @param {string} dir @returns {string[]} */
function listFiles(dir) {
  /** @type {string[]} */
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFiles(path));
    else if (EXTENSIONS.some((e) => name.endsWith(e)) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The import specifiers of a .ts or .svelte source. @param {string} path @param {string} source */
export function importsOf(path, source) {
  let code = source;
  if (path.endsWith('.svelte')) {
    code = [...source.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
  }
  return ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName);
}

/** @param {string} from @param {string} spec @param {Set<string>} files */
function resolveImport(from, spec, files) {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  const candidates = [base, `${base}.ts`, `${base}.svelte.ts`, join(base, 'index.ts'), base.replace(/\.js$/, '.ts')];
  return candidates.find((c) => files.has(c)) ?? null;
}

/** The import graph of a source tree: file -> files it imports. @param {string} root */
export function importGraph(root) {
  const files = listFiles(resolve(root));
  const known = new Set(files);
  /** @type {Map<string, string[]>} */
  const graph = new Map();
  for (const file of files) {
    const deps = new Set();
    for (const spec of importsOf(file, readFileSync(file, 'utf8'))) {
      const target = resolveImport(file, spec, known);
      if (target && target !== file) deps.add(target);
    }
    graph.set(file, [...deps]);
  }
  return graph;
}

/** Every cycle, as the list of files along it (Tarjan's strongly connected components). @param {Map<string, string[]>} graph */
export function findCycles(graph) {
  let counter = 0;
  /** @type {Map<string, number>} */ const index = new Map();
  /** @type {Map<string, number>} */ const low = new Map();
  /** @type {string[]} */ const stack = [];
  const onStack = new Set();
  /** @type {string[][]} */ const cycles = [];

  /** @param {string} v */
  function visit(v) {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) === index.get(v)) {
      /** @type {string[]} */ const component = [];
      let w;
      do {
        w = /** @type {string} */ (stack.pop());
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) cycles.push(component.reverse());
    }
  }
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

const here = dirname(fileURLToPath(import.meta.url));
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(here, '..', 'src'));
  const graph = importGraph(root);
  const cycles = findCycles(graph);
  if (cycles.length) {
    console.error(`Import cycles in ${relative(process.cwd(), root) || '.'}:`);
    for (const c of cycles) console.error(`  ${[...c, c[0]].map((f) => relative(root, f)).join(' -> ')}`);
    process.exit(1);
  }
  console.log(`No import cycles among ${graph.size} modules in ${relative(process.cwd(), root) || '.'}.`);
}
