// The data directory holds logs and environments (secrets): ghost creates it private, and
// every file it writes private, whatever the umask. Whoever else could write into it could
// forge how tasks ended, so ghost refuses one that is not the user's alone (as ssh's
// StrictModes does), before it reads or writes anything there.
import { waitFor } from '@ghost/test-support';
import { execa } from 'execa';
import {
  type Stats,
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectCleanFailure } from '../src/assertions.js';
import {
  GHOST_BIN,
  type TaskJSON,
  ghost,
  ghostOk,
  isAlive,
  makeDataDir,
  makeTempDir,
  processesWithArg,
  startTask,
  taskStatus,
  uniqueSleepArg,
  waitUntilEnded,
} from '../src/harness.js';

function mode(path: string): string {
  return (statSync(path).mode & 0o777).toString(8).padStart(4, '0');
}

/** Runs ghost under a permissive umask, as a careless shell profile would set it. */
async function ghostWithUmask(umask: string, dataDir: string, args: string[]) {
  return execa('sh', ['-c', `umask ${umask} && exec "$0" "$@"`, process.execPath, GHOST_BIN, ...args], {
    env: { GHOST_DATA_DIR: dataDir, NO_COLOR: '1' },
    stdin: 'ignore',
    timeout: 25_000,
  });
}

describe('data directory permissions', () => {
  it.for(['022', '000'])('are private under umask %s: dirs 0700, tasks.db and logs 0600', async (umask) => {
    const dataDir = makeDataDir();
    const run = await ghostWithUmask(umask, dataDir, ['run', '--json', '--', 'sh', '-c', 'echo output; echo error >&2; exit 3']);
    const task = JSON.parse(run.stdout) as TaskJSON;
    // Let the supervisor record the end (the exit record is a file in the data dir too).
    await waitFor(async () => {
      const status = await ghostWithUmask(umask, dataDir, ['status', '--json', task.id]);
      return (JSON.parse(status.stdout) as TaskJSON).status === 'exited';
    });
    await ghostWithUmask(umask, dataDir, ['run', '--', 'sleep', '300']);

    expect(mode(dataDir)).toBe('0700');
    for (const dir of ['logs', 'journal', 'exits']) expect(mode(join(dataDir, dir)), dir).toBe('0700');
    expect(mode(join(dataDir, 'tasks.db'))).toBe('0600');
    // SQLite's companion files, when present, must be private too.
    for (const file of readdirSync(dataDir).filter((name) => name.startsWith('tasks.db'))) {
      expect(mode(join(dataDir, file)), file).toBe('0600');
    }
    const logs = readdirSync(join(dataDir, 'logs'));
    expect(logs).toHaveLength(2);
    for (const log of logs) expect(mode(join(dataDir, 'logs', log)), log).toBe('0600');
    expect(mode(task.log_path)).toBe('0600');
  });

  it('supervisor journals are private while they exist', async () => {
    // A run whose end nobody has reconciled yet keeps its journal in journal/.
    const dataDir = makeDataDir();
    await ghostWithUmask('000', dataDir, ['run', '--', 'true']);
    const journal = await waitFor(() => readdirSync(join(dataDir, 'journal'))[0], { message: 'the journal' });
    expect(mode(join(dataDir, 'journal', journal))).toBe('0600');
    expect(mode(join(dataDir, 'journal'))).toBe('0700');
  });
});

const isRoot = process.geteuid?.() === 0;
/** nobody: another user (only root can give it files). */
const NOBODY = 65534;

/** Every entry under `dir` with its type, owner, mode and size: what "nothing written" compares. */
function snapshot(dir: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const visit = (path: string) => {
    const stats: Stats = lstatSync(path);
    const kind = stats.isSymbolicLink() ? 'link' : stats.isDirectory() ? 'dir' : 'file';
    entries[path] = `${kind} ${stats.uid} ${(stats.mode & 0o7777).toString(8)} ${stats.size}`;
    if (kind === 'dir') for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
  return entries;
}

/** An existing data dir with one ended task in it, as ghost left it: recorded, so nothing writes any more. */
async function usedDataDir(): Promise<string> {
  const dataDir = makeDataDir();
  const id = (await ghostOk(['run', '--', 'true'], { dataDir })).stdout.trim();
  await waitUntilEnded(dataDir, id);
  return dataDir;
}

describe('unsafe data directories are refused', () => {
  const cases: { name: string; root?: boolean; make: (dataDir: string) => void; says: RegExp }[] = [
    {
      name: 'owned by another user',
      root: true,
      make: (dataDir) => chownSync(dataDir, NOBODY, NOBODY),
      says: /^ghost: data directory (\S+) belongs to another user \(uid 65534\), not to you \(uid 0\); it must be yours \(run: chown -R root \1\)$/,
    },
    {
      name: 'mode 0777',
      make: (dataDir) => chmodSync(dataDir, 0o777),
      says: /^ghost: data directory (\S+) is world-writable \(mode 0777\); it must be writable only by you \(run: chmod 700 \1\)$/,
    },
    {
      name: 'mode 0770',
      make: (dataDir) => chmodSync(dataDir, 0o770),
      says: /^ghost: data directory (\S+) is group-writable \(mode 0770\); it must be writable only by you \(run: chmod 700 \1\)$/,
    },
    {
      name: 'a group-writable logs/',
      make: (dataDir) => chmodSync(join(dataDir, 'logs'), 0o770),
      says: /^ghost: (\S+\/logs) is group-writable \(mode 0770\); it must be writable only by you \(run: chmod 700 \1\)$/,
    },
    {
      name: 'exits/ a symlink to a world-writable directory',
      make: (dataDir) => {
        const elsewhere = makeTempDir();
        chmodSync(elsewhere, 0o777);
        rmSync(join(dataDir, 'exits'), { recursive: true });
        symlinkSync(elsewhere, join(dataDir, 'exits'));
      },
      says: /^ghost: (\S+\/exits) is a symlink; it must be a real directory \(run: rm \1\)$/,
    },
    {
      name: 'a group-writable tasks.db',
      make: (dataDir) => chmodSync(join(dataDir, 'tasks.db'), 0o660),
      says: /^ghost: (\S+\/tasks\.db) is group-writable \(mode 0660\); it must be writable only by you \(run: chmod 600 \1\)$/,
    },
  ];

  it.for(cases.filter((c) => !c.root || isRoot))('$name: one line saying how to fix it, nothing run or written', async ({ make, says }) => {
    const dataDir = await usedDataDir();
    make(dataDir);
    const before = snapshot(dataDir);
    const marker = uniqueSleepArg();
    for (const args of [['run', '--', 'sleep', marker], ['list'], ['status', '--json', 'x'], ['cleanup']]) {
      const result = await ghost(args, { dataDir });
      expectCleanFailure(result, 1);
      expect(result.stderr.trimEnd()).toMatch(says);
    }
    expect(processesWithArg(marker)).toEqual([]);
    expect(snapshot(dataDir)).toEqual(before);
  });

  it('a forged journal behind a symlinked journal/ cannot end a running task', async () => {
    const dataDir = makeDataDir();
    const id = await startTask(dataDir, ['sleep', uniqueSleepArg()]);
    const { pid, pgid } = await taskStatus(dataDir, id);
    const journalDir = join(dataDir, 'journal');
    const [launch] = readdirSync(journalDir);
    const forged = makeTempDir();
    chmodSync(forged, 0o777);
    // Anyone could drop this file: it says the run's supervisor saw the command exit 0.
    const lie = `ghost-supervisor 1 ${pgid}\nstarted ${pid}\nexited 0\n`;
    writeFileSync(join(forged, launch!), lie);
    renameSync(journalDir, `${journalDir}.real`);
    symlinkSync(forged, journalDir);
    try {
      expectCleanFailure(await ghost(['status', id], { dataDir }), 1);
      expectCleanFailure(await ghost(['wait', id], { dataDir }), 1);
      expect(readFileSync(join(forged, launch!), 'utf8')).toBe(lie);
    } finally {
      unlinkSync(journalDir);
      renameSync(`${journalDir}.real`, journalDir);
    }
    expect(isAlive(pid!)).toBe(true);
    expect((await taskStatus(dataDir, id)).status).toBe('running');
  });

  it('a data dir under a folder others may write (not sticky) is refused before it is created', async () => {
    const open = makeTempDir();
    chmodSync(open, 0o777);
    const dataDir = join(open, 'ghost');
    const result = await ghost(['list'], { dataDir });
    expectCleanFailure(result, 1);
    expect(result.stderr).toBe(
      `ghost: data directory ${dataDir} is inside ${open}, which is world-writable (mode 0777) so others could replace it; it must be writable only by its owner (run: chmod go-w ${open})\n`,
    );
    expect(existsSync(dataDir)).toBe(false);
  });

  it('a data dir right inside a sticky, world-writable folder owned by root (as /tmp is) is used', async () => {
    const sticky = makeTempDir();
    chmodSync(sticky, 0o1777);
    const dataDir = join(sticky, 'ghost');
    await ghostOk(['run', '--', 'true'], { dataDir });
    expect(mode(dataDir)).toBe('0700');
  });

  it('a symlinked data dir is followed to a private directory of the user', async () => {
    const target = await usedDataDir();
    const link = join(makeTempDir(), 'ghost');
    symlinkSync(target, link);
    const id = await startTask(link, ['true']);
    const task = await taskStatus(link, id);
    // Paths are the real ones: swapping the link later cannot redirect this task's files.
    expect(task.log_path).toBe(join(target, 'logs', `${id}.log`));
    expect((await ghostOk(['list', '--json'], { dataDir: target })).stdout).toContain(id);
  });

  it('a symlinked data dir to a folder others may write is refused', async () => {
    const target = makeTempDir();
    chmodSync(target, 0o777);
    const link = join(makeTempDir(), 'ghost');
    symlinkSync(target, link);
    const result = await ghost(['list'], { dataDir: link });
    expectCleanFailure(result, 1);
    expect(result.stderr).toMatch(/^ghost: data directory \S+ is world-writable \(mode 0777\)/);
    expect(readdirSync(target)).toEqual([]);
  });
});
