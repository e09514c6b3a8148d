// The stack history through the built ghost, in a real git repository: `up` records what it
// applied, `up --rev` applies the file of an older commit, `rollback` goes back (and forth).
// Which file ran shows in the service's log: it prints its environment's A when it starts.
import { git, waitFor } from '@ghost/test-support';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { type TaskJSON, ghost, ghostJSON, ghostOk, makeDataDir, makeTempDir } from '../src/harness.js';

const ghostFile = (a: string) => `name: hist\nservices:\n  app:\n    command: sh -c 'echo A=$A; exec sleep 300'\n    env: { A: "${a}" }\n`;

interface RevisionJSON {
  revision: number;
  digest: string;
  git_commit: string | null;
  git_dirty: boolean | null;
  file: string;
}

describe('ghost history, rollback and up --rev', () => {
  it('records each applied file with its commit, applies an older commit, and rolls back and forth', { timeout: 60_000 }, async ({ expect }) => {
    const dataDir = makeDataDir();
    const dir = makeTempDir();
    const file = join(dir, 'ghost.yaml');
    git(dir, 'init', '-q');
    writeFileSync(file, ghostFile('1'));
    git(dir, 'add', 'ghost.yaml');
    git(dir, 'commit', '-q', '-m', 'A is 1');
    const first = git(dir, 'rev-parse', 'HEAD');
    writeFileSync(file, ghostFile('2'));
    git(dir, 'commit', '-q', '-am', 'A is 2');
    const second = git(dir, 'rev-parse', 'HEAD');

    // By project, not ps: ps reads the file, which is broken for a while below.
    const app = async () => (await ghostJSON<TaskJSON[]>(['list', '--project', 'hist', '--json'], { dataDir }))[0]!;
    /** The output of the app's latest run, once it has printed A. */
    const printed = async () => {
      const { run } = await app();
      return waitFor(async () => (await ghostOk(['log', '--run', String(run), 'app'], { dataDir, cwd: dir })).stdout.match(/A=\d/)?.[0], { message: `A in run ${run}` });
    };

    await ghostOk(['up'], { dataDir, cwd: dir });
    expect(await printed()).toBe('A=2');
    // A second up of the same file records nothing.
    await ghostOk(['up'], { dataDir, cwd: dir });

    await ghostOk(['up', '--rev', 'HEAD~1'], { dataDir, cwd: dir });
    expect((await app()).run).toBe(2);
    expect(await printed()).toBe('A=1');

    const history = await ghostJSON<RevisionJSON[]>(['history', '--json'], { dataDir, cwd: dir });
    expect(history.map(({ revision, git_commit, git_dirty, file }) => ({ revision, git_commit, git_dirty, file }))).toEqual([
      { revision: 1, git_commit: second, git_dirty: false, file },
      { revision: 2, git_commit: first, git_dirty: false, file },
    ]);
    const table = (await ghostOk(['history'], { dataDir, cwd: dir })).stdout;
    expect(table).toMatch(/^REV\s+APPLIED\s+DIGEST\s+COMMIT\s+FILE$/m);
    expect(table).toContain(`${first.slice(0, 12)}  ghost.yaml`);

    // Back to the file of revision 1 (A=2), then forth again: each rollback is a revision.
    const back = await ghostOk(['rollback'], { dataDir, cwd: dir });
    expect(back.stderr).toMatch(/rolling back hist to revision 1/);
    expect(await printed()).toBe('A=2');
    await ghostOk(['rollback'], { dataDir, cwd: dir });
    expect(await printed()).toBe('A=1');
    expect((await ghostJSON<RevisionJSON[]>(['history', '--json'], { dataDir, cwd: dir })).map((each) => each.revision)).toEqual([1, 2, 3, 4]);

    // A change that breaks the file is one rollback away too.
    writeFileSync(file, 'name: hist\nservices:\n  app:\n    comand: typo\n');
    expect((await ghost(['up'], { dataDir, cwd: dir })).exitCode).toBe(1);
    await ghostOk(['rollback', '1'], { dataDir, cwd: dir });
    expect(await printed()).toBe('A=2');
  });

  it('refuses a rollback without a previous revision, and --rev outside git or of an unknown revision, with one line', async ({ expect }) => {
    const dataDir = makeDataDir();
    const dir = makeTempDir();
    writeFileSync(join(dir, 'ghost.yaml'), ghostFile('1'));

    const none = await ghost(['rollback'], { dataDir, cwd: dir });
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toBe('ghost: project hist has no applied revisions\n');

    const noGit = await ghost(['up', '--rev', 'HEAD'], { dataDir, cwd: dir });
    expect(noGit.exitCode).toBe(1);
    expect(noGit.stderr).toBe(`ghost: ${dir} is not in a git repository\n`);

    await ghostOk(['up'], { dataDir, cwd: dir });
    const one = await ghost(['rollback'], { dataDir, cwd: dir });
    expect(one.exitCode).toBe(1);
    expect(one.stderr).toBe('ghost: project hist has no revision before 1\n');
    expect((await ghostOk(['history'], { dataDir, cwd: dir })).stdout).toMatch(/^\s*1\s+\S.*\s+-\s+ghost\.yaml$/m);

    git(dir, 'init', '-q');
    const unknown = await ghost(['up', '--rev', 'nope'], { dataDir, cwd: dir });
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toBe(`ghost: no git revision "nope" in ${dir}\n`);
  });
});
