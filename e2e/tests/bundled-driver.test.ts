// The ghost binaries carry better-sqlite3's JavaScript inside their bundle and load only its
// native addon from the installed package. JavaScript and addon must be one release: when the
// installed package is a different one, the binary must use the installed package whole.
import { execa } from 'execa';
import { appendFileSync, copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, makeDataDir, makeTempDir } from '../src/harness.js';

const cliRequire = createRequire(join(REPO_ROOT, 'packages/ghost-cli/package.json'));
const driverDir = dirname(cliRequire.resolve('better-sqlite3/package.json'));
const realVersion = (JSON.parse(readFileSync(join(driverDir, 'package.json'), 'utf8')) as { version: string }).version;

/** A copy of the built CLI next to a copy of better-sqlite3 that says when its own JS loads. */
function installCopy(version: string): string {
  const app = makeTempDir('ghost-e2e-app-');
  mkdirSync(join(app, 'dist'));
  copyFileSync(join(REPO_ROOT, 'packages/ghost-cli/dist/main.cjs'), join(app, 'dist/main.cjs'));
  const driver = join(app, 'node_modules/better-sqlite3');
  cpSync(join(driverDir, 'lib'), join(driver, 'lib'), { recursive: true });
  mkdirSync(join(driver, 'build/Release'), { recursive: true });
  copyFileSync(join(driverDir, 'build/Release/better_sqlite3.node'), join(driver, 'build/Release/better_sqlite3.node'));
  const pkg = JSON.parse(readFileSync(join(driverDir, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(driver, 'package.json'), JSON.stringify({ ...pkg, version }));
  appendFileSync(join(driver, 'lib/index.js'), "\nprocess.stderr.write('installed better-sqlite3 JavaScript loaded\\n');\n");
  return join(app, 'dist/main.cjs');
}

async function listWith(bin: string) {
  return execa(process.execPath, [bin, 'list', '--json'], { env: { GHOST_DATA_DIR: makeDataDir() }, reject: false });
}

describe('the bundled database driver', () => {
  it('uses its own JavaScript with the installed addon of the same release', async () => {
    const result = await listWith(installCopy(realVersion));
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('[]');
    expect(result.stderr).toBe('');
  });

  it('loads the installed package whole when the installed release differs', async () => {
    const result = await listWith(installCopy('0.0.1-other'));
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('[]');
    expect(result.stderr).toBe('installed better-sqlite3 JavaScript loaded');
  });
});
