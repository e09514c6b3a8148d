import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DatabaseConstructor, Driver } from './driver.js';

/**
 * The driver as the ghost binaries load it (scripts/bundle.mjs substitutes this file for
 * ./driver.ts). better-sqlite3's JavaScript is compiled into the bundle, because loading its
 * dozen files through node_modules costs about 9 ms of every command; only the native addon
 * comes from the installed package. JavaScript and addon must be the same release, so any
 * difference (or a missing addon) falls back to loading the installed package as a whole.
 */
export function loadDriver(): Driver {
  const installed = createRequire(import.meta.url).resolve('better-sqlite3/package.json');
  const addon = join(dirname(installed), 'build', 'Release', 'better_sqlite3.node');
  const bundledVersion = (require('better-sqlite3/package.json') as { version: string }).version;
  const installedVersion = (JSON.parse(readFileSync(installed, 'utf8')) as { version: string }).version;
  const hasAddon = existsSync(addon);
  if (installedVersion !== bundledVersion || !hasAddon) {
    const installedRequire = createRequire(installed);
    return {
      Database: installedRequire('better-sqlite3') as DatabaseConstructor,
      nativeBinding: hasAddon ? addon : undefined,
      source: 'installed',
    };
  }
  // A plain require() so that the bundler compiles the driver in; it runs on first use only.
  return { Database: require('better-sqlite3') as DatabaseConstructor, nativeBinding: addon, source: 'bundled' };
}
