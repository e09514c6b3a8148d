import { LogReader, type Run, type Task } from '@ghost/core';
import { tempDir } from '@ghost/test-support';
import { appendFileSync, copyFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeTask } from '../test-support/tasks.js';
import { setColorsEnabled } from '../text/colors.js';
import { LogSession } from './log-session.js';

// The log view's behaviour over a real log file; the runs (what core records of each start)
// are given as data, offsets and all, so that each case is exact.

afterEach(() => setColorsEnabled(true));

function run(number: number, logOffset: number | null, status: Run['status'] = 'exited'): Run {
  const ended = status !== 'running';
  return {
    run: number,
    pid: 100 + number,
    pgid: 100 + number,
    status,
    exitCode: status === 'exited' ? 0 : null,
    signal: status === 'killed' ? 'SIGTERM' : null,
    reason: null,
    startedAt: new Date(),
    finishedAt: ended ? new Date() : null,
    logOffset,
  };
}

function open(text: string, runs: () => Run[], maxLines?: number): { session: LogSession; path: string; task: Task } {
  const path = join(tempDir(), 'task.log');
  writeFileSync(path, text);
  const task = fakeTask({ run: runs().length });
  const ghost = { openLog: () => new LogReader(path), runs };
  const session = new LogSession(ghost, task.id, maxLines === undefined ? {} : { maxLines });
  session.resize({ width: 100, height: 10 });
  session.poll();
  session.sync(task);
  return { session, path, task };
}

/** The rows in view, as drawn. */
const rows = (session: LogSession) => session.state.rowsInView().map(({ line, row }) => session.rows.row(line, row));
const TIME = '\\d\\d:\\d\\d:\\d\\d';

describe('LogSession', () => {
  it('draws where each run started and ended, and jumps between the starts', () => {
    const runs = [run(2, 6, 'running'), run(1, 0, 'killed')];
    const { session } = open('a1\na2\nb1\nb2\n', () => runs);
    const view = rows(session);
    expect(view[0]).toMatch(new RegExp(`^\x1b\\[90m── run 1 started at ${TIME} ─+\x1b\\[0m$`));
    expect(view.slice(1, 3)).toEqual(['a1', 'a2']);
    expect(view[3]).toMatch(new RegExp(`── run 1 killed SIGTERM at ${TIME} · run 2 started at ${TIME} ─`));
    expect(view.slice(4)).toEqual(['b1', 'b2']);
    // Everything fits, so the view cannot put a start at its top: the next jump goes on from
    // the start it went to.
    expect(session.command('previousRun')?.message).toMatch(new RegExp(`^run 2 of 2, started at ${TIME}$`));
    expect(session.command('previousRun')?.message).toMatch(new RegExp(`^run 1 of 2, started at ${TIME}, killed SIGTERM$`));
    expect(session.command('previousRun')?.message).toBe('no run starts before this');
    expect(session.command('nextRun')?.message).toMatch(/^run 2 of 2/);
    expect(session.command('runMarks')?.message).toBe('run starts and ends hidden');
    expect(rows(session)).toEqual(['a1', 'a2', 'b1', 'b2']);
  });

  it('says when a run started before the lines the view holds, or was rotated out of the log', () => {
    let runs = [run(2, 6, 'running'), run(1, 0)];
    // Two lines kept: run 1's start was dropped.
    const { session, path, task } = open('a1\na2\nb1\nb2\n', () => runs, 2);
    expect(rows(session)[0]).toMatch(/^\x1b\[90m── 2 older lines dropped \(the view keeps 2; all in ghost log [0-9a-f]{8}\)/);
    expect(session.command('previousRun')?.message).toMatch(/^run 2 of 2/);
    expect(session.command('previousRun')?.message).toBe('run 1 started before the oldest line kept (the view keeps the last 2)');
    // Rotated as core rotates (copy, then truncate); the recorded offsets move back by what left.
    copyFileSync(path, `${path}.1`);
    truncateSync(path, 0);
    appendFileSync(path, 'c1\n');
    runs = [run(3, 0, 'running'), run(2, -6), run(1, -12)];
    expect(session.poll()).toBe(true);
    session.sync({ ...task, run: 3 });
    const view = rows(session);
    expect(view[0]).toMatch(/── run 2 exited 0 at .* · run 3 started at /);
    expect(view.slice(1)).toEqual(['c1']);
    expect(session.command('previousRun')?.message).toMatch(/^run 3 of 3/);
    expect(session.command('previousRun')?.message).toBe('the start of run 2 was rotated out of the log');
  });

  it('marks search matches in inverse video, the current one also bold and underlined, without colour too', () => {
    setColorsEnabled(false);
    const { session } = open('\x1b[31mred\x1b[0m needle\nneedle two\n', () => [run(1, null, 'running')]);
    const prompt = session.prompt();
    prompt.set('needle');
    expect(prompt.accept()).toBe('line 1 of 2 with "needle"');
    // No colour: the program's red is gone, the marks are not.
    expect(rows(session)).toEqual(['red \x1b[1;4;7mneedle\x1b[0m\x1b[0m', '\x1b[7mneedle\x1b[0m two\x1b[0m']);
    expect(session.command('previousRun')?.message).toBe('where run 1 starts in the log was not recorded');
    expect(session.prompt().cancel()).toBe('');
    expect(rows(session)).toEqual(['red needle', 'needle two']);
  });
});
