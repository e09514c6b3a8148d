// No import cycles inside a package's src/: a cycle makes load order matter (a module can see
// another half-initialised) and is a sign that two concerns are tangled. Type-only imports count
// too, since they tangle the design as much. Walks relative imports only: the packages depend
// on each other in one direction through their package.json.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGES_DIR = fileURLToPath(new URL('../../', import.meta.url));
const CHECKED = readdirSync(PACKAGES_DIR).filter((name) => existsSync(join(PACKAGES_DIR, name, 'src')));

const IMPORT = /(?:^|[\s;])(?:import|export)(?:\s+type)?\s[^'";]*?\bfrom\s*['"](\.[^'"]+)['"]|\bimport\s*\(\s*['"](\.[^'"]+)['"]\s*\)|^\s*import\s+['"](\.[^'"]+)['"]/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The file a relative specifier names: `./x.js` is `./x.ts`, a folder is its index. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((path) => {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  });
}

export function importGraph(srcDir: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(srcDir)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(IMPORT)]
      .map((match) => resolveSpecifier(file, (match[1] ?? match[2] ?? match[3])!))
      .filter((target): target is string => target !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as the files around it. */
export function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const visit = (file: string) => {
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (onStack.has(next)) cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!done.has(next)) visit(next);
    }
    stack.pop();
    onStack.delete(file);
    done.add(file);
  };
  for (const file of graph.keys()) if (!done.has(file)) visit(file);
  return cycles;
}

describe('import cycles', () => {
  it('are found by the walk (a self-check on a made-up graph)', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(findCycles(graph)).toEqual([['a', 'b', 'c', 'a']]);
  });

  it('reads every form of relative import', () => {
    const graph = importGraph(join(PACKAGES_DIR, 'ghost-cli', 'src'));
    const cli = join(PACKAGES_DIR, 'ghost-cli', 'src', 'cli.ts');
    expect(graph.get(cli)).toContain(join(PACKAGES_DIR, 'ghost-cli', 'src', 'commands', 'completion.ts'));
    expect(graph.get(cli)).toContain(join(PACKAGES_DIR, 'ghost-cli', 'src', 'context.ts'));
  });

  it('checks every package', () => {
    expect(CHECKED).toEqual(expect.arrayContaining(['ghost-core', 'ghost-cli', 'ghost-ui', 'ghost-mcp']));
  });

  it.for(CHECKED)('there are none in packages/%s/src', (name) => {
    const cycles = findCycles(importGraph(join(PACKAGES_DIR, name, 'src')));
    expect(cycles.map((cycle) => cycle.map((file) => relative(PACKAGES_DIR, file)).join(' → '))).toEqual([]);
  });
});
