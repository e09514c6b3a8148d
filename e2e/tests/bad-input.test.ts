// Every kind of bad input fails the same way: a non-zero exit, exactly one line on stderr, no
// stack trace, nothing printed on stdout, nothing left running and no task recorded.
import { execa } from 'execa';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectCleanFailure } from '../src/assertions.js';
import {
  GHOST_BIN,
  type GhostResult,
  ghost,
  ghostOk,
  isAlive,
  listTasks,
  makeDataDir,
  makeTempDir,
  processesWithArg,
  startTask,
  taskStatus,
  uniqueSleepArg,
  waitUntilEnded,
} from '../src/harness.js';
import { rowCount, withTasksDb } from '../src/tasks-db.js';

/** nobody: a user without root's power to write anywhere. */
const NOBODY = 65534;

/** Runs ghost as nobody (the caller is root). */
async function ghostAsNobody(args: string[], dataDir: string): Promise<GhostResult> {
  const result = await execa('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, GHOST_BIN, ...args], {
    reject: false,
    env: { GHOST_DATA_DIR: dataDir, NO_COLOR: '1', PATH: process.env.PATH },
    cwd: '/',
    stdin: 'ignore',
    timeout: 25_000,
    stripFinalNewline: false,
  });
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 };
}

describe('bad input', () => {
  const dataDir = makeDataDir();
  let running: string;
  let ended: string;

  beforeAll(async () => {
    running = await startTask(dataDir, ['sleep', '300'], { name: 'bystander' });
    ended = await startTask(dataDir, ['true'], { name: 'done' });
    await waitUntilEnded(dataDir, ended);
  });

  /**
   * Runs ghost with bad input (a `run` gets a unique sleep as its command, so that anything it
   * might have started can be found) and checks the failure is clean and changed nothing.
   */
  async function expectRejected(args: string[], exitCode?: number): Promise<string> {
    const before = rowCount(dataDir);
    const marker = uniqueSleepArg();
    const full = args.map((arg) => (arg === 'MARKER' ? marker : arg));
    const result = await ghost(full, { dataDir });
    expectCleanFailure(result, exitCode);
    expect(processesWithArg(marker), 'nothing may be left running').toEqual([]);
    expect(rowCount(dataDir), 'no task may be recorded').toBe(before);
    const bystander = await taskStatus(dataDir, running);
    expect(bystander.status).toBe('running');
    expect(isAlive(bystander.pid!)).toBe(true);
    return result.stderr;
  }

  describe('task references', () => {
    it.for(['status', 'log', 'log -f', 'stop', 'kill', 'kill -s TERM'])(
      'ghost %s with an unknown task',
      async (command) => {
        const stderr = await expectRejected([...command.split(' '), 'no-such-task'], 1);
        expect(stderr).toContain('no-such-task');
      },
    );

    it('an empty task reference', async () => {
      await expectRejected(['status', '']);
    });

    it('an ambiguous id prefix', async () => {
      // Create tasks until two ids share their first character (16 hex digits: at most 17).
      let ids = (await listTasks(dataDir)).map((task) => task.id);
      const shared = () => ids.map((id) => id[0]!).find((c, i, all) => all.indexOf(c) !== i);
      while (shared() === undefined) {
        await startTask(dataDir, ['true']);
        ids = (await listTasks(dataDir)).map((task) => task.id);
      }
      const prefix = shared()!;
      for (const command of [['status'], ['log'], ['stop'], ['kill']]) {
        const stderr = await expectRejected([...command, prefix], 1);
        expect(stderr).toContain('matches several tasks');
      }
    });
  });

  describe('ghost run', () => {
    it('with no command', async () => {
      await expectRejected(['run'], 2);
    });

    it('with nothing after --', async () => {
      await expectRejected(['run', '--'], 2);
    });

    it('with an empty command name', async () => {
      await expectRejected(['run', '--', '', 'MARKER']);
    });

    it('with an empty --shell script', async () => {
      await expectRejected(['run', '--shell', '']);
    });

    it.for(['NOEQUALS', '=value', ''])('with --env "%s" (no KEY=)', async (pair) => {
      const stderr = await expectRejected(['run', '--env', pair, '--', 'sleep', 'MARKER'], 2);
      expect(stderr).toContain('--env');
    });

    it('with an invalid --env name', async () => {
      await expectRejected(['run', '--env', '1X=y', '--', 'sleep', 'MARKER']);
    });

    it('with a missing --cwd', async () => {
      await expectRejected(['run', '--cwd', join(makeTempDir(), 'missing'), '--', 'sleep', 'MARKER'], 1);
    });

    it('with a --cwd that is a file', async () => {
      const file = join(makeTempDir(), 'file');
      writeFileSync(file, '');
      await expectRejected(['run', '--cwd', file, '--', 'sleep', 'MARKER'], 1);
    });

    it('with an invalid --name', async () => {
      await expectRejected(['run', '--name', ' leading-space', '--', 'sleep', 'MARKER']);
      await expectRejected(['run', '--name', 'new\nline', '--', 'sleep', 'MARKER']);
      await expectRejected(['run', '--name', 'x'.repeat(101), '--', 'sleep', 'MARKER']);
    });

    it('with a command that is not found', async () => {
      await expectRejected(['run', '--', 'ghost-e2e-missing', 'MARKER'], 127);
    });
  });

  describe('options and commands', () => {
    it('an unknown signal', async () => {
      await expectRejected(['kill', '-s', 'SIGNOPE', running]);
    });

    it('an unknown command', async () => {
      const stderr = await expectRejected(['frobnicate'], 2);
      expect(stderr).toContain('frobnicate');
    });

    it.for(['list --frob', 'run --frob -- sleep MARKER', 'stop --frob bystander', 'status --frob bystander'])(
      'an unknown option: ghost %s', async (args) => {
      await expectRejected(args.split(' '), 2);
    });

    it.for([
      'list --status bogus',
      'cleanup --status running',
      'cleanup --days many',
      'cleanup --days -1',
      'cleanup --all --days 3',
      'stop --timeout soon bystander',
      'stop --timeout -1 bystander',
      'log -n many bystander',
    ])('a malformed option value: ghost %s', async (args) => {
      await expectRejected(args.split(' '), 2);
    });

    it('stop with no task', async () => {
      await expectRejected(['stop'], 2);
    });
  });
});

describe('an unusable data directory', () => {
  it('a database from a newer ghost', async () => {
    const dataDir = makeDataDir();
    await ghostOk(['list'], { dataDir });
    withTasksDb(dataDir, (db) => db.pragma('user_version = 999'));
    const list = await ghost(['list'], { dataDir });
    expectCleanFailure(list, 1);
    expect(list.stderr).toMatch(/newer/);
    const marker = uniqueSleepArg();
    const run = await ghost(['run', '--', 'sleep', marker], { dataDir });
    expectCleanFailure(run, 1);
    expect(run.stderr).toMatch(/newer/);
    expect(processesWithArg(marker)).toEqual([]);
    // Untouched: still the newer version, still no tasks.
    expect(withTasksDb(dataDir, (db) => db.pragma('user_version', { simple: true }))).toBe(999);
    expect(rowCount(dataDir)).toBe(0);
  });

  it('a data directory below a regular file', async () => {
    const file = join(makeTempDir(), 'file');
    writeFileSync(file, 'not a directory');
    const dataDir = join(file, 'ghost');
    const list = await ghost(['list'], { dataDir });
    expectCleanFailure(list, 1);
    expect(list.stderr).toContain(dataDir);
    const marker = uniqueSleepArg();
    const run = await ghost(['run', '--', 'sleep', marker], { dataDir });
    expectCleanFailure(run, 1);
    expect(processesWithArg(marker)).toEqual([]);
  });

  it('a tasks.db that is not a database', async () => {
    const dataDir = makeDataDir();
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'tasks.db'), 'this is not sqlite, just text that is long enough to look like a header..');
    const list = await ghost(['list'], { dataDir });
    expectCleanFailure(list, 1);
    const marker = uniqueSleepArg();
    expectCleanFailure(await ghost(['run', '--', 'sleep', marker], { dataDir }), 1);
    expect(processesWithArg(marker)).toEqual([]);
  });

  // Root may write anywhere, so as root the case runs as nobody (setpriv drops to it).
  const asNobody = process.getuid?.() === 0;
  const canDrop = !asNobody || spawnSync('setpriv', ['--version']).status === 0;
  it.skipIf(!canDrop)('a data directory that cannot be created (its parent is read-only to the user)', async () => {
    const outer = makeTempDir();
    const parent = join(outer, 'read-only');
    mkdirSync(parent);
    if (asNobody) {
      chmodSync(outer, 0o711);
      chownSync(parent, NOBODY, NOBODY);
    }
    chmodSync(parent, 0o500);
    const dataDir = join(parent, 'ghost');
    const run = (args: string[]) => (asNobody ? ghostAsNobody(args, dataDir) : ghost(args, { dataDir }));
    const marker = uniqueSleepArg();
    const result = await run(['run', '--', 'sleep', marker]);
    expectCleanFailure(result, 1);
    expect(result.stderr).toBe(`ghost: cannot use data directory ${dataDir}: permission denied\n`);
    expectCleanFailure(await run(['list']), 1);
    expect(processesWithArg(marker)).toEqual([]);
    expect(readdirSync(parent)).toEqual([]);
  });
});
