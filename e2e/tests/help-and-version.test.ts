// The binaries' self-description: --help overviews, per-command help with examples, --version,
// and the `ghost-cli` and `ghost-ui` binaries as installed by the package manager.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { E2E_ROOT, GHOST_UI_BIN, REPO_ROOT, ghost, ghostOk, lines, makeDataDir } from '../src/harness.js';

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const COMMANDS = ['run', 'list', 'status', 'log', 'stop', 'kill', 'cleanup'];

function packageVersion(dir: string): string {
  return (JSON.parse(readFileSync(join(REPO_ROOT, dir, 'package.json'), 'utf8')) as { version: string }).version;
}

describe('ghost', () => {
  const dataDir = makeDataDir();

  it('--help lists every command and exits 0', async () => {
    const result = await ghostOk(['--help'], { dataDir });
    for (const command of COMMANDS) expect(result.stdout).toMatch(new RegExp(`^\\s+ghost ${command}\\b`, 'm'));
    expect(result.stderr).toBe('');
  });

  it('with no arguments shows the same overview', async () => {
    const bare = await ghostOk([], { dataDir });
    const help = await ghostOk(['--help'], { dataDir });
    expect(bare.stdout).toBe(help.stdout);
  });

  it.for(COMMANDS)('%s --help describes the command with an example', async (command) => {
    const result = await ghostOk([command, '--help'], { dataDir });
    expect(result.stdout).toContain(`$ ghost ${command}`);
    expect(result.stdout).toMatch(/^Examples$/m);
    // At least one runnable example line.
    expect(result.stdout).toMatch(new RegExp(`^\\s+\\$ ghost ${command} \\S`, 'm'));
    expect(result.stdout).toMatch(/Exit codes/);
  });

  it('run --help shows how to start a command', async () => {
    const result = await ghostOk(['run', '--help'], { dataDir });
    expect(result.stdout).toContain('$ ghost run --name web -- npm run dev');
    expect(result.stdout).toContain('--shell');
  });

  it('--version prints the package version, a semver, alone', async () => {
    const result = await ghostOk(['--version'], { dataDir });
    expect(result.stdout.trim()).toMatch(SEMVER);
    expect(result.stdout.trim()).toBe(packageVersion('packages/ghost-cli'));
    expect(lines(result.stdout)).toHaveLength(1);
  });

  it('ls and logs are aliases of list and log', async () => {
    const dir = makeDataDir();
    const run = await ghostOk(['run', '--', 'sh', '-c', 'echo aliased'], { dataDir: dir });
    const id = run.stdout.split('\n')[0]!;
    const ls = JSON.parse((await ghostOk(['ls', '--json'], { dataDir: dir })).stdout) as { id: string }[];
    expect(ls.map((task) => task.id)).toEqual([id]);
    const logs = await ghostOk(['logs', '-f', id], { dataDir: dir });
    expect(logs.stdout).toBe('aliased\n');
  });

  it('--help and --version do not create the data directory', async () => {
    const untouched = makeDataDir();
    await ghostOk(['--help'], { dataDir: untouched });
    await ghostOk(['--version'], { dataDir: untouched });
    await ghostOk(['run', '--help'], { dataDir: untouched });
    expect(existsSync(untouched)).toBe(false);
  });
});

describe('the ghost-cli binary', () => {
  const shim = join(E2E_ROOT, 'node_modules/.bin/ghost-cli');

  it('is installed and behaves like ghost', async () => {
    expect(existsSync(shim)).toBe(true);
    const dataDir = makeDataDir();
    const version = await ghostOk(['--version'], { dataDir, bin: shim });
    expect(version.stdout).toBe((await ghostOk(['--version'], { dataDir })).stdout);
    const run = await ghostOk(['run', '--name', 'via-cli', '--', 'true'], { dataDir, bin: shim });
    const id = run.stdout.split('\n')[0]!;
    const status = await ghostOk(['status', '--json', 'via-cli'], { dataDir });
    expect(JSON.parse(status.stdout).id).toBe(id);
    const listed = await ghostOk(['list', '--json'], { dataDir, bin: shim });
    expect(JSON.parse(listed.stdout).map((task: { id: string }) => task.id)).toEqual([id]);
    const bad = await ghost(['frobnicate'], { dataDir, bin: shim });
    expect(bad.exitCode).toBe(2);
  });

  it('and the ghost shim print the same help', async () => {
    const dataDir = makeDataDir();
    const viaShim = await ghostOk(['--help'], { dataDir, bin: join(E2E_ROOT, 'node_modules/.bin/ghost') });
    const viaCli = await ghostOk(['--help'], { dataDir, bin: shim });
    expect(viaCli.stdout).toBe(viaShim.stdout);
  });
});

describe('the ghost-ui binary', () => {
  it('--version prints its version without starting the interface', async () => {
    const result = await execa(process.execPath, [GHOST_UI_BIN, '--version'], {
      reject: false,
      stdin: 'ignore',
      timeout: 15_000,
      env: { GHOST_DATA_DIR: join(makeDataDir()), NO_COLOR: '1' },
    });
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toMatch(SEMVER);
    expect(result.stdout.trim()).toBe(packageVersion('packages/ghost-ui'));
  });

  it.each(['ui', 'tui'])('is what `ghost %s` starts; without a terminal it says so in one line', async (command) => {
    const result = await ghost([command], { dataDir: makeDataDir() });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('ghost-ui: needs a terminal (use `ghost list` in scripts)\n');
  });
});
