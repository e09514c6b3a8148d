// A recorded pid that now belongs to an unrelated process must never make a task look running,
// and ghost must never signal that process. The recycled pid is made for real: a task row is
// rewritten to point at a `sleep` this test started itself.
import { waitFor } from '@ghost/test-support';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ghost,
  ghostOk,
  isAlive,
  killTracked,
  listTasks,
  makeDataDir,
  procStat,
  startTask,
  taskStatus,
  trackPid,
} from '../src/harness.js';
import { patchTask } from '../src/tasks-db.js';

describe('a task whose pid was reused by an unrelated process', () => {
  const dataDir = makeDataDir();
  let id: string;
  let stranger: ReturnType<typeof execa>;
  let strangerPid: number;

  beforeAll(async () => {
    id = await startTask(dataDir, ['sleep', '300'], { name: 'recycled' });
    const stopped = await ghostOk(['stop', id], { dataDir });
    expect(stopped.stdout).toContain('killed SIGTERM');
    // The unrelated process: detached, so it leads its own process group.
    stranger = execa('sleep', ['60'], { detached: true, stdio: 'ignore', reject: false });
    strangerPid = stranger.pid!;
    trackPid(strangerPid);
    await waitFor(() => procStat(strangerPid)?.pgid === strangerPid, { message: 'the stranger to lead its group' });
  });

  afterAll(async () => {
    killTracked(strangerPid);
    await stranger;
  });

  /** Makes the row claim, again, that the task is running as the stranger. */
  function pointRowAtStranger(): void {
    patchTask(dataDir, id, {
      status: 'running',
      pid: strangerPid,
      pgid: procStat(strangerPid)!.pgid,
      pid_start: 'garbage-start',
      supervisor_start: 'more-garbage',
      exit_code: null,
      signal: null,
      finished_at: null,
    });
  }

  function expectStrangerUntouched(): void {
    const stat = procStat(strangerPid);
    expect(stat, 'the unrelated sleep must still be alive').not.toBeNull();
    expect(stat!.state).not.toBe('Z');
    expect(isAlive(strangerPid)).toBe(true);
  }

  it('is not reported running by list: it becomes unknown', async () => {
    pointRowAtStranger();
    expect(await listTasks(dataDir, '--status', 'running')).toEqual([]);
    const [task] = await listTasks(dataDir);
    expect(task).toMatchObject({ id, status: 'unknown', exit_code: null, signal: null });
    expect(task!.finished_at).not.toBeNull();
    expectStrangerUntouched();
  });

  it('is not reported running by status', async () => {
    pointRowAtStranger();
    expect(await taskStatus(dataDir, id)).toMatchObject({ status: 'unknown' });
    const plain = await ghostOk(['status', 'recycled'], { dataDir });
    expect(plain.stdout).toMatch(/^status\s+unknown$/m);
    expectStrangerUntouched();
  });

  it('is not signalled by stop', async () => {
    pointRowAtStranger();
    const result = await ghost(['stop', '--timeout', '1', id], { dataDir });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('had already ended: unknown');
    expectStrangerUntouched();
  });

  it('is not signalled by stop --force', async () => {
    pointRowAtStranger();
    const result = await ghost(['stop', '--force', id], { dataDir });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('had already ended: unknown');
    expectStrangerUntouched();
  });

  it.for(['KILL', 'TERM', 'HUP'])('is not signalled by kill -s %s', async (signal) => {
    pointRowAtStranger();
    const result = await ghost(['kill', '-s', signal, id], { dataDir });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('not running');
    expectStrangerUntouched();
    expect((await taskStatus(dataDir, id)).status).toBe('unknown');
  });

  it('is not followed forever by log -f', async () => {
    pointRowAtStranger();
    const result = await ghost(['log', '-f', id], { dataDir, timeout: 20_000 });
    expect(result.exitCode).toBe(0);
    expectStrangerUntouched();
  });

  it('is removed by cleanup without touching the process', async () => {
    pointRowAtStranger();
    const result = await ghost(['cleanup', '--all', '--json'], { dataDir });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).map((t: { id: string }) => t.id)).toEqual([id]);
    expectStrangerUntouched();
  });
});
