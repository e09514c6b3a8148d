// The per-task supervisor is what records how a task ends. If it is SIGKILLed, the task must
// stay `running` exactly as long as its command lives, then become `unknown` (never be left
// `running`, never be invented an exit code).
import { waitFor } from '@ghost/test-support';
import { describe, expect, it } from 'vitest';
import {
  descendants,
  ghostOk,
  isAlive,
  listTasks,
  makeDataDir,
  procStat,
  startTask,
  taskStatus,
} from '../src/harness.js';

describe('a task whose supervisor was SIGKILLed', () => {
  it('stays running while its command lives, then becomes unknown', async () => {
    const dataDir = makeDataDir();
    const id = await startTask(dataDir, ['sleep', '300']);
    const task = await taskStatus(dataDir, id);
    const supervisor = task.pgid!;
    expect(supervisor).not.toBe(task.pid);
    expect(procStat(task.pid!)!.ppid).toBe(supervisor);

    // The supervisor only, by pid (not its group).
    process.kill(supervisor, 'SIGKILL');
    await waitFor(() => !isAlive(supervisor), { message: 'the supervisor to die' });
    expect(isAlive(task.pid!)).toBe(true);

    expect((await taskStatus(dataDir, id)).status).toBe('running');
    expect((await listTasks(dataDir, '--status', 'running')).map((t) => t.id)).toEqual([id]);

    process.kill(task.pid!, 'SIGKILL');
    await waitFor(() => !isAlive(task.pid!), { message: 'the command to die' });

    const ended = await taskStatus(dataDir, id);
    expect(ended).toMatchObject({ status: 'unknown', exit_code: null, signal: null });
    expect(ended.finished_at).not.toBeNull();
    expect(await listTasks(dataDir, '--status', 'running')).toEqual([]);
    const plain = await ghostOk(['status', id], { dataDir });
    expect(plain.stdout).toMatch(/^status\s+unknown$/m);
  });

  it('can still be stopped while its command lives: the whole tree goes', async () => {
    const dataDir = makeDataDir();
    const id = await startTask(dataDir, ['sh', '-c', 'sleep 300 & wait']);
    const task = await taskStatus(dataDir, id);
    const child = await waitFor(() => descendants(task.pid!)[0]?.pid, { message: 'the sleep to start' });
    process.kill(task.pgid!, 'SIGKILL');
    await waitFor(() => !isAlive(task.pgid!), { message: 'the supervisor to die' });

    const result = await ghostOk(['stop', id], { dataDir });
    expect(result.stdout).toContain(`stopped ${id.slice(0, 8)}`);
    expect(isAlive(task.pid!)).toBe(false);
    expect(isAlive(child)).toBe(false);
    // Nobody recorded how it ended: ghost does not make up an exit status.
    expect((await taskStatus(dataDir, id)).status).toBe('unknown');
  });
});
