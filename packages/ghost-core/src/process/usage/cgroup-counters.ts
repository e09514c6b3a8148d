import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A cgroup v2's own counters: they cover every process that ever ran in it, exited ones
 * included, and cost one small read each. Each is null when the cgroup has no such file: its
 * controller is not enabled there (cgroup v2 always has `cpu.stat`; `memory.*` needs the
 * memory controller in the parent's `cgroup.subtree_control`), or the cgroup is gone.
 */
export interface CgroupCounters {
  /** CPU time used by the cgroup since it was made, in seconds (`cpu.stat` usage_usec). */
  cpuSeconds: number | null;
  /**
   * Memory charged to the cgroup, less the file cache it could drop at once (`memory.current`
   * minus `inactive_file` of `memory.stat`, as `docker stats` counts it): a task writing a
   * large log is not charged for the log's pages in the page cache.
   */
  memoryBytes: number | null;
}

export function cgroupCounters(path: string): CgroupCounters {
  const cpuStat = readOrNull(join(path, 'cpu.stat'));
  const current = readOrNull(join(path, 'memory.current'));
  return {
    cpuSeconds: cpuStat === null ? null : cpuStatSeconds(cpuStat),
    memoryBytes: current === null ? null : memoryInUse(current, readOrNull(join(path, 'memory.stat')) ?? ''),
  };
}

/** `usage_usec` of a cpu.stat, in seconds. */
export function cpuStatSeconds(text: string): number | null {
  const match = /^usage_usec (\d+)$/m.exec(text);
  return match ? Number(match[1]) / 1e6 : null;
}

/** memory.current less memory.stat's inactive_file (never below 0). */
export function memoryInUse(current: string, stat: string): number | null {
  const bytes = Number(current.trim());
  if (current.trim() === '' || !Number.isFinite(bytes)) return null;
  const inactive = /^inactive_file (\d+)$/m.exec(stat);
  return Math.max(0, bytes - (inactive ? Number(inactive[1]) : 0));
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return null;
  }
}
