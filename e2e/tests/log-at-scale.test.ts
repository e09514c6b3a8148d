// `ghost log` on a 2 GiB log with no newline (a `\r` progress bar writes such logs): bounded memory.
// The log is sparse, so it takes no disk. Peak memory is the child's maximum RSS as GNU time
// reports it (rusage of a waited-for child; Node's own APIs do not give a child's).
import { execa } from 'execa';
import { appendFileSync, readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GHOST_BIN, makeDataDir, makeTempDir, startTask, taskStatus, waitUntilEnded } from '../src/harness.js';

const TIME = '/usr/bin/time';
const MiB = 1024 * 1024;

/** Runs ghost under GNU time, counting stdout as it streams by: its size, its end, the peak RSS. */
async function measured(dataDir: string, args: string[]) {
  const rssFile = join(makeTempDir(), 'max-rss');
  const child = execa(TIME, ['-o', rssFile, '-f', '%M', process.execPath, GHOST_BIN, ...args], {
    env: { GHOST_DATA_DIR: dataDir, NO_COLOR: '1' },
    stdin: 'ignore',
    buffer: false,
    reject: false,
    timeout: 25_000,
    killSignal: 'SIGKILL',
  });
  let bytes = 0;
  let end = Buffer.alloc(0);
  child.stdout!.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    end = Buffer.concat([end, chunk]).subarray(-64);
  });
  const result = await child;
  if (result.timedOut) throw new Error(`ghost ${args.join(' ')} did not finish in time`);
  return { exitCode: result.exitCode, bytes, end: end.toString('latin1'), maxRssBytes: Number(readFileSync(rssFile, 'utf8').trim()) * 1024 };
}

describe('ghost log on a 2 GiB log without newlines', () => {
  const dataDir = makeDataDir();

  it('-n 10 and the whole log run in bounded memory', async () => {
    const id = await startTask(dataDir, ['sh', '-c', 'echo start']);
    await waitUntilEnded(dataDir, id);
    const baseline = await measured(dataDir, ['log', '-n', '10', id]);
    expect(baseline).toMatchObject({ exitCode: 0, end: 'start\n' });

    const { log_path: log } = await taskStatus(dataDir, id);
    truncateSync(log, 2 * 1024 * MiB);
    appendFileSync(log, 'progress 100%\r');

    // -n 10: the end of the last (partial) line, at most 4 MiB of it, within 64 MiB of memory
    // more than the same command on a short log (it used to read all 2 GiB, holding 4 GB).
    const tail = await measured(dataDir, ['log', '-n', '10', id]);
    expect(tail).toMatchObject({ exitCode: 0, bytes: 4 * MiB });
    expect(tail.end.endsWith('progress 100%\r')).toBe(true);
    expect(tail.maxRssBytes - baseline.maxRssBytes).toBeLessThan(64 * MiB);

    // The whole log streams through a pipe a page at a time (a listener per write that had to
    // wait for the pipe used to keep every page alive: 2 GB of memory).
    const whole = await measured(dataDir, ['log', id]);
    expect(whole).toMatchObject({ exitCode: 0, bytes: 2 * 1024 * MiB + 'progress 100%\r'.length });
    expect(whole.maxRssBytes - baseline.maxRssBytes).toBeLessThan(256 * MiB);
  });
});
