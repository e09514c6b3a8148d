// `ghost rm` (all or nothing), `ghost stop --all`, and `ghost ports` of a process the task
// started (not the task's own process).
import { waitFor } from '@ghost/test-support';
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';
import { type StopResultJSON, type TaskJSON, ghost, ghostJSON, ghostOk, isAlive, makeDataDir, startTask, taskStatus, waitUntilEnded } from '../src/harness.js';

describe('ghost rm', () => {
  it('removes ended tasks and their logs', async ({ expect }) => {
    const dataDir = makeDataDir();
    const a = await startTask(dataDir, ['sh', '-c', 'echo a'], { name: 'a' });
    const b = await startTask(dataDir, ['sh', '-c', 'exit 1']);
    const logs = [(await waitUntilEnded(dataDir, a)).log_path, (await waitUntilEnded(dataDir, b)).log_path];
    const result = await ghost(['rm', 'a', b.slice(0, 6)], { dataDir });
    expect(result).toEqual({ exitCode: 0, stdout: `removed ${a.slice(0, 8)} (a)\nremoved ${b.slice(0, 8)}\n`, stderr: '' });
    for (const log of logs) expect(existsSync(log)).toBe(false);
    expect(await ghostJSON<TaskJSON[]>(['list'], { dataDir })).toEqual([]);
  });

  it('removes nothing if one task is running or not found', async ({ expect }) => {
    const dataDir = makeDataDir();
    const ended = await startTask(dataDir, ['true']);
    await waitUntilEnded(dataDir, ended);
    const running = await startTask(dataDir, ['sleep', '300'], { name: 'busy' });
    const refused = await ghost(['rm', ended, 'busy'], { dataDir });
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^ghost: task .*busy.* is running; nothing was removed \(stop it first: ghost stop busy\)\n$/);
    const missing = await ghost(['rm', ended, 'no-such-task'], { dataDir });
    expect(missing.exitCode).toBe(1);
    expect((await ghostJSON<TaskJSON[]>(['list'], { dataDir })).map((task) => task.id).sort()).toEqual([ended, running].sort());
  });
});

describe('ghost stop --all', () => {
  it('stops every running task in parallel and leaves ended ones alone', async ({ expect }) => {
    const dataDir = makeDataDir();
    const ended = await startTask(dataDir, ['sh', '-c', 'exit 2']);
    await waitUntilEnded(dataDir, ended);
    const ids = await Promise.all([1, 2, 3].map(() => startTask(dataDir, ['sleep', '300'])));
    const pids = await Promise.all(ids.map(async (id) => (await taskStatus(dataDir, id)).pid!));
    const result = await ghostJSON<StopResultJSON[]>(['stop', '--all'], { dataDir });
    expect(result.map(({ task }) => task.id).sort()).toEqual([...ids].sort());
    for (const { task } of result) expect(task).toMatchObject({ status: 'killed', signal: 'SIGTERM' });
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    expect((await taskStatus(dataDir, ended)).exit_code).toBe(2);
    const again = await ghost(['stop', '--all'], { dataDir });
    expect(again).toEqual({ exitCode: 0, stdout: '', stderr: 'no running tasks\n' });
  });

  it('is a usage error with task references, and so is no task at all', async ({ expect }) => {
    const dataDir = makeDataDir();
    expect(await ghost(['stop', '--all', 'web'], { dataDir })).toMatchObject({ exitCode: 2, stdout: '' });
    expect(await ghost(['stop'], { dataDir })).toMatchObject({ exitCode: 2, stdout: '' });
  });
});

describe('ghost ports', () => {
  it("shows a port that a child of the task's process listens on", async ({ expect }) => {
    const dataDir = makeDataDir();
    const server = `require('net').createServer().listen(0, '127.0.0.1', () => console.log('listening'))`;
    const id = await startTask(dataDir, ['sh', '-c', `node -e "${server}" & wait`], { name: 'web' });
    const task = await taskStatus(dataDir, id);
    type Port = { task: string; name: string | null; protocol: string; address: string; port: number; pid: number };
    const ports = await waitFor(
      async () => {
        const found = await ghostJSON<Port[]>(['ports', 'web'], { dataDir });
        return found.length > 0 ? found : undefined;
      },
      { message: 'the child to listen' },
    );
    expect(ports).toHaveLength(1);
    expect(ports[0]).toMatchObject({ task: id, name: 'web', protocol: 'tcp', address: '127.0.0.1' });
    expect(ports[0]!.port).toBeGreaterThan(0);
    // The socket belongs to the child, not to the task's own process (sh).
    expect(ports[0]!.pid).not.toBe(task.pid);
    const all = await ghostJSON<Port[]>(['ports'], { dataDir });
    expect(all).toEqual(ports);
    const table = await ghostOk(['ports', 'web'], { dataDir });
    expect(table.stdout).toBe(
      `TASK  PROTO  ADDRESS    ${' '.repeat(Math.max(0, String(ports[0]!.port).length - 4))}PORT  ${' '.repeat(Math.max(0, String(ports[0]!.pid).length - 3))}PID\nweb   tcp    127.0.0.1  ${ports[0]!.port}  ${ports[0]!.pid}\n`,
    );
    await ghostOk(['stop', 'web'], { dataDir });
    expect(await ghostJSON<Port[]>(['ports', 'web'], { dataDir })).toEqual([]);
    expect(await ghost(['ports', 'web'], { dataDir })).toMatchObject({ exitCode: 0, stdout: '' });
  });
});
