// What the built packages carry: one copy of core per process, and every module a bin's bundle
// loads at run time declared by its package (a pnpm install resolves nothing else from there).
import { readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, makeTempDir } from '../src/harness.js';

/** Appears once in each copy of core's code (its error brand). */
const CORE_MARK = 'Symbol.for("@ghost/core:GhostError")';
const read = (path: string) => readFileSync(join(REPO_ROOT, 'packages', path), 'utf8');
const copiesOfCore = (code: string) => code.split(CORE_MARK).length - 1;

/** The bare module names a bundle requires or imports at run time, without Node's built-ins. */
function loadedPackages(code: string): string[] {
  const names = [...code.matchAll(/(?:require|import)\("([^".][^"]*)"\)|from "([^".][^"]*)"/g)].map((match) => match[1] ?? match[2]!);
  const packages = names.map((name) => name.split('/').slice(0, name.startsWith('@') ? 2 : 1).join('/'));
  return [...new Set(packages)].filter((name) => !name.startsWith('node:') && !builtinModules.includes(name)).sort();
}

describe('bundles', () => {
  it("@ghost/core's entries share one copy of its modules, so an error from one is an instance of the other's class", async () => {
    const dist = join(REPO_ROOT, 'packages/ghost-core/dist');
    const files = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
    expect(files.reduce((total, file) => total + copiesOfCore(readFileSync(join(dist, file), 'utf8')), 0)).toBe(1);
    const { GhostError } = (await import(join(dist, 'index.js'))) as typeof import('@ghost/core');
    const { resolveProjectFile } = (await import(join(dist, 'stack.js'))) as typeof import('@ghost/core/stack');
    const dir = makeTempDir();
    expect(() => resolveProjectFile(dir, 'missing.yaml')).toThrow(GhostError);
  });

  it('@ghost/mcp imports @ghost/core instead of carrying a copy of it', () => {
    const mcp = read('ghost-mcp/dist/index.js');
    expect(mcp).toContain('from "@ghost/core"');
    expect(copiesOfCore(mcp)).toBe(0);
  });

  it('the ghost bin carries one core, which the MCP server it compiles in shares', () => {
    const cli = read('ghost-cli/dist/main.cjs');
    expect(copiesOfCore(cli)).toBe(1);
    expect(loadedPackages(cli)).not.toContain('@ghost/mcp');
    expect(cli).toContain('serveStdio');
  });

  it('the bins compile @ghost/core/format in and load only @ghost/core/stack as a file of its own, beside them', () => {
    for (const bin of ['ghost-cli', 'ghost-ui']) {
      const code = read(`${bin}/dist/main.cjs`);
      expect(code).not.toContain('@ghost/core/format');
      expect(code).toContain('require("./core-stack.cjs")');
      // The stack's own bundle has its YAML parser and schema library compiled in.
      expect(loadedPackages(read(`${bin}/dist/core-stack.cjs`))).not.toContain('yaml');
      expect(loadedPackages(read(`${bin}/dist/core-stack.cjs`))).not.toContain('zod');
    }
  });

  it.each(['ghost-cli/dist/main.cjs', 'ghost-ui/dist/main.cjs', 'ghost-mcp/dist/index.js', 'ghost-core/dist/index.js'])(
    'every package %s loads is a dependency of its own package',
    (bundle) => {
      const manifest = JSON.parse(read(`${bundle.split('/')[0]}/package.json`));
      const declared = [manifest.name, ...Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies, ...manifest.peerDependencies })];
      expect(loadedPackages(read(bundle)).filter((name) => !declared.includes(name))).toEqual([]);
    },
  );
});
