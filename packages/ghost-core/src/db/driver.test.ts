import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type GhostError, isGhostError } from '../errors.js';
import { tempDir } from '@ghost/test-support';
import { installedBetterSqlite } from './better-sqlite.js';
import { DRIVER_ENV, loadDriver } from './driver.js';
import { loadNodeSqlite } from './node-sqlite.js';

const require = createRequire(import.meta.url);
const realManifest = require.resolve('better-sqlite3/package.json');
const realDir = dirname(realManifest);
/** better-sqlite3's dependencies (bindings finds the addon, with file-uri-to-path). */
const bindings = createRequire(realManifest).resolve('bindings/package.json');
const dependencies = {
  bindings: dirname(bindings),
  'file-uri-to-path': dirname(createRequire(bindings).resolve('file-uri-to-path/package.json')),
};
/** Whether this Node has a node:sqlite ghost can use (22.16 and later). */
const hasNodeSqlite = typeof loadNodeSqlite() !== 'string';

/**
 * An installed better-sqlite3 as a user may have it: its JavaScript and dependencies, and in
 * build/Release the addon given (none: its install script never ran). Returns the manifest.
 */
function installed(addon: 'none' | 'garbage'): { manifest: string; root: string } {
  const root = tempDir();
  const dir = join(root, 'node_modules', 'better-sqlite3');
  cpSync(join(realDir, 'lib'), join(dir, 'lib'), { recursive: true });
  cpSync(realManifest, join(dir, 'package.json'));
  for (const [name, dir] of Object.entries(dependencies)) symlinkSync(dir, join(root, 'node_modules', name));
  if (addon === 'garbage') {
    mkdirSync(join(dir, 'build', 'Release'), { recursive: true });
    writeFileSync(join(dir, 'build', 'Release', 'better_sqlite3.node'), 'not a shared object');
  }
  return { manifest: join(dir, 'package.json'), root };
}

function failure(action: () => unknown): GhostError {
  try {
    action();
  } catch (error) {
    if (isGhostError(error)) return error;
    throw error;
  }
  throw new Error('expected a GhostError');
}

describe('choosing the SQLite driver', () => {
  it('is better-sqlite3 where its addon loads', () => {
    const driver = loadDriver({}, () => installedBetterSqlite(realManifest));
    // The workspace's addon is built for the Node that installed it; other Nodes fall back.
    let addonLoads = true;
    try {
      require(join(realDir, 'build', 'Release', 'better_sqlite3.node'));
    } catch {
      addonLoads = false;
    }
    expect(driver.name).toBe(addonLoads ? 'better-sqlite3' : 'node:sqlite');
    const db = driver.open(join(tempDir(), 'any.db'), { readonly: false, timeoutMs: 1000 });
    expect(db.prepare('SELECT 1 + 1').pluck().get()).toBe(2);
    db.close();
  });

  for (const addon of ['none', 'garbage'] as const) {
    const why = addon === 'none' ? /better-sqlite3's addon was never built \(its install script did not run\)/ : /better-sqlite3's addon does not load: /;
    it(`falls back to node:sqlite, or says what to run, when the addon is ${addon === 'none' ? 'missing' : 'not loadable'}`, () => {
      const { manifest, root } = installed(addon);
      const load = () => loadDriver({}, () => installedBetterSqlite(manifest));
      if (hasNodeSqlite) {
        const driver = load();
        expect(driver).toMatchObject({ name: 'node:sqlite', source: 'node', version: process.versions.node, forced: false });
        expect(driver.fallback).toMatch(why);
        return;
      }
      const error = failure(load);
      expect(error.code).toBe('SQLITE_UNAVAILABLE');
      expect(error.message).not.toContain('\n');
      expect(error.message).toMatch(why);
      expect(error.message).toContain(`and Node.js ${process.version} has no node:sqlite; rebuild better-sqlite3 for this Node.js, or use Node.js 22.16 or later`);
      expect(error.details.fix).toEqual(['npm', 'rebuild', 'better-sqlite3', '--prefix', root]);
    });
  }

  it('names a missing package as such', () => {
    const load = () =>
      loadDriver({}, () => {
        throw Object.assign(new Error("Cannot find module 'better-sqlite3'"), { code: 'MODULE_NOT_FOUND' });
      });
    if (hasNodeSqlite) {
      expect(load().fallback).toBe('better-sqlite3 is not installed');
    } else {
      const error = failure(load);
      expect(error.message).toMatch(/^no usable SQLite driver: better-sqlite3 is not installed, and Node.js .* has no node:sqlite; reinstall ghost, or use Node.js 22.16 or later$/);
      expect(error.details.fix).toBeUndefined();
    }
  });

  it(`takes the driver ${DRIVER_ENV} names, or says why it cannot`, () => {
    const forcedNode = () => loadDriver({ [DRIVER_ENV]: 'node:sqlite' });
    if (hasNodeSqlite) {
      expect(forcedNode()).toMatchObject({ name: 'node:sqlite', forced: true, fallback: null });
    } else {
      expect(failure(forcedNode).message).toBe(`${DRIVER_ENV}=node:sqlite, but Node.js ${process.version} has no node:sqlite`);
    }
    const { manifest } = installed('none');
    const error = failure(() => loadDriver({ [DRIVER_ENV]: 'better-sqlite3' }, () => installedBetterSqlite(manifest)));
    expect(error.code).toBe('SQLITE_UNAVAILABLE');
    expect(error.message).toBe(`${DRIVER_ENV}=better-sqlite3, but better-sqlite3's addon was never built (its install script did not run)`);
  });

  it(`refuses a driver ${DRIVER_ENV} does not know`, () => {
    const error = failure(() => loadDriver({ [DRIVER_ENV]: 'sqlite3' }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe(`${DRIVER_ENV} must be one of better-sqlite3, node:sqlite, not "sqlite3"`);
  });
});
