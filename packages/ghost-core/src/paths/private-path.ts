// Ownership and mode checks for ghost's state, in the spirit of ssh's StrictModes: whoever can
// write into the data dir can forge exit records, read logs or swap the database, so every
// directory ghost keeps and every file it trusts must be the user's alone.
import { type Stats, lstatSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import { GhostError, type GhostErrorDetails } from '../errors.js';

export type UnsafeReason = 'symlink' | 'not-owned' | 'group-writable' | 'world-writable';

/** The details of a DATA_DIR_UNSAFE error. */
export interface UnsafePathDetails extends GhostErrorDetails {
  /** The data directory being opened. */
  readonly dataDir: string;
  /** The path at fault: the data dir, something in it, or a folder above it. */
  readonly path: string;
  readonly reason: UnsafeReason;
  /** Its permission bits, e.g. 0o775. */
  readonly mode: number;
  /** Its owner's uid. */
  readonly uid: number;
  /** A shell command that makes it safe, when one does. */
  readonly fix?: readonly string[];
}

const GROUP_WRITE = 0o020;
const WORLD_WRITE = 0o002;
const STICKY = 0o1000;

/** The lstat of `path`, or undefined when nothing is there. */
export function lstatOrUndefined(path: string): Stats | undefined {
  return lstatSync(path, { throwIfNoEntry: false });
}

/**
 * Refuses a directory ghost keeps state in unless it is a real directory (not a symlink),
 * owned by the effective user and writable by nobody else. `stats` is its lstat; `subject`
 * names it in the message ("data directory /x", or just the path of a folder in it).
 */
export function checkPrivateDir(dataDir: string, path: string, stats: Stats, subject = path): void {
  if (stats.isSymbolicLink()) {
    // Removing the link leaves its target alone; ghost creates the folder again, private.
    unsafe(dataDir, path, stats, 'symlink', `${subject} is a symlink; it must be a real directory`, ['rm', path]);
  }
  checkOwnerAndMode(dataDir, path, stats, subject, '700');
}

/** Refuses a file ghost trusts unless it is a regular file, the effective user's, writable by nobody else. */
export function checkPrivateFile(dataDir: string, path: string, stats: Stats): void {
  if (stats.isSymbolicLink()) unsafe(dataDir, path, stats, 'symlink', `${path} is a symlink; it must be a regular file`);
  checkOwnerAndMode(dataDir, path, stats, path, '600');
}

/**
 * Refuses a folder above the data dir that lets someone other than the user or root replace
 * what is inside it: it must be owned by the user or root, and writable by nobody else, unless
 * it is sticky (as /tmp is: there only an entry's owner may rename or remove it) or writable
 * only by the user's private group (a umask of 002 makes such folders, e.g. ~/.local/share, on
 * systems with a group per user; Debian's ssh accepts them for the same reason).
 * `dir` and its parents up to / are checked; `checked` skips folders already seen.
 */
export function checkParents(dataDir: string, dir: string, checked: Set<string>): void {
  const uid = process.geteuid!();
  for (let current = dir; !checked.has(current); current = dirname(current)) {
    checked.add(current);
    const stats = lstatSync(current);
    if (stats.uid !== uid && stats.uid !== 0) {
      unsafe(dataDir, current, stats, 'not-owned', `data directory ${dataDir} is inside ${current}, which belongs to another user (uid ${stats.uid}); choose a directory that only you and root control`);
    }
    const othersWrite = stats.mode & WORLD_WRITE || (stats.mode & GROUP_WRITE && !isPrivateGroup(stats.gid));
    if (othersWrite && (stats.mode & STICKY) === 0) {
      const reason = writableBy(stats.mode);
      unsafe(dataDir, current, stats, reason, `data directory ${dataDir} is inside ${current}, which is ${reason} (mode ${octal(stats.mode)}) so others could replace it; it must be writable only by its owner`, ['chmod', 'go-w', current]);
    }
    if (current === '/') return;
  }
}

function checkOwnerAndMode(dataDir: string, path: string, stats: Stats, subject: string, privateMode: string): void {
  const uid = process.geteuid!();
  if (stats.uid !== uid) {
    unsafe(dataDir, path, stats, 'not-owned', `${subject} belongs to another user (uid ${stats.uid}), not to you (uid ${uid}); it must be yours`, chownFix(path, uid));
  }
  if ((stats.mode & (GROUP_WRITE | WORLD_WRITE)) !== 0) {
    const reason = writableBy(stats.mode);
    unsafe(dataDir, path, stats, reason, `${subject} is ${reason} (mode ${octal(stats.mode)}); it must be writable only by you`, ['chmod', privateMode, path]);
  }
}

/**
 * Whether `gid` is the effective user's own group: named like the user, the user's primary
 * group, with no other members. Read from /etc/group, only when a folder is group-writable.
 */
function isPrivateGroup(gid: number): boolean {
  let user: ReturnType<typeof userInfo>;
  let groups: string;
  try {
    user = userInfo();
    groups = readFileSync('/etc/group', 'utf8');
  } catch {
    return false;
  }
  if (user.gid !== gid) return false;
  const entry = groups.split('\n').find((line) => line.split(':')[2] === String(gid));
  if (!entry) return false;
  const [name, , , members = ''] = entry.split(':');
  return name === user.username && members.split(',').every((member) => member === '' || member === user.username);
}

function chownFix(path: string, uid: number): string[] {
  let user = String(uid);
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (a container's arbitrary uid): chown takes the number.
  }
  const chown = ['chown', '-R', user, path];
  // Taking over another user's files needs root.
  return uid === 0 ? chown : ['sudo', ...chown];
}

function writableBy(mode: number): 'world-writable' | 'group-writable' {
  return mode & WORLD_WRITE ? 'world-writable' : 'group-writable';
}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

function unsafe(dataDir: string, path: string, stats: Stats, reason: UnsafeReason, message: string, fix?: string[]): never {
  const details: UnsafePathDetails = { dataDir, path, reason, mode: stats.mode & 0o7777, uid: stats.uid, ...(fix && { fix }) };
  throw new GhostError('DATA_DIR_UNSAFE', message, { details });
}
