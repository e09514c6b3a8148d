import { tempDir } from '@ghost/test-support';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  rmdirSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GhostError } from '../errors.js';
import { DATA_FOLDERS, compileCacheDir, ensureDataDir, ensurePrivateDir, resolveDataDir } from './data-dir.js';
import type { UnsafePathDetails } from './private-path.js';

const isRoot = process.geteuid?.() === 0;
/** nobody/nogroup: another user and a group that is not root's own (chown needs root). */
const NOBODY = 65534;

describe('resolveDataDir', () => {
  it('prefers GHOST_DATA_DIR, then XDG_DATA_HOME, then the platform default', () => {
    expect(resolveDataDir({ GHOST_DATA_DIR: '/x/ghost' }, 'linux', '/home/u')).toBe('/x/ghost');
    expect(resolveDataDir({ XDG_DATA_HOME: '/xdg' }, 'linux', '/home/u')).toBe('/xdg/ghost');
    expect(resolveDataDir({}, 'linux', '/home/u')).toBe('/home/u/.local/share/ghost');
    expect(resolveDataDir({ XDG_DATA_HOME: 'relative' }, 'linux', '/home/u')).toBe('/home/u/.local/share/ghost');
    expect(resolveDataDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/ghost');
  });
});

describe('compileCacheDir', () => {
  it('is the data dir\'s private compile-cache folder once ghost made it, and nothing else', () => {
    const root = join(tempDir(), 'ghost');
    expect(compileCacheDir({ GHOST_DATA_DIR: root })).toBeNull();
    // Asking creates nothing: a command that never opens the data dir leaves no trace.
    expect(existsSync(root)).toBe(false);
    const paths = ensureDataDir(root);
    expect(compileCacheDir({ GHOST_DATA_DIR: root })).toBe(paths.compileCache);
    expect(compileCacheDir({ GHOST_DATA_DIR: root, NODE_DISABLE_COMPILE_CACHE: '1' })).toBeNull();
    // A data dir ghost would refuse gets no cache read from it or written to it.
    chmodSync(root, 0o777);
    expect(compileCacheDir({ GHOST_DATA_DIR: root })).toBeNull();
    chmodSync(root, 0o700);
    chmodSync(paths.logs, 0o770);
    expect(compileCacheDir({ GHOST_DATA_DIR: root })).toBeNull();
    chmodSync(paths.logs, 0o700);
    if (isRoot) {
      chownSync(root, NOBODY, NOBODY);
      expect(compileCacheDir({ GHOST_DATA_DIR: root })).toBeNull();
      chownSync(root, 0, 0);
    }
    expect(compileCacheDir({ GHOST_DATA_DIR: root })).toBe(paths.compileCache);
    chmodSync(paths.compileCache, 0o770);
    expect(compileCacheDir({ GHOST_DATA_DIR: root })).toBeNull();
    rmdirSync(paths.compileCache);
    symlinkSync(tempDir(), paths.compileCache);
    expect(compileCacheDir({ GHOST_DATA_DIR: root })).toBeNull();
  });
});

/** The DATA_DIR_UNSAFE error ensureDataDir throws for `root`. */
function refusal(root: string): { message: string; details: UnsafePathDetails } {
  try {
    ensureDataDir(root);
  } catch (error) {
    expect(error).toBeInstanceOf(GhostError);
    expect((error as GhostError).code).toBe('DATA_DIR_UNSAFE');
    return error as GhostError & { details: UnsafePathDetails };
  }
  throw new Error(`ensureDataDir accepted ${root}`);
}

/** An existing, private data dir, made as ghost would make it. */
function existingDataDir(): string {
  return ensureDataDir(join(tempDir(), 'ghost')).root;
}

describe('ensureDataDir', () => {
  it('creates the tree with mode 0700', () => {
    const paths = ensureDataDir(join(tempDir(), 'a', 'ghost'));
    for (const dir of [paths.root, ...Object.keys(DATA_FOLDERS).map((key) => paths[key as keyof typeof DATA_FOLDERS])]) {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
    }
  });

  it('fails with one line naming the directory when it cannot be created', () => {
    const file = join(tempDir(), 'file');
    writeFileSync(file, '');
    expect(() => ensureDataDir(join(file, 'ghost'))).toThrow(GhostError);
    expect(() => ensureDataDir(join(file, 'ghost'))).toThrow(`cannot use data directory ${file}/ghost: not a directory`);
    expect(() => ensureDataDir(file)).toThrow(`cannot use data directory ${file}: not a directory`);
  });

  it.for([
    [0o777, 'world-writable'],
    [0o770, 'group-writable'],
    [0o722, 'world-writable'],
  ] as const)('refuses a data dir of mode %o (%s), writing nothing into it', ([mode, reason]) => {
    const root = join(tempDir(), 'ghost');
    mkdirSync(root);
    chmodSync(root, mode);
    const { message, details } = refusal(root);
    expect(message).toBe(`data directory ${root} is ${reason} (mode 0${mode.toString(8)}); it must be writable only by you`);
    expect(details).toEqual({ dataDir: root, path: root, reason, mode, uid: process.geteuid!(), fix: ['chmod', '700', root] });
    expect(readdirSync(root)).toEqual([]);
  });

  it('accepts a data dir that others may read but not write (0755)', () => {
    const root = join(tempDir(), 'ghost');
    mkdirSync(root, { mode: 0o755 });
    expect(ensureDataDir(root).root).toBe(root);
    expect(statSync(root).mode & 0o777).toBe(0o755);
  });

  it.skipIf(!isRoot)("refuses another user's data dir, even a private one", () => {
    const root = join(tempDir(), 'ghost');
    mkdirSync(root, { mode: 0o700 });
    chownSync(root, NOBODY, NOBODY);
    const { message, details } = refusal(root);
    expect(message).toBe(`data directory ${root} belongs to another user (uid ${NOBODY}), not to you (uid 0); it must be yours`);
    expect(details).toMatchObject({ path: root, reason: 'not-owned', uid: NOBODY, fix: ['chown', '-R', 'root', root] });
    expect(readdirSync(root)).toEqual([]);
  });

  it.for(Object.values(DATA_FOLDERS))('refuses a group-writable %s/ folder', (folder) => {
    const root = existingDataDir();
    const dir = join(root, folder);
    chmodSync(dir, 0o770);
    const { message, details } = refusal(root);
    expect(message).toBe(`${dir} is group-writable (mode 0770); it must be writable only by you`);
    expect(details).toMatchObject({ path: dir, reason: 'group-writable', fix: ['chmod', '700', dir] });
  });

  it('refuses a symlinked exits/, even when the other folders are missing, and creates nothing', () => {
    const root = join(tempDir(), 'ghost');
    mkdirSync(root, { mode: 0o700 });
    const elsewhere = tempDir();
    chmodSync(elsewhere, 0o777);
    symlinkSync(elsewhere, join(root, 'exits'));
    const { message, details } = refusal(root);
    expect(message).toBe(`${join(root, 'exits')} is a symlink; it must be a real directory`);
    expect(details).toMatchObject({ path: join(root, 'exits'), reason: 'symlink', fix: ['rm', join(root, 'exits')] });
    expect(readdirSync(root)).toEqual(['exits']);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('refuses a symlinked folder even when it points at a private directory of the user', () => {
    const root = existingDataDir();
    const elsewhere = tempDir();
    chmodSync(elsewhere, 0o700);
    const logs = join(root, 'logs');
    rmdirSync(logs);
    symlinkSync(elsewhere, logs);
    expect(refusal(root).details.reason).toBe('symlink');
  });

  it('refuses a folder in the data dir that is a file', () => {
    const root = join(tempDir(), 'ghost');
    mkdirSync(root, { mode: 0o700 });
    writeFileSync(join(root, 'logs'), '');
    expect(() => ensureDataDir(root)).toThrow(`cannot use data directory ${root}: ${join(root, 'logs')} is not a directory`);
  });

  it.for(['tasks.db', 'tasks.db-wal', 'tasks.db-shm'])('refuses a %s that others may write or that is a symlink', (file) => {
    const root = existingDataDir();
    const path = join(root, file);
    writeFileSync(path, '', { mode: 0o600 });
    expect(ensureDataDir(root).root).toBe(root);

    chmodSync(path, 0o664);
    expect(refusal(root)).toMatchObject({
      message: `${path} is group-writable (mode 0664); it must be writable only by you`,
      details: { path, reason: 'group-writable', fix: ['chmod', '600', path] },
    });

    unlinkSync(path);
    const target = join(tempDir(), file);
    writeFileSync(target, '', { mode: 0o600 });
    symlinkSync(target, path);
    expect(refusal(root)).toMatchObject({ message: `${path} is a symlink; it must be a regular file`, details: { reason: 'symlink' } });
  });

  it.skipIf(!isRoot)("refuses another user's database file", () => {
    const root = existingDataDir();
    const path = join(root, 'tasks.db');
    writeFileSync(path, '', { mode: 0o600 });
    chownSync(path, NOBODY, NOBODY);
    expect(refusal(root).details).toMatchObject({ path, reason: 'not-owned', uid: NOBODY });
  });

  describe('a symlinked data dir', () => {
    it('is resolved when it points at a private directory of the user', () => {
      const target = existingDataDir();
      const link = join(tempDir(), 'ghost');
      symlinkSync(target, link);
      const paths = ensureDataDir(link);
      expect(paths.root).toBe(target);
      expect(paths.logs).toBe(join(target, 'logs'));
    });

    it('is refused when its target is not private', () => {
      const target = join(tempDir(), 'shared');
      mkdirSync(target);
      chmodSync(target, 0o777);
      const link = join(tempDir(), 'ghost');
      symlinkSync(target, link);
      expect(refusal(link)).toMatchObject({
        message: `data directory ${target} is world-writable (mode 0777); it must be writable only by you`,
        details: { dataDir: link, path: target },
      });
    });

    it('is refused when others could replace the link', () => {
      const target = existingDataDir();
      const open = join(tempDir(), 'open');
      mkdirSync(open);
      chmodSync(open, 0o777);
      symlinkSync(target, join(open, 'ghost'));
      expect(refusal(join(open, 'ghost')).details).toMatchObject({ path: open, reason: 'world-writable' });
    });
  });

  describe('the folders above the data dir', () => {
    it('may be sticky and world-writable, as /tmp is', () => {
      const parent = join(tempDir(), 'tmp');
      mkdirSync(parent);
      chmodSync(parent, 0o1777);
      const paths = ensureDataDir(join(parent, 'ghost'));
      expect(statSync(paths.root).mode & 0o777).toBe(0o700);
    });

    it.for([0o777, 0o757])('are refused when writable by others without the sticky bit (mode %o), before anything is created', (mode) => {
      const parent = join(tempDir(), 'open');
      mkdirSync(parent);
      chmodSync(parent, mode);
      const root = join(parent, 'a', 'ghost');
      expect(refusal(root)).toMatchObject({
        message: `data directory ${root} is inside ${parent}, which is world-writable (mode 0${mode.toString(8)}) so others could replace it; it must be writable only by its owner`,
        details: { dataDir: root, path: parent, reason: 'world-writable', fix: ['chmod', 'go-w', parent] },
      });
      expect(existsSync(join(parent, 'a'))).toBe(false);
    });

    it('are refused above an existing data dir too', () => {
      const root = existingDataDir();
      chmodSync(dirname(root), 0o777);
      expect(refusal(root).details).toMatchObject({ path: dirname(root), reason: 'world-writable' });
    });

    it.skipIf(!isRoot)('may be group-writable only by the user’s own group', () => {
      // root's primary group is root, with no other members: a private group.
      const parent = join(tempDir(), 'shared');
      mkdirSync(parent);
      chmodSync(parent, 0o775);
      expect(ensureDataDir(join(parent, 'ghost')).root).toBe(join(parent, 'ghost'));
      chownSync(parent, 0, NOBODY);
      expect(refusal(join(parent, 'ghost')).details).toMatchObject({ path: parent, reason: 'group-writable' });
    });

    it.skipIf(!isRoot)('must belong to the user or root', () => {
      const parent = join(tempDir(), 'theirs');
      mkdirSync(parent, { mode: 0o755 });
      chownSync(parent, NOBODY, NOBODY);
      const root = join(parent, 'ghost');
      expect(refusal(root)).toMatchObject({
        message: `data directory ${root} is inside ${parent}, which belongs to another user (uid ${NOBODY}); choose a directory that only you and root control`,
        details: { path: parent, reason: 'not-owned' },
      });
      expect(refusal(root).details.fix).toBeUndefined();
    });
  });
});

describe('ensurePrivateDir', () => {
  it('creates a folder 0700 or checks an existing one', () => {
    const root = existingDataDir();
    const dir = join(root, 'runs');
    ensurePrivateDir(root, dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    ensurePrivateDir(root, dir);
    chmodSync(dir, 0o777);
    expect(() => ensurePrivateDir(root, dir)).toThrow(`${dir} is world-writable (mode 0777); it must be writable only by you`);
  });
});
