import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/temp.js';
import { decodeShellStatus, readExitRecord } from './exit-record.js';

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

describe('readExitRecord', () => {
  it('takes the end time from the mtime', () => {
    const path = join(tempDir(), 'record');
    writeFileSync(path, '42\n');
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    expect(readExitRecord(path)).toEqual({ status: 'exited', exitCode: 42, signal: null, finishedAt: 1_700_000_000_000 });
  });

  it('is null when there is no record and unknown when it is garbage', () => {
    const dir = tempDir();
    expect(readExitRecord(join(dir, 'missing'))).toBeNull();
    writeFileSync(join(dir, 'bad'), 'oops');
    expect(readExitRecord(join(dir, 'bad'))?.status).toBe('unknown');
  });
});
