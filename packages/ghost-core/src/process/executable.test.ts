import { tempDir } from '@ghost/test-support';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkExecutable } from './executable.js';

function fixture() {
  const dir = tempDir();
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'tool'), '#!/bin/sh\n');
  chmodSync(join(dir, 'bin', 'tool'), 0o755);
  writeFileSync(join(dir, 'bin', 'plain'), 'data');
  chmodSync(join(dir, 'bin', 'plain'), 0o644);
  mkdirSync(join(dir, 'bin', 'folder'));
  return dir;
}

const codeOf = (fn: () => void) => {
  try {
    fn();
    return 0;
  } catch (error) {
    return (error as { exitCode: number }).exitCode;
  }
};

describe('checkExecutable', () => {
  it('finds commands on PATH, and relative paths from the working directory', () => {
    const dir = fixture();
    expect(codeOf(() => checkExecutable('tool', join(dir, 'bin'), '/'))).toBe(0);
    expect(codeOf(() => checkExecutable('./bin/tool', '/nowhere', dir))).toBe(0);
    // An empty PATH entry is the working directory, as in sh.
    expect(codeOf(() => checkExecutable('tool', ':/nowhere', join(dir, 'bin')))).toBe(0);
  });

  it('answers 127 for a missing command and 126 for one that cannot run', () => {
    const dir = fixture();
    expect(codeOf(() => checkExecutable('nope', join(dir, 'bin'), dir))).toBe(127);
    expect(codeOf(() => checkExecutable('./bin/nope', '', dir))).toBe(127);
    expect(codeOf(() => checkExecutable('./bin/folder', '', dir))).toBe(126);
    expect(codeOf(() => checkExecutable('folder', join(dir, 'bin'), dir))).toBe(126);
    // root may execute anything with an x bit, but a file with none is refused even for root.
    expect(codeOf(() => checkExecutable('./bin/plain', '', dir))).toBe(126);
  });
});
