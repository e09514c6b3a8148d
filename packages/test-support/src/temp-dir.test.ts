import { existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './temp-dir.js';

describe('tempDir', () => {
  let made: string | undefined;
  let seenByAfterEach: boolean | undefined;
  afterEach(() => {
    if (made !== undefined) seenByAfterEach = existsSync(made);
  });

  it('makes a fresh empty directory under the temporary directory, with the prefix asked for', () => {
    made = tempDir('ghost-support-');
    expect(dirname(made)).toBe(tmpdir());
    expect(basename(made)).toMatch(/^ghost-support-/);
    expect(statSync(made).isDirectory()).toBe(true);
    expect(readdirSync(made)).toEqual([]);
    expect(tempDir('ghost-support-')).not.toBe(made);
  });

  it('removes it once the test that made it has finished, after its afterEach hooks', () => {
    expect(seenByAfterEach).toBe(true);
    expect(existsSync(made!)).toBe(false);
  });

  let outsideTest: unknown;
  beforeAll(() => {
    try {
      tempDir();
    } catch (error) {
      outsideTest = error;
    }
  });

  it('refuses to make one outside a test, where nothing would remove it', () => {
    expect(outsideTest).toBeInstanceOf(Error);
    expect((outsideTest as Error).message).toMatch(/call it from a test or a beforeEach hook/);
  });
});
