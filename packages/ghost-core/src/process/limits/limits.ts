import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GhostError } from '../../errors.js';
import { type CgroupMount, cgroupMounts, cgroupPlace } from '../tracking/cgroup.js';

/**
 * Resource limits of a run: memory and CPU through cgroups (v2 where its controllers are
 * available to ghost, else the v1 `memory` and `cpu` hierarchies), open files through an
 * rlimit set on the parked command before it is exec'd. Each is applied while the launch is
 * parked, so the command never runs unlimited.
 */

/** The limits a task asks for; absent ones are not limited. */
export interface Limits {
  /** Resident memory in bytes (the kernel kills the task's processes beyond it: out of memory). */
  memoryBytes?: number | undefined;
  /** CPU time as a number of CPUs (0.5: half of one). */
  cpus?: number | undefined;
  /** The most files (descriptors) each process may have open. */
  maxOpenFiles?: number | undefined;
}

export type LimitName = keyof Limits;

const LIMIT_NAMES: readonly LimitName[] = ['memoryBytes', 'cpus', 'maxOpenFiles'];

/** How this machine can enforce each limit, or why it cannot (and what would let it). */
export interface LimitSupport {
  memoryBytes: Enforcement;
  cpus: Enforcement;
  maxOpenFiles: Enforcement;
}

export type Enforcement =
  | { by: 'cgroup2' | 'cgroup1' | 'rlimit'; where: string }
  | { by: null; why: string; enable: string };

/** `GHOST_CGROUPS=off` makes ghost use no cgroup for limits (to see, or test, a machine without). */
export const CGROUPS_ENV = 'GHOST_CGROUPS';

const CONTROLLER: Record<'memoryBytes' | 'cpus', 'memory' | 'cpu'> = { memoryBytes: 'memory', cpus: 'cpu' };

/** What can be enforced here (computed once per process). */
export function limitSupport(env: NodeJS.ProcessEnv = process.env): LimitSupport {
  support ??= findSupport(env[CGROUPS_ENV] === 'off' ? [] : safeMounts());
  return support;
}

let support: LimitSupport | undefined;

function safeMounts(): CgroupMount[] {
  try {
    return cgroupMounts();
  } catch {
    return [];
  }
}

function findSupport(mounts: readonly CgroupMount[]): LimitSupport {
  const byCgroup = (limit: 'memoryBytes' | 'cpus'): Enforcement => {
    const controller = CONTROLLER[limit];
    const base = mounts.some((mount) => mount.version === 2) ? cgroupPlace()?.base : null;
    if (base && v2Controllers(base).includes(controller)) return { by: 'cgroup2', where: join(base, 'ghost') };
    const v1 = mounts.find((mount) => mount.version === 1 && mount.controllers.includes(controller));
    if (v1 && writable(v1.path)) return { by: 'cgroup1', where: join(v1.path, 'ghost') };
    return {
      by: null,
      why: `no cgroup with the ${controller} controller that ghost may write to`,
      enable:
        `on cgroup v2, a delegated subtree with ${controller} enabled (e.g. systemd's user@.service delegates it); ` +
        `on cgroup v1, write access to the ${controller} hierarchy`,
    };
  };
  const prlimit = process.platform === 'linux' ? findPrlimit() : null;
  return {
    memoryBytes: byCgroup('memoryBytes'),
    cpus: byCgroup('cpus'),
    maxOpenFiles: prlimit
      ? { by: 'rlimit', where: `RLIMIT_NOFILE (${prlimit})` }
      : { by: null, why: 'no prlimit(1) to set it on the task', enable: 'install util-linux (it provides prlimit)' },
  };
}

/** Controllers available to children of `base` (enabled there, or enabled by ghost below it). */
function v2Controllers(base: string): string[] {
  const available = (read(join(base, 'cgroup.controllers')) ?? '').split(/\s+/);
  return available.filter((name) => name === 'memory' || name === 'cpu');
}

function findPrlimit(): string | null {
  for (const path of ['/usr/bin/prlimit', '/bin/prlimit']) if (existsSync(path)) return path;
  return null;
}

/**
 * Refuses limits this machine cannot enforce (LIMIT_UNAVAILABLE, saying why and what would),
 * unless `bestEffort`: then returns those it will apply.
 */
export function checkLimits(limits: Limits, bestEffort: boolean, env: NodeJS.ProcessEnv = process.env): Limits {
  const found = limitSupport(env);
  const applied: Limits = {};
  for (const name of LIMIT_NAMES) {
    if (limits[name] === undefined) continue;
    const enforcement = found[name];
    if (enforcement.by !== null) applied[name] = limits[name];
    else if (!bestEffort) {
      throw new GhostError('LIMIT_UNAVAILABLE', `cannot enforce the ${LIMIT_WORDS[name]} limit here: ${enforcement.why}`, {
        details: { limit: name, why: enforcement.why, enable: enforcement.enable },
      });
    }
  }
  return applied;
}

const LIMIT_WORDS: Record<LimitName, string> = { memoryBytes: 'memory', cpus: 'CPU', maxOpenFiles: 'open files' };

const CPU_PERIOD_US = 100_000;

/**
 * Applies checked limits to a parked launch (its supervisor and command, `pids`), with `cgroup2`
 * the run's own tracking cgroup if it has one. Returns what to undo when the launch is over.
 */
export function applyLimits(launchId: string, pids: readonly number[], limits: Limits, cgroup2: string | null): string[] {
  const made: string[] = [];
  const found = limitSupport();
  try {
    for (const name of ['memoryBytes', 'cpus'] as const) {
      const value = limits[name];
      if (value === undefined) continue;
      const enforcement = found[name];
      if (enforcement.by === 'cgroup2') {
        if (!cgroup2) throw new Error('the run has no cgroup of its own');
        // Children of ghost's cgroup get the controller only if ghost's cgroup hands it down.
        write(join(enforcement.where, 'cgroup.subtree_control'), `+${CONTROLLER[name]}`);
        write(join(cgroup2, name === 'memoryBytes' ? 'memory.max' : 'cpu.max'), v2Value(name, value));
      } else if (enforcement.by === 'cgroup1') {
        const dir = v1Cgroup(enforcement.where, launchId, made);
        if (name === 'memoryBytes') {
          write(join(dir, 'memory.limit_in_bytes'), String(value));
          // Without swap accounting the limit is on memory alone; with it, swap cannot be used to escape.
          if (existsSync(join(dir, 'memory.memsw.limit_in_bytes'))) write(join(dir, 'memory.memsw.limit_in_bytes'), String(value));
        } else {
          write(join(dir, 'cpu.cfs_period_us'), String(CPU_PERIOD_US));
          write(join(dir, 'cpu.cfs_quota_us'), String(Math.max(1000, Math.round(value * CPU_PERIOD_US))));
        }
        for (const pid of pids) write(join(dir, 'cgroup.procs'), String(pid));
      }
    }
    if (limits.maxOpenFiles !== undefined && found.maxOpenFiles.by === 'rlimit') {
      // Loaded here: every command pays for what ghost imports, and few tasks set this limit.
      const { execFileSync } = process.getBuiltinModule('node:child_process');
      for (const pid of pids.slice(-1)) {
        execFileSync(findPrlimit()!, [`--pid=${pid}`, `--nofile=${limits.maxOpenFiles}:${limits.maxOpenFiles}`], { stdio: 'ignore' });
      }
    }
  } catch (error) {
    releaseLimits(made);
    throw new GhostError('START_FAILED', `cannot apply the task's limits: ${(error as Error).message.split('\n')[0]}`, {
      cause: error,
      details: { limits },
    });
  }
  return made;
}

function v2Value(name: 'memoryBytes' | 'cpus', value: number): string {
  return name === 'memoryBytes' ? String(value) : `${Math.max(1000, Math.round(value * CPU_PERIOD_US))} ${CPU_PERIOD_US}`;
}

function v1Cgroup(root: string, launchId: string, made: string[]): string {
  const dir = join(root, launchId);
  mkdirSync(root, { recursive: true });
  mkdirSync(dir);
  made.push(dir);
  return dir;
}

/** v1 cgroups a launch's limits used, to remove once it is over (the kernel keeps empty ones). */
export function limitCgroups(launchId: string): string[] {
  const found = limitSupport();
  const dirs = new Set<string>();
  for (const name of ['memoryBytes', 'cpus'] as const) {
    const enforcement = found[name];
    if (enforcement.by === 'cgroup1') dirs.add(join(enforcement.where, launchId));
  }
  return [...dirs].filter((dir) => existsSync(dir));
}

/** Removes limit cgroups that are empty; false if one still has processes. */
export function releaseLimits(dirs: readonly string[]): boolean {
  let all = true;
  for (const dir of dirs) {
    try {
      rmdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') all = false;
    }
  }
  return all;
}

/**
 * Whether the kernel killed a process of the launch for exceeding its memory limit: the
 * `oom_kill` count of its memory cgroup (v2 `memory.events`, v1 `memory.oom_control`).
 */
export function outOfMemory(launchId: string, cgroup2: string | null): boolean {
  const found = limitSupport().memoryBytes;
  const file =
    found.by === 'cgroup2' && cgroup2
      ? join(cgroup2, 'memory.events')
      : found.by === 'cgroup1'
        ? join(found.where, launchId, 'memory.oom_control')
        : null;
  const text = file ? read(file) : null;
  const count = text === null ? null : /^oom_kill (\d+)$/m.exec(text)?.[1];
  return count !== null && count !== undefined && Number(count) > 0;
}

function writable(dir: string): boolean {
  try {
    const probe = join(dir, 'ghost');
    mkdirSync(probe, { recursive: true });
    return true;
  } catch {
    return false;
  }
}

function write(file: string, value: string): void {
  writeFileSync(file, value);
}

function read(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
