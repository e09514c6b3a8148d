import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';
import { GhostError } from '../errors.js';

/** The PATH sh uses when the environment has none. */
const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';

/**
 * Checks, before anything is started, that `file` names a command that exec would run, the
 * way sh looks it up: a name containing "/" is a path (relative to `cwd`), anything else is
 * searched on `PATH` (an empty entry means the working directory).
 * Throws COMMAND_NOT_FOUND (exit 127) or COMMAND_NOT_EXECUTABLE (exit 126), like a shell.
 */
export function checkExecutable(file: string, pathVariable: string | undefined, cwd: string): void {
  if (file.includes('/')) {
    const problem = executableProblem(resolve(cwd, file));
    if (problem === 'missing') throw notFound(file);
    if (problem) throw notExecutable(file, problem);
    return;
  }
  let firstProblem: string | undefined;
  for (const dir of (pathVariable ?? DEFAULT_PATH).split(delimiter)) {
    const problem = executableProblem(resolve(cwd, dir, file));
    if (problem === undefined) return;
    if (problem !== 'missing') firstProblem ??= problem;
  }
  throw firstProblem ? notExecutable(file, firstProblem) : notFound(file);
}

/** The path exec would run for a command name on `PATH` (absolute dirs only), or null. */
export function findExecutable(file: string, pathVariable: string | undefined): string | null {
  for (const dir of (pathVariable ?? DEFAULT_PATH).split(delimiter)) {
    if (!dir.startsWith('/')) continue;
    const path = resolve(dir, file);
    if (executableProblem(path) === undefined) return path;
  }
  return null;
}

/** undefined if `path` is an executable file; otherwise what is wrong with it. */
function executableProblem(path: string): string | undefined {
  try {
    if (statSync(path).isDirectory()) return 'is a directory';
  } catch {
    return 'missing';
  }
  try {
    accessSync(path, constants.X_OK);
    return undefined;
  } catch {
    return 'permission denied';
  }
}

function notFound(file: string): GhostError {
  return new GhostError('COMMAND_NOT_FOUND', `command not found: ${file}`, { exitCode: 127, details: { command: file } });
}

function notExecutable(file: string, problem: string): GhostError {
  return new GhostError('COMMAND_NOT_EXECUTABLE', `cannot execute ${file}: ${problem}`, { exitCode: 126, details: { command: file, problem } });
}
