// Many ghost processes at once on a brand-new data directory: they must create it, migrate the
// database and record their tasks without losing any or failing on a locked database.
import { waitFor } from '@ghost/test-support';
import { describe, expect, it } from 'vitest';
import { UUID, ghost, listTasks, makeDataDir } from '../src/harness.js';

const RUNS = 100;

describe('concurrent ghost run', () => {
  it(`${RUNS} runs at once all succeed with distinct ids`, { timeout: 120_000 }, async () => {
    const dataDir = makeDataDir();
    const results = await Promise.all(
      Array.from({ length: RUNS }, (_, i) =>
        ghost(i % 2 === 0 ? ['run', '--', 'true'] : ['run', '--', 'sleep', '0.1'], { dataDir, timeout: 90_000 }),
      ),
    );
    const failures = results.filter((result) => result.exitCode !== 0);
    expect(failures, JSON.stringify(failures.slice(0, 3))).toEqual([]);
    for (const result of results) {
      expect(result.stderr).not.toMatch(/SQLITE_BUSY|locked/i);
      expect(result.stderr).toBe('');
    }
    const ids = results.map((result) => result.stdout.split('\n')[0]!);
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(RUNS);

    const tasks = await listTasks(dataDir);
    expect(tasks).toHaveLength(RUNS);
    expect(new Set(tasks.map((task) => task.id))).toEqual(new Set(ids));

    // Every one of them ran to completion and was recorded as such.
    const ended = await waitFor(
      async () => {
        const now = await listTasks(dataDir);
        return now.every((task) => task.status !== 'running') ? now : undefined;
      },
      { timeout: 30_000, message: 'every task to end' },
    );
    for (const task of ended) expect(task).toMatchObject({ status: 'exited', exit_code: 0 });
  });
});
