// The floor's entry, as the ghost bin's (packages/ghost-cli/src/start.ts): its bundle through
// V8's code cache in the data dir. The bundle is built twice, one file per parser, so that the
// bare floor's cache holds none of clipanion's code.
import { compileCacheDir } from '../../ghost-core/src/paths/data-dir.js';
import { fileURLToPath } from 'node:url';
import { requireWithCodeCache } from '../src/code-cache.js';

requireWithCodeCache(fileURLToPath(new URL(`./floor-${process.argv[2]}.cjs`, import.meta.url)), {
  cacheDir: compileCacheDir,
  version: 'floor',
  command: process.argv.slice(2, 4).join('-'),
});
