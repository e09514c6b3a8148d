// How a person refers to a task: its full id, a unique prefix of it, or its name (the newest
// task with that name). Every command that takes a task resolves references the same way.
import { describe, expect, it } from 'vitest';
import { ghost, ghostOk, listTasks, makeDataDir, startTask, taskStatus, waitUntilEnded } from '../src/harness.js';

describe('task references', () => {
  it('a full id, a unique prefix and a name all find the task', async () => {
    const dataDir = makeDataDir();
    const id = await startTask(dataDir, ['sh', '-c', 'echo hello'], { name: 'greeter' });
    const other = await startTask(dataDir, ['true']);
    await waitUntilEnded(dataDir, id);
    // The shortest prefix that tells the two apart.
    let length = 1;
    while (other.startsWith(id.slice(0, length))) length++;
    for (const ref of [id, id.slice(0, 8), id.slice(0, length), id.slice(0, 13), 'greeter']) {
      expect((await taskStatus(dataDir, ref)).id, `status ${ref}`).toBe(id);
      expect((await ghostOk(['log', ref], { dataDir })).stdout, `log ${ref}`).toBe('hello\n');
    }
  });

  it('the newest task with a name wins, and every command uses it', async () => {
    const dataDir = makeDataDir();
    const older = await startTask(dataDir, ['sleep', '300'], { name: 'web' });
    const newer = await startTask(dataDir, ['sleep', '300'], { name: 'web' });
    expect((await taskStatus(dataDir, 'web')).id).toBe(newer);
    expect((await listTasks(dataDir, '--name', 'web')).map((task) => task.id)).toEqual([newer, older]);

    const stopped = await ghostOk(['stop', 'web'], { dataDir });
    expect(stopped.stdout).toBe(`stopped ${newer.slice(0, 8)} (web): killed SIGTERM\n`);
    expect((await taskStatus(dataDir, older)).status).toBe('running');
    // Still the newest, though it has ended: a name does not fall back to older tasks.
    expect((await taskStatus(dataDir, 'web')).id).toBe(newer);
    const killed = await ghost(['kill', 'web'], { dataDir });
    expect(killed.exitCode).toBe(1);
    expect((await taskStatus(dataDir, older)).status).toBe('running');
    await ghostOk(['kill', older], { dataDir });
  });

  it('commands that take several tasks check every reference first and name each one that is unknown', async () => {
    const dataDir = makeDataDir();
    const running = await startTask(dataDir, ['sleep', '300'], { name: 'keep' });
    const ended = await startTask(dataDir, ['sh', '-c', 'echo out'], { name: 'old' });
    await waitUntilEnded(dataDir, ended);
    const refused = { exitCode: 1, stdout: '', stderr: 'ghost: no task matches "nope"; no task matches "nada" (see ghost list)\n' };
    for (const command of ['stop', 'wait', 'log', 'rm']) {
      const refs = command === 'stop' ? ['keep', 'nope', 'nada'] : ['old', 'nope', 'nada'];
      expect(await ghost([command, ...refs], { dataDir }), command).toEqual(refused);
    }
    expect((await taskStatus(dataDir, running)).status).toBe('running');
    expect((await taskStatus(dataDir, ended)).status).toBe('exited');
    await ghostOk(['stop', '--force', running], { dataDir });
  });

  it('a name wins over an id prefix it looks like', async () => {
    const dataDir = makeDataDir();
    const first = await startTask(dataDir, ['true']);
    const prefix = first.slice(0, 4);
    const named = await startTask(dataDir, ['true'], { name: prefix });
    expect((await taskStatus(dataDir, prefix)).id).toBe(named);
    expect((await taskStatus(dataDir, first.slice(0, 5))).id).toBe(first);
  });

  it('a reference with surrounding spaces is trimmed', async () => {
    const dataDir = makeDataDir();
    const id = await startTask(dataDir, ['true'], { name: 'spaced' });
    expect((await taskStatus(dataDir, ' spaced ')).id).toBe(id);
  });
});
