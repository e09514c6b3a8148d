import { existsSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { processInfo } from '../process/process-table.js';
import { journalPath } from '../supervisor/journal.js';
import { legacyExitRecordPath } from '../supervisor/legacy-exit-record.js';
import { taskRow, testContext } from '../test-support/store.js';
import { reconcileRunning } from './reconcile.js';

describe('reconcileRunning', () => {
  it("stores the exit in the run's journal and consumes it", () => {
    const ctx = testContext();
    const row = taskRow({ pgid: 4242 });
    ctx.store.insert(row);
    const journal = journalPath(ctx.paths.journal, row.launchId);
    writeFileSync(journal, 'ghost-supervisor 1 4242\nstarted 999999\nexited 143\n');
    reconcileRunning(ctx);
    expect(ctx.store.get(row.id)).toMatchObject({ status: 'killed', signal: 'SIGTERM', exitCode: null });
    expect(ctx.store.get(row.id)?.finishedAt).toBeInstanceOf(Date);
    expect(existsSync(journal)).toBe(false);
  });

  it('accepts a journal only from the supervisor of the run', () => {
    const ctx = testContext();
    const self = processInfo(process.pid)!;
    // Alive (this process), and its journal claims another supervisor wrote it.
    const row = taskRow({ pid: process.pid, pidStart: self.start, pgid: 4242 });
    ctx.store.insert(row);
    writeFileSync(journalPath(ctx.paths.journal, row.launchId), 'ghost-supervisor 1 777\nstarted 1\nexited 0\n');
    reconcileRunning(ctx);
    expect(ctx.store.get(row.id)?.status).toBe('running');
  });

  it('records an aborted launch (an exit with no start) as unknown, never as an exit code', () => {
    const ctx = testContext();
    const row = taskRow({ pgid: 4242 });
    ctx.store.insert(row);
    writeFileSync(journalPath(ctx.paths.journal, row.launchId), 'ghost-supervisor 1 4242\nexited 125\n');
    reconcileRunning(ctx);
    expect(ctx.store.get(row.id)).toMatchObject({ status: 'unknown', exitCode: null, reason: 'launch_aborted' });
  });

  it('still reads the exit record of a run started before journals', () => {
    const ctx = testContext();
    const row = taskRow();
    ctx.store.insert({ ...row, launchId: null as unknown as string });
    const record = legacyExitRecordPath(ctx.paths.exits, row.id);
    writeFileSync(record, '3\n');
    reconcileRunning(ctx);
    expect(ctx.store.get(row.id)).toMatchObject({ status: 'exited', exitCode: 3 });
    expect(existsSync(record)).toBe(false);
  });

  it('keeps a task running while its process is the same process', () => {
    const ctx = testContext();
    const self = processInfo(process.pid)!;
    const row = taskRow({ pid: process.pid, pidStart: self.start, pgid: 999_999, supervisorStart: 'x' });
    ctx.store.insert(row);
    reconcileRunning(ctx);
    expect(ctx.store.get(row.id)?.status).toBe('running');
  });

  it('never takes a reused pid for the task: a different start time means unknown', () => {
    const ctx = testContext();
    // This process is alive, but it is not the process the row recorded.
    const row = taskRow({ pid: process.pid, pgid: process.pid, pidStart: 'other-boot:1', supervisorStart: 'other-boot:1' });
    ctx.store.insert(row);
    reconcileRunning(ctx);
    expect(ctx.store.get(row.id)).toMatchObject({ status: 'unknown', exitCode: null, signal: null });
  });

  it('records a run whose processes are gone after a stop sent SIGKILL as killed, not unknown', () => {
    const ctx = testContext();
    const row = taskRow();
    ctx.store.insert(row);
    ctx.store.markStopping(row.id, 1, 'SIGKILL');
    reconcileRunning(ctx);
    expect(ctx.store.get(row.id)).toMatchObject({ status: 'killed', signal: 'SIGKILL' });
  });

  it('marks a task whose processes are gone without a record as unknown, and leaves ended tasks alone', () => {
    const ctx = testContext();
    const gone = taskRow();
    const ended = taskRow();
    ctx.store.insert(gone);
    ctx.store.insert(ended);
    ctx.store.endRun(ended.id, 1, { status: 'exited', exitCode: 3, signal: null, finishedAt: 5 });
    reconcileRunning(ctx);
    expect(ctx.store.get(gone.id)?.status).toBe('unknown');
    expect(ctx.store.get(ended.id)).toMatchObject({ status: 'exited', exitCode: 3 });
  });
});
