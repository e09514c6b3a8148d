// The binary's entry, before the bundle. `ghost --version` is answered here, without loading
// the bundle at all: it is what scripts and version managers run most, and the bundle's
// compile is most of a short command's cost. Everything else loads the bundle; Node 22+ can
// keep V8's compiled code of it between runs (half a megabyte of JavaScript), in the data
// dir's private compile-cache folder. Node 20 has no compile cache and loads the bundle as is.
import { compileCacheDir } from '@ghost/core';
import * as nodeModule from 'node:module';
import { VERSION, VERSION_FLAGS } from './version.js';

const args = process.argv.slice(2);
if (args.length === 1 && VERSION_FLAGS.includes(args[0]!)) {
  // What clipanion's version command prints.
  process.stdout.write(`${VERSION}\n`);
} else {
  // Node 22.1+; @types/node follows the oldest Node ghost supports (20), which lacks it.
  const { enableCompileCache } = nodeModule as { enableCompileCache?: (dir: string) => unknown };
  const cacheDir = enableCompileCache ? compileCacheDir() : null;
  if (cacheDir !== null) enableCompileCache!(cacheDir);
  // A runtime require: the bundle stays a file of its own, loaded after the cache is on.
  nodeModule.createRequire(import.meta.url)('./main.cjs');
}
