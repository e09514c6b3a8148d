import { readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import type { DriverName, DriverSource } from '../db/driver.js';
import { loadedDriver, openDatabase } from '../db/open.js';
import { describeSystemError } from '../errors.js';
import { type DataPaths, ensureDataDir, resolveDataDir } from '../paths/data-dir.js';
import { checkExecutable } from '../process/executable.js';
import { pollUntil } from '../process/poll.js';
import { cgroupMounts, cgroupPids, cgroupPlace, cgroupPopulated, createCgroup, killCgroup, removeCgroup } from '../process/tracking/cgroup.js';
import { type Enforcement, limitSupport } from '../process/limits/limits.js';
import { TRACKING_ENV, type TrackingMechanism, preferredMechanism } from '../process/tracking/tracking.js';

/**
 * What this machine offers ghost, as `ghost doctor` reports it (and prints with --json: keys
 * are snake_case, as in every JSON shape). Every "yes" was tried, not assumed.
 */
export interface Diagnosis {
  platform: { os: NodeJS.Platform; release: string; arch: string };
  node: string;
  data_dir: { path: string; usable: boolean; problem: string | null };
  sqlite: {
    /** The driver that opened the database. */
    driver: DriverName | null;
    source: DriverSource | null;
    /** better-sqlite3's release, or Node's. */
    driver_version: string | null;
    /** SQLite's own version. */
    version: string | null;
    /** Why better-sqlite3 is not the driver, when node:sqlite stands in for it. */
    fallback: string | null;
    /** GHOST_SQLITE_DRIVER chose the driver. */
    forced: boolean;
    problem: string | null;
  };
  cgroups: {
    /** v2: only the unified hierarchy; hybrid: v2 beside v1 hierarchies; v1: only v1; none. */
    kind: 'v2' | 'hybrid' | 'v1' | 'none';
    /** The cgroup2 mount, if any. */
    v2_mount: string | null;
    /** The controllers of v1 hierarchies (not used for tracking). */
    v1_controllers: string[];
    /** Where ghost makes each run's cgroup (`<base>/ghost/<launch-id>`), or null. */
    base: string | null;
    /** A cgroup was made there, a process moved in, found in it and killed through it. */
    usable: boolean;
    /** The kernel has cgroup.kill (5.14+); without it each process is signalled in turn. */
    kill: boolean;
    /** Why it is not usable, when it is not. */
    problem: string | null;
  };
  tracking: {
    /** The mechanism a `ghost run` from this environment gets. */
    mechanism: TrackingMechanism;
    /** GHOST_TRACKING=marker chose it. */
    forced: boolean;
  };
  ports: { method: 'procfs' | 'lsof' | 'none' };
  /** Which resource limits a `ghost run` can enforce here, and how (or why not and what would). */
  limits: Record<'memory' | 'cpus' | 'max_open_files', { by: 'cgroup2' | 'cgroup1' | 'rlimit' | null; where: string | null; why: string | null; enable: string | null }>;
  fs_notifications: { works: boolean; problem: string | null };
}

export interface DiagnoseOptions {
  dataDir?: string | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

/** Looks at what this machine offers: cgroups, tree tracking, ports, notifications, SQLite. */
export async function diagnose(options: DiagnoseOptions = {}): Promise<Diagnosis> {
  const env = options.env ?? process.env;
  const root = options.dataDir ?? resolveDataDir(env);
  let paths: DataPaths | null = null;
  let dataDirProblem: string | null = null;
  try {
    paths = ensureDataDir(root);
  } catch (error) {
    dataDirProblem = error instanceof Error ? error.message : String(error);
  }
  const cgroups = await diagnoseCgroups();
  const forced = env[TRACKING_ENV] === 'marker';
  return {
    platform: { os: process.platform, release: release(), arch: process.arch },
    node: process.version,
    data_dir: { path: root, usable: paths !== null, problem: dataDirProblem },
    sqlite: diagnoseSqlite(paths),
    cgroups,
    // A cgroup only when one could really be made and used just now.
    tracking: { mechanism: cgroups.usable ? preferredMechanism(env) : 'marker', forced },
    ports: { method: portMethod(env) },
    limits: diagnoseLimits(env),
    fs_notifications: paths ? await diagnoseWatch(paths.root) : { works: false, problem: 'no usable data directory' },
  };
}

function diagnoseLimits(env: NodeJS.ProcessEnv): Diagnosis['limits'] {
  const support = limitSupport(env);
  const shape = (enforcement: Enforcement) =>
    enforcement.by === null
      ? { by: null, where: null, why: enforcement.why, enable: enforcement.enable }
      : { by: enforcement.by, where: enforcement.where, why: null, enable: null };
  return { memory: shape(support.memoryBytes), cpus: shape(support.cpus), max_open_files: shape(support.maxOpenFiles) };
}

function diagnoseSqlite(paths: DataPaths | null): Diagnosis['sqlite'] {
  const none = { driver: null, source: null, driver_version: null, version: null, fallback: null, forced: false };
  if (!paths) return { ...none, problem: 'no usable data directory' };
  try {
    const db = openDatabase(paths.database);
    try {
      const version = db.prepare('SELECT sqlite_version()').pluck().get() as string;
      const driver = loadedDriver()!;
      return { driver: driver.name, source: driver.source, driver_version: driver.version, version, fallback: driver.fallback, forced: driver.forced, problem: null };
    } finally {
      db.close();
    }
  } catch (error) {
    return { ...none, problem: error instanceof Error ? error.message : String(error) };
  }
}

async function diagnoseCgroups(): Promise<Diagnosis['cgroups']> {
  const mounts = cgroupMounts();
  const v2 = mounts.find((mount) => mount.version === 2) ?? null;
  const v1_controllers = [...new Set(mounts.filter((mount) => mount.version === 1).flatMap((mount) => mount.controllers))];
  const kind = v2 ? (v1_controllers.length > 0 ? 'hybrid' : 'v2') : v1_controllers.length > 0 ? 'v1' : 'none';
  const result = { kind, v2_mount: v2?.path ?? null, v1_controllers, base: null, usable: false, kill: false, problem: null } as Diagnosis['cgroups'];
  if (!v2) {
    result.problem = process.platform === 'linux' ? 'no cgroup2 file system is mounted' : 'cgroups are Linux only';
    return result;
  }
  const place = cgroupPlace();
  result.base = place?.base ?? null;
  if (!result.base) {
    result.problem = `no cgroup this user may write to above ${place?.own ?? 'its own'}`;
    return result;
  }
  return { ...result, ...(await tryCgroup(result.base)) };
}

/** Does what a launch does, with a throwaway process: make a cgroup, move it in, kill it through the cgroup. */
async function tryCgroup(base: string): Promise<Pick<Diagnosis['cgroups'], 'usable' | 'kill' | 'problem'>> {
  const { spawn } = process.getBuiltinModule('node:child_process');
  // Reads until its stdin closes: if this process dies first, it ends too.
  const child = spawn('/bin/sh', ['-c', 'read line'], { stdio: ['pipe', 'ignore', 'ignore'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const name = `doctor-${crypto.randomUUID()}`;
  let path: string | null = null;
  try {
    path = createCgroup(base, name, [child.pid!]);
    if (!cgroupPids(path).includes(child.pid!)) return { usable: false, kill: false, problem: 'a process moved into a cgroup was not listed in it' };
    const kill = hasFile(join(path, 'cgroup.kill'));
    killCgroup(path);
    const emptied = await pollUntil(() => !cgroupPopulated(path!), 2_000);
    return emptied
      ? { usable: true, kill, problem: null }
      : { usable: false, kill, problem: 'a process in a cgroup survived being killed through it' };
  } catch (error) {
    return { usable: false, kill: false, problem: `cannot create a cgroup under ${base}: ${describeSystemError(error)}` };
  } finally {
    child.stdin?.destroy();
    child.kill('SIGKILL');
    await exited;
    if (path) await pollUntil(() => removeCgroup(path!), 2_000);
  }
}

function hasFile(path: string): boolean {
  try {
    readFileSync(path);
    return true;
  } catch (error) {
    // cgroup.kill is write-only: reading it fails with EINVAL or EACCES when it exists.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

function portMethod(env: NodeJS.ProcessEnv): Diagnosis['ports']['method'] {
  if (process.platform === 'linux') {
    try {
      readFileSync('/proc/self/net/tcp');
      return 'procfs';
    } catch {
      return 'none';
    }
  }
  try {
    checkExecutable('lsof', env.PATH, '/');
    return 'lsof';
  } catch {
    return 'none';
  }
}

/** Watches the data directory and writes a file in it: notifications work if the write is seen. */
async function diagnoseWatch(dir: string): Promise<Diagnosis['fs_notifications']> {
  const probe = join(dir, `.doctor-${crypto.randomUUID()}`);
  let seen = false;
  let watcher;
  try {
    watcher = watch(dir, { persistent: false }, () => {
      seen = true;
    });
    watcher.on('error', () => {});
  } catch (error) {
    return { works: false, problem: `cannot watch ${dir}: ${describeSystemError(error)}` };
  }
  try {
    writeFileSync(probe, '', { mode: 0o600 });
    const works = await pollUntil(() => seen, 2_000);
    return { works, problem: works ? null : 'a change in the data directory was not notified within 2 s (changes are polled for instead)' };
  } catch (error) {
    return { works: false, problem: `cannot write in ${dir}: ${describeSystemError(error)}` };
  } finally {
    watcher.close();
    rmSync(probe, { force: true });
  }
}
