import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { processInfo } from '../process/process-table.js';
import { exitRecordPath } from '../supervisor/exit-record.js';
import { taskRow, testContext } from '../test-support/store.js';
import { existsSync } from 'node:fs';
import { reconcileRunning } from './reconcile.js';

describe('reconcileRunning', () => {
  it('stores an exit record and consumes it', () => {
    const ctx = testContext();
    const row = taskRow();
    ctx.store.insert(row);
    const record = exitRecordPath(ctx.paths.exits, row.id);
    writeFileSync(record, '143\n');
    reconcileRunning(ctx);
    expect(ctx.store.get(row.id)).toMatchObject({ status: 'killed', signal: 'SIGTERM', exitCode: null });
    expect(ctx.store.get(row.id)?.finishedAt).toBeInstanceOf(Date);
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

  it('marks a task whose processes are gone without a record as unknown, and leaves ended tasks alone', () => {
    const ctx = testContext();
    const gone = taskRow();
    const ended = taskRow();
    ctx.store.insert(gone);
    ctx.store.insert(ended);
    ctx.store.markEnded(ended.id, { status: 'exited', exitCode: 3, signal: null, finishedAt: 5 });
    reconcileRunning(ctx);
    expect(ctx.store.get(gone.id)?.status).toBe('unknown');
    expect(ctx.store.get(ended.id)).toMatchObject({ status: 'exited', exitCode: 3 });
  });
});
