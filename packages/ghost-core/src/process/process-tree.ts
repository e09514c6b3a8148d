import { type ProcessInfo, isSameProcess, listProcesses } from './process-table.js';

/**
 * The live processes that belong to a task: every member of its process group, plus every
 * descendant of `roots`, including those that left the group with setsid. Take it as a
 * snapshot before signalling: once a parent dies its children are re-parented and can no
 * longer be found by walking parent links.
 */
export function taskProcesses(pgid: number, roots: readonly number[], all: readonly ProcessInfo[] = listProcesses()): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>();
  for (const info of all) {
    const siblings = children.get(info.ppid);
    if (siblings) siblings.push(info);
    else children.set(info.ppid, [info]);
  }
  const found = new Map<number, ProcessInfo>();
  for (const info of all) if (info.pgid === pgid) found.set(info.pid, info);
  const queue = [...roots];
  const seen = new Set<number>(queue);
  while (queue.length > 0) {
    for (const child of children.get(queue.pop()!) ?? []) {
      if (seen.has(child.pid)) continue;
      seen.add(child.pid);
      found.set(child.pid, child);
      queue.push(child.pid);
    }
  }
  return [...found.values()];
}

/** True if any process of the group `pgid` is alive (zombies do not count). */
export function groupAlive(pgid: number): boolean {
  return aliveGroups([pgid]).has(pgid);
}

/**
 * The groups of `pgids` that have a live process (zombies do not count), with at most one read
 * of the process table for all of them: stopping hundreds of tasks polls them together.
 */
export function aliveGroups(pgids: readonly number[]): Set<number> {
  const signalled = pgids.filter((pgid) => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch (error) {
      // ESRCH: the group is empty. EPERM: it exists but belongs to someone else.
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  });
  if (signalled.length === 0) return new Set();
  // kill() also succeeds while only zombies remain; they are waiting to be reaped, not running.
  const wanted = new Set(signalled);
  const alive = new Set<number>();
  for (const info of listProcesses()) if (wanted.has(info.pgid)) alive.add(info.pgid);
  return alive;
}

/** The processes of `snapshot` that are still the same live processes. */
export function survivors(snapshot: readonly ProcessInfo[]): ProcessInfo[] {
  return snapshot.filter((info) => isSameProcess(info.pid, info.start));
}

