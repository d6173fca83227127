// No import cycle in src/ or webview/: a cycle makes module order matter at load time and couples modules
// that should layer. Imports are read with a regex (static, re-export, side-effect and dynamic import()
// of relative paths; type-only imports count too) and resolved the way the bundler does.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) tsFiles(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The relative module specifiers a source file imports. */
function importedSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specs: string[] = [];
  for (const m of code.matchAll(/\bfrom\s*['"](\.{1,2}\/[^'"]*)['"]|\bimport\s*\(?\s*['"](\.{1,2}\/[^'"]*)['"]/g)) specs.push(m[1] ?? m[2]);
  return specs;
}

/** The .ts file a relative specifier names (x.ts or x/index.ts), or undefined for assets such as .css. */
function resolve(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  return [`${base}.ts`, path.join(base, 'index.ts'), base].find((p) => p.endsWith('.ts') && existsSync(p));
}

/** Every cycle's strongly connected component (Tarjan), each as one cycle through it, files relative to ROOT. */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)?.includes(v)) components.push(component);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return components.map((component) => cycleThrough(graph, new Set(component)));
}

/** One shortest cycle inside a strongly connected component, from its alphabetically first module. */
function cycleThrough(graph: ReadonlyMap<string, readonly string[]>, component: ReadonlySet<string>): string[] {
  const start = [...component].sort()[0];
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!component.has(w)) continue;
      if (w === start) {
        const cycle = [v];
        while (cycle[0] !== start) cycle.unshift(previous.get(cycle[0])!);
        return cycle;
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of [...tsFiles(path.join(ROOT, 'src')), ...tsFiles(path.join(ROOT, 'webview'))]) {
    const targets = importedSpecifiers(readFileSync(file, 'utf8'))
      .map((spec) => resolve(file, spec))
      .filter((t): t is string => t !== undefined);
    graph.set(path.relative(ROOT, file), [...new Set(targets.map((t) => path.relative(ROOT, t)))].sort());
  }
  return graph;
}

describe('import cycles', () => {
  it('reads static, type-only, re-export, side-effect and dynamic imports of relative paths', () => {
    const source = [
      "import { a } from './a';",
      "import type { B } from '../b';",
      'import {\n  c,\n  d,\n} from "./c";',
      "export { e } from './e';",
      "import './f.css';",
      "const g = await import('./g');",
      "import * as vscode from 'vscode';",
      "// import { h } from './h';",
      "/* export * from './i'; */",
    ].join('\n');
    expect(importedSpecifiers(source)).toEqual(['./a', '../b', './c', './e', './f.css', './g']);
  });

  it('finds a cycle and names it from its first module', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
      ['e', ['e']],
    ]);
    expect(findCycles(graph)).toEqual([['a', 'b', 'c'], ['e']]);
  });

  it('src/ and webview/ import no module that imports them back', () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(100);
    expect(findCycles(graph).map((cycle) => [...cycle, cycle[0]].join(' -> '))).toEqual([]);
  });

  it('no two host features (src/extension/<feature>/) import each other: they meet through services from activate()', () => {
    const feature = (file: string) => /^src[\\/]extension[\\/]([^\\/]+)[\\/]/.exec(file)?.[1];
    const edges = new Map<string, Set<string>>();
    for (const [file, targets] of importGraph()) {
      const from = feature(file);
      for (const to of targets.map(feature)) if (from && to && to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
    expect(edges.get('estimate')?.has('priors')).toBe(true); // the graph is read (estimate hands priors to the editor)
    expect(findCycles(new Map([...edges].map(([f, t]) => [f, [...t]]))).map((cycle) => [...cycle, cycle[0]].join(' -> '))).toEqual([]);
  });
});
