import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import { GhostError } from '../errors.js';
import { type BetterSqlite, loadBetterSqlite } from './better-sqlite.js';
import { loadNodeSqlite, openNodeSqlite } from './node-sqlite.js';
import type { Database } from './sqlite.js';

/** The SQLite drivers ghost can use, in the order it prefers them. */
export const DRIVER_NAMES = ['better-sqlite3', 'node:sqlite'] as const;
export type DriverName = (typeof DRIVER_NAMES)[number];
/** better-sqlite3's JavaScript compiled into ghost's bundle or loaded from its package; `node`: Node's own node:sqlite. */
export type DriverSource = 'bundled' | 'installed' | 'node';

/** `GHOST_SQLITE_DRIVER=better-sqlite3|node:sqlite` insists on one driver (tests, comparisons). */
export const DRIVER_ENV = 'GHOST_SQLITE_DRIVER';

export interface OpenOptions {
  readonly: boolean;
  timeoutMs: number;
}

/** The SQLite driver ghost found, and how to open a connection with it. */
export interface Driver {
  name: DriverName;
  source: DriverSource;
  /** better-sqlite3's release, or Node's. */
  version: string;
  /** Why better-sqlite3 is not the driver, when node:sqlite stands in for it. */
  fallback: string | null;
  /** Set when GHOST_SQLITE_DRIVER chose it. */
  forced: boolean;
  open(path: string, options: OpenOptions): Database;
}

/**
 * better-sqlite3 where it loads: the one driver every Node ghost supports has (node:sqlite,
 * where both load, costs the same to within a few percent: `pnpm bench`). Where its addon is
 * missing (install scripts blocked, as pnpm does by default) or was built for another Node (after
 * switching versions with nvm), Node's own node:sqlite stands in (Node 22.16 and later). Where
 * neither can serve, the error says what to run.
 */
export function loadDriver(env: NodeJS.ProcessEnv = process.env, load: () => BetterSqlite = loadBetterSqlite): Driver {
  const wanted = env[DRIVER_ENV] || undefined;
  if (wanted !== undefined && !(DRIVER_NAMES as readonly string[]).includes(wanted)) {
    throw new GhostError('INVALID_ARGUMENT', `${DRIVER_ENV} must be one of ${DRIVER_NAMES.join(', ')}, not ${JSON.stringify(wanted)}`, {
      details: { argument: DRIVER_ENV, value: wanted, allowed: [...DRIVER_NAMES] },
    });
  }
  const forced = wanted !== undefined;
  const better = wanted === 'node:sqlite' ? null : betterSqlite(load);
  if (better && !('problem' in better)) return { ...better, forced };
  const node = wanted === 'better-sqlite3' ? null : loadNodeSqlite();
  if (node && typeof node !== 'string') {
    return {
      name: 'node:sqlite',
      source: 'node',
      version: process.versions.node,
      fallback: better?.problem ?? null,
      forced,
      open: (path, options) => openNodeSqlite(node, path, options),
    };
  }
  const problem = [better?.problem, typeof node === 'string' ? node : null].filter((text) => text).join(', and ');
  const dir = better?.dir ?? null;
  const details = { problem, node: process.version, ...(dir ? { path: dir, fix: ['npm', 'rebuild', 'better-sqlite3', '--prefix', packageRoot(dir)] } : {}) };
  if (forced) throw new GhostError('SQLITE_UNAVAILABLE', `${DRIVER_ENV}=${wanted}, but ${problem}`, { details });
  const fix = dir ? 'rebuild better-sqlite3 for this Node.js' : 'reinstall ghost';
  throw new GhostError('SQLITE_UNAVAILABLE', `no usable SQLite driver: ${problem}; ${fix}, or use Node.js 22.16 or later`, { details });
}

type Loaded = Omit<Driver, 'forced'>;

/** better-sqlite3 with its addon loaded, or what stops it (and where it is installed, if it is). */
function betterSqlite(load: () => BetterSqlite): Loaded | { problem: string; dir: string | null } {
  let driver: BetterSqlite;
  try {
    driver = load();
  } catch {
    return { problem: 'better-sqlite3 is not installed', dir: null };
  }
  const { Database, addon: addonPath, source, version, dir } = driver;
  let addon: object | undefined;
  try {
    // Loaded here rather than by the first connection, so that a broken addon is found while
    // there is still a choice of driver. (Without a path, better-sqlite3 searches for it itself.)
    addon = addonPath ? (createRequire(addonPath)(addonPath) as object) : probe(Database);
  } catch (error) {
    return { problem: addonProblem(error), dir };
  }
  return {
    name: 'better-sqlite3',
    source,
    version,
    fallback: null,
    open: (path, options) =>
      // better-sqlite3 takes the loaded addon itself, though its types say only a path.
      new Database(path, { readonly: options.readonly, timeout: options.timeoutMs, ...(addon ? { nativeBinding: addon as unknown as string } : {}) }) as unknown as Database,
  };
}

/** Opens and closes an in-memory database, which makes better-sqlite3 find and load its addon. */
function probe(Database: BetterSqlite['Database']): undefined {
  new Database(':memory:').close();
  return undefined;
}

function addonProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const built = /NODE_MODULE_VERSION (\d+)\./.exec(message)?.[1];
  if (built) {
    return `better-sqlite3's addon was built for another Node.js (module version ${built}; Node.js ${process.version} needs ${process.versions.modules})`;
  }
  if (/Could not locate the bindings file|Cannot find module/.test(message)) {
    return "better-sqlite3's addon was never built (its install script did not run)";
  }
  return `better-sqlite3's addon does not load: ${message.split('\n')[0]}`;
}

/** The folder whose node_modules holds the package at `dir` (where `npm rebuild` finds it). */
function packageRoot(dir: string): string {
  const at = dir.lastIndexOf(`${sep}node_modules${sep}`);
  return at === -1 ? dirname(dir) : dir.slice(0, at) || sep;
}
