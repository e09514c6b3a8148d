// `ghost wait` and `ghost run --wait`: exit statuses as a shell reports them (0, the code,
// 128+n for a signal, 124 on timeout), the order rule for several tasks, --any, and waking on
// the exit itself.
import { describe, it } from 'vitest';
import { ghost, ghostJSON, ghostOk, makeDataDir, makeTempDir, spawnGhost, startTask } from '../src/harness.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

describe('ghost wait', () => {
  const dataDir = makeDataDir();

  it.concurrent('exits 0 for a task that exits 0, printing nothing', async ({ expect }) => {
    const id = await startTask(dataDir, ['sh', '-c', 'sleep 0.3; exit 0']);
    const result = await ghost(['wait', id], { dataDir });
    expect(result).toEqual({ exitCode: 0, stdout: '', stderr: '' });
  });

  it.concurrent('exits with the task\'s exit code (42)', async ({ expect }) => {
    const id = await startTask(dataDir, ['sh', '-c', 'sleep 0.3; exit 42']);
    const result = await ghost(['wait', id], { dataDir });
    expect(result.exitCode).toBe(42);
    expect(result.stdout).toBe('');
  });

  it.concurrent('exits 128+n when signal n killed the task', async ({ expect }) => {
    const id = await startTask(dataDir, ['sleep', '300']);
    const waiter = spawnGhost(['wait', id], { dataDir });
    await ghostOk(['kill', '-s', 'TERM', id], { dataDir });
    const result = await waiter;
    expect(result.exitCode).toBe(128 + 15);
    expect(Buffer.from(result.stdout).toString()).toBe('');
  });

  it.concurrent('exits 124 when the timeout passes first, and leaves the task running', async ({ expect }) => {
    const id = await startTask(dataDir, ['sleep', '300']);
    const started = Date.now();
    const result = await ghost(['wait', '--timeout', '0.5', id], { dataDir });
    expect(result.exitCode).toBe(124);
    expect(result.stdout).toBe('');
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect((await ghostJSON<{ status: string }>(['status', id], { dataDir })).status).toBe('running');
  });

  it.concurrent('wakes on the exit, not on a slow poll', async ({ expect }) => {
    const go = join(makeTempDir(), 'go');
    const id = await startTask(dataDir, ['sh', '-c', 'while [ ! -e "$1" ]; do sleep 0.01; done; exit 3', 'sh', go]);
    const waiter = spawnGhost(['wait', id], { dataDir });
    // Let the waiter settle into waiting, then release the task and time the wake-up.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const released = Date.now();
    writeFileSync(go, '');
    const result = await waiter;
    expect(result.exitCode).toBe(3);
    expect(Date.now() - released).toBeLessThan(900);
  });

  it.concurrent('with several tasks: the first non-zero status in the order given, else 0', async ({ expect }) => {
    const ok = await startTask(dataDir, ['sh', '-c', 'exit 0']);
    const seven = await startTask(dataDir, ['sh', '-c', 'sleep 0.2; exit 7']);
    const nine = await startTask(dataDir, ['sh', '-c', 'exit 9']);
    expect((await ghost(['wait', ok, seven, nine], { dataDir })).exitCode).toBe(7);
    expect((await ghost(['wait', nine, seven], { dataDir })).exitCode).toBe(9);
    expect((await ghost(['wait', ok, ok], { dataDir })).exitCode).toBe(0);
  });

  it.concurrent('--any returns when one task ends; --json prints the tasks', async ({ expect }) => {
    const long = await startTask(dataDir, ['sleep', '300']);
    const short = await startTask(dataDir, ['sh', '-c', 'sleep 0.2; exit 5']);
    const result = await ghost(['wait', '--any', '--json', long, short], { dataDir });
    expect(result.exitCode).toBe(5);
    const tasks = JSON.parse(result.stdout) as { id: string; status: string }[];
    expect(tasks.map((task) => [task.id, task.status])).toEqual([
      [long, 'running'],
      [short, 'exited'],
    ]);
  });

  it.concurrent('an unknown task fails with 1 and one line', async ({ expect }) => {
    const result = await ghost(['wait', 'no-such-task'], { dataDir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe('ghost: no task matches "no-such-task" (see ghost list)\n');
  });
});

describe('ghost run --wait', () => {
  const dataDir = makeDataDir();

  it.concurrent('on success prints the id and nothing of the output, and exits 0', async ({ expect }) => {
    const result = await ghost(['run', '--wait', '--', 'sh', '-c', 'echo noisy output; exit 0'], { dataDir });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^[0-9a-f-]{36}\n$/);
    expect(result.stderr).toBe('');
  });

  it.concurrent('on failure prints the last 20 lines of the log to stderr and exits with the code', async ({ expect }) => {
    const result = await ghost(['run', '--wait', '--', 'sh', '-c', 'for i in $(seq 1 30); do echo "line $i"; done; exit 3'], { dataDir });
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toMatch(/^[0-9a-f-]{36}\n$/);
    const expected = Array.from({ length: 20 }, (_, index) => `line ${index + 11}`).join('\n');
    expect(result.stderr).toBe(`${expected}\nghost: ${result.stdout.slice(0, 8)} exited 3\n`);
  });

  it.concurrent('exits 128+n when a signal ends the command', async ({ expect }) => {
    const result = await ghost(['run', '--wait', '--', 'sh', '-c', 'kill -TERM $$'], { dataDir });
    expect(result.exitCode).toBe(143);
  });

  it.concurrent('--json prints the task as it ended', async ({ expect }) => {
    const result = await ghost(['run', '--wait', '--json', '--', 'sh', '-c', 'exit 4'], { dataDir });
    expect(result.exitCode).toBe(4);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'exited', exit_code: 4 });
  });
});


