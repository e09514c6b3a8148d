// Reading a project file into a StackSpec: find it, parse it in its format, check the
// dependency graph, and name the project. Nothing is started here.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { checkDependencies } from './dependencies.js';
import { PROJECT_NAME, type StackFormat, formatOf, normalizeProjectName, resolveProjectFile } from './find-file.js';
import { type ReadFormat, readGhostFile } from './ghost-file.js';
import type { GitOrigin } from './git.js';
import type { StackRevision } from './history.js';
import type { StackSpec } from './model.js';
import type { Problem } from './problems.js';
import { readProcessCompose } from './process-compose.js';
import { readProcfile } from './procfile.js';

export interface LoadStackOptions {
  /** Where discovery starts, and what `file` is relative to (default: the process's cwd). */
  cwd?: string | undefined;
  /** An explicit project file; its format comes from its name. Without it, the nearest one is found. */
  file?: string | undefined;
  /** Overrides the project name (`name:` in the file, else the directory's name). */
  projectName?: string | undefined;
}

export interface ParseStackOptions {
  /** The file the text is (absolute); relative paths in it resolve from its directory. */
  file: string;
  text: string | Buffer;
  format?: StackFormat | undefined;
  projectName?: string | undefined;
  /** The git commit the text comes from (`StackSpec.git`; default: the file's working tree when applied). */
  git?: GitOrigin | null | undefined;
}

export interface LoadStackResult {
  /** The file read (absolute). */
  file: string;
  /** Present when there are no problems. */
  stack?: StackSpec | undefined;
  /** Everything wrong, in file order per check; any problem means no stack. */
  problems: Problem[];
  /** What is read but not applied (process-compose keys ghost does not support). */
  warnings: Problem[];
}

const READERS: Readonly<Record<StackFormat, (file: string, text: string) => ReadFormat>> = {
  ghost: readGhostFile,
  procfile: readProcfile,
  'process-compose': readProcessCompose,
};

/**
 * Finds and reads a project file. Throws PROJECT_FILE_NOT_FOUND when there is none (or the
 * explicit one is missing); every problem inside a file is returned as data.
 */
export function loadStack(options: LoadStackOptions = {}): LoadStackResult {
  const { file, format } = resolveProjectFile(options.cwd ?? process.cwd(), options.file);
  return parseStack({ file, text: readFileSync(file), format, projectName: options.projectName });
}

/** Reads a project file's text (from disk or, say, a git revision) as the file `file`. */
export function parseStack(options: ParseStackOptions): LoadStackResult {
  const file = resolve(options.file);
  const format = options.format ?? formatOf(file);
  const bytes = typeof options.text === 'string' ? Buffer.from(options.text) : options.text;
  const text = bytes.toString('utf8');
  const read = READERS[format](file, text);
  const problems = [...read.problems];
  if (read.dependencyAt) problems.push(...checkDependencies(read.services, read.dependencyAt, read.serviceNames));

  const project = options.projectName ?? read.name ?? normalizeProjectName(basename(dirname(file)));
  if (!PROJECT_NAME.test(project)) {
    problems.push({ file, line: 1, col: 1, message: `"${project}" is not a project name (lowercase letters, digits, _ and -): set name: or --project-name` });
  }
  problems.sort((a, b) => (a.file === b.file ? a.line - b.line || a.col - b.col : a.file < b.file ? -1 : 1));
  if (problems.length > 0) return { file, problems, warnings: read.warnings };
  const stack: StackSpec = {
    project,
    file,
    format,
    dir: dirname(file),
    digest: createHash('sha256').update(bytes).digest('hex'),
    text,
    ...(options.git === undefined ? {} : { git: options.git }),
    services: read.services,
  };
  return { file, stack, problems, warnings: read.warnings };
}

/** Reads an applied revision's recorded text, as the file it was read from (what a rollback, or a down by project, applies). */
export function parseRevision(revision: Pick<StackRevision, 'file' | 'text' | 'format' | 'project' | 'git'>): LoadStackResult {
  return parseStack({ file: revision.file, text: revision.text, format: revision.format, projectName: revision.project, git: revision.git });
}
