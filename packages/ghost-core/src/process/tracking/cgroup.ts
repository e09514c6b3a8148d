import { accessSync, close, constants, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, rmdirSync, write, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * cgroup v2 primitives. A run's cgroup is `<base>/ghost/<launch-id>`: the kernel puts every
 * process forked inside it there too, whatever it does with sessions, groups or parents, and
 * only a privileged (or delegated) writer can move one out.
 */

/** A cgroup filesystem as /proc/self/mountinfo lists it. */
export interface CgroupMount {
  version: 1 | 2;
  /** Where it is mounted. */
  path: string;
  /** The hierarchy path shown at the mount point (not "/" inside some containers). */
  root: string;
  /** v1: the controllers of the hierarchy (or `name=...`); v2: empty. */
  controllers: string[];
}

/** Every cgroup mount of this process's mount namespace. */
export function cgroupMounts(mountinfo: string = readText('/proc/self/mountinfo')): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  for (const line of mountinfo.split('\n')) {
    // "id parent maj:min root mount-point options [optional...] - fstype source super-options"
    const [left, right] = line.split(' - ');
    if (left === undefined || right === undefined) continue;
    const fields = left.split(' ');
    const [fstype, , superOptions = ''] = right.split(' ');
    if (fstype !== 'cgroup' && fstype !== 'cgroup2') continue;
    mounts.push({
      version: fstype === 'cgroup2' ? 2 : 1,
      path: unescapeMountField(fields[4] ?? ''),
      root: unescapeMountField(fields[3] ?? '/'),
      controllers: fstype === 'cgroup' ? superOptions.split(',').filter(isController) : [],
    });
  }
  return mounts;
}

const NOT_CONTROLLERS = new Set(['rw', 'ro', 'clone_children', 'noprefix', 'xattr', 'cpuset_v2_mode', 'favordynmods']);

function isController(option: string): boolean {
  return option !== '' && !NOT_CONTROLLERS.has(option) && !option.startsWith('release_agent=');
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

/** This process's cgroup v2 path ("0::/path" in /proc/self/cgroup), or null. */
export function ownCgroup(text: string = readText('/proc/self/cgroup')): string | null {
  const line = text.split('\n').find((entry) => entry.startsWith('0::'));
  return line === undefined ? null : line.slice(3);
}

export interface CgroupPlace {
  /** The cgroup2 mount point. */
  mount: string;
  /** This process's cgroup, as a directory. */
  own: string;
  /**
   * The directory ghost's cgroups go under (`<base>/ghost/<launch-id>`), or null if this
   * process may create none: the highest ancestor of its own cgroup that it may write to (and
   * move processes through: moving needs write access to the common ancestor's cgroup.procs).
   * As root that is the mount itself; on a systemd desktop, the user's delegated
   * `user@UID.service`. Not its own cgroup when something above is writable: a terminal's
   * scope is stopped, with everything in it, when the terminal closes.
   */
  base: string | null;
}

/** Where this process's cgroups live, or null without cgroup v2 (computed once per process). */
export function cgroupPlace(): CgroupPlace | null {
  if (place === undefined) place = findPlace(cgroupMounts(), ownCgroup());
  return place;
}

let place: CgroupPlace | null | undefined;

export function findPlace(mounts: readonly CgroupMount[], own: string | null, writable: (dir: string) => boolean = canWrite): CgroupPlace | null {
  if (own === null) return null;
  const mount = mounts.find((entry) => entry.version === 2 && isWithin(own, entry.root));
  if (!mount) return null;
  const relative = mount.root === '/' ? own : own.slice(mount.root.length);
  // join() keeps a trailing slash ("/" relative to the mount): without it, dirname walks up.
  const ownDir = join(mount.path, relative).replace(/(.)\/+$/, '$1');
  let base: string | null = null;
  for (let dir = ownDir; isWithin(dir, mount.path); dir = dirname(dir)) {
    if (writable(dir)) base = dir;
    if (dir === mount.path) break;
  }
  return { mount: mount.path, own: ownDir, base };
}

function isWithin(path: string, root: string): boolean {
  return root === '/' || path === root || path.startsWith(`${root}/`);
}

function canWrite(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    accessSync(join(dir, 'cgroup.procs'), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The directory that holds every run's cgroup. */
export function ghostCgroupRoot(base: string): string {
  return join(base, 'ghost');
}

/**
 * Creates the run's cgroup and moves `pids` into it (in order: the supervisor first, so what
 * it forks later starts inside). Throws if any step fails, after removing what it made.
 */
export function createCgroup(base: string, name: string, pids: readonly number[]): string {
  const root = ghostCgroupRoot(base);
  try {
    mkdirSync(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const path = join(root, name);
  mkdirSync(path);
  try {
    // One pid per write: the kernel takes one per write(2).
    for (const pid of pids) writeFileSync(join(path, 'cgroup.procs'), `${pid}\n`);
  } catch (error) {
    removeCgroup(path);
    throw error;
  }
  return path;
}

/**
 * Pays, in the background, the wait the kernel makes the first cgroup migration in a while
 * pay. Moving a process takes a lock whose first writer waits for an RCU grace period (about
 * 10 ms here; none with the cgroup2 mount option `favordynmods`), and writers soon after it
 * do not wait. Writing this process's pid to its own cgroup moves nothing but takes that lock:
 * done on a thread of libuv's pool (one write, queued at once) while a launch spawns its
 * supervisor, it leaves the launch's own moves (createCgroup) nothing to wait for.
 * Settles once written, and never fails: without it, a launch only waits longer.
 */
export function warmMigration(own: string): Promise<void> {
  let fd: number;
  try {
    fd = openSync(join(own, 'cgroup.procs'), 'w');
  } catch {
    return Promise.resolve();
  }
  return new Promise((resolve) => write(fd, `${process.pid}\n`, () => close(fd, () => resolve())));
}

/** The pids in a cgroup (exited processes are not listed); none if it is gone. */
export function cgroupPids(path: string): number[] {
  let text: string;
  try {
    text = readFileSync(join(path, 'cgroup.procs'), 'latin1');
  } catch {
    return [];
  }
  return text.split('\n').filter(Boolean).map(Number);
}

/** True while any process lives in the cgroup or below it. */
export function cgroupPopulated(path: string): boolean {
  try {
    return /^populated 1$/m.test(readFileSync(join(path, 'cgroup.events'), 'latin1'));
  } catch {
    return false;
  }
}

/**
 * SIGKILLs every process in the cgroup at once (cgroup.kill, Linux 5.14+: no fork can race
 * it); on older kernels, each listed process in turn.
 */
export function killCgroup(path: string): void {
  try {
    writeFileSync(join(path, 'cgroup.kill'), '1');
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !hasCgroup(path)) return;
  }
  for (const pid of cgroupPids(path)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
}

function hasCgroup(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Removes an empty cgroup; true if it is gone (removed now or before), false if still in use. */
export function removeCgroup(path: string): boolean {
  try {
    rmdirSync(path);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/**
 * Removes empty run cgroups older than `before` (ms): those of runs whose end was recorded
 * while a process lived on, or whose launcher was killed. A populated cgroup is never removed
 * (the kernel refuses), so a running run's (of any data dir) is safe; the age spares a launch
 * between creating its cgroup and moving its processes in.
 */
export function sweepCgroups(base: string, before: number): void {
  const root = ghostCgroupRoot(base);
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(root, name);
    try {
      const stat = lstatSync(path);
      if (stat.isDirectory() && stat.mtimeMs < before && !cgroupPopulated(path)) removeCgroup(path);
    } catch {
      // Removed meanwhile.
    }
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
