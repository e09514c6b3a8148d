import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

/**
 * A fresh, empty directory under the system's temporary directory, removed once the test that
 * made it has finished: after its afterEach hooks, so they can still stop what runs in it.
 * Call it from a test or a beforeEach hook.
 */
export function tempDir(prefix = 'ghost-test-'): string {
  let dir: string | undefined;
  try {
    onTestFinished(() => {
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    });
  } catch (error) {
    throw new Error('tempDir() belongs to a test: call it from a test or a beforeEach hook', { cause: error });
  }
  dir = mkdtempSync(join(tmpdir(), prefix));
  return dir;
}
