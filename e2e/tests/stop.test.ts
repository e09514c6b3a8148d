// `ghost stop`: SIGTERM, escalation to SIGKILL, whole process trees (including descendants
// that left the task's process group), --force, ended tasks and several tasks at once.
import { waitFor } from '@ghost/test-support';
import { describe, it } from 'vitest';
import { expectTaskShape } from '../src/assertions.js';
import {
  type ProcStat,
  type StopResultJSON,
  type TaskJSON,
  descendants,
  ghost,
  ghostJSON,
  ghostOk,
  isAlive,
  lines,
  makeDataDir,
  procStat,
  startTask,
  taskStatus,
  waitUntilEnded,
} from '../src/harness.js';

/** The default grace period before SIGKILL (DEFAULT_STOP_TIMEOUT_MS). */
const DEFAULT_GRACE_MS = 10_000;

/** Every process of a running task: its supervisor (the group leader), the command and all descendants. */
function taskTree(task: TaskJSON): ProcStat[] {
  const supervisor = procStat(task.pgid!);
  const command = procStat(task.pid!);
  return [supervisor, command, ...descendants(task.pid!)].filter((p): p is ProcStat => p !== null);
}

function alive(tree: readonly ProcStat[]): ProcStat[] {
  // Same pid and start time: a recycled pid is not a survivor.
  return tree.filter((p) => isAlive(p.pid) && procStat(p.pid)?.start === p.start);
}

describe('ghost stop', () => {
  const dataDir = makeDataDir();

  it.concurrent('stops a command that honours SIGTERM without waiting out the grace period', async ({ expect }) => {
    const id = await startTask(dataDir, ['sleep', '300']);
    const task = await taskStatus(dataDir, id);
    const tree = taskTree(task);
    const started = Date.now();
    const result = await ghost(['stop', id], { dataDir });
    const elapsed = Date.now() - started;
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`stopped ${id.slice(0, 8)}: killed SIGTERM\n`);
    // It returned once the process was gone, not after the 10 s grace period.
    expect(elapsed).toBeLessThan(DEFAULT_GRACE_MS);
    expect(alive(tree)).toEqual([]);
    const after = await taskStatus(dataDir, id);
    expect(after).toMatchObject({ status: 'killed', signal: 'SIGTERM', exit_code: null });
    expectTaskShape(after);
  });

  it.concurrent('escalates to SIGKILL after --timeout when SIGTERM is ignored, and every process is gone', async ({ expect }) => {
    const id = await startTask(dataDir, ['sh', '-c', 'trap "" TERM; while :; do sleep 1; done']);
    const task = await taskStatus(dataDir, id);
    await waitFor(() => descendants(task.pid!).length > 0, { message: 'the loop to start a sleep' });
    const tree = taskTree(task);
    const result = await ghost(['stop', '--timeout', '1', id], { dataDir });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`stopped ${id.slice(0, 8)}: killed SIGKILL\n`);
    expect(alive(tree)).toEqual([]);
    expect(isAlive(task.pgid!)).toBe(false);
    expect(await taskStatus(dataDir, id)).toMatchObject({ status: 'killed', signal: 'SIGKILL' });
  });

  it.concurrent('stops every process of a tree with grandchildren', async ({ expect }) => {
    const id = await startTask(dataDir, ['sh', '-c', 'sleep 300 & sleep 300 & wait']);
    const task = await taskStatus(dataDir, id);
    await waitFor(() => descendants(task.pid!).length >= 2, { message: 'both sleeps to start' });
    const tree = taskTree(task);
    expect(tree.length).toBeGreaterThanOrEqual(4);
    const result = await ghost(['stop', id], { dataDir });
    expect(result.exitCode).toBe(0);
    // stop returns only once every process is gone: no waiting here.
    expect(alive(tree)).toEqual([]);
    expect((await taskStatus(dataDir, id)).status).toBe('killed');
  });

  it.concurrent('stops descendants that escaped the process group with setsid', async ({ expect }) => {
    const id = await startTask(dataDir, [
      'sh',
      '-c',
      'sleep 300 & setsid sleep 300 & setsid sh -c "sleep 300 & wait" & wait',
    ]);
    const task = await taskStatus(dataDir, id);
    const escaped = await waitFor(
      () => {
        const found = descendants(task.pid!);
        const outside = found.filter((p) => p.pgid !== task.pgid);
        // sleep, setsid'd sleep, setsid'd sh and its sleep.
        return found.length >= 4 && outside.length >= 3 ? outside : undefined;
      },
      { message: 'the escaped grandchildren to start' },
    );
    expect(escaped.every((p) => p.sid !== task.pgid)).toBe(true);
    const tree = taskTree(task);
    const result = await ghost(['stop', id], { dataDir });
    expect(result.exitCode).toBe(0);
    expect(alive(tree)).toEqual([]);
  });

  it.concurrent('--force sends SIGKILL at once', async ({ expect }) => {
    const id = await startTask(dataDir, ['sh', '-c', 'trap "" TERM; sleep 300 & wait']);
    const task = await taskStatus(dataDir, id);
    await waitFor(() => descendants(task.pid!).length > 0, { message: 'the sleep to start' });
    const tree = taskTree(task);
    const started = Date.now();
    const result = await ghost(['stop', '--force', id], { dataDir });
    expect(result.exitCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(DEFAULT_GRACE_MS);
    expect(result.stdout).toBe(`stopped ${id.slice(0, 8)}: killed SIGKILL\n`);
    expect(alive(tree)).toEqual([]);
    expect(await taskStatus(dataDir, id)).toMatchObject({ status: 'killed', signal: 'SIGKILL' });
  });

  it.concurrent('records the exit code of a command that exits on SIGTERM by itself', async ({ expect }) => {
    const id = await startTask(dataDir, ['sh', '-c', 'trap "exit 3" TERM; while :; do sleep 0.1; done']);
    const task = await taskStatus(dataDir, id);
    await waitFor(() => descendants(task.pid!).length > 0, { message: 'the loop to start' });
    const result = await ghost(['stop', id], { dataDir });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`stopped ${id.slice(0, 8)}: exited 3\n`);
    expect(await taskStatus(dataDir, id)).toMatchObject({ status: 'exited', exit_code: 3 });
  });

  it.concurrent('stopping a task that has already ended succeeds and says so', async ({ expect }) => {
    const id = await startTask(dataDir, ['sh', '-c', 'exit 4'], { name: 'ended-already' });
    await waitUntilEnded(dataDir, id);
    const result = await ghost(['stop', 'ended-already'], { dataDir });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`${id.slice(0, 8)} (ended-already) had already ended: exited 4\n`);
    const json = await ghostJSON<StopResultJSON[]>(['stop', id], { dataDir });
    expect(json).toEqual([expect.objectContaining({ task: expect.objectContaining({ id, status: 'exited', exit_code: 4 }), was_running: false, killed: false })]);
  });

  it.concurrent('stops several tasks at once', async ({ expect }) => {
    const ids = await Promise.all([0, 1, 2].map((i) => startTask(dataDir, ['sleep', '300'], { name: `many-${i}` })));
    const tasks = await Promise.all(ids.map((id) => taskStatus(dataDir, id)));
    const ended = await startTask(dataDir, ['true']);
    await waitUntilEnded(dataDir, ended);
    const result = await ghost(['stop', 'many-0', ids[1]!, ids[2]!.slice(0, 13), ended], { dataDir });
    expect(result.exitCode).toBe(0);
    const out = lines(result.stdout);
    expect(out).toHaveLength(4);
    for (const [i, id] of ids.entries()) expect(out).toContain(`stopped ${id.slice(0, 8)} (many-${i}): killed SIGTERM`);
    expect(out).toContain(`${ended.slice(0, 8)} had already ended: exited 0`);
    for (const task of tasks) expect(isAlive(task.pid!)).toBe(false);
  });

  it.concurrent('stops nothing when one of the references is unknown, and names every unknown one', async ({ expect }) => {
    const id = await startTask(dataDir, ['sleep', '300']);
    const result = await ghost(['stop', id, 'no-such-task', 'nor-this-one'], { dataDir });
    expect(result).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'ghost: no task matches "no-such-task"; no task matches "nor-this-one" (see ghost list)\n',
    });
    const task = await taskStatus(dataDir, id);
    expect(task.status).toBe('running');
    expect(isAlive(task.pid!)).toBe(true);
    await ghostOk(['stop', '--force', id], { dataDir });
  });
});
