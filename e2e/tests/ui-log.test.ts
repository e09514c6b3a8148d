// ghost-ui's log view as a person uses it, in a real terminal (tmux) under each TERM it must
// support: searching, wrapping, where older lines went, and the starts of a task's runs.
import { waitFor } from '@ghost/test-support';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TERMS, openUi, search } from '../src/ghost-ui.js';
import { ghostOk, makeDataDir, makeTempDir } from '../src/harness.js';
import type { TmuxSession } from '../src/tmux.js';

/** Starts a task from "another terminal" and returns its id. */
async function startTask(dataDir: string, name: string, script: string): Promise<string> {
  return (await ghostOk(['run', '--name', name, '--', 'sh', '-c', script], { dataDir })).stdout.trim();
}

/** The UI with the log of the task called `name` open (the only task). */
async function openLog(dataDir: string, term: string, name: string, env: Record<string, string> = {}): Promise<TmuxSession> {
  const ui = await openUi(dataDir, term, { env });
  await ui.waitFor(name);
  await ui.send('l');
  return ui;
}

const row = (screen: string, index: number) => screen.split('\n')[index] ?? '';
const statusRow = (screen: string) => row(screen, 22);

describe.each(TERMS)('ghost-ui log view under TERM=%s', (term) => {
  it('searches with / (smartcase), goes on with n and N round the end, and shows matches in inverse video without colour', async () => {
    const dataDir = makeDataDir();
    await startTask(dataDir, 'hay', 'for i in $(seq 1 100); do echo "line $i"; [ $((i % 30)) = 0 ] && echo "needle $i of the haystack"; done; sleep 60');
    const ui = await openLog(dataDir, term, 'hay', { NO_COLOR: '1' });
    await ui.waitFor(/^line 100 *$/m);
    await ui.send('g');
    await search(ui, 'needle');
    let screen = await ui.waitFor('line 1 of 3 with "needle"');
    expect(row(screen, 1)).toMatch(/^needle 30 of the haystack/);
    // The match, and only the match, in inverse video (tmux writes the attributes as SGR).
    const styled = row(await ui.styledScreen(), 1);
    expect(styled).toMatch(/\x1b\[[0-9;]*\b7m(\x1b\[[0-9;]*m)*needle\x1b\[0?m/);
    expect(styled).toMatch(/needle\x1b\[0?m(\x1b\[(39|49)m)* 30 of the haystack/);
    for (const [key, said] of [
      ['n', 'line 2 of 3 with "needle"'],
      ['n', 'line 3 of 3 with "needle"'],
      ['n', 'line 1 of 3 with "needle" · wrapped to the top'],
      ['N', 'line 3 of 3 with "needle" · wrapped to the bottom'],
    ]) {
      await ui.send(key!);
      await ui.waitFor(said!);
    }
    await search(ui, 'Needle');
    screen = await ui.waitFor('no line has "Needle"');
    expect(statusRow(screen)).toContain('no line has "Needle"');
  });

  it('wraps long lines to the width with w (the title says so), and cuts them again', async () => {
    const dataDir = makeDataDir();
    await startTask(dataDir, 'long', `echo START${'x'.repeat(150)}END; echo short; sleep 60`);
    const ui = await openLog(dataDir, term, 'long');
    let screen = await ui.waitFor(/^short *$/m);
    expect(screen).not.toContain('END');
    await ui.send('w');
    screen = await ui.waitFor((text) => text.includes('END') && text.includes('wrapped'));
    expect([row(screen, 2), row(screen, 3), row(screen, 4)]).toEqual([`START${'x'.repeat(75)}`, `${'x'.repeat(75)}END`, 'short']);
    await ui.send('w');
    screen = await ui.waitFor((text) => !text.includes('END'));
    expect(row(screen, 3)).toBe('short');
  });

  it('numbers lines as in the log and says that older ones were dropped, at the top and in the title', async () => {
    const dataDir = makeDataDir();
    const go = join(makeTempDir(), 'go');
    // The flood waits for the view to be open, so that the view reads the log from its start.
    await startTask(dataDir, 'flood', `while [ ! -e '${go}' ]; do sleep 0.02; done; seq 1 10050 | sed 's/^/line /'; sleep 60`);
    const ui = await openLog(dataDir, term, 'flood');
    await ui.waitFor('(no output yet');
    writeFileSync(go, '');
    let screen = await ui.waitFor(/^line 10050 *$/m, 15_000);
    expect(row(screen, 0)).toContain('10,030-10,050/10,050 · first 50 dropped');
    await ui.send('g');
    screen = await ui.waitFor(/^line 51 *$/m);
    expect(row(screen, 1)).toMatch(/^── 50 older lines dropped \(the view keeps 10,000; all in ghost log [0-9a-f]{8}\) ─*$/);
    expect(row(screen, 0)).toContain('lines 51-70 of 10,050 · first 50 dropped');
    await ui.send('G', '[');
    await ui.waitFor('run 1 started before the oldest line kept');
  });

  it("draws each run's start and end with its time, [ and ] jump between the starts, t hides them", async () => {
    const dataDir = makeDataDir();
    const id = await startTask(dataDir, 'thrice', 'for i in $(seq 1 30); do echo "line $i"; done; sleep 60');
    const runsLogged = async (count: number) =>
      waitFor(async () => ((await ghostOk(['log', id], { dataDir })).stdout.match(/^line 30$/gm) ?? []).length === count, { message: `run ${count}'s output` });
    await runsLogged(1);
    await ghostOk(['restart', id], { dataDir });
    await runsLogged(2);
    await ghostOk(['restart', id], { dataDir });
    await runsLogged(3);
    const ui = await openLog(dataDir, term, 'thrice');
    await ui.waitFor(/^line 30 *$/m);
    await ui.send('[');
    let screen = await ui.waitFor('run 3 of 3, started at');
    expect(row(screen, 1)).toMatch(/^── run 2 stopped \(SIGTERM\) at \d\d:\d\d:\d\d · run 3 started at \d\d:\d\d:\d\d ─+$/);
    expect(row(screen, 2)).toBe('line 1');
    await ui.send('[');
    await ui.waitFor(/run 2 of 3, started at .*, stopped \(SIGTERM\)/);
    await ui.send('[');
    screen = await ui.waitFor('run 1 of 3');
    expect(row(screen, 1)).toMatch(/^── run 1 started at \d\d:\d\d:\d\d ─+$/);
    await ui.send('[');
    await ui.waitFor('no run starts before this');
    await ui.send(']');
    await ui.waitFor('run 2 of 3');
    await ui.send('t');
    screen = await ui.waitFor('run starts and ends hidden');
    expect(screen).not.toContain('── run');
    expect(row(screen, 1)).toBe('line 1');
  });
});
