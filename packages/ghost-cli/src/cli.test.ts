import { ENDED_STATUSES, Ghost, RECENT_ENDED_TASKS, SUPERVISION_OPTIONS, TASK_STATUSES } from '@ghost/core';
import { statusWords } from '@ghost/core/format';
import { tempDir } from '@ghost/test-support';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { parseDuration, taskExitStatus } from './commands/base.js';
import { commandSpecs } from './commands/completion.js';
import { RunCommand } from './commands/run.js';
import { runGhost } from './test-support/run-cli.js';

const dataDir = mkdtempSync(join(tmpdir(), 'ghost-cli-test-'));
afterAll(async () => {
  const ghost = Ghost.open({ dataDir });
  for (const task of ghost.list({ status: 'running' })) await ghost.stop(task.id, { force: true });
  ghost.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs the CLI in-process on this file's data directory. */
async function ghost(...argv: string[]) {
  return runGhost(argv, { dataDir });
}

/** As `ghost`, with stderr a terminal (`tty`) or not. */
async function ghostWith({ tty = false }: { tty?: boolean }, ...argv: string[]) {
  return runGhost(argv, { dataDir, tty });
}

describe('ghost (in-process)', () => {
  it('shows the overview for no arguments and for --help', async () => {
    for (const args of [[], ['--help']]) {
      const result = await ghost(...args);
      expect(result.code).toBe(0);
      for (const command of ['run', 'list', 'status', 'log', 'stop', 'kill', 'cleanup', 'wait', 'restart', 'start', 'runs', 'ports', 'rm', 'completion']) {
        expect(result.stdout).toContain(`ghost ${command}`);
      }
    }
  });

  it('turns parse errors into one line on stderr with exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /^ghost: unknown command "frobnicate" \(see ghost --help\)\n$/],
      [['list', '--bogus'], /^ghost: .*--bogus.*\(see ghost list --help\)\n$/],
      [['run'], /^ghost: no command given/],
      [['stop'], /^ghost: .*\(see ghost stop --help\)\n$/],
      [['log', '-n', 'many', 'x'], /^ghost: invalid value for --tail: "many"/],
      [['run', '--env', 'NOEQUALS', '--', 'true'], /^ghost: invalid --env "NOEQUALS": expected KEY=VALUE\n$/],
      [['list', '--status', 'sleeping'], /^ghost: invalid --status "sleeping"/],
      [['kill', '-s', 'NOPE', 'x'], /^ghost: unknown signal "NOPE"/],
    ];
    for (const [argv, message] of cases) {
      const result = await ghost(...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr, argv.join(' ')).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stdout).toBe('');
    }
  });

  it('runs a task, prints only its id, and shows it', async () => {
    const run = await ghost('run', '--name', 'cli-test', '--', 'sleep', '30');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^[0-9a-f-]{36}\n$/);
    const id = run.stdout.trim();
    const list = await ghost('list');
    expect(list.stdout).toMatch(new RegExp(`^ID +NAME +STATUS +PID +CPU +MEM +STARTED +DURATION +COMMAND +CWD\\n${id.slice(0, 8)} +cli-test +running +\\d+ +\\d+\\.\\d% +[\\d.]+ (B|KiB|MiB) `));
    const status = JSON.parse((await ghost('status', 'cli-test', '--json')).stdout);
    expect(status).toMatchObject({ id, name: 'cli-test', status: 'running', command: ['sleep', '30'] });
    const stop = await ghost('stop', id.slice(0, 6));
    expect(stop.stdout).toBe(`stopped ${id.slice(0, 8)} (cli-test): killed SIGTERM\n`);
    expect((await ghost('stop', 'cli-test')).stdout).toBe(`${id.slice(0, 8)} (cli-test) had already ended: killed SIGTERM\n`);
  });

  it('lists the services of a project, with a SERVICE column and a service line in status', async () => {
    const core = Ghost.open({ dataDir });
    const task = await core.run({ command: ['sleep', '30'], project: 'shop', service: 'db' });
    core.close();
    const list = await ghost('list', '--project', 'shop');
    expect(list.stdout).toMatch(new RegExp(`^ID +NAME +SERVICE +STATUS +PID +CPU +MEM +STARTED .*\n${task.id.slice(0, 8)} +- +shop/db +running `));
    expect(list.stdout.trim().split('\n')).toHaveLength(2);
    expect((await ghost('list', '--project', 'nope')).stderr).toBe('no tasks match\n');
    expect((await ghost('status', task.id)).stdout).toMatch(/\nservice +shop\/db\n/);
    await ghost('stop', task.id);
  });

  it('passes everything after the program to it, its own flags included', async () => {
    const run = await ghost('run', '--json', 'echo', '--json', '-n', 'x');
    expect(JSON.parse(run.stdout).command).toEqual(['echo', '--json', '-n', 'x']);
    // An option's value is not the program, in either spelling; the first `--` ends the options.
    const valued = await ghost('run', '--json', '--name', 'echo', '--env=A=1', '--env', 'B=2', '--', 'echo', '--', '--name');
    expect(JSON.parse(valued.stdout)).toMatchObject({ name: 'echo', command: ['echo', '--', '--name'] });
  });

  it('prints compact JSON to a pipe', async () => {
    const list = await ghost('list', '--json');
    expect(list.stdout.trim().split('\n')).toHaveLength(1);
    expect(Array.isArray(JSON.parse(list.stdout))).toBe(true);
  });

  it('reports errors from core with their exit codes', async () => {
    expect(await ghost('run', '--', 'definitely-not-a-command')).toMatchObject({
      code: 127,
      stderr: 'ghost: command not found: definitely-not-a-command\n',
    });
    expect(await ghost('status', 'no-such-task')).toMatchObject({ code: 1, stderr: 'ghost: no task matches "no-such-task" (see ghost list)\n' });
  });
});

/** A fresh data directory of the test's own (for exact counts), removed after the test. */
const ownDataDir = () => tempDir('ghost-cli-test-');

/** Runs `commands` through core in `dir`, one after the other, and waits for those that end. */
async function tasksIn(dir: string, commands: readonly string[][]) {
  const core = Ghost.open({ dataDir: dir });
  try {
    const tasks = [];
    for (const command of commands) tasks.push(await core.run({ command }));
    await core.wait(tasks.filter((task) => task.command[0] !== 'sleep').map((task) => task.id));
    return tasks;
  } finally {
    core.close();
  }
}

describe('list', () => {
  it(`shows every running task and the ${RECENT_ENDED_TASKS} newest ended ones, then how many older ones --all would show`, async () => {
    const dir = ownDataDir();
    const [sleeper] = await tasksIn(dir, [['sleep', '30'], ...Array.from({ length: RECENT_ENDED_TASKS + 3 }, () => ['true'])]);
    try {
      const older = '3 older ended tasks not shown; ghost list --all shows every task\n';
      const list = await runGhost(['list'], { dataDir: dir });
      const rows = list.stdout.trim().split('\n').slice(1);
      expect(rows).toHaveLength(RECENT_ENDED_TASKS + 1);
      expect(rows.at(-1)).toMatch(new RegExp(`^${sleeper!.id.slice(0, 8)} .* running `));
      expect(list.stderr).toBe(older);
      // JSON follows the same default; the count stays on stderr, so stdout is only the array.
      const json = await runGhost(['list', '--json'], { dataDir: dir });
      expect(JSON.parse(json.stdout)).toHaveLength(RECENT_ENDED_TASKS + 1);
      expect(json.stderr).toBe(older);
      for (const all of ['--all', '-a']) {
        expect((await runGhost(['list', all], { dataDir: dir })).stdout.trim().split('\n')).toHaveLength(RECENT_ENDED_TASKS + 5);
        expect(await runGhost(['list', all, '--json'], { dataDir: dir })).toMatchObject({ code: 0, stderr: '' });
        expect(JSON.parse((await runGhost(['list', all, '--json'], { dataDir: dir })).stdout)).toHaveLength(RECENT_ENDED_TASKS + 4);
      }
      // Filters choose the tasks first: nothing is left out of the running ones.
      expect(await runGhost(['list', '-s', 'running'], { dataDir: dir })).toMatchObject({ stderr: '' });
    } finally {
      await runGhost(['stop', '--force', sleeper!.id], { dataDir: dir });
    }
  });

  it('takes a comma-separated list of statuses, as cleanup does; a bad one is one line naming the valid ones', async () => {
    const dir = ownDataDir();
    const [failed, fine, stopped] = await tasksIn(dir, [['sh', '-c', 'exit 3'], ['true'], ['sleep', '30']]);
    await runGhost(['stop', stopped!.id], { dataDir: dir });
    const ids = async (...argv: string[]) => (JSON.parse((await runGhost([...argv, '--json'], { dataDir: dir })).stdout) as { id: string }[]).map((task) => task.id);
    expect(await ids('list', '-s', 'exited,killed')).toEqual([stopped!.id, fine!.id, failed!.id]);
    expect(await ids('list', '--status', 'killed, unknown')).toEqual([stopped!.id]);
    expect(await ids('list', '-a', '-s', 'running,restarting')).toEqual([]);
    for (const [argv, valid] of [
      [['list', '-s', 'exited,sleeping'], TASK_STATUSES],
      [['cleanup', '--status', 'killed,running'], ENDED_STATUSES],
    ] as const) {
      const bad = await runGhost(argv, { dataDir: dir });
      expect(bad).toMatchObject({ code: 2, stdout: '' });
      expect(bad.stderr).toBe(`ghost: invalid --status "${argv[2].split(',')[1]}" (${statusWords(valid)})\n`);
    }
    expect(await ids('cleanup', '-a', '-s', 'killed,exited', '--dry-run')).toEqual([stopped!.id, fine!.id, failed!.id]);
    expect(await ids('cleanup', '-a', '-s', 'killed,unknown')).toEqual([stopped!.id]);
    expect(await ids('list', '-a')).toEqual([fine!.id, failed!.id]);
  });
});

describe('short flags', () => {
  it('-C and -e: where and with what run starts the command', async () => {
    const dir = ownDataDir();
    const cwd = tempDir('ghost-cli-cwd-');
    const run = await runGhost(['run', '--wait', '-C', cwd, '-e', 'GREETING=hi', '-e', 'WHO=you', '--', 'sh', '-c', 'echo "$GREETING $WHO from $PWD"'], { dataDir: dir });
    expect(run.code).toBe(0);
    expect((await runGhost(['log', run.stdout.trim()], { dataDir: dir })).stdout).toBe(`hi you from ${cwd}\n`);
  });

  it('-a and -s mean --all and --status on list and cleanup, -s --signal on kill', async () => {
    const dir = ownDataDir();
    const [done, sleeper] = await tasksIn(dir, [['true'], ['sleep', '30']]);
    const kill = await runGhost(['kill', '-s', 'TERM', sleeper!.id], { dataDir: dir });
    expect(kill.stdout).toMatch(/^sent SIGTERM to /);
    expect((await runGhost(['wait', sleeper!.id], { dataDir: dir })).code).toBe(143);
    expect((await runGhost(['list', '-a', '-s', 'killed'], { dataDir: dir })).stdout).toMatch(new RegExp(`\n${sleeper!.id.slice(0, 8)} .*killed SIGTERM`));
    expect((await runGhost(['cleanup', '-a', '-s', 'exited'], { dataDir: dir })).stdout).toMatch(new RegExp(`^deleted 1 task\n.*\n${done!.id.slice(0, 8)} `));
  });
});

describe('run', () => {
  it("takes every supervision option of core's table, as a flag with a value", async () => {
    const flags = commandSpecs([RunCommand])[0]!.flags;
    for (const option of SUPERVISION_OPTIONS) {
      expect(flags.find((flag) => flag.names.includes(option.flag))?.spec.value, option.flag).toBeDefined();
    }
    const help = await ghost('run', '--help');
    for (const option of SUPERVISION_OPTIONS) expect(help.stdout).toContain(option.description);
    for (const [flag, value] of [['--max-restarts', 'x'], ['--health-retries', '0'], ['--min-uptime', 'soon']]) {
      const bad = await ghost('run', flag!, value!, '--', 'true');
      expect(bad, flag).toMatchObject({ code: 2, stdout: '' });
      expect(bad.stderr.trim().split('\n'), flag).toHaveLength(1);
    }
  });
});

describe('hints', () => {
  it('end a result with the next useful command on a terminal, never on a pipe or with --json', async () => {
    const run = await ghostWith({ tty: true }, 'run', '--name', 'hinted', '--', 'sleep', '30');
    expect(run.stdout).toMatch(/^[0-9a-f-]{36}\n$/);
    expect(run.stderr).toMatch(/hint: follow its output: ghost log -f hinted\n$/);
    expect((await ghostWith({ tty: true }, 'status', 'hinted')).stderr).toBe('hint: follow its output: ghost log -f hinted\n');
    expect((await ghostWith({ tty: false }, 'status', 'hinted')).stderr).toBe('');
    expect((await ghostWith({ tty: true }, 'status', '--json', 'hinted')).stderr).toBe('');
    expect((await ghostWith({ tty: true }, 'run', '--json', '--', 'true')).stderr).toBe('');
    await ghost('stop', '--force', 'hinted');
    const failed = await ghostWith({ tty: true }, 'run', '--wait', '--name', 'failing', '--', 'sh', '-c', 'echo oops; exit 3');
    expect(failed.code).toBe(3);
    expect(failed.stderr).toMatch(/^oops\nghost: [0-9a-f]{8} \(failing\) exited 3\nhint: the whole log: ghost log failing\n$/);
  });
});

describe('up progress', () => {
  const FAILING_STACK = 'name: live\nservices:\n  migrate:\n    command: "echo boom; exit 3"\n  api:\n    command: [sleep, "30"]\n    depends_on:\n      migrate: { condition: completed_successfully }\n';

  /** Runs `up` with stdout and stderr one terminal (so their order shows) of `TERM`. */
  async function upOnTerminal(term: string) {
    const dir = tempDir('ghost-cli-stack-');
    writeFileSync(join(dir, 'ghost.yaml'), FAILING_STACK);
    const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 80, rows: 24 });
    let written = '';
    terminal.on('data', (chunk) => (written += chunk));
    const code = await runCli(['up'], { stdout: terminal, stderr: terminal, cwd: dir, env: { ...process.env, GHOST_DATA_DIR: dataDir, NO_COLOR: '1', TERM: term } });
    return { code, written };
  }

  it('is a block redrawn in place on a terminal, finished before the failure is told', async () => {
    const { code, written } = await upOnTerminal('xterm-256color');
    expect(code).toBe(1);
    expect(written).toMatch(/\x1b\[2Kmigrate {2}starting/);
    expect(written).toMatch(/\x1b\[\d+A/);
    expect(written.indexOf('ghost: service migrate')).toBeGreaterThan(written.lastIndexOf('\x1b[2K'));
    expect(written.slice(written.lastIndexOf('\r'))).toMatch(/^\r\x1b\[2Kmigrate  failed\n\x1b\[2Kapi      waiting for migrate\nghost: service migrate /);
  });

  it('is plain lines on a dumb terminal', async () => {
    const { code, written } = await upOnTerminal('dumb');
    expect(code).toBe(1);
    expect(written).not.toContain('\x1b');
    expect(written).toMatch(/^migrate {2}starting\napi {6}waiting for migrate\n/);
  });
});

describe('parseDuration', () => {
  it('reads seconds and units', () => {
    expect(parseDuration('30', '--since')).toBe(30_000);
    expect(parseDuration('30s', '--since')).toBe(30_000);
    expect(parseDuration('500ms', '--since')).toBe(500);
    expect(parseDuration('5m', '--since')).toBe(300_000);
    expect(parseDuration('2h', '--since')).toBe(7_200_000);
    expect(parseDuration('1.5d', '--since')).toBe(129_600_000);
    for (const bad of ['', 'x', '-1s', '5 minutes', '1w']) expect(() => parseDuration(bad, '--since')).toThrow(/invalid value for --since/);
  });
});

describe('taskExitStatus', () => {
  it('is the exit code, 128+n for signal n, 1 for unknown', () => {
    expect(taskExitStatus({ status: 'exited', exitCode: 0, signal: null })).toBe(0);
    expect(taskExitStatus({ status: 'exited', exitCode: 42, signal: null })).toBe(42);
    expect(taskExitStatus({ status: 'killed', exitCode: null, signal: 'SIGTERM' })).toBe(143);
    expect(taskExitStatus({ status: 'killed', exitCode: null, signal: 'SIGKILL' })).toBe(137);
    expect(taskExitStatus({ status: 'unknown', exitCode: null, signal: null })).toBe(1);
  });
});
