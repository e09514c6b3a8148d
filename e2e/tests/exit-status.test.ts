// How a task's end is recorded: exit codes, deaths by signal, commands that cannot start, and
// the JSON shape every machine-readable output uses.
import { waitFor } from '@ghost/test-support';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectCleanFailure, expectStopResultShape, expectTaskShape } from '../src/assertions.js';
import {
  type StopResultJSON,
  type TaskJSON,
  ghost,
  ghostJSON,
  ghostOk,
  listTasks,
  makeDataDir,
  makeTempDir,
  processesWithArg,
  startTask,
  uniqueSleepArg,
  waitUntilEnded,
} from '../src/harness.js';

describe('exit codes', () => {
  const dataDir = makeDataDir();

  it.concurrent.for([0, 1, 42, 255])('a command exiting %i is exited with that exit_code', async (code, { expect }) => {
    const id = await startTask(dataDir, ['sh', '-c', `exit ${code}`]);
    const task = await waitUntilEnded(dataDir, id);
    expect(task.status).toBe('exited');
    expect(task.exit_code).toBe(code);
    expect(task.signal).toBeNull();
    expect(task.finished_at).not.toBeNull();
    expectTaskShape(task);
    // The plain-text forms agree.
    const status = await ghostOk(['status', id], { dataDir });
    expect(status.stdout).toMatch(new RegExp(`^status\\s+exited ${code}$`, 'm'));
  });
});

describe('the shell ambiguity (documented)', () => {
  it('an exit status of 128+n with a matching signal is recorded as that signal', async () => {
    const dataDir = makeDataDir();
    const id = await startTask(dataDir, ['sh', '-c', 'exit 143']);
    expect(await waitUntilEnded(dataDir, id)).toMatchObject({ status: 'killed', signal: 'SIGTERM', exit_code: null });
  });
});

describe('deaths by signal', () => {
  const dataDir = makeDataDir();
  const cwd = makeTempDir();

  it.concurrent.for(['TERM', 'INT', 'KILL', 'SEGV'])(
    'a command killed by SIG%s is killed with that signal',
    async (name, { expect }) => {
      const id = await startTask(dataDir, ['sh', '-c', `kill -${name} $$`], { cwd });
      const task = await waitUntilEnded(dataDir, id);
      expect(task.status).toBe('killed');
      expect(task.signal).toBe(`SIG${name}`);
      expect(task.exit_code).toBeNull();
      expect(task.finished_at).not.toBeNull();
      expectTaskShape(task);
      const status = await ghostOk(['status', id], { dataDir });
      expect(status.stdout).toMatch(new RegExp(`^status\\s+killed SIG${name}$`, 'm'));
    },
  );
});

describe('commands that cannot start', () => {
  it('a command that is not found exits 127 and records nothing', async () => {
    const dataDir = makeDataDir();
    const result = await ghost(['run', '--', 'ghost-e2e-no-such-command', 'arg'], { dataDir });
    expectCleanFailure(result, 127);
    expect(result.stderr).toContain('ghost-e2e-no-such-command');
    expect(await listTasks(dataDir)).toEqual([]);
  });

  it('a path that does not exist exits 127 and records nothing', async () => {
    const dataDir = makeDataDir();
    const result = await ghost(['run', '--', join(makeTempDir(), 'missing.sh')], { dataDir });
    expectCleanFailure(result, 127);
    expect(await listTasks(dataDir)).toEqual([]);
  });

  it('a file without the execute bit exits 126 and records nothing', async () => {
    const dataDir = makeDataDir();
    const script = join(makeTempDir(), 'not-executable.sh');
    writeFileSync(script, '#!/bin/sh\necho should not run\n');
    chmodSync(script, 0o644);
    const result = await ghost(['run', '--', script], { dataDir });
    expectCleanFailure(result, 126);
    expect(await listTasks(dataDir)).toEqual([]);
  });

  it('a directory exits 126 and records nothing', async () => {
    const dataDir = makeDataDir();
    const dir = join(makeTempDir(), 'a-directory');
    mkdirSync(dir);
    const result = await ghost(['run', '--', dir], { dataDir });
    expectCleanFailure(result, 126);
    expect(await listTasks(dataDir)).toEqual([]);
  });

  it('a directory found on PATH exits 126', async () => {
    const dataDir = makeDataDir();
    const bin = makeTempDir();
    mkdirSync(join(bin, 'ghost-e2e-dir-command'));
    const result = await ghost(['run', '--', 'ghost-e2e-dir-command'], {
      dataDir,
      env: { PATH: `${bin}:${process.env.PATH}` },
    });
    expectCleanFailure(result, 126);
    expect(await listTasks(dataDir)).toEqual([]);
  });

  it('a missing --cwd exits 1, starts nothing and records nothing', async () => {
    const dataDir = makeDataDir();
    const marker = uniqueSleepArg();
    const result = await ghost(['run', '--cwd', join(makeTempDir(), 'nope'), '--', 'sleep', marker], { dataDir });
    expectCleanFailure(result, 1);
    expect(result.stderr).toContain('nope');
    expect(processesWithArg(marker)).toEqual([]);
    expect(await listTasks(dataDir)).toEqual([]);
  });
});

describe('JSON output', () => {
  it('has exactly the documented fields, in list, status, run --json and stop --json', async () => {
    const dataDir = makeDataDir();
    const cwd = makeTempDir();
    const running = await ghostJSON<TaskJSON>(['run', '--name', 'shape', '--cwd', cwd, '--', 'sleep', '30'], { dataDir });
    expectTaskShape(running);
    expect(running).toMatchObject({
      name: 'shape',
      status: 'running',
      exit_code: null,
      signal: null,
      command: ['sleep', '30'],
      cwd,
      finished_at: null,
    });
    expect(running.log_path.startsWith(`${dataDir}/`)).toBe(true);

    // Compact when piped: one line.
    const raw = await ghostOk(['list', '--json'], { dataDir });
    expect(raw.stdout.trimEnd().split('\n')).toHaveLength(1);
    const listed = await listTasks(dataDir);
    expect(listed).toHaveLength(1);
    expectTaskShape(listed[0]!);
    // Reading a running task measures its CPU and memory; what `run` returned was not measured.
    const measured = { cpu_percent: expect.any(Number), memory_bytes: expect.any(Number) };
    expect(running).toMatchObject({ cpu_percent: null, memory_bytes: null });
    expect(listed[0]).toEqual({ ...running, ...measured });
    expect(await ghostJSON<TaskJSON>(['status', running.id], { dataDir })).toEqual({ ...running, ...measured });

    const stopped = await ghostJSON<StopResultJSON[]>(['stop', running.id], { dataDir });
    expect(stopped).toHaveLength(1);
    expectStopResultShape(stopped[0]!);
    expect(stopped[0]).toMatchObject({ task: { id: running.id, status: 'killed', signal: 'SIGTERM' }, was_running: true, killed: false, recorded: true });
    expect(stopped[0]!.task.finished_at).not.toBeNull();
    const again = await ghostJSON<StopResultJSON[]>(['stop', running.id], { dataDir });
    expect(again).toEqual([{ ...stopped[0], was_running: false }]);
  });

  it('never says a task finished before it started', async () => {
    // Quick commands end within the same clock tick as they start: the recorded end must not
    // come out earlier than the recorded start. (Timing-dependent: with 20 tasks a wrong clock
    // shows in practically every run.)
    const dataDir = makeDataDir();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await startTask(dataDir, ['true']));
    await waitUntilEnded(dataDir, ids.at(-1)!);
    const tasks = await waitFor(async () => {
      const all = await listTasks(dataDir);
      return all.every((task) => task.status !== 'running') ? all : undefined;
    });
    const backwards = tasks
      .filter((task) => Date.parse(task.finished_at!) < Date.parse(task.started_at))
      .map((task) => `${task.id}: started_at ${task.started_at}, finished_at ${task.finished_at}`);
    expect(backwards).toEqual([]);
  });

  it('never shows environment values', async () => {
    const dataDir = makeDataDir();
    const secret = 'hunter2';
    const run = await ghostOk(
      ['run', '--name', 'secretive', '--env', `SECRET_TOKEN=${secret}`, '--', 'sh', '-c', 'printf "%s\\n" "$SECRET_TOKEN" | rev; sleep 30'],
      { dataDir },
    );
    const id = run.stdout.split('\n')[0]!;
    const runJSON = await ghost(['run', '--json', '--env', `SECRET_TOKEN=${secret}`, '--', 'true'], { dataDir });
    expect(runJSON.exitCode).toBe(0);

    // The variable did reach the task (reversed, so the log itself does not contain it).
    const log = await waitFor(async () => {
      const out = (await ghostOk(['log', id], { dataDir })).stdout;
      return out.includes('2retnuh') ? out : undefined;
    });
    expect(log).not.toContain(secret);

    const outputs = [
      run,
      runJSON,
      await ghostOk(['list'], { dataDir }),
      await ghostOk(['list', '--json'], { dataDir }),
      await ghostOk(['status', id], { dataDir }),
      await ghostOk(['status', id, '--json'], { dataDir }),
      await ghostOk(['stop', id], { dataDir }),
      await ghostOk(['status', id, '--json'], { dataDir }),
      await ghostOk(['list', '--json'], { dataDir }),
      await ghostOk(['cleanup', '--all', '--dry-run', '--json'], { dataDir }),
      await ghostOk(['cleanup', '--all', '--dry-run'], { dataDir }),
    ];
    for (const output of outputs) {
      expect(output.stdout).not.toContain(secret);
      expect(output.stderr).not.toContain(secret);
    }
  });
});
