// A full or read-only disk under the data directory: ghost must still show the tasks, their
// logs, and stop the one that fills the disk; what it cannot record, the next command does.
// Needs root to mount a small tmpfs (CI runs as root).
import { waitFor } from '@ghost/test-support';
import { execFileSync } from 'node:child_process';
import { mkdirSync, statfsSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type TaskJSON, ghost, ghostJSON, ghostOk, isAlive, makeTempDir, startTask, taskStatus } from '../src/harness.js';

const isRoot = process.geteuid?.() === 0;
const mounts: string[] = [];

function mountTmpfs(sizeKb: number): string {
  const dir = makeTempDir('ghost-e2e-disk-');
  // mode=0700: a tmpfs root is world-writable by default, which the data dir checks refuse.
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0700`, 'tmpfs', dir]);
  mounts.push(dir);
  return dir;
}

function bindReadOnly(source: string): string {
  const dir = makeTempDir('ghost-e2e-ro-');
  execFileSync('mount', ['--bind', source, dir]);
  mounts.push(dir);
  execFileSync('mount', ['-o', 'remount,bind,ro', dir]);
  return dir;
}

const freeBytes = (dir: string) => {
  const stat = statfsSync(dir);
  return stat.bavail * stat.bsize;
};

/** What ghost knows of a task, straight from the running processes (no ghost command needed). */
function killGroups(tasks: readonly TaskJSON[]): void {
  for (const task of tasks) {
    try {
      if (task.pgid !== null && task.pgid > 1) process.kill(-task.pgid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

describe.skipIf(!isRoot)('a data directory on a full disk', () => {
  let dataDir: string;
  let started: TaskJSON[] = [];

  beforeAll(() => {
    dataDir = join(mountTmpfs(4096), 'ghost');
  });

  afterAll(() => {
    killGroups(started);
    for (const dir of mounts.splice(0).reverse()) execFileSync('umount', ['-l', dir]);
  });

  it('still lists, shows, reads and stops the task that filled it; the next command records the end', { timeout: 60_000 }, async ({ expect }) => {
    const sleeper = await startTask(dataDir, ['sleep', '300'], { name: 'sleeper' });
    // The task fills the disk through its own log, then keeps trying.
    const filler = await startTask(dataDir, ['sh', '-c', 'while :; do head -c 1048576 /dev/zero; echo; sleep 0.1; done'], { name: 'filler' });
    started = [await taskStatus(dataDir, sleeper), await taskStatus(dataDir, filler)];
    await waitFor(() => freeBytes(dataDir) === 0, { timeout: 20_000, message: 'the disk to fill' });

    const list = await ghost(['list'], { dataDir });
    expect(list, list.stderr).toMatchObject({ exitCode: 0 });
    expect(list.stdout).toMatch(/filler\s+running/);
    expect((await ghostJSON<TaskJSON>(['status', 'filler'], { dataDir })).status).toBe('running');
    expect((await ghost(['log', '-n', '1', 'filler'], { dataDir })).exitCode).toBe(0);

    const stop = await ghost(['stop', 'filler'], { dataDir });
    expect(stop.exitCode).toBe(0);
    expect(stop.stdout).toMatch(/^stopped \w+ \(filler\): killed SIGTERM\n$/);
    // At most one line about what could not be written, never a stack trace.
    expect(stop.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(1);
    expect(stop.stderr).not.toMatch(/\n\s+at /);
    expect(isAlive(started[1]!.pid!)).toBe(false);

    // SIGKILL works too, and is what the next command records.
    expect((await ghost(['kill', 'sleeper'], { dataDir })).exitCode).toBe(0);
    expect(isAlive(started[0]!.pid!)).toBe(false);

    // Room again: the next command catches up with both ends.
    truncateSync(started[1]!.log_path, 0);
    expect(await taskStatus(dataDir, 'filler')).toMatchObject({ status: 'killed', signal: 'SIGTERM' });
    expect(await taskStatus(dataDir, 'sleeper')).toMatchObject({ status: 'killed', signal: 'SIGKILL' });
  });
});

describe.skipIf(!isRoot)('a read-only data directory', () => {
  afterAll(() => {
    for (const dir of mounts.splice(0).reverse()) execFileSync('umount', ['-l', dir]);
  });

  it('still lists, shows, reads and stops; the next writable command records the end', { timeout: 60_000 }, async ({ expect }) => {
    const writable = join(makeTempDir(), 'ghost');
    mkdirSync(writable, { mode: 0o700 });
    const id = await startTask(writable, ['sh', '-c', 'echo hello; exec sleep 300'], { name: 'web' });
    const task = await taskStatus(writable, id);
    try {
      await waitFor(async () => (await ghostOk(['log', 'web'], { dataDir: writable })).stdout === 'hello\n');
      const readOnly = bindReadOnly(writable);
      expect((await ghostOk(['list'], { dataDir: readOnly })).stdout).toMatch(/web\s+running/);
      expect((await ghostOk(['log', 'web'], { dataDir: readOnly })).stdout).toBe('hello\n');
      const stop = await ghost(['stop', 'web'], { dataDir: readOnly });
      expect(stop.exitCode).toBe(0);
      expect(stop.stdout).toMatch(/^stopped \w+ \(web\): killed SIGTERM\n$/);
      expect(stop.stderr).toMatch(/^ghost: .*could not be recorded.*\n$/);
      expect(isAlive(task.pid!)).toBe(false);
      // Reads still show the truth without writing it.
      expect((await ghostJSON<TaskJSON>(['status', 'web'], { dataDir: readOnly })).status).toBe('killed');
      expect(await taskStatus(writable, 'web')).toMatchObject({ status: 'killed', signal: 'SIGTERM' });
    } finally {
      killGroups([task]);
    }
  });
});
