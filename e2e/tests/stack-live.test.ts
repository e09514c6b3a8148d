// ghost up and down on a real terminal (tmux): one line per service, redrawn in place as its
// state changes, and left on the screen with each service's last state.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'vitest';
import { GHOST_BIN, ghostOk, makeDataDir, makeTempDir } from '../src/harness.js';
import { TmuxSession } from '../src/tmux.js';

const sessions: TmuxSession[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) await session.close();
});

/** db is healthy once `ready` exists (the test makes it), and api waits for that. */
function stackFile(ready: string, { api = true } = {}): string {
  return `name: live
services:
  db:
    command: [sleep, "300"]
    health_cmd: test -f '${ready}'
    health_interval: 100ms
${api ? '  api:\n    command: [sleep, "300"]\n    depends_on:\n      db: { condition: healthy }\n' : ''}`;
}

/** Runs `script` (shell, `ghost` standing for the built one) in a terminal, in `dir`. */
async function inTerminal(dir: string, dataDir: string, script: string): Promise<TmuxSession> {
  // Each ghost gets the TERM that the session would give the first command only.
  const ghost = `TERM=xterm-256color '${process.execPath}' '${GHOST_BIN}'`;
  const session = await TmuxSession.start({
    command: `cd '${dir}' && ${script.replaceAll('ghost ', `${ghost} `)}; sleep 60`,
    env: { GHOST_DATA_DIR: dataDir, NO_COLOR: '1', LANG: 'C.UTF-8' },
  });
  sessions.push(session);
  return session;
}

const rowsOf = (screen: string) => screen.split('\n').map((row) => row.trimEnd()).filter((row) => row !== '');
const SPINNING = '[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]';

describe('ghost up on a terminal', () => {
  it('shows one line per service, updated in place, that stays with each last state', { timeout: 60_000 }, async ({ expect }) => {
    const dataDir = makeDataDir();
    const dir = makeTempDir();
    const ready = join(dir, 'ready');
    writeFileSync(join(dir, 'ghost.yaml'), stackFile(ready));
    const session = await inTerminal(dir, dataDir, 'ghost up; echo up exited $?; ghost down; echo down exited $?');

    // While db is not healthy, api waits, with a spinner and the seconds so far.
    const waiting = new RegExp(`^api  waiting for db ${SPINNING} [1-9]\\d*s$`);
    await session.waitFor((screen) => {
      const rows = rowsOf(screen);
      return rows.length === 2 && rows[0] === 'db   started' && waiting.test(rows[1]!);
    }, 20_000);

    writeFileSync(ready, '');
    const screen = await session.waitFor('down exited', 20_000);
    // Each block drawn over itself: no line of an earlier state is left behind.
    expect(rowsOf(screen)).toEqual(['db   healthy', 'api  started', 'up exited 0', 'db   stopped', 'api  stopped', 'down exited 0']);
  });

  it('finishes the block of an apply that Ctrl-C interrupts in up --watch, and exits', { timeout: 60_000 }, async ({ expect }) => {
    const dataDir = makeDataDir();
    const dir = makeTempDir();
    const ready = join(dir, 'ready');
    writeFileSync(ready, '');
    writeFileSync(join(dir, 'ghost.yaml'), stackFile(ready, { api: false }));
    const session = await inTerminal(dir, dataDir, 'ghost up --watch; echo up exited $?');
    await session.waitFor('watching', 20_000);

    // The next apply waits for a db that is never healthy again.
    const never = join(dir, 'never');
    writeFileSync(join(dir, 'ghost.yaml'), stackFile(never));
    await session.waitFor(new RegExp(`^api +waiting for db ${SPINNING}`, 'm'), 20_000);
    await session.send('C-c');
    const screen = await session.waitFor('up exited 0', 10_000);
    const rows = rowsOf(screen);
    // The interrupted apply's block, drawn one last time without its spinner, before the end.
    expect(rows.slice(rows.indexOf('ghost.yaml changed: applying ghost.yaml') + 1)).toEqual([
      'db   restarted (its definition changed)',
      'api  waiting for db',
      expect.stringMatching(/^(\^C)?up exited 0$/),
    ]);
    await ghostOk(['down'], { dataDir, cwd: dir });
  });
});
