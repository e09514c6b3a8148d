import { tempDir, waitFor } from '@ghost/test-support';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { Ghost } from '../ghost.js';
import { type Task, isActiveStatus } from '../tasks/types.js';

const opened: Ghost[] = [];

// Runs before tempDir() removes the data directories (once the test has finished).
afterEach(async () => {
  for (const ghost of opened.splice(0)) {
    for (const task of ghost.list().filter((t) => isActiveStatus(t.status))) await ghost.stop(task.id, { force: true });
    ghost.close();
  }
});

/** A Ghost on a data directory (default: a fresh one); its running tasks are killed after the test. */
export function openGhost(dataDir: string = join(tempDir(), 'ghost')): Ghost {
  const ghost = Ghost.open({ dataDir });
  opened.push(ghost);
  return ghost;
}

/** Waits until the task has ended (not running, not waiting to restart) and returns it as it ended. */
export function waitForEnd(ghost: Ghost, id: string, timeoutMs?: number): Promise<Task> {
  return waitFor(() => {
    const task = ghost.status(id);
    return !isActiveStatus(task.status) && task;
  }, { timeout: timeoutMs, message: `task ${id} to end` });
}
