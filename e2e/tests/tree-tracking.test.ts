// The whole tree is the task's: descendants that daemonize (setsid, then their parent exits,
// so neither the process group nor parent links lead to them) are stopped with the task, and
// a task whose command exited while they live says so. Both mechanisms: a cgroup per run
// where ghost can make one (as root here), and the inherited GHOST_RUN marker.
import { waitFor } from '@ghost/test-support';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectTaskShape } from '../src/assertions.js';
import {
  type TaskJSON,
  ghost,
  ghostJSON,
  ghostOk,
  isAlive,
  makeDataDir,
  processesWithArg,
  startTask,
  taskStatus,
  trackPid,
  uniqueSleepArg,
  waitUntilEnded,
} from '../src/harness.js';
import { withTasksDb } from '../src/tasks-db.js';

interface Doctor {
  cgroups: { kind: string; v2_mount: string | null; base: string | null; usable: boolean; kill: boolean };
  tracking: { mechanism: 'cgroup2' | 'marker'; forced: boolean };
  ports: { method: string };
  fs_notifications: { works: boolean };
  sqlite: { driver: string | null; version: string | null };
  data_dir: { path: string; usable: boolean };
  node: string;
}

/** The process started by the test's daemonizing command, found by its unique argument; killed after the file if it survives. */
async function daemonPid(arg: string): Promise<number> {
  const [pid] = await waitFor(() => {
    const pids = processesWithArg(arg);
    return pids.length === 1 ? pids : undefined;
  }, { message: `the daemonized sleep ${arg} to start` });
  trackPid(pid!);
  return pid!;
}

/** The cgroup (v2) directory a process is in, if it is in one of ghost's. */
function ghostCgroupOf(pid: number, mount: string): string | null {
  const line = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n').find((entry) => entry.startsWith('0::'));
  const path = line?.slice(3) ?? '';
  return /\/ghost\/[0-9a-f-]{36}$/.test(path) ? `${mount}${path}` : null;
}

const machine = await ghostJSON<Doctor>(['doctor'], { dataDir: makeDataDir() });
const mechanisms = [
  { name: 'cgroup', env: {}, expected: machine.cgroups.usable ? 'cgroup2' : 'marker' },
  { name: 'marker', env: { GHOST_TRACKING: 'marker' }, expected: 'marker' },
] as const;

describe.each(mechanisms)('tree tracking ($name)', ({ env, expected }) => {
  const dataDir = makeDataDir();
  const opts = { dataDir, env };

  it.concurrent('stop ends a descendant that daemonized while the command runs', async ({ expect }) => {
    const arg = uniqueSleepArg();
    const id = await startTask(dataDir, ['sh', '-c', `setsid sh -c "sleep ${arg} & exit 0" & sleep 300`], { processEnv: env });
    const daemon = await daemonPid(arg);
    const cgroup = machine.cgroups.v2_mount ? ghostCgroupOf(daemon, machine.cgroups.v2_mount) : null;
    expect(cgroup !== null).toBe(expected === 'cgroup2');
    const result = await ghostOk(['stop', id], opts);
    expect(result.stdout).toBe(`stopped ${id.slice(0, 8)}: killed SIGTERM\n`);
    expect(isAlive(daemon)).toBe(false);
    // The run's cgroup goes with it.
    if (cgroup) expect(existsSync(cgroup)).toBe(false);
  });

  it.concurrent('a task whose command exited while a daemonized child lives says so, and stop ends the child', async ({ expect }) => {
    const arg = uniqueSleepArg();
    const id = await startTask(dataDir, ['sh', '-c', `setsid sh -c "sleep ${arg} & exit 0"; exit 0`], { name: `left-${arg}`, processEnv: env });
    const daemon = await daemonPid(arg);
    const cgroup = machine.cgroups.v2_mount ? ghostCgroupOf(daemon, machine.cgroups.v2_mount) : null;
    const ended = await waitUntilEnded(dataDir, id);
    expect(ended).toMatchObject({ status: 'exited', exit_code: 0, leftover_processes: 1 });
    expectTaskShape(ended);
    const listed = await ghostOk(['list'], opts);
    expect(listed.stdout).toContain('exited 0 · 1 process left');
    expect((await ghostJSON<TaskJSON[]>(['list'], opts)).find((task) => task.id === id)).toMatchObject({ leftover_processes: 1 });
    expect((await ghostOk(['status', id], opts)).stdout).toMatch(/^status\s+exited 0 · 1 process left$/m);
    // Removing it would lose the process: refused, as for a running task.
    const rm = await ghost(['rm', id], opts);
    expect(rm.exitCode).toBe(1);
    expect(rm.stderr).toMatch(/has ended but left 1 process running; nothing was removed/);

    const stopped = await ghostOk(['stop', id], opts);
    expect(stopped.stdout).toBe(`${id.slice(0, 8)} (left-${arg}) had already ended: exited 0; stopped 1 process it left running\n`);
    expect(isAlive(daemon)).toBe(false);
    expect(await taskStatus(dataDir, id)).toMatchObject({ status: 'exited', exit_code: 0, leftover_processes: 0 });
    if (cgroup) expect(existsSync(cgroup)).toBe(false);
    expect((await ghostOk(['stop', id], opts)).stdout).toBe(`${id.slice(0, 8)} (left-${arg}) had already ended: exited 0\n`);
  });

  it.concurrent('a leftover that exits by itself is no longer counted, and nothing of the run is left', async ({ expect }) => {
    const arg = `3.${process.pid}${Math.floor(Math.random() * 1e9)}`;
    const id = await startTask(dataDir, ['sh', '-c', `setsid sh -c "sleep ${arg} & exit 0"; exit 0`], { processEnv: env });
    const daemon = await daemonPid(arg);
    expect((await waitUntilEnded(dataDir, id)).status).toBe('exited');
    await waitFor(() => !isAlive(daemon), { message: 'the leftover to exit by itself' });
    expect((await taskStatus(dataDir, id)).leftover_processes).toBe(0);
    await expectReleased(dataDir, id);
  });

  it.concurrent('a run that ends with all its processes leaves no cgroup behind', async ({ expect }) => {
    const id = await startTask(dataDir, ['sh', '-c', 'sleep 0.1 & wait'], { processEnv: env });
    expect((await waitUntilEnded(dataDir, id)).leftover_processes).toBe(0);
    await expectReleased(dataDir, id);
    const stopped = await startTask(dataDir, ['sleep', '300'], { processEnv: env });
    await ghostOk(['stop', stopped], opts);
    await expectReleased(dataDir, stopped);
  });
});

/**
 * Every run of the task has let go of its tracking: no cgroup directory, nothing left to look
 * at. Checked after a read that follows the supervisor's exit (the read that records an end
 * may come between its last journal write and its exit: the next read releases it then).
 */
async function expectReleased(dataDir: string, id: string): Promise<void> {
  const task = await taskStatus(dataDir, id);
  await waitFor(() => !isAlive(task.pgid!), { message: 'the supervisor to exit' });
  await ghostOk(['list'], { dataDir });
  const runs = withTasksDb(dataDir, (db) =>
    db.prepare('SELECT launch_id, tracking FROM runs WHERE task_id = ?').all(id),
  ) as { launch_id: string; tracking: string | null }[];
  expect(runs.length).toBeGreaterThan(0);
  for (const run of runs) {
    expect(run.tracking).toBeNull();
    if (machine.cgroups.base) expect(existsSync(join(machine.cgroups.base, 'ghost', run.launch_id))).toBe(false);
  }
}

describe('ghost doctor', () => {
  it('reports what this machine offers, as text and as JSON', async ({ expect }) => {
    const dataDir = makeDataDir();
    const text = await ghostOk(['doctor'], { dataDir });
    const keys = text.stdout.trimEnd().split('\n').map((line) => line.slice(0, 18).trim());
    expect(keys).toEqual(['platform', 'node', 'data dir', 'sqlite', 'cgroups', 'cgroup per run', 'tree tracking', 'limit memory', 'limit cpu', 'limit open files', 'port discovery', 'fs notifications']);
    expect(text.stdout).toMatch(new RegExp(`^data dir\\s+${dataDir}$`, 'm'));
    // Which driver, and why, is sqlite-driver.test.ts's business.
    expect(text.stdout).toMatch(/^sqlite\s+3\.\d+\.\d+ \((better-sqlite3|node:sqlite) /m);
    expect(text.stdout).toMatch(/^port discovery\s+\/proc\/net$/m);
    const report = await ghostJSON<Doctor>(['doctor'], { dataDir });
    expect(report).toMatchObject({ node: process.version, data_dir: { path: dataDir, usable: true }, ports: { method: 'procfs' } });
    expect(report.tracking).toEqual({ mechanism: report.cgroups.usable ? 'cgroup2' : 'marker', forced: false });
    // This machine (Linux, /proc/self/mountinfo) has some cgroup hierarchy; the report must match it.
    const mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
    expect(report.cgroups.v2_mount !== null).toBe(/ - cgroup2 /.test(mountinfo));
    expect(text.stdout).toMatch(report.cgroups.usable ? /^tree tracking\s+cgroup2: /m : /^tree tracking\s+marker: /m);
    const forced = await ghostJSON<Doctor>(['doctor'], { dataDir, env: { GHOST_TRACKING: 'marker' } });
    expect(forced.tracking).toEqual({ mechanism: 'marker', forced: true });
  });
});
