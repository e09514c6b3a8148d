// Which SQLite driver the built ghost uses, as an installed copy of it would find things.
// - The binaries carry better-sqlite3's JavaScript inside their bundle and load only its native
//   addon from the installed package. JavaScript and addon must be one release: when the
//   installed package is a different one, the binary must use the installed package whole.
// - Where the addon is missing (install scripts blocked) or was built for another Node (after an
//   nvm switch), Node's own node:sqlite stands in (Node 22.16+); where neither can, ghost says in
//   one line what to run.
import { execa } from 'execa';
import { appendFileSync, copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, makeDataDir, makeTempDir } from '../src/harness.js';

const cliRequire = createRequire(join(REPO_ROOT, 'packages/ghost-cli/package.json'));
const driverDir = dirname(cliRequire.resolve('better-sqlite3/package.json'));
const realVersion = (JSON.parse(readFileSync(join(driverDir, 'package.json'), 'utf8')) as { version: string }).version;
const realAddon = join(driverDir, 'build/Release/better_sqlite3.node');
/** better-sqlite3's own dependencies: `bindings` (which finds the addon) and its one dependency. */
const bindingsManifest = createRequire(join(driverDir, 'package.json')).resolve('bindings/package.json');
const DEPENDENCIES = {
  bindings: dirname(bindingsManifest),
  'file-uri-to-path': dirname(createRequire(bindingsManifest).resolve('file-uri-to-path/package.json')),
};
/** node:sqlite with what ghost needs of it: Node 22.16 and later. */
const hasNodeSqlite = (() => {
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  return major > 22 || (major === 22 && minor >= 16);
})();
/** Whether the workspace's addon was built for this Node (it is not after a switch of Node). */
const addonLoads = (() => {
  try {
    createRequire(import.meta.url)(realAddon);
    return true;
  } catch {
    return false;
  }
})();

interface Doctor {
  sqlite: { driver: string | null; source: string | null; fallback: string | null; forced: boolean; version: string | null; problem: string | null };
}

/** A copy of the built CLI next to a copy of better-sqlite3 that says when its own JS loads. */
function installCopy(options: { version?: string; addon?: boolean } = {}): { bin: string; app: string } {
  const app = makeTempDir('ghost-e2e-app-');
  mkdirSync(join(app, 'dist'));
  copyFileSync(join(REPO_ROOT, 'packages/ghost-cli/dist/main.cjs'), join(app, 'dist/main.cjs'));
  const driver = join(app, 'node_modules/better-sqlite3');
  cpSync(join(driverDir, 'lib'), join(driver, 'lib'), { recursive: true });
  if (options.addon !== false) {
    mkdirSync(join(driver, 'build/Release'), { recursive: true });
    copyFileSync(realAddon, join(driver, 'build/Release/better_sqlite3.node'));
  }
  for (const [name, dir] of Object.entries(DEPENDENCIES)) cpSync(dir, join(app, 'node_modules', name), { recursive: true });
  const pkg = JSON.parse(readFileSync(join(driverDir, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(driver, 'package.json'), JSON.stringify({ ...pkg, version: options.version ?? realVersion }));
  appendFileSync(join(driver, 'lib/index.js'), "\nprocess.stderr.write('installed better-sqlite3 JavaScript loaded\\n');\n");
  return { bin: join(app, 'dist/main.cjs'), app };
}

function ghostAt(bin: string, args: string[], env: Record<string, string> = {}) {
  return execa(process.execPath, [bin, ...args], { env: { GHOST_DATA_DIR: makeDataDir(), ...env }, reject: false });
}

describe.runIf(addonLoads)('the bundled better-sqlite3', () => {
  it('uses its own JavaScript with the installed addon of the same release', async () => {
    const result = await ghostAt(installCopy().bin, ['list', '--json']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('[]');
    expect(result.stderr).toBe('');
  });

  it('loads the installed package whole when the installed release differs', async () => {
    const result = await ghostAt(installCopy({ version: '0.0.1-other' }).bin, ['list', '--json']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('[]');
    expect(result.stderr).toBe('installed better-sqlite3 JavaScript loaded');
  });
});

describe('when better-sqlite3 cannot serve', () => {
  it(hasNodeSqlite ? 'runs on node:sqlite when the addon was never built' : 'says in one line what to run when the addon was never built', async () => {
    const { bin, app } = installCopy({ addon: false });
    const result = await ghostAt(bin, ['doctor', '--json']);
    if (hasNodeSqlite) {
      expect(result.exitCode).toBe(0);
      const report = JSON.parse(result.stdout) as Doctor;
      expect(report.sqlite).toMatchObject({ driver: 'node:sqlite', source: 'node', forced: false, problem: null });
      expect(report.sqlite.fallback).toBe("better-sqlite3's addon was never built (its install script did not run)");
      const list = await ghostAt(bin, ['list', '--json']);
      expect([list.exitCode, list.stdout]).toEqual([0, '[]']);
      return;
    }
    const list = await ghostAt(bin, ['list']);
    expect(list.exitCode).toBe(1);
    expect(list.stdout).toBe('');
    // Without an addon, the bundle loads the installed package whole (which announces itself).
    expect(list.stderr).toBe(
      'installed better-sqlite3 JavaScript loaded\n' +
      `ghost: no usable SQLite driver: better-sqlite3's addon was never built (its install script did not run), and Node.js ${process.version} has no node:sqlite; ` +
        `rebuild better-sqlite3 for this Node.js, or use Node.js 22.16 or later (run: npm rebuild better-sqlite3 --prefix ${app})`,
    );
  });

  // The workspace's addon is built for the Node that installed it: on any other Node (the CI
  // matrix), this is the state a user is in after switching Node versions.
  it.runIf(!addonLoads)('runs on node:sqlite when the addon was built for another Node', async () => {
    const result = await ghostAt(join(REPO_ROOT, 'packages/ghost-cli/bin/ghost.cjs'), ['doctor']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(
        `^sqlite +3\\.\\d+\\.\\d+ \\(node:sqlite of Node\\.js ${process.versions.node}; better-sqlite3's addon was built for another Node\\.js \\(module version \\d+; Node\\.js ${process.version} needs ${process.versions.modules}\\)\\)$`,
        'm',
      ),
    );
  });

  it.runIf(addonLoads)('names the driver it uses in ghost doctor', async () => {
    const result = await ghostAt(join(REPO_ROOT, 'packages/ghost-cli/bin/ghost.cjs'), ['doctor']);
    expect(result.stdout).toMatch(/^sqlite +3\.\d+\.\d+ \(better-sqlite3 [\d.]+, bundled\)$/m);
  });
});
