// ghost as users get it: every package packed, the tarballs installed into an empty prefix with
// npm (as `npm i -g` does) and into a project with pnpm, and everything run from there: the
// commands, the terminal UI, the MCP server and a downstream script importing @ghost/core.
//
// This machine reaches no GitHub, where better-sqlite3's prebuilt addons live, so the addon the
// workspace built for this Node is offered the way a mirror would (prebuild-install's local
// prebuilds). On a Node it was not built for, there is none: npm installs with scripts blocked,
// and ghost must stand on node:sqlite (22.16+), as it must after pnpm blocks the build.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { execa } from 'execa';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@ghost/test-support';
import { REPO_ROOT, isAlive, makeDataDir, makeTempDir } from '../src/harness.js';
import { TmuxSession } from '../src/tmux.js';

const PACKAGES = ['core', 'cli', 'ui', 'mcp'] as const;
const INSTALL_TIMEOUT = 180_000;

const cliRequire = createRequire(join(REPO_ROOT, 'packages/ghost-cli/package.json'));
const sqliteDir = dirname(cliRequire.resolve('better-sqlite3/package.json'));
const sqliteVersion = (JSON.parse(readFileSync(join(sqliteDir, 'package.json'), 'utf8')) as { version: string }).version;
const addon = join(sqliteDir, 'build/Release/better_sqlite3.node');
/** Whether the workspace's addon was built for this Node (then it can be offered as a prebuild). */
const addonLoads = (() => {
  try {
    cliRequire(addon);
    return true;
  } catch {
    return false;
  }
})();
const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
const hasNodeSqlite = major > 22 || (major === 22 && minor >= 16);

/**
 * Package managers and the installed bins run on this test's Node, as they would for a user on
 * it; pnpm is the workspace's (on PATH, or where `npm test` put it).
 */
const env = {
  PATH: [dirname(process.execPath), process.env.PATH, join(REPO_ROOT, '.tools/node_modules/.bin')].join(delimiter),
  // prebuild-install (better-sqlite3's install script) looks here before downloading.
  npm_config_better_sqlite3_local_prebuilds: '',
  npm_config_update_notifier: 'false',
};

let tarballs: Record<(typeof PACKAGES)[number], string>;

beforeAll(async () => {
  const dir = makeTempDir('ghost-e2e-packs-');
  for (const name of PACKAGES) {
    await execa('pnpm', ['pack', '--pack-destination', dir], { cwd: join(REPO_ROOT, 'packages', `ghost-${name}`), env });
  }
  const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'packages/ghost-core/package.json'), 'utf8')) as { version: string }).version;
  tarballs = Object.fromEntries(PACKAGES.map((name) => [name, join(dir, `ghost-${name}-${version}.tgz`)])) as typeof tarballs;
  const prebuilds = makeTempDir('ghost-e2e-prebuilds-');
  env.npm_config_better_sqlite3_local_prebuilds = prebuilds;
  if (addonLoads) {
    const name = `better-sqlite3-v${sqliteVersion}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
    await execa('tar', ['czf', join(prebuilds, name), '-C', sqliteDir, 'build/Release/better_sqlite3.node']);
  }
}, 60_000);

interface Installed {
  bin: string;
  /** Where a script resolves `@ghost/core` by name. */
  scripts: string;
}

/** `npm install --global` of every tarball into an empty prefix. */
async function npmInstall(): Promise<Installed> {
  const prefix = makeTempDir('ghost-e2e-npm-');
  const scripts = addonLoads ? [] : ['--ignore-scripts'];
  await execa('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', ...scripts, ...Object.values(tarballs)], { env });
  return { bin: join(prefix, 'bin'), scripts: join(prefix, 'lib') };
}

/** `pnpm install` of a project that depends on the tarballs (pnpm 10 blocks better-sqlite3's build). */
async function pnpmInstall(): Promise<Installed> {
  const project = makeTempDir('ghost-e2e-pnpm-');
  const files = Object.fromEntries(PACKAGES.map((name) => [`@ghost/${name}`, `file:${tarballs[name]}`]));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-ghost', private: true, dependencies: files, pnpm: { overrides: files } }));
  await execa('pnpm', ['install', '--config.confirmModulesPurge=false'], { cwd: project, env });
  return { bin: join(project, 'node_modules/.bin'), scripts: project };
}

function ghostFrom(installed: Installed, dataDir: string, args: string[]) {
  return execa(join(installed.bin, 'ghost'), args, { env: { ...env, GHOST_DATA_DIR: dataDir }, reject: false, timeout: 20_000 });
}

async function doctorSqlite(installed: Installed): Promise<{ driver: string; fallback: string | null }> {
  const result = await ghostFrom(installed, makeDataDir(), ['doctor', '--json']);
  expect(result.stderr).toBe('');
  return (JSON.parse(result.stdout) as { sqlite: { driver: string; fallback: string | null } }).sqlite;
}

/** What a user does first with a new install: every front end, from the installed files only. */
async function useEverything(installed: Installed): Promise<void> {
  const dataDir = makeDataDir();
  const ghost = (...args: string[]) => ghostFrom(installed, dataDir, args);

  const short = await ghost('run', '--name', 'hello', '--', 'sh', '-c', 'echo hello from an install; sleep 0.5; echo bye');
  expect([short.exitCode, short.stderr]).toEqual([0, '']);
  const followed = await ghost('log', '-f', 'hello');
  expect(followed.stdout).toBe('hello from an install\nbye');
  const long = await ghost('run', '--name', 'server', '--', 'sleep', '60');
  expect(long.exitCode).toBe(0);
  const listed = JSON.parse((await ghost('list', '--json')).stdout) as { name: string; status: string; pid: number }[];
  expect(listed.map(({ name, status }) => [name, status]).sort()).toEqual([['hello', 'exited'], ['server', 'running']]);
  const server = listed.find((task) => task.name === 'server')!;

  // The terminal UI, through the installed launcher, as a person starts and quits it.
  const ui = await TmuxSession.start({
    // The pane's shell sets its own PATH: the launcher must find this test's node first.
    command: `PATH='${dirname(process.execPath)}':"$PATH" '${join(installed.bin, 'ghost-ui')}'; echo "ghost-ui exited $?"; sleep 60`,
    env: { ...env, GHOST_DATA_DIR: dataDir, NO_COLOR: '' },
  });
  try {
    await ui.waitFor(/server +running/, 15_000);
    await ui.send('q');
    await ui.waitFor('ghost-ui exited 0');
  } finally {
    await ui.close();
  }

  // An MCP client's handshake with `ghost mcp`, and one tool call.
  const transport = new StdioClientTransport({ command: join(installed.bin, 'ghost'), args: ['mcp'], env: { ...env, GHOST_DATA_DIR: dataDir }, stderr: 'pipe' });
  const client = new Client({ name: 'ghost-e2e-install', version: '1.0.0' });
  try {
    await client.connect(transport);
    expect(client.getServerVersion()?.name).toBeTruthy();
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['run', 'list', 'stop']));
    const result = await client.callTool({ name: 'list', arguments: {} });
    expect(JSON.stringify(result.structuredContent)).toContain('server');
  } finally {
    await client.close();
  }

  const stopped = await ghost('stop', 'server');
  expect([stopped.exitCode, stopped.stderr]).toEqual([0, '']);
  await waitFor(() => !isAlive(server.pid), { timeout: 5_000, message: 'the stopped task to go' });

  // A third-party script that imports @ghost/core by its name, from where the install put it.
  const script = join(installed.scripts, 'downstream.mjs');
  copyFileSync(join(REPO_ROOT, 'packages/ghost-core/examples/run-and-stop.mjs'), script);
  const downstream = await execa(process.execPath, [script], { env: { ...env, GHOST_DATA_DIR: makeDataDir() }, reject: false, timeout: 25_000 });
  expect(downstream.stderr).toBe('');
  expect(JSON.parse(downstream.stdout)).toMatchObject({ stopped: { status: 'killed', signal: 'SIGTERM' }, wasRunning: true });
}

describe('installed from the packed tarballs', () => {
  it(
    addonLoads ? 'with npm, runs on better-sqlite3 built by its install script' : 'with npm and install scripts blocked, runs on node:sqlite',
    async () => {
      const installed = await npmInstall();
      const sqlite = await doctorSqlite(installed);
      if (addonLoads) expect(sqlite).toEqual(expect.objectContaining({ driver: 'better-sqlite3', fallback: null }));
      else expect(sqlite).toEqual(expect.objectContaining({ driver: 'node:sqlite', fallback: "better-sqlite3's addon was never built (its install script did not run)" }));
      await useEverything(installed);
    },
    INSTALL_TIMEOUT,
  );

  it(
    hasNodeSqlite ? 'with pnpm, which blocks the addon build, runs on node:sqlite' : 'with pnpm, which blocks the addon build, says what to run, and that fixes it',
    async () => {
      const installed = await pnpmInstall();
      if (hasNodeSqlite) {
        expect(await doctorSqlite(installed)).toEqual(expect.objectContaining({ driver: 'node:sqlite', fallback: "better-sqlite3's addon was never built (its install script did not run)" }));
      } else {
        const refused = await ghostFrom(installed, makeDataDir(), ['list']);
        expect(refused.exitCode).toBe(1);
        const fix = /^ghost: no usable SQLite driver: better-sqlite3's addon was never built \(its install script did not run\), and Node\.js v[\d.]+ has no node:sqlite; rebuild better-sqlite3 for this Node\.js, or use Node\.js 22\.16 or later \(run: (npm rebuild better-sqlite3 --prefix \S+)\)$/.exec(refused.stderr);
        expect(fix, refused.stderr).not.toBeNull();
        await execa('sh', ['-c', fix![1]!], { env });
        expect(await doctorSqlite(installed)).toEqual(expect.objectContaining({ driver: 'better-sqlite3', fallback: null }));
      }
      await useEverything(installed);
    },
    INSTALL_TIMEOUT,
  );
});

// The packed tarballs hold what they name, and no workspace links.
it('packs each package with its dependencies resolved to versions', async () => {
  for (const name of PACKAGES) {
    const manifest = JSON.parse((await execa('tar', ['xzOf', tarballs[name], 'package/package.json'])).stdout) as Record<string, Record<string, string> | undefined>;
    for (const range of Object.values({ ...manifest.dependencies, ...manifest.optionalDependencies })) expect(range).not.toMatch(/^workspace:/);
  }
});
