import { chmodSync, lstatSync, mkdirSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { GhostError, describeSystemError, errnoCode, isGhostError } from '../errors.js';
import { checkParents, checkPrivateDir, checkPrivateFile, lstatOrUndefined } from './private-path.js';

/**
 * The folders core keeps in the data dir, by their key in DataPaths. Every one is created 0700
 * and checked (see ensureDataDir) each time ghost opens the data dir: add new ones here.
 */
export const DATA_FOLDERS = {
  /** One log file per task, written by the task itself. */
  logs: 'logs',
  /** One journal per launch, appended to by its supervisor (see supervisor/journal.ts). */
  journal: 'journal',
  /** Exit records of supervisors started by ghost before journals (legacy runs only). */
  exits: 'exits',
  /**
   * V8's compiled code of ghost's binaries (the bin's bundles on every Node, what they require
   * on Node 22+), read back at each start (see compileCacheDir). Here, private, not in Node's
   * default folder in the shared tmp dir, where another user could plant code for ghost to run.
   */
  compileCache: 'compile-cache',
} as const;

export type DataFolder = keyof typeof DATA_FOLDERS;

/** Where ghost keeps its state. Everything lives under `root`. */
export interface DataPaths extends Record<DataFolder, string> {
  root: string;
  /** The SQLite database, the single source of truth. */
  database: string;
}

/** SQLite's companion files next to the database, checked like the database itself. */
const DATABASE_SUFFIXES = ['', '-wal', '-shm', '-journal'];

/**
 * The data directory: `GHOST_DATA_DIR`, else the platform's per-user data location
 * (`$XDG_DATA_HOME/ghost` or `~/.local/share/ghost`; `~/Library/Application Support/ghost` on macOS).
 */
export function resolveDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (env.GHOST_DATA_DIR) return resolve(env.GHOST_DATA_DIR);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'ghost');
  const xdg = env.XDG_DATA_HOME;
  // The XDG spec says relative values are invalid and must be ignored.
  if (xdg && xdg.startsWith('/')) return join(xdg, 'ghost');
  return join(home, '.local', 'share', 'ghost');
}

export function dataPaths(root: string): DataPaths {
  const folders = Object.fromEntries(
    Object.entries(DATA_FOLDERS).map(([key, name]) => [key, join(root, name)]),
  ) as Record<DataFolder, string>;
  return { root, database: join(root, 'tasks.db'), ...folders };
}

/**
 * The data dir's compile-cache folder if an earlier ghost made it (ensureDataDir) and the data
 * dir passes every check ensureDataDir makes, else null: code read back from a folder someone
 * else can change is code ghost runs for them, and a command that refuses a data dir writes
 * nothing to it. Null too when `NODE_DISABLE_COMPILE_CACHE` is set (Node's switch for its own
 * cache, which ghost's follows). Creates nothing and never throws: a binary asks it before it
 * loads anything else, to load its bundle with the cache.
 */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.NODE_DISABLE_COMPILE_CACHE) return null;
  try {
    const root = resolveDataDir(env);
    const { real, missing } = resolveExisting(resolve(root), root);
    if (missing.length > 0) return null;
    const paths = dataPaths(real);
    return checkContents(root, paths).includes(paths.compileCache) ? null : paths.compileCache;
  } catch {
    return null;
  }
}

/**
 * Opens the data directory tree, creating what is missing, and returns its paths (with the
 * root resolved, if it is a symlink). Throws DATA_DIR_UNSAFE, before anything is written, when
 * someone other than the user could change what ghost trusts:
 * - the data dir and each of its folders must be a directory owned by the effective user and
 *   writable by nobody else; a folder in it must not be a symlink (the root may be: it is
 *   resolved, and the target is checked instead);
 * - the database and its companion files, where present, must be regular files held the same way;
 * - every folder above the data dir (and above the symlink, if the root is one) must belong to
 *   the user or root and be writable by nobody else, unless it is sticky, as /tmp is (see
 *   checkParents).
 * Directories ghost creates are 0700 whatever the umask: logs and environments may hold secrets.
 */
export function ensureDataDir(root: string): DataPaths {
  try {
    const { real, missing } = resolveExisting(resolve(root), root);
    const paths = dataPaths(missing.length === 0 ? real : join(real, ...missing));
    if (missing.length > 0) {
      mkdirSync(paths.root, { recursive: true, mode: 0o700 });
      // mkdir's mode is filtered by the umask; make sure nobody else can read in.
      chmodSync(paths.root, 0o700);
    }
    for (const dir of checkContents(root, paths)) ensurePrivateDir(root, dir);
    return paths;
  } catch (error) {
    if (isGhostError(error)) throw error;
    throw unusable(root, error);
  }
}

/**
 * Makes sure `dir`, a folder inside the data dir `dataDir`, exists as a private directory:
 * creates it 0700 or checks an existing one as ensureDataDir does. For folders made after
 * opening (e.g. one per run); those opened every time belong in DATA_FOLDERS instead.
 */
export function ensurePrivateDir(dataDir: string, dir: string): void {
  if (checkExistingDir(dataDir, dir)) return;
  try {
    mkdirSync(dir, { mode: 0o700 });
    chmodSync(dir, 0o700);
  } catch (error) {
    // Another ghost made it meanwhile: check theirs.
    if (errnoCode(error) !== 'EEXIST' || !checkExistingDir(dataDir, dir)) throw unusable(dataDir, error);
  }
}

/**
 * Checks what the data dir holds, as ensureDataDir opens it: each folder of DATA_FOLDERS that
 * exists, and the database's files. Returns the folders still to create.
 */
function checkContents(root: string, paths: DataPaths): string[] {
  const missing: string[] = [];
  for (const key of Object.keys(DATA_FOLDERS) as DataFolder[]) {
    if (!checkExistingDir(root, paths[key])) missing.push(paths[key]);
  }
  for (const suffix of DATABASE_SUFFIXES) {
    const file = paths.database + suffix;
    const stats = lstatOrUndefined(file);
    if (stats) checkPrivateFile(root, file, stats);
  }
  return missing;
}

/** Checks `dir` as a private folder of the data dir if it exists (true); false if it does not. */
function checkExistingDir(dataDir: string, dir: string): boolean {
  const stats = lstatOrUndefined(dir);
  if (!stats) return false;
  if (!stats.isDirectory() && !stats.isSymbolicLink()) {
    throw new GhostError('DATA_DIR_UNUSABLE', `cannot use data directory ${dataDir}: ${dir} is not a directory`, { details: { dataDir, path: dir } });
  }
  checkPrivateDir(dataDir, dir, stats);
  return true;
}

/**
 * Resolves the deepest existing part of `path` and checks it: the data dir itself when it
 * exists, then the folders above it (and above the symlink, when it is one). Returns the real
 * path of that part and the names still to create below it.
 */
function resolveExisting(path: string, dataDir: string): { real: string; missing: string[] } {
  const missing: string[] = [];
  let existing = path;
  let real: string | undefined;
  for (;;) {
    try {
      real = realpathSync.native(existing);
      break;
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT' || existing === '/') throw error;
      missing.unshift(basename(existing));
      existing = dirname(existing);
    }
  }
  const stats = lstatSync(real);
  if (!stats.isDirectory()) {
    throw new GhostError('DATA_DIR_UNUSABLE', `cannot use data directory ${dataDir}: not a directory`, { details: { dataDir, path: real } });
  }
  const checked = new Set<string>();
  if (missing.length === 0) {
    checkPrivateDir(dataDir, real, stats, `data directory ${real}`);
    checked.add(real);
  }
  // Who may replace the root: the folders above its real path, and above the symlink if any.
  checkParents(dataDir, missing.length === 0 ? dirname(real) : real, checked);
  if (real !== existing) checkParents(dataDir, realpathSync.native(dirname(existing)), checked);
  return { real, missing };
}

function unusable(dataDir: string, error: unknown): GhostError {
  return new GhostError('DATA_DIR_UNUSABLE', `cannot use data directory ${dataDir}: ${describeSystemError(error)}`, {
    cause: error,
    details: { dataDir, path: dataDir },
  });
}
