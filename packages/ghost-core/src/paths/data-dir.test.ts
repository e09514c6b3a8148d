import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GhostError } from '../errors.js';
import { tempDir } from '../test-support/temp.js';
import { ensureDataDir, resolveDataDir } from './data-dir.js';

describe('resolveDataDir', () => {
  it('prefers GHOST_DATA_DIR, then XDG_DATA_HOME, then the platform default', () => {
    expect(resolveDataDir({ GHOST_DATA_DIR: '/x/ghost' }, 'linux', '/home/u')).toBe('/x/ghost');
    expect(resolveDataDir({ XDG_DATA_HOME: '/xdg' }, 'linux', '/home/u')).toBe('/xdg/ghost');
    expect(resolveDataDir({}, 'linux', '/home/u')).toBe('/home/u/.local/share/ghost');
    expect(resolveDataDir({ XDG_DATA_HOME: 'relative' }, 'linux', '/home/u')).toBe('/home/u/.local/share/ghost');
    expect(resolveDataDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/ghost');
  });
});

describe('ensureDataDir', () => {
  it('creates the tree with mode 0700', () => {
    const paths = ensureDataDir(join(tempDir(), 'a', 'ghost'));
    for (const dir of [paths.root, paths.logs, paths.exits]) expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('fails with one line naming the directory when it cannot be created', () => {
    const file = join(tempDir(), 'file');
    writeFileSync(file, '');
    expect(() => ensureDataDir(join(file, 'ghost'))).toThrow(GhostError);
    expect(() => ensureDataDir(join(file, 'ghost'))).toThrow(`cannot use data directory ${file}/ghost: not a directory`);
  });
});
