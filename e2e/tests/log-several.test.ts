// `ghost log` of several tasks (whole lines, prefixed with each task's name or short id) and
// `ghost log --since`.
import { waitFor } from '@ghost/test-support';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { ghost, ghostOk, makeDataDir, makeTempDir, spawnGhost, startTask, waitUntilEnded } from '../src/harness.js';

describe('ghost log -f of several tasks', () => {
  it('prefixes every whole line with its task, never mixing partial lines', async ({ expect }) => {
    const dataDir = makeDataDir();
    const go = join(makeTempDir(), 'go');
    const wait = 'while [ ! -e "$1" ]; do sleep 0.02; done';
    // web writes a line in two pieces, with worker writing in between.
    await startTask(dataDir, ['sh', '-c', `echo ready; ${wait}; printf 'hal'; sleep 0.3; printf 'f\\n'; echo done`, 'sh', go], { name: 'web' });
    const worker = await startTask(dataDir, ['sh', '-c', `${wait}; sleep 0.1; echo job 1; echo job 2`, 'sh', go]);
    const child = spawnGhost(['log', '-f', 'web', worker], { dataDir });
    const chunks: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
    await waitFor(() => Buffer.concat(chunks).toString().includes('ready'), { message: 'the follower to start' });
    writeFileSync(go, '');
    const result = await child;
    expect(result.exitCode).toBe(0);
    const out = Buffer.from(result.stdout).toString();
    const label = worker.slice(0, 8);
    const lines = out.split('\n').filter(Boolean);
    expect(lines.filter((line) => line.startsWith('web '))).toEqual(['web      | ready', 'web      | half', 'web      | done']);
    expect(lines.filter((line) => line.startsWith(label))).toEqual([`${label} | job 1`, `${label} | job 2`]);
    expect(lines).toHaveLength(5);
    expect(out.indexOf('job 1')).toBeLessThan(out.indexOf('half'));
  });

  it('prints ended logs whole with prefixes, and ends a partial last line', async ({ expect }) => {
    const dataDir = makeDataDir();
    const a = await startTask(dataDir, ['sh', '-c', 'echo one; printf two'], { name: 'a' });
    const b = await startTask(dataDir, ['sh', '-c', 'echo three'], { name: 'bb' });
    await waitUntilEnded(dataDir, a);
    await waitUntilEnded(dataDir, b);
    expect((await ghostOk(['log', 'a', 'bb'], { dataDir })).stdout).toBe('a  | one\na  | two\nbb | three\n');
    // Followed together, the tasks' lines come in whatever order they are read.
    const followed = (await ghostOk(['log', '-f', '-n', '1', 'a', 'bb'], { dataDir })).stdout;
    expect(followed.split('\n').sort()).toEqual(['', 'a  | two', 'bb | three']);
    // One task: bytes exactly as written, no prefix.
    expect((await ghostOk(['log', 'a'], { dataDir })).stdout).toBe('one\ntwo');
  });
});

describe('ghost log --since', () => {
  it('shows runs started within the duration, and nothing already written by older ones', async ({ expect }) => {
    const dataDir = makeDataDir();
    const id = await startTask(dataDir, ['sh', '-c', 'echo old'], { name: 'old' });
    await waitUntilEnded(dataDir, id);
    expect((await ghostOk(['log', '--since', '1m', 'old'], { dataDir })).stdout).toBe('old\n');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((await ghostOk(['log', '--since', '1s', 'old'], { dataDir })).stdout).toBe('');
    expect((await ghostOk(['log', '--since', '1s', '-f', 'old'], { dataDir })).stdout).toBe('');
    expect((await ghostOk(['log', '--since', '1h', 'old'], { dataDir })).stdout).toBe('old\n');
  });

  it('with --follow, prints what an older run writes from now on', async ({ expect }) => {
    const dataDir = makeDataDir();
    const id = await startTask(dataDir, ['sh', '-c', 'echo before; sleep 1.3; while :; do echo tick; sleep 0.05; done']);
    await waitFor(async () => (await ghostOk(['log', id], { dataDir })).stdout === 'before\n', { message: 'the first line' });
    // The run must have started more than the --since duration ago.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const child = spawnGhost(['log', '-f', '--since', '1s', id], { dataDir });
    const chunks: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
    await waitFor(() => Buffer.concat(chunks).toString().includes('tick\n'), { message: 'new output to be followed' });
    await ghostOk(['stop', id], { dataDir });
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(Buffer.from(result.stdout).toString()).toMatch(/^(tick\n)+$/);
  });

  it('rejects a malformed duration with exit 2', async ({ expect }) => {
    const dataDir = makeDataDir();
    const result = await ghost(['log', '--since', 'soon', 'x'], { dataDir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^ghost: invalid value for --since: "soon"/);
  });
});
