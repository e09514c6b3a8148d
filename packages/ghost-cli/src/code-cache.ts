// Loads the bin's bundle with V8's code cache, on every Node ghost supports. Compiling half a
// megabyte of JavaScript is most of what a short command costs; with the code V8 compiled last
// time, a command skips it. Node 22's own compile cache (module.enableCompileCache) keeps only
// what V8 compiled before the bundle ran, and Node 20 has none; a cache made at exit also holds
// every function the command called, so it pays on both (`pnpm bench`: about 13 ms a command on
// Node 20, 7 ms on Node 24, over Node 24's own compile cache).
//
// The cache files, one per bundle, live in the data dir's private compile-cache folder: code
// read back from a place another user could write to would be code ghost runs for them. Each
// starts with a header line that names what it was made from; V8 checks only the source's
// length, and an upgrade can keep that (npm gives every installed file the same mtime).
// The header also lists the commands whose runs the cache holds: a command not listed yet
// compiles what it needs on top and rewrites the cache at exit, once.
import { type Stats, closeSync, fstatSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { Script, constants } from 'node:vm';

/** A cache's first line: `MAGIC <identity> <commands, comma-separated>`. */
const MAGIC = 'ghost-code-cache/1';
/** Enough for every command; a typo costs one rewrite, and past this many, none. */
const MAX_COMMANDS = 48;

export interface CodeCacheOptions {
  /** The folder, when there is one; asked again at exit, when the command may have made it. */
  cacheDir: () => string | null;
  /** What else the cache depends on: ghost's version (an upgrade may keep the bundle's size). */
  version: string;
  /** The command word this run serves (`list`), which the cache then covers. */
  command: string;
}

/**
 * Runs a CommonJS file as require() would (its own module, require, __filename, __dirname),
 * compiled with the code cache when it matches, and leaves a better cache behind at exit.
 */
export function requireWithCodeCache(file: string, options: CodeCacheOptions): unknown {
  // One open file for both: an upgrade that replaces it meanwhile cannot pair its identity
  // with the old code.
  const fd = openSync(file, 'r');
  let source: string;
  let stats: Stats;
  try {
    stats = fstatSync(fd);
    source = readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
  const identity = [options.version, process.version, process.arch, stats.size, stats.mtimeMs].join(':');
  const dir = options.cacheDir();
  const cached = dir === null ? null : readCache(cachePath(dir, file), identity);
  // Node's own wrapper, on the source's first line, so that line numbers stay the file's.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, {
    filename: file,
    ...(cached ? { cachedData: cached.data } : {}),
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const commands = cached !== null && !script.cachedDataRejected ? cached.commands : [];
  // A word the header can hold; anything else (`--help`, no command at all) counts as one.
  const command = /^[a-z][a-z0-9-]{0,31}$/.test(options.command) ? options.command : '-';
  if (!commands.includes(command) && commands.length < MAX_COMMANDS) {
    process.once('exit', () => {
      const target = options.cacheDir();
      if (target !== null) writeCache(cachePath(target, file), identity, [...commands, command], script);
    });
  }
  const module = { exports: {}, filename: file, id: file, loaded: false };
  loaded.set(file, module);
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, bundleRequire(file, options), module, file, dirname(file));
  module.loaded = true;
  return module.exports;
}

/** The bundles loaded so far, by path: each runs once, as require() would have it. */
const loaded = new Map<string, { exports: unknown }>();

/**
 * The require() a bundle gets: the bundles beside it (`./core-stack.cjs`, which only the stack's
 * commands load) come with the code cache too, everything else as require() finds it.
 */
function bundleRequire(file: string, options: CodeCacheOptions): NodeJS.Require {
  const base = createRequire(file);
  const own = (id: string): unknown => {
    if (!/^\.\/[\w.-]+\.cjs$/.test(id)) return base(id);
    const path = join(dirname(file), id);
    return loaded.get(path)?.exports ?? requireWithCodeCache(path, options);
  };
  return Object.assign(own, { resolve: base.resolve, cache: base.cache, main: base.main, extensions: base.extensions });
}

/** Named by the bundle's file name: only the ghost bin's bundles are loaded this way. */
function cachePath(dir: string, file: string): string {
  return join(dir, `${basename(file)}.v8-cache`);
}

/** The cache's code and the commands it covers, if it was made from this very bundle. */
function readCache(path: string, identity: string): { data: Buffer; commands: string[] } | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return null;
  }
  const end = bytes.indexOf(10);
  if (end < 0) return null;
  const [magic, madeFrom, commands = ''] = bytes.toString('latin1', 0, end).split(' ');
  if (magic !== MAGIC || madeFrom !== identity) return null;
  return { data: bytes.subarray(end + 1), commands: commands.split(',').filter(Boolean) };
}

/**
 * Written beside and renamed over: two commands ending at once each leave a whole cache, the
 * last one's. Never throws: without a cache, the next command only compiles again.
 */
function writeCache(path: string, identity: string, commands: string[], script: Script): void {
  const temporary = `${path}.${process.pid}`;
  try {
    const header = Buffer.from(`${MAGIC} ${identity} ${commands.join(',')}\n`, 'latin1');
    writeFileSync(temporary, Buffer.concat([header, script.createCachedData()]), { mode: 0o600 });
    renameSync(temporary, path);
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing more to do.
    }
  }
}
