/**
 * The layers a newcomer sees in the tree hold: data flows one way (core ← probes ← engine ←
 * cli, vscode), no import goes up a layer or across between the two front ends, and no import
 * circle exists anywhere in src/ (type-only imports count: a circle of types is still one a
 * reader has to untangle).
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = join(__dirname, '..', '..', '..', 'src');
const RANK: Record<string, number> = { core: 0, probes: 1, engine: 2, cli: 3, vscode: 3 };
const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s+)['"](\.{1,2}\/[^'"]*)['"]/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** The file a relative specifier names (`./x` → x.ts or x/index.ts), or undefined outside src/. */
function target(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts'), base].find((p) => p.startsWith(SRC) && existsSync(p) && statSync(p).isFile());
}

const layerOf = (file: string) => relative(SRC, file).split('/')[0]!;
const name = (file: string) => relative(SRC, file);

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    graph.set(file, [...text.matchAll(IMPORT)].flatMap((m) => target(file, m[1]!) ?? []));
  }
  return graph;
}

/** Strongly connected components of more than one file, or a file importing itself (Tarjan). */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do component.push((w = stack.pop()!));
      while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.map(name).sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('the layers of src/', () => {
  const graph = importGraph();

  it('reads the imports it judges (the check cannot pass on an empty graph)', () => {
    const edges = [...graph.values()].reduce((n, targets) => n + targets.length, 0);
    assert.ok(graph.size > 100 && edges > 500, `${graph.size} files, ${edges} imports`);
    assert.deepEqual(Object.keys(RANK).sort(), [...new Set([...graph.keys()].map(layerOf))].sort(), 'every folder of src/ has a layer');
  });

  it('has no import circle', () => {
    assert.deepEqual(circles(graph), []);
  });

  it('never imports up a layer, nor between the CLI and the extension', () => {
    const wrong = [...graph].flatMap(([from, targets]) =>
      targets.filter((to) => {
        const [a, b] = [layerOf(from), layerOf(to)];
        return a !== b && RANK[b]! >= RANK[a]!;
      }).map((to) => `${name(from)} → ${name(to)}`),
    );
    assert.deepEqual(wrong, []);
  });

  it('the extension host never loads Pulumi: nothing src/vscode imports reaches a module that imports it (Pulumi runs in the child)', () => {
    const reached = new Set<string>();
    const visit = (file: string): void => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const to of graph.get(file) ?? []) visit(to);
    };
    for (const file of graph.keys()) if (layerOf(file) === 'vscode') visit(file);
    const pulumi = [...reached].filter((file) => /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]@pulumi\//.test(readFileSync(file, 'utf8'))).map(name);
    assert.deepEqual(pulumi, []);
    assert.ok([...reached].some((file) => layerOf(file) === 'core'), 'the walk reaches what the extension imports');
  });

  it('finds a circle and an upward import when there is one (the check can fail)', () => {
    const a = join(SRC, 'core', 'a.ts');
    const b = join(SRC, 'core', 'b.ts');
    assert.deepEqual(circles(new Map([[a, [b]], [b, [a]]])), [['core/a.ts', 'core/b.ts']]);
    assert.equal(target(join(SRC, 'core', 'plan.ts'), '../engine/engine'), join(SRC, 'engine', 'engine.ts'));
  });
});
