// Per-run logs and log caps through the API: restarted runs' offsets, a rotation by whichever
// command looks, offsets moved with it, and the options' parsing.
import { waitFor } from '@ghost/test-support';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GhostError } from './errors.js';
import { DEFAULT_LOGS, logSpec, parseLogCapOptions, parseSize } from './tasks/policy.js';
import { openGhost } from './test-support/ghosts.js';

const KiB = 1024;

describe('per-run logs', () => {
  it("records where each restart's output starts, so a run's bytes are its own", async () => {
    const ghost = openGhost();
    const task = await ghost.run({
      command: ['echo "out $$"; exit 1'],
      shell: true,
      restart: { policy: 'on-failure', maxRestarts: 2, backoffMinMs: 20, backoffMaxMs: 20, minUptimeMs: 60_000 },
    });
    await waitFor(() => ghost.status(task.id).status === 'exited', { timeout: 15_000 });
    const runs = ghost.runs(task.id).reverse();
    expect(runs.map((run) => run.logOffset)).toEqual([0, `out ${runs[0]!.pid}\n`.length, `out ${runs[0]!.pid}\nout ${runs[1]!.pid}\n`.length]);
    for (const run of runs) expect(ghost.readLog(task.id, { run: run.run }).toString()).toBe(`out ${run.pid}\n`);
    expect(ghost.readLogPage(task.id, { run: 2, offset: 0 }).data.toString()).toBe(`out ${runs[1]!.pid}\n`);
    expect(() => ghost.readLog(task.id, { run: 7 })).toThrow(expect.objectContaining({ code: 'RUN_NOT_FOUND' }));
    // A search of one run finds its output only.
    expect(ghost.searchLog(task.id, 'out', { run: 2 }).matches.map((match) => match.line)).toEqual([`out ${runs[1]!.pid}`]);
    expect(ghost.searchLog(task.id, 'OUT', { ignoreCase: true }).matches).toHaveLength(3);
    expect(() => ghost.searchLog(task.id, '[')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('log caps', () => {
  it('are enforced by the next command that looks, moving run offsets with the rotation', async () => {
    const ghost = openGhost();
    // 100 KiB, then a line, then it waits to be stopped.
    const task = await ghost.run({
      command: [`head -c ${100 * KiB} /dev/zero | tr '\\0' x; echo; echo after; exec sleep 60`],
      shell: true,
      logs: { maxBytes: 64 * KiB, maxFiles: 1 },
    });
    await waitFor(() => existsSync(task.logPath) && statSync(task.logPath).size > 100 * KiB);
    ghost.list();
    expect(statSync(task.logPath).size).toBe(0);
    expect(readFileSync(`${task.logPath}.1`, 'utf8').endsWith('after\n')).toBe(true);
    expect(ghost.runs(task.id)[0]!.logOffset).toBeLessThan(0);
    expect(() => ghost.runLogRange(task.id, 1)).not.toThrow();
    expect(ghost.runLogRange(task.id, 1)).toMatchObject({ start: 0, end: null, rotatedBytes: 100 * KiB + 'after\n'.length + 1 });
    await ghost.stop(task.id);
  });
});

describe('log cap options', () => {
  it('parse sizes once, with binary units', () => {
    expect(parseSize('65536')).toBe(65_536);
    expect(parseSize('512K')).toBe(512 * KiB);
    expect(parseSize('10m')).toBe(10 * KiB * KiB);
    expect(parseSize('1.5GB')).toBe(1.5 * KiB ** 3);
    expect(() => parseSize('lots', 'log size cap')).toThrow('invalid log size cap "lots" (expected a size such as 512k, 100M or 2G)');
    expect(parseLogCapOptions({ logMaxSize: '10M', logMaxFiles: '3' })).toEqual({ maxBytes: 10 * KiB * KiB, maxFiles: 3 });
    expect(() => parseLogCapOptions({ logMaxFiles: 'many' })).toThrow(GhostError);
  });

  it('default to 100 MiB and one rotated file, and refuse what cannot work', () => {
    expect(logSpec()).toEqual(DEFAULT_LOGS);
    expect(DEFAULT_LOGS).toEqual({ maxBytes: 100 * KiB * KiB, maxFiles: 1 });
    expect(() => logSpec({ maxBytes: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', details: expect.objectContaining({ argument: 'logMaxSize' }) }));
    expect(() => logSpec({ maxFiles: 101 })).toThrow(expect.objectContaining({ details: expect.objectContaining({ argument: 'logMaxFiles' }) }));
  });
});
