// Bundles one package entry into a single file, so a command loads one file instead of a module
// graph (start-up is most of what a ghost command costs). Usage, from a package directory:
//   node ../../scripts/bundle.mjs <entry> <outfile> [--format=esm|cjs] [--inline=<workspace package>]...
//
// - The library (@ghost/core) is published as ESM.
// - The binaries are CommonJS: Node builds an ES-module facade for every built-in an ES module
//   imports, and resolves every ES import; a CommonJS bundle skips both.
// - --inline compiles a workspace package's TypeScript source into the bundle (a binary then
//   loads one file); the package stays a dependency for its types and its native modules.
// - --bundle-sqlite compiles better-sqlite3's JavaScript in too (loading its dozen files through
//   node_modules costs ~9 ms a command) by substituting core's db/driver.bundled.ts for
//   db/driver.ts; only the native addon is loaded from the installed package.
// - The package's other runtime dependencies stay external: native addons cannot be bundled and
//   blessed loads files at runtime. Small pure-JS dependencies listed in BUNDLED are inlined.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const BUNDLED = new Set(['clipanion']);
const args = process.argv.slice(2);
const [entry, outfile] = args.filter((arg) => !arg.startsWith('--'));
const format = args.find((arg) => arg.startsWith('--format='))?.slice('--format='.length) ?? 'esm';
const inline = args.filter((arg) => arg.startsWith('--inline=')).map((arg) => arg.slice('--inline='.length));
const bundleSqlite = args.includes('--bundle-sqlite');
if (!entry || !outfile || !['esm', 'cjs'].includes(format)) {
  console.error('usage: bundle.mjs <entry> <outfile> [--format=esm|cjs] [--inline=<package>]...');
  process.exit(2);
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const require = createRequire(resolve('package.json'));
const alias = Object.fromEntries(
  inline.map((name) => [name, join(dirname(require.resolve(`${name}/package.json`)), 'src', 'index.ts')]),
);
// An inlined package's subpath exports (`@ghost/core/stack`) stay separate files, loaded only by
// the commands that import them: their dependencies (a YAML parser, a schema library) would
// otherwise cost every command its start-up time.
const subpaths = inline.flatMap((name) =>
  Object.keys(JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).exports ?? {})
    .filter((key) => key !== '.' && !key.endsWith('.json'))
    .map((key) => `${name}/${key.slice(2)}`),
);
const external = [
  ...Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }).filter(
    (name) => !BUNDLED.has(name) && !inline.includes(name) && !(bundleSqlite && name === 'better-sqlite3'),
  ),
];

// A CommonJS binary gets each subpath as a bundle of its own beside it (`@ghost/core/stack` in
// dist/core-stack.cjs), its dependencies compiled in: loaded unbundled, they are an ES module
// graph of some 170 files (yaml, zod) and a second copy of the package's dist.
const subpathFile = (path) => `./${path.replace(/^@[^/]+\//, '').replaceAll('/', '-')}.cjs`;

/**
 * Keeps the subpaths above external (the package alias would otherwise swallow them). In a
 * CommonJS binary an `import()` of one becomes a require() of its file: Node's import() of a
 * CommonJS file scans all of it for its exports first (~120 ms for a megabyte).
 */
const separateSubpaths = {
  name: 'separate-subpaths',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (!subpaths.includes(args.path)) return undefined;
      return format === 'cjs' ? { path: args.path, namespace: 'subpath' } : { path: args.path, external: true };
    });
    build.onResolve({ filter: /.*/, namespace: 'subpath' }, (args) => ({ path: args.path, external: true }));
    build.onLoad({ filter: /.*/, namespace: 'subpath' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(subpathFile(args.path))});`,
      loader: 'js',
    }));
  },
};

/**
 * clipanion loads `tty` (and with it `net` and `stream`: ~4 ms) only to guess a default colour
 * depth, which ghost never uses (it always sets enableColors). Its interop helper treats a
 * falsy default export as "no tty" and falls back to environment checks, so clipanion gets that.
 * When stdout really is a terminal, Node loads tty itself.
 */
const clipanionWithoutTty = {
  name: 'clipanion-without-tty',
  setup(build) {
    build.onResolve({ filter: /^tty$/ }, (args) =>
      args.importer.includes('/clipanion/') ? { path: 'tty', namespace: 'no-tty' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'no-tty' }, () => ({ contents: 'module.exports = { default: null };', loader: 'js' }));
  },
};

/** Points core's `./driver.js` at `./driver.bundled.ts` (see --bundle-sqlite above). */
const bundledDriver = {
  name: 'bundled-sqlite-driver',
  setup(build) {
    build.onResolve({ filter: /^\.\/driver\.js$/ }, (args) =>
      args.importer.includes('ghost-core/src/db') ? { path: join(args.resolveDir, 'driver.bundled.ts') } : undefined,
    );
  },
};

const entries = [
  [entry, outfile],
  ...(format === 'cjs'
    ? subpaths.map((path) => {
        const [scope, name, ...rest] = path.split('/');
        return [join(dirname(require.resolve(`${scope}/${name}/package.json`)), 'src', `${rest.join('/')}.ts`), join(dirname(outfile), subpathFile(path))];
      })
    : []),
];
for (const [entryPoint, out] of entries) await build({
  entryPoints: [entryPoint],
  outfile: out,
  bundle: true,
  platform: 'node',
  format,
  target: 'node20',
  external,
  alias,
  plugins: [separateSubpaths, clipanionWithoutTty, ...(bundleSqlite ? [bundledDriver] : [])],
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  define: {
    __GHOST_VERSION__: JSON.stringify(pkg.version),
    // Inlined ESM code (core) finds its dependencies relative to import.meta.url.
    ...(format === 'cjs' ? { 'import.meta.url': '__ghostImportMetaUrl' } : {}),
  },
  banner: {
    js:
      format === 'cjs'
        ? "const __ghostImportMetaUrl = require('node:url').pathToFileURL(__filename).href;"
        : // CommonJS dependencies inlined into an ESM bundle may call require() for built-ins.
          "import { createRequire as __ghostCreateRequire } from 'node:module'; const require = __ghostCreateRequire(import.meta.url);",
  },
});
