// `ghost log`: whole logs, -n tails, -f that ends by itself, and bytes passed through unchanged.
import { waitFor } from '@ghost/test-support';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ghost,
  ghostBytes,
  ghostOk,
  makeDataDir,
  makeTempDir,
  spawnGhost,
  startTask,
  taskStatus,
  waitUntilEnded,
} from '../src/harness.js';

/** Starts `ghost log -f` and collects what it prints as it prints it. */
function follow(dataDir: string, args: string[]) {
  const child = spawnGhost(['log', '-f', ...args], { dataDir, timeout: 25_000 });
  const chunks: Buffer[] = [];
  child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
  return {
    printed: () => Buffer.concat(chunks).toString('utf8'),
    async result() {
      const result = await child;
      if (result.timedOut) throw new Error(`ghost log -f ${args.join(' ')} did not end by itself`);
      return { exitCode: result.exitCode, stdout: Buffer.from(result.stdout).toString('utf8'), stderr: Buffer.from(result.stderr).toString('utf8') };
    },
  };
}

describe('ghost log -f', () => {
  const dataDir = makeDataDir();

  it.concurrent('prints output as it is written and ends by itself when the task ends', async ({ expect }) => {
    const go = join(makeTempDir(), 'go');
    // The task says "start", waits until the follower has shown it, then prints five lines
    // 100 ms apart and exits: the follower is provably following a running task.
    const id = await startTask(dataDir, [
      'sh',
      '-c',
      'echo start; while [ ! -e "$1" ]; do sleep 0.02; done; for i in 1 2 3 4 5; do echo "line $i"; sleep 0.1; done',
      'sh',
      go,
    ]);
    const follower = follow(dataDir, [id]);
    await waitFor(() => follower.printed().includes('start\n'), { message: 'the follower to print the first line' });
    expect((await taskStatus(dataDir, id)).status).toBe('running');
    writeFileSync(go, '');
    const result = await follower.result();
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('start\nline 1\nline 2\nline 3\nline 4\nline 5\n');
    expect(result.stderr).toBe('');
    expect((await taskStatus(dataDir, id)).status).toBe('exited');
  });

  it.concurrent('ends when another ghost process stops the task', async ({ expect }) => {
    const id = await startTask(dataDir, ['sh', '-c', 'echo ready; exec sleep 300']);
    const follower = follow(dataDir, [id]);
    await waitFor(() => follower.printed().includes('ready\n'), { message: 'the follower to print ready' });
    await ghostOk(['stop', id], { dataDir });
    const result = await follower.result();
    expect(result.exitCode).toBe(0);
    // Everything in the log, whatever it is (see the test on what a log holds).
    expect(result.stdout.startsWith('ready\n')).toBe(true);
    expect(result.stdout).toBe(readFileSync((await taskStatus(dataDir, id)).log_path, 'utf8'));
  });

  it.concurrent('ends when the task is killed with SIGKILL', async ({ expect }) => {
    const id = await startTask(dataDir, ['sh', '-c', 'echo ready; exec sleep 300']);
    const follower = follow(dataDir, [id]);
    await waitFor(() => follower.printed().includes('ready\n'), { message: 'the follower to print ready' });
    await ghostOk(['kill', id], { dataDir });
    const result = await follower.result();
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('ready\n');
  });

  it.concurrent('on a task that has already ended prints the whole log and exits', async ({ expect }) => {
    const id = await startTask(dataDir, ['sh', '-c', 'echo one; echo two >&2; printf three']);
    await waitUntilEnded(dataDir, id);
    const result = await follow(dataDir, [id]).result();
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('one\ntwo\nthree');
  });

  it.concurrent('-n 2 starts from the last two lines', async ({ expect }) => {
    const id = await startTask(dataDir, ['sh', '-c', 'for i in 1 2 3 4 5; do echo "line $i"; done']);
    await waitUntilEnded(dataDir, id);
    const result = await follow(dataDir, ['-n', '2', id]).result();
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('line 4\nline 5\n');
  });
});

describe('ghost log', () => {
  const dataDir = makeDataDir();

  it.concurrent('prints the whole log', async ({ expect }) => {
    const id = await startTask(dataDir, ['sh', '-c', 'for i in 1 2 3; do echo "line $i"; done']);
    await waitUntilEnded(dataDir, id);
    const result = await ghostOk(['log', id], { dataDir });
    expect(result.stdout).toBe('line 1\nline 2\nline 3\n');
    expect(result.stderr).toBe('');
  });

  it.concurrent('-n N prints the last N lines', async ({ expect }) => {
    const id = await startTask(dataDir, ['sh', '-c', 'for i in 1 2 3 4 5; do echo "line $i"; done']);
    await waitUntilEnded(dataDir, id);
    expect((await ghostOk(['log', '-n', '2', id], { dataDir })).stdout).toBe('line 4\nline 5\n');
    expect((await ghostOk(['log', '--tail', '1', id], { dataDir })).stdout).toBe('line 5\n');
    expect((await ghostOk(['log', '-n', '0', id], { dataDir })).stdout).toBe('');
    expect((await ghostOk(['log', '-n', '99', id], { dataDir })).stdout).toBe('line 1\nline 2\nline 3\nline 4\nline 5\n');
  });

  it.concurrent('-n counts a last line without a newline', async ({ expect }) => {
    const id = await startTask(dataDir, ['printf', 'a\\nb\\nc']);
    await waitUntilEnded(dataDir, id);
    expect((await ghostOk(['log', '-n', '2', id], { dataDir })).stdout).toBe('b\nc');
  });

  it.concurrent('handles a log larger than its read chunks', async ({ expect }) => {
    const id = await startTask(dataDir, ['seq', '1', '100000']);
    const task = await waitUntilEnded(dataDir, id);
    const whole = await ghostBytes(['log', id], { dataDir });
    expect(whole.stdout.equals(readFileSync(task.log_path))).toBe(true);
    expect(whole.stdout.length).toBeGreaterThan(500_000);
    expect((await ghostOk(['log', '-n', '3', id], { dataDir })).stdout).toBe('99998\n99999\n100000\n');
  });

  it.concurrent('passes invalid UTF-8 and control bytes through unchanged', async ({ expect }) => {
    const expected = Buffer.from([0xff, 0xfe, 0x6f, 0x6b, 0xc0, 0x80, 0x00, 0x1b, 0x5b, 0x6d, 0xe2, 0x82, 0x0a, 0x80, 0x0a]);
    const id = await startTask(dataDir, ['printf', '\\377\\376ok\\300\\200\\000\\033[m\\342\\202\\n\\200\\n']);
    const task = await waitUntilEnded(dataDir, id);
    expect(readFileSync(task.log_path).equals(expected)).toBe(true);
    const plain = await ghostBytes(['log', id], { dataDir });
    expect(plain.exitCode).toBe(0);
    expect(plain.stdout.toString('hex')).toBe(expected.toString('hex'));
    const followed = await ghostBytes(['log', '-f', id], { dataDir });
    expect(followed.stdout.toString('hex')).toBe(expected.toString('hex'));
    const tail = await ghostBytes(['log', '-n', '1', id], { dataDir });
    expect(tail.stdout.toString('hex')).toBe('800a');
  });

  it.concurrent.for([
    ['stopped (SIGTERM)', ['sh', '-c', 'echo ready; exec sleep 300'], 'stop'],
    ['hung up (SIGHUP)', ['sh', '-c', 'echo ready; exec sleep 300'], 'hup'],
    ['crashed (SIGSEGV)', ['sh', '-c', 'echo ready; kill -SEGV $$'], null],
  ] as const)('holds only what the task wrote, also when it is %s', async ([, argv, action], { expect }) => {
    // ghost's own supervisor must not add anything (such as a shell's "Terminated").
    const id = await startTask(dataDir, [...argv]);
    await waitFor(async () => (await ghostOk(['log', id], { dataDir })).stdout.includes('ready'));
    if (action === 'stop') await ghostOk(['stop', id], { dataDir });
    if (action === 'hup') await ghostOk(['kill', '-s', 'HUP', id], { dataDir });
    const task = await waitUntilEnded(dataDir, id);
    expect(task.status).toBe('killed');
    expect(readFileSync(task.log_path, 'utf8')).toBe('ready\n');
    expect((await ghostOk(['log', id], { dataDir })).stdout).toBe('ready\n');
  });

  it.concurrent('rejects a bad -n with one line', async ({ expect }) => {
    const id = await startTask(dataDir, ['true']);
    for (const value of ['-1', 'x', '1.5']) {
      const result = await ghost(['log', '-n', value, id], { dataDir });
      expect(result.exitCode).toBe(2);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  it('fails with one line when the log file is gone', async () => {
    const id = await startTask(dataDir, ['true']);
    const task = await waitUntilEnded(dataDir, id);
    rmSync(task.log_path);
    expect(existsSync(task.log_path)).toBe(false);
    const result = await ghost(['log', id], { dataDir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
