// Which project file a directory means: ghost.yaml in it or the nearest parent (as git and
// docker compose look), else a Procfile or process-compose.yaml there.
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { GhostError } from '../errors.js';
import type { StackSpec } from './model.js';

export type StackFormat = StackSpec['format'];

export const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

const CANDIDATES: readonly (readonly [string, StackFormat])[] = [
  ['ghost.yaml', 'ghost'],
  ['ghost.yml', 'ghost'],
  ['Procfile', 'procfile'],
  ['process-compose.yaml', 'process-compose'],
  ['process-compose.yml', 'process-compose'],
];

export interface ProjectFile {
  /** Absolute. */
  file: string;
  format: StackFormat;
}

/** The nearest project file from `dir` upwards; a ghost file wins over the others in a directory. */
export function findProjectFile(dir: string): ProjectFile | undefined {
  for (let current = resolve(dir); ; current = dirname(current)) {
    for (const [name, format] of CANDIDATES) {
      const file = join(current, name);
      if (existsSync(file)) return { file, format };
    }
    if (dirname(current) === current) return undefined;
  }
}

/** An explicit file's format, from its name (anything else is read as a ghost file). */
export function formatOf(file: string): StackFormat {
  const name = basename(file);
  if (/^Procfile/i.test(name)) return 'procfile';
  if (/^process-compose.*\.ya?ml$/i.test(name)) return 'process-compose';
  return 'ghost';
}

/** The file `file` (relative to `cwd`), or the one found from `cwd`. Throws PROJECT_FILE_NOT_FOUND. */
export function resolveProjectFile(cwd: string, file?: string): ProjectFile {
  if (file !== undefined) {
    const path = resolve(cwd, file);
    if (!existsSync(path)) {
      throw new GhostError('PROJECT_FILE_NOT_FOUND', `project file ${path} not found`, { details: { path } });
    }
    return { file: path, format: formatOf(path) };
  }
  const found = findProjectFile(cwd);
  if (!found) {
    throw new GhostError(
      'PROJECT_FILE_NOT_FOUND',
      `no ghost.yaml, Procfile or process-compose.yaml in ${resolve(cwd)} or its parents`,
      { details: { path: resolve(cwd) } },
    );
  }
  return found;
}

/** A directory name made a project name as docker compose does: lowercase, only [a-z0-9_-]. */
export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}
