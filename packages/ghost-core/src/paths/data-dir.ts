import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { GhostError, describeSystemError } from '../errors.js';

/** Where ghost keeps its state. Everything lives under `root`. */
export interface DataPaths {
  root: string;
  /** The SQLite database, the single source of truth. */
  database: string;
  /** One log file per task, written by the task itself. */
  logs: string;
  /** One journal per launch, appended to by its supervisor (see supervisor/journal.ts). */
  journal: string;
  /** Exit records of supervisors started by ghost before journals (legacy runs only). */
  exits: string;
}

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
  return {
    root,
    database: join(root, 'tasks.db'),
    logs: join(root, 'logs'),
    journal: join(root, 'journal'),
    exits: join(root, 'exits'),
  };
}

/**
 * Creates the data directory tree if needed. Directories ghost creates are 0700: logs and
 * environments may hold secrets. An existing directory's mode is left as the user set it.
 */
export function ensureDataDir(root: string): DataPaths {
  const paths = dataPaths(root);
  for (const dir of [paths.root, paths.logs, paths.journal, paths.exits]) {
    try {
      if (!isDirectory(dir)) {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        // mkdir's mode is filtered by the umask; make sure nobody else can read in.
        chmodSync(dir, 0o700);
      }
    } catch (error) {
      throw new GhostError('DATA_DIR_UNUSABLE', `cannot use data directory ${root}: ${describeSystemError(error)}`, {
        cause: error,
      });
    }
  }
  return paths;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
