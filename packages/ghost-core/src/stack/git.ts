// A project file's place in git: the commit its text comes from (for the history), and the file
// as it was at a revision (for `up` of an older file). git is asked, never parsed from .git.
import { basename, dirname } from 'node:path';
import { GhostError } from '../errors.js';

export interface GitOrigin {
  /** The full commit id. */
  commit: string;
  /** The file differs from that commit (changed, or not committed at all). */
  dirty: boolean;
}

/** git's stdout in `dir`, or null when git fails (or is not installed). */
function git(dir: string, args: readonly string[]): Buffer | null {
  try {
    // Loaded here: every command pays for what ghost imports, and only stacks ask git.
    const { execFileSync } = process.getBuiltinModule('node:child_process');
    return execFileSync('git', ['-C', dir, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

/** The commit checked out where `file` is, and whether the file differs from it; null outside git. */
export function gitOrigin(file: string): GitOrigin | null {
  const dir = dirname(file);
  const commit = git(dir, ['rev-parse', '--verify', '--quiet', 'HEAD'])?.toString().trim();
  if (!commit) return null;
  const status = git(dir, ['status', '--porcelain', '--', basename(file)]);
  return { commit, dirty: status === null || status.length > 0 };
}

export interface GitRevisionFile {
  text: Buffer;
  /** The revision's full commit id. */
  commit: string;
}

/**
 * `file` as it was at git revision `revision` (a commit, tag, branch, `HEAD~1` ...). Throws
 * NOT_A_GIT_REPOSITORY, or GIT_REVISION_NOT_FOUND when the revision (or the file in it) is not there.
 */
export function fileAtGitRevision(file: string, revision: string): GitRevisionFile {
  const dir = dirname(file);
  const details = { path: file, revision };
  if (revision === '' || revision.startsWith('-')) {
    throw new GhostError('INVALID_ARGUMENT', `"${revision}" is not a git revision`, { details: { argument: 'revision', value: revision } });
  }
  if (git(dir, ['rev-parse', '--git-dir']) === null) {
    throw new GhostError('NOT_A_GIT_REPOSITORY', `${dir} is not in a git repository`, { details });
  }
  const commit = git(dir, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`])?.toString().trim();
  if (!commit) throw new GhostError('GIT_REVISION_NOT_FOUND', `no git revision "${revision}" in ${dir}`, { details });
  // `./name` is relative to -C's directory, wherever the repository's root is.
  const text = git(dir, ['show', `${commit}:./${basename(file)}`]);
  if (text === null) throw new GhostError('GIT_REVISION_NOT_FOUND', `${basename(file)} is not in git revision ${revision}`, { details });
  return { text, commit };
}
