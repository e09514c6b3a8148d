import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { type BetterSqlite, type BetterSqliteConstructor, addonIn, installedBetterSqlite } from './better-sqlite.js';

/**
 * better-sqlite3 as the ghost binaries load it (scripts/bundle.mjs substitutes this file for
 * ./better-sqlite.ts). Its JavaScript is compiled into the bundle, because loading its dozen
 * files through node_modules costs about 9 ms of every command; only the native addon comes from
 * the installed package. JavaScript and addon must be the same release, so any difference (or a
 * missing addon) falls back to loading the installed package as a whole.
 */
export function loadBetterSqlite(): BetterSqlite {
  const manifest = createRequire(import.meta.url).resolve('better-sqlite3/package.json');
  const bundledVersion = (require('better-sqlite3/package.json') as { version: string }).version;
  const installedVersion = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  const dir = dirname(manifest);
  const addon = addonIn(dir);
  if (installedVersion !== bundledVersion || !addon) return installedBetterSqlite(manifest);
  // A plain require() so that the bundler compiles the driver in; it runs on first use only.
  return { Database: require('better-sqlite3') as BetterSqliteConstructor, addon, source: 'bundled', version: bundledVersion, dir };
}
