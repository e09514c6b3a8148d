import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { git } from './git.js';
import { tempDir } from './temp-dir.js';

it('runs git in the directory, committing as the test author', () => {
  const dir = tempDir();
  git(dir, 'init', '-q');
  writeFileSync(join(dir, 'file'), 'text\n');
  git(dir, 'add', 'file');
  git(dir, 'commit', '-q', '-m', 'first');
  expect(git(dir, 'log', '-1', '--format=%an <%ae> %s')).toBe('ghost test <test@ghost.invalid> first');
  expect(git(dir, 'rev-parse', 'HEAD')).toMatch(/^[0-9a-f]{40}$/);
});
