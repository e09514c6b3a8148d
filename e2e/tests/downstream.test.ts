// @ghost/core used by a third party through its package exports only: the examples of its README
// (packages/ghost-core/examples), which the CLI then sees the work of.
import { execa } from 'execa';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectTaskShape } from '../src/assertions.js';
import { E2E_ROOT, REPO_ROOT, type TaskJSON, isAlive, makeDataDir, makeTempDir, taskStatus } from '../src/harness.js';

const CORE_EXAMPLES = join(REPO_ROOT, 'packages/ghost-core/examples');

interface DownstreamOutput {
  started: TaskJSON;
  running: TaskJSON;
  stopped: TaskJSON;
  wasRunning: boolean;
  killed: boolean;
  notFound: { code: string; exitCode: number; isGhostError: boolean; message: string } | null;
  listed: string[];
  envKeys: boolean;
}

describe('a downstream script importing @ghost/core', () => {
  it('runs, inspects and stops a task, and the CLI sees the same task', async () => {
    const dataDir = makeDataDir();
    // Run from elsewhere: the script resolves @ghost/core from its own location.
    const result = await execa(process.execPath, [join(CORE_EXAMPLES, 'run-and-stop.mjs')], {
      cwd: makeTempDir(),
      env: { GHOST_DATA_DIR: dataDir },
      reject: false,
      timeout: 25_000,
    });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const output = JSON.parse(result.stdout) as DownstreamOutput;
    for (const task of [output.started, output.running, output.stopped]) expectTaskShape(task);
    expect(output.started).toMatchObject({ name: 'downstream', status: 'running', command: ['sleep', '30'] });
    expect(output.running.id).toBe(output.started.id);
    expect(output.running.status).toBe('running');
    expect(output.stopped).toMatchObject({ id: output.started.id, status: 'killed', signal: 'SIGTERM' });
    expect(output.wasRunning).toBe(true);
    expect(output.killed).toBe(false);
    expect(output.notFound).toMatchObject({ code: 'TASK_NOT_FOUND', exitCode: 1, isGhostError: true });
    expect(output.listed).toEqual([output.started.id]);
    expect(output.envKeys).toBe(true);
    expect(JSON.stringify(output)).not.toContain('DOWNSTREAM');

    expect(await taskStatus(dataDir, 'downstream')).toEqual(output.stopped);
    expect(isAlive(output.started.pid!)).toBe(false);
  });

  it('parses, plans, brings up and takes down a stack through the library API', async () => {
    const result = await execa(process.execPath, [join(CORE_EXAMPLES, 'stack.mjs')], {
      cwd: makeTempDir(),
      env: { GHOST_DATA_DIR: makeDataDir() },
      reject: false,
      timeout: 25_000,
    });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.problems).toEqual([
      expect.stringMatching(/ghost\.yaml:3:5: services\.api: "command" is required$/),
      expect.stringMatching(/ghost\.yaml:3:5: unknown key "comand" in services\.api \(did you mean "command"\?\)$/),
    ]);
    expect(output.planned).toEqual([
      ['db', 'start'],
      ['api', 'start'],
    ]);
    expect(output.progress.indexOf('db started')).toBeLessThan(output.progress.indexOf('api starting'));
    expect(output).toMatchObject({ changed: true, changesAfter: false, stopped: ['api', 'db'], removed: 2 });
  });

  it('cannot deep-import internals: only the package exports are public', async () => {
    const result = await execa(
      process.execPath,
      ['--input-type=module', '-e', "await import('@ghost/core/dist/ghost.js')"],
      { cwd: E2E_ROOT, reject: false, timeout: 25_000 },
    );
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });
});
