// The binary's entry, before the bundle. `ghost --version` is answered here, without loading
// the bundle at all: it is what scripts and version managers run most, and the bundle's
// compile is most of a short command's cost. Everything else loads the bundle with V8's code
// cache (see code-cache.ts), in the data dir's private compile-cache folder; on Node 22+,
// Node's own compile cache there serves what the bundle requires (the stack's bundle, the MCP SDK).
import { compileCacheDir } from '@ghost/core';
import * as nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';
import { requireWithCodeCache } from './code-cache.js';
import { VERSION, VERSION_FLAGS } from './version.js';

const args = process.argv.slice(2);
if (args.length === 1 && VERSION_FLAGS.includes(args[0]!)) {
  // What clipanion's version command prints.
  process.stdout.write(`${VERSION}\n`);
} else {
  // Node 22.1+; @types/node follows the oldest Node ghost supports (20), which lacks it.
  const { enableCompileCache } = nodeModule as { enableCompileCache?: (dir: string) => unknown };
  const cacheDir = compileCacheDir();
  if (cacheDir !== null && enableCompileCache) enableCompileCache(cacheDir);
  requireWithCodeCache(fileURLToPath(new URL('./main.cjs', import.meta.url)), {
    cacheDir: () => cacheDir ?? compileCacheDir(),
    version: VERSION,
    command: args[0] ?? '',
  });
}
