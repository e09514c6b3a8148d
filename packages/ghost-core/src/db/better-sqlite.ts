import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type BetterSqliteConstructor = typeof import('better-sqlite3');

/** better-sqlite3's JavaScript, and where its compiled addon should be. */
export interface BetterSqlite {
  Database: BetterSqliteConstructor;
  /** Where a build puts the addon (build/Release); undefined when nothing is there. */
  addon: string | undefined;
  /** Its JavaScript compiled into ghost's bundle, or loaded from the installed package. */
  source: 'bundled' | 'installed';
  version: string;
  /** The installed package's folder. */
  dir: string;
}

/**
 * Loads better-sqlite3 from the installed package (throws when it is not installed). The ghost
 * binaries replace this module with ./better-sqlite.bundled.ts, which compiles the driver's
 * JavaScript into the bundle.
 */
export function loadBetterSqlite(): BetterSqlite {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('better-sqlite3/package.json');
  return installedBetterSqlite(manifest);
}

/** The installed package whose package.json is `manifest`, loaded whole. */
export function installedBetterSqlite(manifest: string): BetterSqlite {
  const dir = dirname(manifest);
  return {
    Database: createRequire(manifest)('better-sqlite3') as BetterSqliteConstructor,
    addon: addonIn(dir),
    source: 'installed',
    version: (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version,
    dir,
  };
}

export function addonIn(dir: string): string | undefined {
  const addon = join(dir, 'build', 'Release', 'better_sqlite3.node');
  return existsSync(addon) ? addon : undefined;
}
