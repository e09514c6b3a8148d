import { pollUntil } from '../poll.js';
import { type ProcessInfo, isSameProcess, listProcesses, processInfo } from '../process-table.js';
import { survivors, taskProcesses } from '../process-tree.js';
import type { Signal } from '../signals.js';
import { cgroupPids, cgroupPlace, cgroupPopulated, createCgroup, killCgroup, removeCgroup, sweepCgroups, warmMigration } from './cgroup.js';
import { MARKER_VARIABLE, markedProcesses } from './marker.js';

/**
 * How a run's whole process tree is found, including processes that daemonized (setsid, then
 * their parent exited: no process group or parent link leads to them any more). Chosen per
 * launch; recorded on the run (see `encodeTracking`).
 */
export type Tracking =
  /** Every process the run forks is in this cgroup v2 directory: nothing escapes it. */
  | { mechanism: 'cgroup2'; path: string }
  /** Every process that kept the environment it inherited carries `GHOST_RUN=<marker>`. */
  | { mechanism: 'marker'; marker: string };

export type TrackingMechanism = Tracking['mechanism'];

/** `GHOST_TRACKING=marker` makes launches use the marker even where a cgroup is possible (tests, comparisons). */
export const TRACKING_ENV = 'GHOST_TRACKING';

/** As stored on the run: "cgroup2:<path>" or "marker:<launch-id>". */
export function encodeTracking(tracking: Tracking): string {
  return tracking.mechanism === 'cgroup2' ? `cgroup2:${tracking.path}` : `marker:${tracking.marker}`;
}

/** The stored form back; null for none, or a form this ghost does not know (a newer one's). */
export function decodeTracking(text: string | null): Tracking | null {
  if (text === null) return null;
  const colon = text.indexOf(':');
  const value = text.slice(colon + 1);
  switch (text.slice(0, colon)) {
    case 'cgroup2':
      return value.startsWith('/') ? { mechanism: 'cgroup2', path: value } : null;
    case 'marker':
      return value === '' ? null : { mechanism: 'marker', marker: value };
    default:
      return null;
  }
}

/**
 * The variable that marks a launch's processes. Every run gets it, whatever its mechanism:
 * it costs nothing, and it is what is left if the cgroup cannot be made.
 */
export function markerEnv(launchId: string): Record<string, string> {
  return { [MARKER_VARIABLE]: launchId };
}

/** The mechanism a launch would get here, from the machine and `env` (see `TRACKING_ENV`). */
export function preferredMechanism(env: NodeJS.ProcessEnv = process.env): TrackingMechanism {
  return cgroupBase(env) ? 'cgroup2' : 'marker';
}

function cgroupBase(env: NodeJS.ProcessEnv): string | null {
  return env[TRACKING_ENV] === 'marker' ? null : (cgroupPlace()?.base ?? null);
}

/**
 * Readies what startTracking will do, before a launch spawns its supervisor: where the launch
 * will get a cgroup, the kernel's wait for its first move is paid meanwhile (see warmMigration).
 */
export function prepareTracking(env: NodeJS.ProcessEnv = process.env): void {
  const own = cgroupBase(env) === null ? null : cgroupPlace()?.own;
  if (own) void warmMigration(own);
}

/**
 * Starts tracking a launch while its supervisor and command are parked, so that nothing of
 * the run exists outside what is tracked: a cgroup of its own when this process may make one
 * (both pids moved in), else the marker the launch was started with.
 */
export function startTracking(launchId: string, pids: readonly number[], env: NodeJS.ProcessEnv = process.env): Tracking {
  const base = cgroupBase(env);
  if (base) {
    try {
      return { mechanism: 'cgroup2', path: createCgroup(base, launchId, pids) };
    } catch {
      // Not delegated to us after all, read-only, or out of cgroups: the marker still works.
    }
  }
  return { mechanism: 'marker', marker: launchId };
}

/**
 * The live tracked processes of each run, in order: one read of `cgroup.procs` per cgroup,
 * and at most one pass over the process table for all the markers together.
 */
export function trackedProcesses(trackings: readonly Tracking[]): ProcessInfo[][] {
  const markers = new Set(trackings.flatMap((tracking) => (tracking.mechanism === 'marker' ? [tracking.marker] : [])));
  const marked = markedProcesses(markers);
  return trackings.map((tracking) => {
    const pids = tracking.mechanism === 'cgroup2' ? cgroupPids(tracking.path) : (marked.get(tracking.marker) ?? []);
    return pids.map(processInfo).filter((info): info is ProcessInfo => info !== null);
  });
}

/** A run as far as finding its processes goes. */
export interface TrackedRun {
  pid: number | null;
  /** The supervisor's pid: the run's process group. */
  pgid: number | null;
  tracking: Tracking | null;
}

/**
 * Every live process of a running run: its process group, the descendants of its supervisor
 * and command (parent links, which lose what daemonized) and what its tracking finds (which
 * does not). Take it as a snapshot before signalling.
 */
export function runProcesses(run: TrackedRun, all?: readonly ProcessInfo[]): ProcessInfo[] {
  const found = new Map<number, ProcessInfo>();
  if (run.pgid !== null) {
    const roots = [run.pgid, run.pid].filter((pid): pid is number => pid !== null);
    for (const info of taskProcesses(run.pgid, roots, all)) found.set(info.pid, info);
  }
  if (run.tracking) for (const info of trackedProcesses([run.tracking])[0]!) found.set(info.pid, info);
  return [...found.values()];
}

/**
 * The live pids of several running runs, each found as cheaply as its tracking allows: a
 * cgroup's from its `cgroup.procs` alone (everything the run forks is in it), the others' from
 * one pass over the process table (group and descendants) and one over the markers, for all of
 * them together. For reads (CPU, memory), not for signalling: no identities are checked.
 */
export function runsPids(runs: readonly TrackedRun[]): number[][] {
  const walked = runs.filter((run) => run.tracking?.mechanism !== 'cgroup2');
  const all = walked.length > 0 ? listProcesses() : [];
  const marked = markedProcesses(new Set(walked.flatMap((run) => (run.tracking?.mechanism === 'marker' ? [run.tracking.marker] : []))));
  return runs.map((run) => {
    if (run.tracking?.mechanism === 'cgroup2') return cgroupPids(run.tracking.path);
    const pids = new Set<number>();
    if (run.pgid !== null) {
      const roots = [run.pgid, run.pid].filter((pid): pid is number => pid !== null);
      for (const info of taskProcesses(run.pgid, roots, all)) pids.add(info.pid);
    }
    if (run.tracking?.mechanism === 'marker') for (const pid of marked.get(run.tracking.marker) ?? []) pids.add(pid);
    return [...pids];
  });
}

/**
 * True while a tracked process may live that no snapshot shows: a cgroup's, learnt from one
 * file. A marker has no such answer short of a scan; its processes are in the snapshot.
 */
export function trackedPopulated(tracking: Tracking | null): boolean {
  return tracking?.mechanism === 'cgroup2' && cgroupPopulated(tracking.path);
}

/** SIGKILLs everything a cgroup holds, in one write (processes forked meanwhile included). */
export function killTracked(tracking: Tracking | null): void {
  if (tracking?.mechanism === 'cgroup2') killCgroup(tracking.path);
}

/** Drops what tracking left on the system (an empty cgroup); false while processes remain. */
export function releaseTracking(tracking: Tracking): boolean {
  return tracking.mechanism === 'cgroup2' ? removeCgroup(tracking.path) : true;
}

/** Removes empty run cgroups made before `before` (ms) that no run released (see sweepCgroups). */
export function sweepTracking(before: number): void {
  const base = cgroupPlace()?.base;
  if (base) sweepCgroups(base, before);
}

export interface EndOptions {
  /** How long SIGTERM may take before SIGKILL. */
  graceMs: number;
  /** SIGKILL at once. */
  force: boolean;
}

/**
 * Ends processes that outlived their run's command: SIGTERM each of `processes` (the caller's
 * snapshot, by identity), then, once the grace period passes, SIGKILL to what is left and to
 * the whole of each cgroup. True if every one is gone.
 */
export async function endProcesses(
  processes: readonly ProcessInfo[],
  trackings: readonly Tracking[],
  signals: { term: Signal; kill: Signal },
  options: EndOptions,
): Promise<{ gone: boolean; killed: boolean }> {
  const gone = () => survivors(processes).length === 0 && !trackings.some(trackedPopulated);
  if (!options.force) {
    signalEach(processes, signals.term);
    if (await pollUntil(gone, options.graceMs)) return { gone: true, killed: false };
  }
  signalEach(processes, signals.kill);
  for (const tracking of trackings) killTracked(tracking);
  return { gone: await pollUntil(gone, KILL_WAIT_MS), killed: true };
}

/** How long SIGKILLed processes may take to disappear before they count as stuck. */
export const KILL_WAIT_MS = 5_000;

function signalEach(processes: readonly ProcessInfo[], signal: Signal): void {
  for (const info of processes) {
    if (!isSameProcess(info.pid, info.start)) continue;
    try {
      process.kill(info.pid, signal.number);
    } catch {
      // Gone meanwhile.
    }
  }
}
