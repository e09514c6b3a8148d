// The binary's entry, before the bundle: Node 22+ can keep V8's compiled code of the bundle
// between runs (half a megabyte of JavaScript: most of a short command's own cost), in the data
// dir's private compile-cache folder. Node 20 has no compile cache and loads the bundle as is.
import { compileCacheDir } from '@ghost/core';
import * as nodeModule from 'node:module';

// Node 22.1+; @types/node follows the oldest Node ghost supports (20), which lacks it.
const { enableCompileCache } = nodeModule as { enableCompileCache?: (dir: string) => unknown };
const cacheDir = enableCompileCache ? compileCacheDir() : null;
if (cacheDir !== null) enableCompileCache!(cacheDir);
// A runtime require: the bundle stays a file of its own, loaded after the cache is on.
nodeModule.createRequire(import.meta.url)('./main.cjs');
