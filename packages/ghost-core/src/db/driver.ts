import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type DatabaseConstructor = typeof import('better-sqlite3');

/** better-sqlite3, and the path of its compiled addon when it is where a build puts it. */
export interface Driver {
  Database: DatabaseConstructor;
  /** Handed to better-sqlite3 so that it need not search for its addon. */
  nativeBinding: string | undefined;
  /** Its JavaScript compiled into ghost's bundle, or loaded from the installed package. */
  source: 'bundled' | 'installed';
}

/**
 * Loads better-sqlite3 from the installed package. (The ghost binaries replace this module with
 * ./driver.bundled.ts, which has the driver's JavaScript compiled into the bundle.)
 */
export function loadDriver(): Driver {
  const require = createRequire(import.meta.url);
  // Resolved once (a resolution walks node_modules); the addon sits at build/Release beside lib/.
  const main = require.resolve('better-sqlite3');
  const addon = join(dirname(main), '..', 'build', 'Release', 'better_sqlite3.node');
  return { Database: require(main) as DatabaseConstructor, nativeBinding: existsSync(addon) ? addon : undefined, source: 'installed' };
}
