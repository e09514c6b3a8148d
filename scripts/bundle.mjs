// Bundles one package entry into a single ESM file, so a binary loads one file instead of a
// module graph (startup time is most of what a ghost command costs). Usage, from a package dir:
//   node ../../scripts/bundle.mjs <entry> <outfile>
// The package's runtime dependencies stay external: native modules (better-sqlite3) cannot be
// bundled, workspace packages are bundled on their own, and blessed loads files at runtime.
// Small pure-JS dependencies listed in BUNDLED are inlined.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const BUNDLED = new Set(['clipanion']);
const [entry, outfile] = process.argv.slice(2);
if (!entry || !outfile) {
  console.error('usage: bundle.mjs <entry> <outfile>');
  process.exit(2);
}
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const external = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }).filter(
  (name) => !BUNDLED.has(name),
);

await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  define: { __GHOST_VERSION__: JSON.stringify(pkg.version) },
  // CommonJS dependencies inlined into an ESM bundle may call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __ghostCreateRequire } from 'node:module'; const require = __ghostCreateRequire(import.meta.url);",
  },
});
