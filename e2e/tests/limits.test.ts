// Resource limits: memory and CPU through the cgroups this machine offers (here: the v1 memory
// and cpu hierarchies beside cgroup v2), open files through an rlimit; a task killed at its
// memory limit is recorded as out of memory; a limit that cannot be enforced is an error.
import { waitFor } from '@ghost/test-support';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import { type TaskJSON, ghost, ghostJSON, ghostOk, makeDataDir, waitUntilEnded } from '../src/harness.js';

interface Limit {
  by: string | null;
  where: string | null;
  why: string | null;
}
interface Doctor {
  limits: Record<'memory' | 'cpus' | 'max_open_files', Limit>;
}

const dataDir = makeDataDir();
const doctor = await ghostJSON<Doctor>(['doctor'], { dataDir });
const skipped = (limit: Limit) => {
  if (limit.by === null) console.log(`skipped: this machine cannot enforce it (${limit.why})`);
  return limit.by === null;
};


/** The cgroup of `controller` a process is in, from /proc/<pid>/cgroup. */
function cgroupOf(pid: number, controller: string): string | undefined {
  const line = readFileSync(`/proc/${pid}/cgroup`, 'utf8')
    .split('\n')
    .find((entry) => entry.split(':')[1]?.split(',').includes(controller));
  return line?.split(':')[2];
}

const HOG = "const a = []; for (;;) a.push(Buffer.alloc(1 << 20, 1))";

describe('ghost run --memory', () => {
  it.skipIf(skipped(doctor.limits.memory))('kills a task at its limit and records it as out of memory; --restart starts it again', async ({ expect }) => {
    await ghostOk(['run', '--name', 'hog', '--memory', '64M', '--', process.execPath, '-e', HOG], { dataDir });
    expect(await waitUntilEnded(dataDir, 'hog')).toMatchObject({ status: 'killed', signal: 'SIGKILL', reason: 'out_of_memory' });
    expect((await ghostOk(['status', 'hog'], { dataDir })).stdout).toMatch(/^status\s+killed SIGKILL · out of memory$/m);
    await ghostOk(['run', '--name', 'hogs', '--memory', '64M', '--restart', 'on-failure', '--backoff', '0.1s', '--max-restarts', '1', '--', process.execPath, '-e', HOG], { dataDir });
    expect(await waitUntilEnded(dataDir, 'hogs')).toMatchObject({ reason: 'restart_limit', restarts: 1, signal: 'SIGKILL' });
    const runs = await ghostJSON<{ reason: string | null }[]>(['runs', 'hogs'], { dataDir });
    expect(runs.map((run) => run.reason)).toEqual(['restart_limit', 'out_of_memory']);
  });

  it.skipIf(skipped(doctor.limits.memory))('leaves a task under its limit alone, and removes its cgroup once it ends', async ({ expect }) => {
    const id = (await ghostOk(['run', '--memory', '256M', '--', 'sleep', '30'], { dataDir })).stdout.trim();
    const task = await ghostJSON<TaskJSON>(['status', id], { dataDir });
    const cgroup = cgroupOf(task.pid!, 'memory')!;
    expect(cgroup).toContain(`/ghost/`);
    const dir = `${doctor.limits.memory.where!.replace(/\/ghost$/, '')}${cgroup}`;
    if (doctor.limits.memory.by === 'cgroup1') expect(readFileSync(`${dir}/memory.limit_in_bytes`, 'utf8').trim()).toBe(String(256 * 1024 * 1024));
    await ghostOk(['stop', id], { dataDir });
    await waitFor(async () => (await ghostOk(['list'], { dataDir }), !existsSync(dir)), { message: 'the cgroup to go' });
  });
});

describe('ghost run --cpus and --max-open-files', () => {
  it.skipIf(skipped(doctor.limits.cpus))('puts the task in a CPU-limited cgroup', async ({ expect }) => {
    const id = (await ghostOk(['run', '--cpus', '0.25', '--', 'sleep', '30'], { dataDir })).stdout.trim();
    const task = await ghostJSON<TaskJSON>(['status', id], { dataDir });
    const cgroup = cgroupOf(task.pid!, 'cpu')!;
    const root = doctor.limits.cpus.where!.replace(/\/ghost$/, '');
    if (doctor.limits.cpus.by === 'cgroup1') expect(readFileSync(`${root}${cgroup}/cpu.cfs_quota_us`, 'utf8').trim()).toBe('25000');
    else expect(readFileSync(`${root}${cgroup}/cpu.max`, 'utf8').trim()).toBe('25000 100000');
    await ghostOk(['stop', id], { dataDir });
  });

  it.skipIf(skipped(doctor.limits.max_open_files))('sets the open files limit of the command', async ({ expect }) => {
    const id = (await ghostOk(['run', '--max-open-files', '123', '--', 'sh', '-c', 'ulimit -n'], { dataDir })).stdout.trim();
    await waitUntilEnded(dataDir, id);
    expect((await ghostOk(['log', id], { dataDir })).stdout).toBe('123\n');
  });
});

describe('limits this machine cannot enforce', () => {
  it('are an error that says why and what would enable them, unless --limits best-effort', async ({ expect }) => {
    const env = { GHOST_CGROUPS: 'off' };
    const other = makeDataDir();
    const refused = await ghost(['run', '--memory', '64M', '--', 'true'], { dataDir: other, env });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/^ghost: cannot enforce the memory limit here: .*\(to enforce it: .*; or accept that with --limits best-effort\)\n$/);
    expect(await ghostJSON<TaskJSON[]>(['list'], { dataDir: other })).toEqual([]);
    const accepted = await ghost(['run', '--memory', '64M', '--limits', 'best-effort', '--', 'true'], { dataDir: other, env });
    expect(accepted.exitCode).toBe(0);
    expect((await ghost(['run', '--memory', 'lots', '--', 'true'], { dataDir: other })).stderr).toBe(
      'ghost: invalid memory limit "lots" (expected a size such as 512k, 100M or 2G)\n',
    );
  });
});
