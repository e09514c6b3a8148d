import { tempDir } from '@ghost/test-support';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
  it('reads a version 1 journal: the header, the start and the exit, with the mtime as the end time', () => {
    expect(parseJournal('ghost-supervisor 1 40\nstarted 41\nexited 137\n', 5_000)).toEqual({
      version: 1,
      supervisorPid: 40,
      attempts: [{ number: 1, startedAt: null, pid: 41, logOffset: null, end: { status: 'killed', exitCode: null, signal: 'SIGKILL', finishedAt: 5_000 }, killed: false, health: null, healthAt: null, healthKilled: false, stopped: false }],
      restartAt: null,
      gaveUp: false,
      aborted: false,
      stopSignal: null,
      rotated: 0,
    });
  });

  it('reads the attempts of a supervisor that restarts, with their times on its clock', () => {
    const now = { epochMs: 1_000_000, uptimeMs: 50_000 };
    const text = [
      'ghost-supervisor 2 40 uptime',
      'started 41',
      'exited 1 40000',
      'restarting 2000 40000',
      'attempt 2 42000',
      'started 43',
      'exited 0 45000',
      'restarting 4000 45000',
      '',
    ].join('\n');
    const journal = parseJournal(text, 1, now)!;
    expect(journal.attempts).toEqual([
      { number: 1, startedAt: null, pid: 41, logOffset: null, end: { status: 'exited', exitCode: 1, signal: null, finishedAt: 990_000 }, killed: false, health: null, healthAt: null, healthKilled: false, stopped: false },
      { number: 2, startedAt: 992_000, pid: 43, logOffset: null, end: { status: 'exited', exitCode: 0, signal: null, finishedAt: 995_000 }, killed: false, health: null, healthAt: null, healthKilled: false, stopped: false },
    ]);
    // Waiting: the next attempt is due 4 s after the second ended.
    expect(journal.restartAt).toBe(999_000);
    expect(parseJournal(`${text}gave-up 46000\n`, 1, now)).toMatchObject({ gaveUp: true });
    expect(parseJournal('ghost-supervisor 2 40 epoch\nstarted 41\nkill SIGTERM\nexited 143 7000\n', 1, now)?.attempts[0]).toMatchObject({
      killed: true,
      end: { signal: 'SIGTERM', finishedAt: 7_000 },
    });
  });

  it("reads where an attempt's output starts, less what rotation removed since", () => {
    const text = 'ghost-supervisor 2 40 epoch\nstarted 41\nexited 1 1\nattempt 2 2 300\nstarted 43\nexited 1 3\nrotated 1000\nattempt 3 4 50\n';
    expect(parseJournal(text, 1)?.attempts.map((attempt) => attempt.logOffset)).toEqual([null, -700, 50]);
    // A supervisor's own rotations (version 4) carry a time; the journal adds them all up.
    expect(parseJournal(`${text}rotated 200 5\nrotated 30 6\n`, 1)).toMatchObject({ rotated: 1230 });
  });

  it('reads the health of each attempt (version 3), and that the supervisor ended one for it', () => {
    const now = { epochMs: 1_000_000, uptimeMs: 50_000 };
    const text = 'ghost-supervisor 3 40 uptime\nstarted 41\nhealthy 42000\nunhealthy 43000\nhealth-kill SIGTERM 43000\nexited 143 43100\n' +
      'restarting 100 43100\nattempt 2 43200\nstarted 44\nhealthy 44000\n';
    const journal = parseJournal(text, 1, now)!;
    expect(journal.attempts.map(({ health, healthAt, healthKilled }) => ({ health, healthAt, healthKilled }))).toEqual([
      { health: 'unhealthy', healthAt: 993_000, healthKilled: true },
      { health: 'healthy', healthAt: 994_000, healthKilled: false },
    ]);
  });

  it('marks the attempt a stop was announced for, not one that had already ended', () => {
    const now = { epochMs: 1_000_000, uptimeMs: 50_000 };
    // Attempt 1 crashed; during attempt 2 a stop came, then it ended.
    const text = 'ghost-supervisor 4 40 uptime\nstarted 41\nexited 1 42000\nrestarting 100 42000\nattempt 2 42100\nstarted 43\nstop SIGTERM\nexited 143 43000\n';
    expect(parseJournal(text, 1, now)!.attempts.map((attempt) => attempt.stopped)).toEqual([false, true]);
    // A stop that finds the attempt ended (the supervisor waits out a backoff) marks nothing.
    const waiting = 'ghost-supervisor 4 40 uptime\nstarted 41\nexited 1 42000\nrestarting 5000 42000\nstop SIGTERM\n';
    expect(parseJournal(waiting, 1, now)!.attempts.map((attempt) => attempt.stopped)).toEqual([false]);
  });

  it('ignores an unterminated last line and events it does not know', () => {
    const journal = parseJournal('ghost-supervisor 2 40 epoch\nstarted 41\nhealthy\nexited 0', 1);
    expect(journal).toMatchObject({ version: 2, attempts: [{ pid: 41, end: null }] });
  });

  it('is null without a header, and marks an exit with no start as an aborted launch', () => {
    expect(parseJournal('', 1)).toBeNull();
    expect(parseJournal('exited 0\n', 1)).toBeNull();
    expect(parseJournal('ghost-supervisor 2 40 epoch\nexited 125 5\n', 1)).toMatchObject({ aborted: true, attempts: [{ pid: null }] });
    // A signal that reached the parked command is the user's: reported, not an aborted launch.
    expect(parseJournal('ghost-supervisor 2 40 epoch\nexited 129 5\n', 1)).toMatchObject({ aborted: false });
  });
});

describe('stop events', () => {
  it('keep the strongest signal a stop announced', () => {
    expect(parseJournal('ghost-supervisor 1 40\nstarted 41\nstop SIGTERM\nstop SIGKILL\nstop SIGTERM\n', 1)?.stopSignal).toBe('SIGKILL');
    expect(parseJournal('ghost-supervisor 1 40\nstarted 41\nstop SIGTERM\n', 1)?.stopSignal).toBe('SIGTERM');
  });
});
