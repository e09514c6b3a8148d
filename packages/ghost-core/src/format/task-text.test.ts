import { describe, expect, it } from 'vitest';
import { commandText, displayPath, formatAgo, formatDuration, shortId, statusText } from './task-text.js';
import { taskDurationMs } from '../tasks/types.js';

describe('formatDuration', () => {
  it.each([
    [0, '0.0s'],
    [450, '0.5s'],
    [9_949, '9.9s'],
    [12_000, '12s'],
    [185_000, '3m05s'],
    [2 * 3600_000 + 7 * 60_000, '2h07m'],
    [3 * 86400_000 + 4 * 3600_000, '3d04h'],
  ])('%i ms is %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('formatAgo', () => {
  const now = Date.parse('2026-01-02T00:00:00Z');
  it.each([
    [0, 'just now'],
    [5_000, '5s ago'],
    [3 * 60_000, '3m ago'],
    [5 * 3600_000, '5h ago'],
    [3 * 86400_000, '3d ago'],
  ])('%i ms ago is %s', (ago, text) => expect(formatAgo(new Date(now - ago), now)).toBe(text));
});

describe('statusText', () => {
  it('shows the exit code or the signal', () => {
    expect(statusText({ status: 'exited', exitCode: 42, signal: null })).toBe('exited 42');
    expect(statusText({ status: 'killed', exitCode: null, signal: 'SIGTERM' })).toBe('killed SIGTERM');
    expect(statusText({ status: 'running', exitCode: null, signal: null })).toBe('running');
    expect(statusText({ status: 'unknown', exitCode: null, signal: null })).toBe('unknown');
  });

  it('says how many processes outlived the command', () => {
    expect(statusText({ status: 'exited', exitCode: 0, signal: null, leftoverProcesses: 1 })).toBe('exited 0 · 1 process left');
    expect(statusText({ status: 'killed', exitCode: null, signal: 'SIGTERM', leftoverProcesses: 3 })).toBe(
      'killed SIGTERM · 3 processes left',
    );
    expect(statusText({ status: 'exited', exitCode: 0, signal: null, leftoverProcesses: 0 })).toBe('exited 0');
  });
});

describe('commandText', () => {
  it('quotes words the shell would split or expand', () => {
    expect(commandText(['npm', 'run', 'dev'])).toBe('npm run dev');
    expect(commandText(['sh', '-c', 'echo $HOME; ls'])).toBe("sh -c 'echo $HOME; ls'");
    expect(commandText(['echo', "it's", ''])).toBe(`echo 'it'\\''s' ''`);
  });
});

describe('task durations', () => {
  it('runs to now while running and to the end once ended', () => {
    const startedAt = new Date(1_000);
    expect(taskDurationMs({ startedAt, finishedAt: null }, 5_000)).toBe(4_000);
    expect(taskDurationMs({ startedAt, finishedAt: new Date(3_000) }, 9_000)).toBe(2_000);
  });
  it('shortens ids to 8 characters', () => {
    expect(shortId('3f2a9c1b-0000-4000-8000-000000000000')).toBe('3f2a9c1b');
  });
});

describe('displayPath', () => {
  it('shows the home directory as ~, but not a home of /', () => {
    expect(displayPath('/home/u/project', '/home/u')).toBe('~/project');
    expect(displayPath('/home/u', '/home/u')).toBe('~');
    expect(displayPath('/home/user2/x', '/home/u')).toBe('/home/user2/x');
    expect(displayPath('/srv/app', '/')).toBe('/srv/app');
  });
});
