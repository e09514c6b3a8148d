// Task text (commands, paths, names recorded by an older ghost, references typed by someone)
// may hold sequences a terminal obeys: OSC 52 sets the clipboard, CSI 2J clears the screen,
// U+202E reverses what follows. Human-readable output shows them escaped, on a terminal and
// through a pipe alike; JSON carries them exactly; new names and descriptions refuse them.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectCleanFailure } from '../src/assertions.js';
import {
  type TaskJSON,
  ghost,
  ghostBytes,
  ghostInTerminal,
  ghostJSON,
  makeDataDir,
  makeTempDir,
  startTask,
  waitUntilEnded,
} from '../src/harness.js';
import { withTasksDb } from '../src/tasks-db.js';

const INJECTION = '\x1b]52;c;cHduZWQ=\x07\x1b[2J';
const LEGACY_NAME = 'evil\u202etxt.exe';
/** Any character a terminal acts on, but the line breaks and tab that plain output uses. */
// eslint-disable-next-line no-control-regex
const ACTIVE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

function expectInert(output: string | Buffer, what: string): void {
  const text = output.toString();
  const found = ACTIVE.exec(text);
  expect(found, `${what} wrote U+${found?.[0].codePointAt(0)!.toString(16).padStart(4, '0')} raw:\n${JSON.stringify(text)}`).toBeNull();
}

describe('terminal safety', () => {
  const dataDir = makeDataDir();
  let id: string;

  beforeAll(async () => {
    const cwd = join(makeTempDir(), `dir-\x1b[2J-\u202e`);
    mkdirSync(cwd);
    id = await startTask(dataDir, ['sh', '-c', `printf '%s\\n' "$1"`, 'sh', INJECTION], { cwd });
    await waitUntilEnded(dataDir, id);
    // A name (and a description) recorded before ghost refused such characters.
    withTasksDb(dataDir, (db) =>
      db.prepare('UPDATE tasks SET name = ?, description = ? WHERE id = ?').run(LEGACY_NAME, `about ${INJECTION}`, id),
    );
  });

  const READS: [string, () => string[]][] = [
    ['list', () => ['list']],
    ['status', () => ['status', id]],
    ['stop of an ended task', () => ['stop', id]],
    ['an error that echoes a reference', () => ['status', `\x1b[2Jx\u202e`]],
    ['an unknown command', () => [`\x1b[2J\u202e`]],
    ['a bad option value', () => ['list', '--status', `\x1b]52;c;eA==\x07`]],
  ];

  it.each(READS)('%s shows control and bidi characters escaped on a terminal', async (_what, args) => {
    const result = await ghostInTerminal(args(), { dataDir });
    expectInert(result.stdout, `ghost ${args().join(' ')}`);
  });

  it.each(READS)('%s shows control and bidi characters escaped through a pipe', async (_what, args) => {
    const result = await ghost(args(), { dataDir });
    expectInert(result.stdout, `ghost ${args().join(' ')} (stdout)`);
    expectInert(result.stderr, `ghost ${args().join(' ')} (stderr)`);
  });

  it('escapes as the shell would read it back: list and status show what is there', async () => {
    const list = (await ghost(['list'], { dataDir })).stdout;
    expect(list).toContain(`$'\\e]52;c;cHduZWQ=\\x07\\e[2J'`);
    expect(list).toContain('evil\\u202etxt.exe');
    expect(list).toContain('dir-\\e[2J-\\u202e');
    const status = (await ghost(['status', id], { dataDir })).stdout;
    expect(status).toContain('about \\e]52;c;cHduZWQ=\\x07\\e[2J');
  });

  it('keeps JSON exact', async () => {
    const [task] = await ghostJSON<TaskJSON[]>(['list'], { dataDir });
    expect(task!.command[4]).toBe(INJECTION);
    expect(task!.name).toBe(LEGACY_NAME);
    expect(task!.cwd.endsWith(`dir-\x1b[2J-\u202e`)).toBe(true);
    expect((await ghostJSON<TaskJSON>(['status', id], { dataDir })).description).toBe(`about ${INJECTION}`);
  });

  it('writes a log to a terminal without its escape sequences, and through a pipe byte for byte', async () => {
    const terminal = await ghostInTerminal(['log', id], { dataDir });
    expect(terminal.exitCode).toBe(0);
    expectInert(terminal.stdout, 'ghost log (terminal)');
    const piped = await ghostBytes(['log', id], { dataDir });
    expect(piped.stdout.toString()).toBe(`${INJECTION}\n`);
  });

  it.each([
    ['a name with U+202E', ['run', '--name', 'a\u202eb', '--', 'true']],
    ['a name with ESC', ['run', '--name', 'a\x1b[2Jb', '--', 'true']],
    ['a description with U+202E', ['run', '--description', 'x\u202ey', '--', 'true']],
  ])('refuses %s: exit 2, one line, nothing raw', async (_what, args) => {
    const result = await ghost(args, { dataDir });
    expectCleanFailure(result, 2);
    expectInert(result.stderr, 'the refusal');
  });
});
