// The floor's entry, as the ghost bin's (packages/ghost-cli/src/start.ts): its bundle through
// V8's code cache in the data dir, from the bundle built for its parser and database layer
// (see floor.ts).
import { compileCacheDir } from '../../ghost-core/src/paths/data-dir.js';
import { fileURLToPath } from 'node:url';
import { requireWithCodeCache } from '../src/code-cache.js';

requireWithCodeCache(fileURLToPath(new URL(`./floor-${process.argv[2]}${process.argv.at(-1) === 'raw' ? '-raw' : ''}.cjs`, import.meta.url)), {
  cacheDir: compileCacheDir,
  version: 'floor',
  command: process.argv[3] ?? '',
});
