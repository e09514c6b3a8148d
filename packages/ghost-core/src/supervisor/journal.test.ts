import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/temp.js';
import { decodeShellStatus, parseJournal } from './journal.js';
import { readLegacyExitRecord } from './legacy-exit-record.js';

describe('decodeShellStatus', () => {
  it.each([
    [0, { status: 'exited', exitCode: 0, signal: null }],
    [42, { status: 'exited', exitCode: 42, signal: null }],
    [128, { status: 'exited', exitCode: 128, signal: null }],
    [130, { status: 'killed', exitCode: null, signal: 'SIGINT' }],
    [137, { status: 'killed', exitCode: null, signal: 'SIGKILL' }],
    [139, { status: 'killed', exitCode: null, signal: 'SIGSEGV' }],
    [143, { status: 'killed', exitCode: null, signal: 'SIGTERM' }],
    // No signal 127 exists: 255 is an exit code.
    [255, { status: 'exited', exitCode: 255, signal: null }],
  ])('$? = %i', (value, outcome) => expect(decodeShellStatus(value)).toEqual(outcome));
});

describe('readLegacyExitRecord', () => {
  it('takes the end time from the mtime', () => {
    const path = join(tempDir(), 'record');
    writeFileSync(path, '42\n');
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    expect(readLegacyExitRecord(path)).toEqual({ status: 'exited', exitCode: 42, signal: null, finishedAt: 1_700_000_000_000 });
  });

  it('is null when there is no record and unknown when it is garbage', () => {
    const dir = tempDir();
    expect(readLegacyExitRecord(join(dir, 'missing'))).toBeNull();
    writeFileSync(join(dir, 'bad'), 'oops');
    expect(readLegacyExitRecord(join(dir, 'bad'))?.status).toBe('unknown');
  });
});

describe('parseJournal', () => {
  it('reads the header, the start and the exit, with the mtime as the end time', () => {
    expect(parseJournal('ghost-supervisor 1 40\nstarted 41\nexited 137\n', 5_000)).toEqual({
      version: 1,
      supervisorPid: 40,
      startedPid: 41,
      end: { status: 'killed', exitCode: null, signal: 'SIGKILL', finishedAt: 5_000 },
      aborted: false,
      stopSignal: null,
    });
  });

  it('ignores an unterminated last line and events it does not know', () => {
    const journal = parseJournal('ghost-supervisor 2 40\nstarted 41\nhealthy\nexited 0', 1);
    expect(journal).toMatchObject({ version: 2, startedPid: 41, end: null });
  });

  it('is null without a header, and marks an exit with no start as an aborted launch', () => {
    expect(parseJournal('', 1)).toBeNull();
    expect(parseJournal('exited 0\n', 1)).toBeNull();
    expect(parseJournal('ghost-supervisor 1 40\nexited 125\n', 1)).toMatchObject({ aborted: true, startedPid: null });
  });
});

describe('stop events', () => {
  it('keep the strongest signal a stop announced', () => {
    expect(parseJournal('ghost-supervisor 1 40\nstarted 41\nstop SIGTERM\nstop SIGKILL\nstop SIGTERM\n', 1)?.stopSignal).toBe('SIGKILL');
    expect(parseJournal('ghost-supervisor 1 40\nstarted 41\nstop SIGTERM\n', 1)?.stopSignal).toBe('SIGTERM');
  });
});
