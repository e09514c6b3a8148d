// The README's examples are the files in examples/, verbatim, and each runs: against a data
// directory of its own, importing @ghost/core by its name as a downstream program does (Node
// resolves a package's own name from inside it, through its exports: the built dist).
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@ghost/test-support';

const packageDir = join(import.meta.dirname, '..');
const examplesDir = join(packageDir, 'examples');
const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
const blocks = new Map([...readme.matchAll(/<!-- example: examples\/(\S+) -->\n```js\n([\s\S]*?)```\n/g)].map((match) => [match[1]!, match[2]!]));

async function runExample(file: string): Promise<string> {
  const dataDir = tempDir('ghost-example-data-');
  const cwd = tempDir('ghost-example-cwd-');
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(examplesDir, file)], {
    cwd,
    env: { ...process.env, GHOST_DATA_DIR: dataDir },
    timeout: 20_000,
  });
  expect(stderr).toBe('');
  return stdout;
}

describe('README examples', () => {
  it('shows every example file, exactly as it is', () => {
    const files = readdirSync(examplesDir).filter((file) => file.endsWith('.mjs'));
    expect([...blocks.keys()].sort()).toEqual(files.sort());
    for (const file of files) expect(blocks.get(file), `README's block for examples/${file}: paste the file in`).toBe(readFileSync(join(examplesDir, file), 'utf8'));
  });

  it('run-and-stop: runs, reads and stops a task, and tells a GhostError', async () => {
    const output = JSON.parse(await runExample('run-and-stop.mjs'));
    expect(output).toMatchObject({ started: { name: 'downstream', status: 'running' }, stopped: { status: 'killed', signal: 'SIGTERM' }, wasRunning: true });
    expect(output.notFound).toMatchObject({ code: 'TASK_NOT_FOUND', isGhostError: true });
  });

  it('wait: returns the ended task with its exit code', async () => {
    expect(await runExample('wait.mjs')).toBe('build exited with code 3\n');
  });

  it('events: sees the task start and end', async () => {
    expect(await runExample('events.mjs')).toBe('started job\nexited job\n');
  });

  it('follow-log: streams the output to its end, then ends', async () => {
    expect(await runExample('follow-log.mjs')).toBe('line 1\nline 2\nline 3\ncounter ended: exited\n');
  });

  it('stack: reports a broken file, then plans, brings up and takes down a stack', async () => {
    const output = JSON.parse(await runExample('stack.mjs'));
    expect(output.problems).toEqual([expect.stringMatching(/ghost\.yaml:3:5: services\.api: "command" is required$/), expect.stringMatching(/did you mean "command"/)]);
    expect(output).toMatchObject({ planned: [['db', 'start'], ['api', 'start']], changed: true, stopped: ['api', 'db'], removed: 2 });
  });
});
