// ghost-ui as a person uses it: in a real terminal (tmux), under each TERM it must support,
// with tasks started and stopped from "another terminal" (the ghost CLI).
import { describe, expect, it } from 'vitest';
import { TERMS, openUi, search } from '../src/ghost-ui.js';
import { ghost, ghostOk, makeDataDir, type TaskJSON } from '../src/harness.js';
import type { TmuxSession } from '../src/tmux.js';

describe.each(TERMS)('ghost-ui under TERM=%s', (term) => {
  it('says how to start a task, then shows one started from another terminal', async () => {
    const dataDir = makeDataDir();
    const ui = await openUi(dataDir, term);
    await ui.waitFor('ghost run');
    const id = (await ghostOk(['run', '--name', 'webserver', '--', 'sleep', '60'], { dataDir })).stdout.trim();
    const screen = await ui.waitFor(id.slice(0, 8), 10_000);
    expect(screen).toMatch(new RegExp(`${id.slice(0, 8)} +webserver +running`));
    await ghostOk(['stop', id], { dataDir });
    // A stop reads as one, not as a crash.
    await ui.waitFor(/webserver +stopped \(SIGTERM\)/, 10_000);
  });

  it.each([['q'], ['C-c']])('quits on %s and leaves the terminal as it found it', async (key) => {
    const ui = await openUi(makeDataDir(), term);
    await ui.waitFor('ghost run');
    expect((await ui.paneState()).alternate).toBe(true);
    await ui.send(key);
    const screen = await ui.waitFor('ghost-ui exited');
    expect(screen).toContain('ghost-ui exited 0');
    expect(await ui.paneState()).toEqual({ alternate: false, cursorVisible: true });
    // blessed can print "Error on <term>..." while compiling terminfo: none of it may show.
    expect(screen).not.toMatch(/error/i);
  });
});

/** Starts a task from "another terminal" and returns its short id. */
async function startTask(dataDir: string, name: string, command: string[]): Promise<string> {
  return (await ghostOk(['run', '--name', name, '--', ...command], { dataDir })).stdout.trim().slice(0, 8);
}

async function tasksNamed(dataDir: string, name: string): Promise<TaskJSON[]> {
  return JSON.parse((await ghostOk(['list', '--name', name, '--json'], { dataDir })).stdout) as TaskJSON[];
}

describe.each(TERMS)('ghost-ui actions under TERM=%s', (term) => {
  it('opens a live log: new lines appear as the task writes them, Esc goes back', async () => {
    const dataDir = makeDataDir();
    await startTask(dataDir, 'ticker', ['sh', '-c', 'i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.2; done']);
    const ui = await openUi(dataDir, term);
    await ui.waitFor('ticker');
    await ui.send('l');
    const first = await ui.waitFor(/tick \d+/);
    const seen = Math.max(...[...first.matchAll(/tick (\d+)/g)].map((match) => Number(match[1])));
    await ui.waitFor((screen) => [...screen.matchAll(/tick (\d+)/g)].some((match) => Number(match[1]) >= seen + 3), 5_000);
    await ui.send('Escape');
    await ui.waitFor(/ticker +running/);
  });

  it('stops a task gracefully (s) and kills another (K); both show how they ended', async () => {
    const dataDir = makeDataDir();
    await startTask(dataDir, 'stopme', ['sleep', '60']);
    await startTask(dataDir, 'killme', ['sleep', '60']);
    const ui = await openUi(dataDir, term);
    await ui.waitFor('killme');
    await search(ui, 'stopme');
    await ui.send('s');
    await ui.waitFor(/Stop \w{8} \(stopme\)\?/);
    await ui.send('y');
    await ui.waitFor(/stopme +stopped \(SIGTERM\)/, 5_000);
    await ui.send('/');
    await ui.send('C-u');
    await ui.type('killme');
    await ui.send('Enter');
    await ui.send('K');
    await ui.waitFor(/Kill \(SIGKILL\) \w{8} \(killme\)\?/);
    await ui.send('y');
    // A kill the person asked for reads as one too.
    await ui.waitFor(/killme +stopped \(SIGKILL\)/, 5_000);
    expect((await tasksNamed(dataDir, 'stopme'))[0]).toMatchObject({ status: 'killed', signal: 'SIGTERM' });
    expect((await tasksNamed(dataDir, 'killme'))[0]).toMatchObject({ status: 'killed', signal: 'SIGKILL' });
  });

  it('lists running tasks first, sorts with o, filters by status with Tab and Shift-Tab and by text with /', async () => {
    const dataDir = makeDataDir();
    await startTask(dataDir, 'alpha', ['sleep', '60']);
    const done = await startTask(dataDir, 'finished', ['true']);
    const failed = await startTask(dataDir, 'broken', ['sh', '-c', 'exit 3']);
    await startTask(dataDir, 'beta', ['sleep', '60']);
    const ui = await openUi(dataDir, term);
    const first = await ui.waitFor(new RegExp(`${done} +finished +exited 0`));
    // Running first (beta, alpha), then the ended ones, newest first.
    const order = (screen: string) => [...screen.matchAll(/^[0-9a-f]{8} +(\w+) /gm)].map((match) => match[1]);
    expect(order(first)).toEqual(['beta', 'alpha', 'broken', 'finished']);
    expect(first).toMatch(/row 1 of 4/);
    await ui.send('o'); // status -> started
    await ui.waitFor((screen) => order(screen).join() === 'beta,broken,finished,alpha' && screen.includes('sort: started'));
    await ui.send('o'); // started -> name
    await ui.waitFor((screen) => order(screen).join() === 'alpha,beta,broken,finished');
    await ui.send('Tab'); // all -> running
    await ui.waitFor((screen) => screen.includes('alpha') && screen.includes('beta') && !screen.includes('finished'));
    await ui.send('Tab'); // running -> failed
    await ui.waitFor((screen) => screen.includes(failed) && !screen.includes('finished') && !screen.includes('alpha'));
    await ui.send('Tab'); // failed -> exited
    await ui.waitFor((screen) => screen.includes('finished') && !screen.includes('alpha'));
    await ui.send('BTab'); // back: exited -> failed
    await ui.waitFor((screen) => screen.includes('filter: failed'));
    await ui.send('BTab', 'BTab'); // failed -> running -> all
    await ui.waitFor((screen) => !screen.includes('filter:') && screen.includes('finished'));
    await ui.send('/');
    await ui.type('alph');
    await ui.send('Enter');
    await ui.waitFor((screen) => screen.includes('alpha') && !screen.includes('beta'));
  });

  it('reruns a task as a new one (R) and deletes an ended one after asking (d)', async () => {
    const dataDir = makeDataDir();
    await startTask(dataDir, 'again', ['sh', '-c', 'echo ran']);
    const ui = await openUi(dataDir, term);
    await ui.waitFor(/again +exited 0/);
    await ui.send('R');
    await ui.waitFor((screen) => (screen.match(/ again /g) ?? []).length === 2, 5_000);
    expect(await tasksNamed(dataDir, 'again')).toHaveLength(2);
    await ui.waitFor((screen) => (screen.match(/again +exited 0/g) ?? []).length === 2, 5_000);
    await ui.send('d');
    await ui.waitFor(/delete/i);
    await ui.send('y');
    await ui.waitFor((screen) => (screen.match(/ again /g) ?? []).length === 1, 5_000);
    expect(await tasksNamed(dataDir, 'again')).toHaveLength(1);
    expect((await ghost(['list', '--json'], { dataDir })).exitCode).toBe(0);
  });

  it('restarts a running task in place after asking (r), the same task with a new run', async () => {
    const dataDir = makeDataDir();
    const id = await startTask(dataDir, 'svc', ['sleep', '60']);
    const ui = await openUi(dataDir, term);
    await ui.waitFor(/svc +running/);
    await ui.send('r');
    await ui.waitFor(`Restart ${id} (svc)?`);
    await ui.send('y');
    await ui.waitFor(`restarted ${id}: run 2, running`, 10_000);
    expect((await tasksNamed(dataDir, 'svc')).map((task) => [task.id.slice(0, 8), task.run])).toEqual([[id, 2]]);
  });

  it("splits the screen (L): the selected task's log below the list, live", async () => {
    const dataDir = makeDataDir();
    await startTask(dataDir, 'ticker', ['sh', '-c', 'i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.2; done']);
    const ui = await openUi(dataDir, term);
    await ui.waitFor(/ticker +running/);
    await ui.send('L');
    const first = await ui.waitFor(/log \w{8} \(ticker\)[^\n]*\n(.*\n)*tick \d+/);
    expect(first).toMatch(/^[0-9a-f]{8} +ticker +running/m);
    const seen = Math.max(...[...first.matchAll(/tick (\d+)/g)].map((match) => Number(match[1])));
    await ui.waitFor((screen) => [...screen.matchAll(/tick (\d+)/g)].some((match) => Number(match[1]) >= seen + 3), 5_000);
    await ui.send('L');
    await ui.waitFor((screen) => !/tick \d+/.test(screen) && /ticker +running/.test(screen));
  });

  it('takes an Esc typed just before a key as Esc, then the key', async () => {
    const dataDir = makeDataDir();
    await startTask(dataDir, 'one', ['sleep', '60']);
    await startTask(dataDir, 'two', ['sleep', '60']);
    const ui = await openUi(dataDir, term);
    await ui.waitFor(/one +running/);
    await ui.send('Enter');
    await ui.waitFor(/^ task \w{8} \(two\)/m);
    // One send-keys: the two bytes reach ghost-ui together, as "Alt+j" would.
    await ui.send('Escape', 'j');
    await ui.waitFor((screen) => /^ID +NAME/m.test(screen) && /row 2 of 2/.test(screen));
  });
});

describe('ghost-ui on a small terminal', () => {
  it('scrolls the help with j/k and PageDown moves the list a page', async () => {
    const dataDir = makeDataDir();
    for (let i = 0; i < 30; i++) await startTask(dataDir, `job${i}`, ['true']);
    const session = await openUi(dataDir, undefined, { env: { NO_COLOR: '1' }, height: 16 });
    await session.waitFor(/row 1 of 30/);
    await session.send('PageDown');
    await session.waitFor(/row 13 of 30/);
    await session.send('?');
    const help = await session.waitFor(/keys 1-13 of \d+/);
    expect(help).toContain('Task list');
    await session.send('j', 'j');
    await session.waitFor(/keys 3-15 of/);
    await session.send('x');
    await session.waitFor((screen) => !/keys \d+-/.test(screen) && /row 13 of 30/.test(screen));
  });
});
