// The stack history: what each `up` applied, per project, with the file's bytes, so a bad
// change is one rollback away with or without git (as `helm history` / `helm rollback`).
import { GhostError } from '../errors.js';
import type { Ghost } from '../ghost.js';
import { contextOf } from './context.js';
import { type GitOrigin, gitOrigin } from './git.js';
import type { StackSpec } from './model.js';

export interface StackRevision {
  project: string;
  /** 1, 2, ... per project, in the order they were applied. */
  revision: number;
  /** ISO 8601. */
  appliedAt: string;
  /** The file it was read as (absolute): relative paths in it resolve from its directory. */
  file: string;
  format: StackSpec['format'];
  /** The file's text. */
  text: string;
  /** sha256 of the file's bytes (`StackSpec.digest`). */
  digest: string;
  /** The git commit the text came from, null when the file was not in git. */
  git: GitOrigin | null;
}

interface RevisionRow {
  project: string;
  revision: number;
  applied_at: string;
  file: string;
  format: StackSpec['format'];
  text: string;
  digest: string;
  git_commit: string | null;
  git_dirty: number | null;
}

const COLUMNS = 'project, revision, applied_at, file, format, text, digest, git_commit, git_dirty';
const LATEST = `SELECT ${COLUMNS} FROM stack_revisions WHERE project = ? ORDER BY revision DESC LIMIT 1`;

function fromRow(row: RevisionRow): StackRevision {
  return {
    project: row.project,
    revision: row.revision,
    appliedAt: row.applied_at,
    file: row.file,
    format: row.format,
    text: row.text,
    digest: row.digest,
    git: row.git_commit === null ? null : { commit: row.git_commit, dirty: row.git_dirty === 1 },
  };
}

/** The applied revisions of a project, oldest first (none: an empty list). */
export function stackHistory(ghost: Ghost, project: string): StackRevision[] {
  const rows = contextOf(ghost).db.prepare(`SELECT ${COLUMNS} FROM stack_revisions WHERE project = ? ORDER BY revision`).all(project) as RevisionRow[];
  return rows.map(fromRow);
}

/** The latest applied revision of a project (what its tasks run), or undefined when it has none. */
export function latestRevision(ghost: Ghost, project: string): StackRevision | undefined {
  const row = contextOf(ghost).db.prepare(LATEST).get(project) as RevisionRow | undefined;
  return row && fromRow(row);
}

/**
 * Records that `stack` was applied, as the project's next revision, unless its digest is the
 * latest revision's (an up with no change to the file). Called by `up` once it has succeeded.
 * Returns the latest revision (the new one or the unchanged one); null for a stack without
 * `text` (one built in code, with no file to go back to).
 */
export function recordRevision(ghost: Ghost, stack: StackSpec): StackRevision | null {
  if (stack.text === undefined) return null;
  const ctx = contextOf(ghost);
  const latest = ctx.db.prepare(LATEST);
  const unchanged = latest.get(stack.project) as RevisionRow | undefined;
  // An up with no change costs no git; git is asked outside the write transaction (its lock is shared).
  if (unchanged?.digest === stack.digest) return fromRow(unchanged);
  const git = stack.git === undefined ? gitOrigin(stack.file) : stack.git;
  const insert = ctx.db.prepare(`INSERT INTO stack_revisions (${COLUMNS})
    VALUES (@project, @revision, @applied_at, @file, @format, @text, @digest, @git_commit, @git_dirty)`);
  return ctx.db
    .transaction(() => {
      const last = latest.get(stack.project) as RevisionRow | undefined;
      if (last?.digest === stack.digest) return fromRow(last);
      const row: RevisionRow = {
        project: stack.project,
        revision: (last?.revision ?? 0) + 1,
        applied_at: new Date(ctx.now()).toISOString(),
        file: stack.file,
        format: stack.format,
        text: stack.text!,
        digest: stack.digest,
        git_commit: git?.commit ?? null,
        git_dirty: git ? (git.dirty ? 1 : 0) : null,
      };
      insert.run(row);
      return fromRow(row);
    })
    .immediate();
}

/**
 * The revision a rollback applies: `revision` when given, else the one before the latest.
 * Throws REVISION_NOT_FOUND (details: project, revision) when there is no such revision.
 */
export function rollbackRevision(ghost: Ghost, project: string, revision?: number): StackRevision {
  const history = stackHistory(ghost, project);
  if (revision !== undefined) {
    const found = history.find((each) => each.revision === revision);
    if (found) return found;
    throw new GhostError('REVISION_NOT_FOUND', `project ${project} has no revision ${revision} (${history.length === 0 ? 'it has none' : `it has 1 to ${history.length}`})`, { details: { project, revision } });
  }
  const previous = history.at(-2);
  if (previous) return previous;
  throw new GhostError(
    'REVISION_NOT_FOUND',
    history.length === 0 ? `project ${project} has no applied revisions` : `project ${project} has no revision before ${history[0]!.revision}`,
    { details: { project } },
  );
}

/** The project whose latest revision was read from `file` (absolute), if any: for a file that no longer reads. */
export function projectOfFile(ghost: Ghost, file: string): string | undefined {
  const row = contextOf(ghost).db.prepare(`SELECT project FROM stack_revisions WHERE file = ? ORDER BY applied_at DESC LIMIT 1`).get(file) as { project: string } | undefined;
  return row?.project;
}
