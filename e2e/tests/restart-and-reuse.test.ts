// Tasks that live through several runs: restart (also of a process that ignores SIGTERM),
// start, the run history, idempotent `run --reuse` (also under 20 concurrent calls),
// descriptions and `list --here`.
import { waitFor } from '@ghost/test-support';
import { readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import {
  type RunJSON,
  type TaskJSON,
  ghost,
  ghostJSON,
  ghostOk,
  isAlive,
  makeDataDir,
  makeTempDir,
  startTask,
  taskStatus,
  waitUntilEnded,
} from '../src/harness.js';

describe('ghost restart', () => {
  const dataDir = makeDataDir();

  it.concurrent('restarts a task whose process ignores SIGTERM: same id and name, a new process, a new run', async ({ expect }) => {
    const id = await startTask(dataDir, ['sh', '-c', 'trap "" TERM; echo ready; while :; do sleep 0.1; done'], { name: 'stubborn' });
    const before = await taskStatus(dataDir, id);
    // SIGTERM must find the trap installed.
    await waitFor(() => readFileSync(before.log_path, 'utf8').includes('ready\n'), { message: 'the trap to be set' });
    const result = await ghost(['restart', '--timeout', '0.5', 'stubborn'], { dataDir });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^restarted ${id.slice(0, 8)} \\(stubborn\\), pid \\d+\\n$`));
    const after = await taskStatus(dataDir, 'stubborn');
    expect(after).toMatchObject({ id, name: 'stubborn', status: 'running' });
    expect(after.pid).not.toBe(before.pid);
    expect(isAlive(before.pid!)).toBe(false);
    const runs = await ghostJSON<RunJSON[]>(['runs', id], { dataDir });
    expect(runs.map((run) => [run.run, run.status, run.signal])).toEqual([
      [2, 'running', null],
      [1, 'killed', 'SIGKILL'],
    ]);
    expect(runs[0]!.pid).toBe(after.pid);
    await ghostOk(['stop', '--force', id], { dataDir });
  });

  it.concurrent('start runs an ended task again; a running one is refused', async ({ expect }) => {
    const id = await startTask(dataDir, ['sh', '-c', 'echo once; exit 3'], { name: 'again' });
    await waitUntilEnded(dataDir, id);
    const start = await ghost(['start', 'again'], { dataDir });
    expect(start.exitCode).toBe(0);
    expect(start.stdout).toMatch(new RegExp(`^started ${id.slice(0, 8)} \\(again\\), pid \\d+\\n$`));
    const ended = await waitUntilEnded(dataDir, id);
    expect(ended).toMatchObject({ status: 'exited', exit_code: 3 });
    expect((await ghostOk(['log', id], { dataDir })).stdout).toBe('once\nonce\n');
    const table = await ghostOk(['runs', id], { dataDir });
    expect(table.stdout).toMatch(/^RUN +STATUS +PID +STARTED +DURATION\n +2 +exited 3 .*\n +1 +exited 3 /);

    const running = await startTask(dataDir, ['sleep', '300']);
    const refused = await ghost(['start', running], { dataDir });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/^ghost: .*already running.*\n$/);
  });
});

describe('ghost run --reuse', () => {
  it('20 concurrent calls leave one running task', async ({ expect }) => {
    const dataDir = makeDataDir();
    const cwd = makeTempDir();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => ghost(['run', '--reuse', '--', 'sleep', '300'], { dataDir, cwd })),
    );
    for (const result of results) expect(result.exitCode, result.stderr).toBe(0);
    const ids = new Set(results.map((result) => result.stdout.split('\n')[0]));
    expect(ids.size).toBe(1);
    const tasks = await ghostJSON<TaskJSON[]>(['list'], { dataDir });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.status).toBe('running');
  });

  it('returns the running task, starts an ended one again, and tells argv and cwd apart', async ({ expect }) => {
    const dataDir = makeDataDir();
    const cwd = makeTempDir();
    const first = (await ghostOk(['run', '--reuse', '--', 'sh', '-c', 'sleep 300'], { dataDir, cwd })).stdout;
    expect((await ghostOk(['run', '--reuse', '--', 'sh', '-c', 'sleep 300'], { dataDir, cwd })).stdout).toBe(first);
    // Another argv or another directory is another task.
    expect((await ghostOk(['run', '--reuse', '--', 'sh', '-c', 'sleep 301'], { dataDir, cwd })).stdout).not.toBe(first);
    expect((await ghostOk(['run', '--reuse', '--', 'sh', '-c', 'sleep 300'], { dataDir, cwd: makeTempDir() })).stdout).not.toBe(first);
    // Without --reuse, a duplicate starts.
    expect((await ghostOk(['run', '--', 'sh', '-c', 'sleep 300'], { dataDir, cwd })).stdout).not.toBe(first);

    const ended = (await ghostOk(['run', '--', 'sh', '-c', 'exit 0'], { dataDir, cwd })).stdout.trim();
    await waitUntilEnded(dataDir, ended);
    const again = (await ghostOk(['run', '--reuse', '--', 'sh', '-c', 'exit 0'], { dataDir, cwd })).stdout.trim();
    expect(again).toBe(ended);
    expect((await ghostJSON<RunJSON[]>(['runs', ended], { dataDir })).length).toBe(2);
  });
});

describe('descriptions and list --here', () => {
  const dataDir = makeDataDir();

  it('shows the description in list, status and JSON', async ({ expect }) => {
    const id = await startTask(dataDir, ['sleep', '300'], { name: 'described' });
    const other = (await ghostOk(['run', '--description', 'the API on :4000', '--', 'sleep', '300'], { dataDir })).stdout.trim();
    expect((await taskStatus(dataDir, other)).description).toBe('the API on :4000');
    expect((await taskStatus(dataDir, id)).description).toBeNull();
    expect((await ghostOk(['list'], { dataDir })).stdout).toMatch(/ DESCRIPTION\n.*the API on :4000\n/);
    expect((await ghostOk(['status', other], { dataDir })).stdout).toMatch(/^description +the API on :4000$/m);
  });

  it('--here lists only tasks started from the current directory', async ({ expect }) => {
    const here = makeTempDir();
    const mine = (await ghostOk(['run', '--', 'true'], { dataDir, cwd: here })).stdout.trim();
    await ghostOk(['run', '--', 'true'], { dataDir, cwd: makeTempDir() });
    const listed = await ghostJSON<TaskJSON[]>(['list', '--here'], { dataDir, cwd: here });
    expect(listed.map((task) => task.id)).toEqual([mine]);
    expect((await ghostOk(['list', '--here'], { dataDir, cwd: here })).stdout).toContain(mine.slice(0, 8));
  });
});
