// Bundles one package entry into a single file, so a command loads one file instead of a module
// graph (start-up is most of what a ghost command costs). Usage, from a package directory:
//   node ../../scripts/bundle.mjs <entry> <outfile> [--format=esm|cjs] [--inline=<workspace package>]...
//   node ../../scripts/bundle.mjs <entry>... --outdir=<dir>      (a library's entries, sharing modules)
//
// - The library (@ghost/core) is published as ESM.
// - The binaries are CommonJS: Node builds an ES-module facade for every built-in an ES module
//   imports, and resolves every ES import; a CommonJS bundle skips both.
// - --inline compiles a workspace package's TypeScript source into the bundle (a binary then
//   loads one file), with its subpath exports but SEPARATE_SUBPATHS; the package stays a
//   dependency for its types and its native modules.
// - --bundle-sqlite compiles better-sqlite3's JavaScript in too (loading its dozen files through
//   node_modules costs ~9 ms a command) by substituting core's db/better-sqlite.bundled.ts for
//   db/better-sqlite.ts; only the native addon is loaded from the installed package.
// - The package's other runtime dependencies stay external: native addons cannot be bundled and
//   blessed loads files at runtime. Small pure-JS dependencies listed in BUNDLED are inlined.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const BUNDLED = new Set(['clipanion']);
const args = process.argv.slice(2);
const positional = args.filter((arg) => !arg.startsWith('--'));
// With --outdir, every positional argument is an entry of one ESM build that shares its modules
// between entries (code splitting): a library's subpaths then hold one copy of each module, so one
// GhostError class, one driver cache. Without, one entry goes to one file.
const outdir = args.find((arg) => arg.startsWith('--outdir='))?.slice('--outdir='.length);
const [entry, outfile] = outdir ? [positional, undefined] : positional;
const format = args.find((arg) => arg.startsWith('--format='))?.slice('--format='.length) ?? 'esm';
const inline = args.filter((arg) => arg.startsWith('--inline=')).map((arg) => arg.slice('--inline='.length));
const bundleSqlite = args.includes('--bundle-sqlite');
if ((outdir ? entry.length === 0 || format !== 'esm' : !entry || !outfile) || !['esm', 'cjs'].includes(format)) {
  console.error('usage: bundle.mjs <entry> <outfile> [--format=esm|cjs] [--inline=<package>]... | bundle.mjs <entry>... --outdir=<dir>');
  process.exit(2);
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const require = createRequire(resolve('package.json'));
// Subpaths of an inlined package that stay separate files, loaded only by the commands that
// import them: `@ghost/core/stack` brings a YAML parser and a schema library, which would
// otherwise cost every command its start-up time. Every other subpath (`@ghost/core/format`,
// which nearly every command uses) is compiled into the bundle like the package's main entry,
// since loading it as a file of its own would cost each command a second module.
const SEPARATE_SUBPATHS = new Set(['@ghost/core/stack']);
const inlined = inline.map((name) => {
  const manifestPath = require.resolve(`${name}/package.json`);
  return { name, dir: dirname(manifestPath), manifest: JSON.parse(readFileSync(manifestPath, 'utf8')) };
});
/** `@ghost/core` → its src/index.ts, `@ghost/core/format` → src/format.ts: each export's source. */
const alias = Object.fromEntries(
  inlined.flatMap(({ name, dir, manifest }) =>
    Object.entries(manifest.exports ?? {})
      .filter(([key]) => !key.endsWith('.json'))
      .map(([key, target]) => [
        key === '.' ? name : `${name}/${key.slice(2)}`,
        join(dir, target.import.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')),
      ]),
  ),
);
// An inlined package's own dependencies stay external too (the MCP SDK that @ghost/mcp brings
// must not grow every command's bundle); the binary's package declares them so that they resolve
// from its bundle (e2e/tests/bundles.test.ts checks).
const external = [
  ...Object.keys(
    Object.assign({}, ...[pkg, ...inlined.map(({ manifest }) => manifest)].flatMap((each) => [each.dependencies, each.optionalDependencies, each.peerDependencies])),
  ).filter(
    (name) => !BUNDLED.has(name) && !inline.includes(name) && !(bundleSqlite && name === 'better-sqlite3'),
  ),
];

// A CommonJS binary gets each subpath as a bundle of its own beside it (`@ghost/core/stack` in
// dist/core-stack.cjs), its dependencies compiled in: loaded unbundled, they are an ES module
// graph of some 170 files (yaml, zod) and a second copy of the package's dist.
const subpathFile = (path) => `./${path.replace(/^@[^/]+\//, '').replaceAll('/', '-')}.cjs`;

/**
 * Keeps SEPARATE_SUBPATHS external (the package alias would otherwise swallow them). In a
 * CommonJS binary an `import()` of one becomes a require() of its file: Node's import() of a
 * CommonJS file scans all of it for its exports first (~120 ms for a megabyte).
 */
const separateSubpaths = {
  name: 'separate-subpaths',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (!SEPARATE_SUBPATHS.has(args.path)) return undefined;
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

/** Points core's `./better-sqlite.js` at `./better-sqlite.bundled.ts` (see --bundle-sqlite above). */
const bundledDriver = {
  name: 'bundled-sqlite-driver',
  setup(build) {
    build.onResolve({ filter: /^\.\/better-sqlite\.js$/ }, (args) =>
      args.importer.includes('ghost-core/src/db') && !args.importer.endsWith('.bundled.ts')
        ? { path: join(args.resolveDir, 'better-sqlite.bundled.ts') }
        : undefined,
    );
  },
};

const entries = [
  [entry, outfile],
  ...(format === 'cjs'
    ? [...SEPARATE_SUBPATHS].filter((path) => inline.some((name) => path.startsWith(`${name}/`))).map((path) => {
        const [scope, name, ...rest] = path.split('/');
        return [join(dirname(require.resolve(`${scope}/${name}/package.json`)), 'src', `${rest.join('/')}.ts`), join(dirname(outfile), subpathFile(path))];
      })
    : []),
];
// A subpath's own bundle compiles in the inlined package's dependencies (yaml, zod for the stack):
// it is loaded only by the commands that need them, as one file.
// Chunks are named by their content: an earlier build's would stay beside the new ones.
if (outdir) rmSync(join(outdir, 'shared'), { recursive: true, force: true });
const inlinedDependencies = new Set(inlined.flatMap(({ manifest }) => Object.keys(manifest.dependencies ?? {})));
for (const [entryPoint, out] of entries) await build({
  ...(outdir ? { entryPoints: entry, outdir, splitting: true, chunkNames: 'shared/[name]-[hash]' } : { entryPoints: [entryPoint], outfile: out }),
  bundle: true,
  platform: 'node',
  format,
  target: 'node20',
  external: out === outfile ? external : external.filter((name) => !inlinedDependencies.has(name)),
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
