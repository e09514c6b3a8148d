// `ghost run`: what it prints, that it returns at once, and how the command is started
// (argv without a shell, --shell, --env, --cwd, --name, stdin, the log).
import { execa } from 'execa';
import { mkdirSync, readFileSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectTaskShape } from '../src/assertions.js';
import {
  E2E_ROOT,
  GHOST_BIN,
  UUID,
  ghost,
  ghostOk,
  isAlive,
  makeDataDir,
  makeTempDir,
  procStat,
  startTask,
  taskStatus,
  waitUntilEnded,
} from '../src/harness.js';

/** The whole log of a task that has ended. */
async function logOf(dataDir: string, id: string): Promise<string> {
  await waitUntilEnded(dataDir, id);
  return (await ghostOk(['log', id], { dataDir })).stdout;
}

describe('ghost run', () => {
  const dataDir = makeDataDir();

  it('prints the task id alone on the first line and returns while the task runs', async () => {
    // The run must return long before the 30 s sleep ends (here: within 20 s, or the harness
    // reports it hung), with the task still running.
    const result = await ghost(['run', '--', 'sleep', '30'], { dataDir, timeout: 20_000 });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    const [first] = result.stdout.split('\n');
    expect(first).toMatch(UUID);
    const task = await taskStatus(dataDir, first!);
    expect(task.status).toBe('running');
    expect(task.command).toEqual(['sleep', '30']);
    expect(isAlive(task.pid!)).toBe(true);
    await ghostOk(['stop', '--force', first!], { dataDir });
  });

  it('runs the task in its own session and process group, detached from ghost', async () => {
    const id = await startTask(dataDir, ['sleep', '30']);
    const task = await taskStatus(dataDir, id);
    const stat = procStat(task.pid!)!;
    expect(stat.pgid).toBe(task.pgid);
    expect(stat.sid).toBe(task.pgid);
    expect(task.pgid).not.toBe(procStat(process.pid)!.pgid);
    expect(stat.sid).not.toBe(procStat(process.pid)!.sid);
    await ghostOk(['stop', '--force', id], { dataDir });
  });

  it('--json prints the running task', async () => {
    const result = await ghostOk(['run', '--json', '--name', 'as-json', '--', 'sleep', '30'], { dataDir });
    const task = JSON.parse(result.stdout);
    expectTaskShape(task);
    expect(task).toMatchObject({ name: 'as-json', status: 'running', command: ['sleep', '30'] });
    await ghostOk(['stop', '--force', task.id], { dataDir });
  });

  it('passes the argv without a shell: $HOME, ; and * stay literal', async () => {
    const words = ['$HOME', 'a; echo injected', '*', '"quoted"', "it's", '$(id)', ''];
    const id = await startTask(dataDir, ['printf', '[%s]\\n', ...words]);
    expect((await taskStatus(dataDir, id)).command).toEqual(['printf', '[%s]\\n', ...words]);
    expect(await logOf(dataDir, id)).toBe(words.map((word) => `[${word}]\n`).join(''));
  });

  it('takes the first word after its own options as the program and passes its flags on', async () => {
    // No `--`: the program's own options are not ghost's.
    const result = await ghostOk(['run', 'sh', '-c', 'echo "$0 $1"', 'zero', '--name'], { dataDir });
    const id = result.stdout.split('\n')[0]!;
    expect(await logOf(dataDir, id)).toBe('zero --name\n');
    expect((await taskStatus(dataDir, id)).name).toBeNull();
  });

  it('takes 100,000 arguments and records every one', async () => {
    // About 1.5 MB of argv, within this machine's ARG_MAX (2 MB). Parsing them used to be
    // quadratic (20,000 took 42 s; this many ran out of memory); the harness's timeout catches a hang.
    const args = Array.from({ length: 100_000 }, (_, i) => String(i));
    const run = await ghostOk(['run', '--name', 'many-args', '--', 'true', ...args], { dataDir });
    const id = run.stdout.split('\n')[0]!;
    expect((await waitUntilEnded(dataDir, id)).exit_code).toBe(0);
    expect((await taskStatus(dataDir, id)).command).toEqual(['true', ...args]);
    expect((await ghostOk(['list'], { dataDir })).stdout).toContain('many-args');
  });

  it('--shell runs a script with /bin/sh -c', async () => {
    const script = 'for i in 1 2; do echo "n=$i"; done && echo $((6 * 7)) | tr 4 X';
    const id = await startTask(dataDir, [script], { shell: true });
    expect((await taskStatus(dataDir, id)).command).toEqual(['/bin/sh', '-c', script]);
    expect(await logOf(dataDir, id)).toBe('n=1\nn=2\nX2\n');
  });

  it('--shell joins several words into one script', async () => {
    const id = await startTask(dataDir, ['echo', 'a', '&&', 'echo', 'b'], { shell: true });
    expect(await logOf(dataDir, id)).toBe('a\nb\n');
  });

  it('--env adds and overrides variables; the rest of the environment is inherited', async () => {
    const id = await startTask(dataDir, ['sh', '-c', 'echo "$ADDED|$OVERRIDDEN|$INHERITED|$EMPTY."'], {
      env: { ADDED: 'a=b c', OVERRIDDEN: 'inner', EMPTY: '' },
      processEnv: { OVERRIDDEN: 'outer', INHERITED: 'from-ghost' },
    });
    expect(await logOf(dataDir, id)).toBe('a=b c|inner|from-ghost|.\n');
  });

  it('--cwd sets the working directory (relative to where ghost runs) and is recorded absolute', async () => {
    const base = realpathSync(makeTempDir());
    const id = await startTask(dataDir, ['pwd'], { cwd: base });
    expect(await logOf(dataDir, id)).toBe(`${base}\n`);
    expect((await taskStatus(dataDir, id)).cwd).toBe(base);

    mkdirSync(join(base, 'sub'));
    const relative = await ghostOk(['run', '--cwd', 'sub', '--', 'pwd'], { dataDir, cwd: base });
    const relativeId = relative.stdout.split('\n')[0]!;
    expect(await logOf(dataDir, relativeId)).toBe(`${base}/sub\n`);
    expect((await taskStatus(dataDir, relativeId)).cwd).toBe(`${base}/sub`);

    // Without --cwd, the task runs where ghost runs.
    const here = await ghostOk(['run', '--', 'pwd'], { dataDir, cwd: join(base, 'sub') });
    expect(await logOf(dataDir, here.stdout.split('\n')[0]!)).toBe(`${base}/sub\n`);
  });

  it('--name names the task', async () => {
    const id = await startTask(dataDir, ['sleep', '30'], { name: 'named-task' });
    const task = await taskStatus(dataDir, 'named-task');
    expect(task.id).toBe(id);
    expect(task.name).toBe('named-task');
    await ghostOk(['stop', '--force', 'named-task'], { dataDir });
  });

  it('sends stdout and stderr to the log, and stdin is /dev/null', async () => {
    const id = await startTask(dataDir, ['sh', '-c', 'echo to-stdout; echo to-stderr >&2; cat; readlink /proc/self/fd/0 >&2']);
    const task = await waitUntilEnded(dataDir, id);
    expect(task.status).toBe('exited');
    expect(task.exit_code).toBe(0);
    const log = (await ghostOk(['log', id], { dataDir })).stdout;
    expect(log).toBe('to-stdout\nto-stderr\n/dev/null\n');
    expect(readFileSync(task.log_path, 'utf8')).toBe(log);
  });

  it('does not pass descriptors its caller leaked to the task, so the caller is not kept waiting', async () => {
    // The caller hands ghost extra pipes (fds 3 to 7; 3 and 4 are also ghost's own launch slots,
    // 5 and up are not); execa waits for every pipe to close, so if the 300 s task inherited
    // one, this would hang until the timeout.
    const result = await execa(process.execPath, [GHOST_BIN, 'run', '--', 'sleep', '300'], {
      env: { GHOST_DATA_DIR: dataDir, NO_COLOR: '1' },
      cwd: E2E_ROOT,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe', 'pipe', 'pipe', 'pipe'],
      reject: false,
      timeout: 20_000,
    });
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(0);
    const id = String(result.stdout).split('\n')[0]!;
    const task = await taskStatus(dataDir, id);
    const targets = readdirSync(`/proc/${task.pid}/fd`).map((fd) => readlinkSync(`/proc/${task.pid}/fd/${fd}`));
    expect(targets.filter((target) => /^(pipe|socket):/.test(target))).toEqual([]);
    await ghostOk(['stop', '--force', id], { dataDir });
  });
});
