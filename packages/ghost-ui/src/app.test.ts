import { Ghost, type RunOptions, type Task, type TaskStats, up } from '@ghost/core';
import { loadStack } from '@ghost/core/stack';
import { tempDir, waitFor } from '@ghost/test-support';
import blessed from 'blessed';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stackApi } from './actions/stack-actions.js';
import { App, type AppOptions } from './app.js';
import { fakeGhost } from './test-support/fake-ghost.js';
import { fakeTask } from './test-support/tasks.js';
import { type VirtualTerminal, virtualTerminal } from './test-support/virtual-terminal.js';

// The whole UI over a real data directory: real SQLite, real processes, real log files. A
// second Ghost instance plays "another terminal".

const opened: Ghost[] = [];
const started: { ghost: Ghost; id: string }[] = [];

afterEach(async () => {
  // Stop only the tasks these tests started, through core (by their process group).
  for (const { ghost, id } of started.splice(0)) {
    try {
      await ghost.stop(id, { force: true });
    } catch {
      // Already gone.
    }
  }
  for (const ghost of opened.splice(0)) ghost.close();
});

function openGhost(dataDir: string): Ghost {
  const ghost = Ghost.open({ dataDir });
  opened.push(ghost);
  return ghost;
}

async function run(
  ghost: Ghost,
  command: string[],
  options: Omit<RunOptions, 'command'> = {},
): Promise<Task> {
  const task = await ghost.run({ command, ...options });
  started.push({ ghost, id: task.id });
  return task;
}

function startUi(columns?: number, options: AppOptions = {}): { terminal: VirtualTerminal; app: App; ui: Ghost; other: Ghost } {
  const dataDir = join(tempDir(), 'data');
  const ui = openGhost(dataDir);
  const other = openGhost(dataDir);
  const terminal = virtualTerminal({ columns });
  const app = new App(blessed, terminal.screen, ui, options);
  void app.start();
  return { terminal, app, ui, other };
}

const short = (task: Task) => task.id.slice(0, 8);
/** A tick or re-read interval no test lives to see. */
const NEVER_MS = 3_600_000;
const statusLine = (terminal: VirtualTerminal) => terminal.rows()[22] ?? '';

describe('ghost-ui over a real data directory', () => {
  it('shows a task started from another terminal as its files change, and how it ends', async () => {
    // No tick and no slow re-read in this test's lifetime: only the change notifications can
    // show them (which takes well under a second; here, a deadline a busy machine meets).
    const { terminal, other } = startUi(undefined, { tickMs: NEVER_MS, rereadMs: NEVER_MS });
    expect(terminal.text()).toContain('No tasks yet');
    const task = await run(other, ['sh', '-c', 'sleep 60; exit 3'], { name: 'elsewhere' });
    await terminal.waitFor(new RegExp(`${short(task)}\\s+elsewhere\\s+running`), 10_000);
    await run(other, ['sh', '-c', 'exit 3'], { name: 'quick' });
    await terminal.waitFor(/quick\s+exited 3/, 10_000);
  });

  it("shows a busy task's CPU and memory, its busy child's included", async () => {
    const { terminal, app, ui } = startUi(120, { tickMs: 50 });
    const task = await run(ui, ['sh', '-c', `sh -c 'while :; do :; done' & sleep 60`], { name: 'busy' });
    // CPU % over the last tick, and some resident memory: "12.5%  4.7 MiB".
    await terminal.waitFor(new RegExp(`${short(task)}\\s+busy\\s+running\\s+\\d+\\s+(?!0\\.0%)\\d+\\.\\d%\\s+\\d+(\\.\\d)? (KiB|MiB)`), 10_000);
    await ui.stop(task.id, { force: true });
    await terminal.waitFor(new RegExp(`${short(task)}\\s+busy\\s+stopped \\(SIGKILL\\)\\s+\\d+\\s+-\\s+-`), 5_000);
    app.stop();
  });

  it('shows a task whose supervisor was SIGKILLed as unknown at the next tick, with no re-read due', async () => {
    // No slow re-read in this test's lifetime: only the tick can show it (its look at the
    // processes, or its measurement, which records the end).
    const { terminal, app, ui } = startUi(120, { tickMs: 50, rereadMs: NEVER_MS });
    const task = await run(ui, ['sleep', '60'], { name: 'orphaned' });
    await terminal.waitFor(new RegExp(`${short(task)}\\s+orphaned\\s+running`), 10_000);
    // The supervisor leads the task's process group: no exit record, no file changes.
    process.kill(-task.pgid!, 'SIGKILL');
    await terminal.waitFor(new RegExp(`${short(task)}\\s+orphaned\\s+unknown`), 10_000);
    app.stop();
  });

  it('stops a task with s and reports how it ended, without freezing while it waits', async () => {
    const { terminal, other } = startUi();
    // Ignores SIGTERM: the stop waits for its grace period, or until the task ends by itself
    // (here, when the test creates a file).
    const release = join(tempDir(), 'release');
    const stubborn = await run(other, ['sh', '-c', `trap "" TERM; while [ ! -e ${release} ]; do sleep 0.05; done; exit 7`], {
      name: 'stubborn',
    });
    const plain = await run(other, ['sleep', '60'], { name: 'plain' });
    await terminal.waitFor('stubborn');
    await terminal.press('G'); // the oldest: stubborn
    await terminal.press('s');
    expect(terminal.text()).toContain(`Stop ${short(stubborn)} (stubborn)?`);
    await terminal.press('y');
    await terminal.waitFor(/stubborn\s+stopping…/);
    expect(statusLine(terminal)).toContain(`stopping ${short(stubborn)} (stubborn)`);
    // The screen keeps answering keys meanwhile, and other actions run alongside.
    await terminal.press('k');
    expect(terminal.cell(0, 2).inverse).toBe(true);
    await terminal.press('s', 'y');
    await terminal.waitFor(`stopped ${short(plain)}: killed SIGTERM`);
    expect(terminal.text()).toMatch(/stubborn\s+stopping…/);
    writeFileSync(release, '');
    await terminal.waitFor(`stopped ${short(stubborn)}: exited 7`);
    expect(terminal.text()).toMatch(/stubborn\s+stopped \(exited 7\)/);
  });

  it('kills with K or Ctrl-k', async () => {
    const { terminal, other } = startUi();
    const first = await run(other, ['sleep', '60'], { name: 'first' });
    await terminal.waitFor('first');
    await terminal.press('K', 'y');
    await terminal.waitFor(`killed ${short(first)}: killed SIGKILL`);
    const second = await run(other, ['sleep', '60'], { name: 'second' });
    await terminal.waitFor(/second\s+running/);
    await terminal.press('g', 'C-k', 'y');
    await terminal.waitFor(`killed ${short(second)}: killed SIGKILL`);
    await terminal.press('K');
    expect(statusLine(terminal)).toContain('is not running (killed SIGKILL)');
  });

  it('reruns a task as a new one with the same name, and selects it', async () => {
    const { terminal, other } = startUi();
    const original = await run(other, ['sh', '-c', 'exit 0'], { name: 'again' });
    await terminal.waitFor(/again\s+exited 0/);
    await terminal.press('R');
    await terminal.waitFor(`(rerun of ${short(original)})`);
    const rerun = other.list({ name: 'again' })[0]!;
    started.push({ ghost: other, id: rerun.id });
    expect(rerun.id).not.toBe(original.id);
    expect(statusLine(terminal)).toContain(`started ${short(rerun)}`);
    expect(terminal.rows()[2]).toMatch(new RegExp(`^${short(rerun)}\\s+again`));
    expect(terminal.cell(0, 2).inverse).toBe(true);
  });

  it('deletes an ended task after asking, and refuses a running one', async () => {
    const { terminal, other } = startUi();
    const running = await run(other, ['sleep', '60'], { name: 'busy' });
    const ended = await run(other, ['sh', '-c', 'exit 0'], { name: 'done' });
    await terminal.waitFor(/done\s+exited 0/);
    // Running tasks come first: the ended one is last.
    await terminal.press('G', 'd');
    expect(terminal.text()).toContain(`Delete task ${short(ended)} (done) and its log?`);
    await terminal.press('n');
    expect(terminal.text()).not.toContain('Delete task');
    expect(statusLine(terminal)).toContain('not deleted');
    await terminal.press('d', 'y');
    await terminal.waitFor(`deleted ${short(ended)}`);
    expect(terminal.text()).not.toMatch(/done\s+exited/);
    expect(() => other.status(ended.id)).toThrow(/no task matches/);
    await terminal.press('d');
    expect(statusLine(terminal)).toContain(`${short(running)} (busy) is running: stop it first`);
  });

  it('shows a live log: colours kept, new lines arrive, scrolling pauses, G follows again', async () => {
    const { terminal, other } = startUi();
    const script = 'printf "\\033[31mred line\\033[0m\\n"; i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.05; done';
    const task = await run(other, ['sh', '-c', script], { name: 'talker' });
    await terminal.waitFor('talker');
    await terminal.press('l');
    await terminal.waitFor(/tick 30\b/);
    expect(terminal.rows()[0]).toContain(`log ${short(task)} (talker)`);
    expect(terminal.rows()[0]).toContain('following');
    // Following: the newest line is at the bottom of the view.
    await terminal.waitFor(/tick 60\b/);
    const bottom = terminal.rows()[21]!;
    expect(bottom).toMatch(/^tick \d+$/);
    await terminal.press('g');
    expect(terminal.rows()[0]).toContain('paused');
    // Above the log's first line, where its run started (none of the log's bytes).
    expect(terminal.rows()[1]).toMatch(/^── run 1 started at \d\d:\d\d:\d\d ─+$/);
    expect(terminal.rows()[2]).toBe('red line');
    expect(terminal.cell(0, 2).fg % 8).toBe(1);
    const frozen = terminal.rows()[21];
    await waitFor(() => other.readLog(task.id).toString().includes('tick 120'), { message: 'more output from the other ghost' });
    expect(terminal.rows()[21]).toBe(frozen);
    await terminal.press('G');
    expect(terminal.rows()[0]).toContain('following');
    await terminal.waitFor((text) => /tick (1[2-9]\d|[2-9]\d\d)\n/.test(`${text}\n`));
    await terminal.press('escape');
    await terminal.waitFor(/^ID\s+NAME/m);
  });

  it('scrolls a log sideways with h and l', async () => {
    const { terminal, other } = startUi();
    await run(other, ['sh', '-c', `echo ${'a'.repeat(70)}BCDEFGHIJKLMNOPQRSTUVWXYZ; sleep 60`], { name: 'wide' });
    await terminal.waitFor('wide');
    await terminal.press('l');
    await terminal.waitFor('aaaa');
    expect(terminal.rows()[2]).toBe(`${'a'.repeat(70)}BCDEFGHIJK`);
    // Two steps of 8 would pass the end of the line: the view stops where its end shows.
    await terminal.press('l', 'l');
    expect(terminal.rows()[2]).toBe(`${'a'.repeat(55)}BCDEFGHIJKLMNOPQRSTUVWXYZ`);
    // The run's start stays where it is.
    expect(terminal.rows()[1]).toMatch(/^── run 1 started at /);
    expect(terminal.rows()[0]).toContain('column 16');
    await terminal.press('h', 'h');
    expect(terminal.rows()[2]).toBe(`${'a'.repeat(70)}BCDEFGHIJK`);
  });

  it("splits the screen: the list above, the selected task's log below, following the selection", async () => {
    const { terminal, other } = startUi();
    const alpha = await run(other, ['sh', '-c', 'echo alpha-says-hi; sleep 60'], { name: 'alpha' });
    const beta = await run(other, ['sh', '-c', 'echo beta-says-hi; sleep 60'], { name: 'beta' });
    await terminal.waitFor((text) => /alpha\s+running/.test(text) && /beta\s+running/.test(text));
    // The first row is beta, the newest (the selection stays on the task it was on as rows arrive).
    await terminal.press('g', 'L');
    await terminal.waitFor('beta-says-hi', 10_000);
    const rows = terminal.rows();
    const title = rows.findIndex((row) => row.includes(`log ${short(beta)} (beta)`));
    expect(title).toBeGreaterThanOrEqual(8);
    expect(title).toBeLessThanOrEqual(13);
    expect(rows.slice(0, title).join('\n')).toMatch(/alpha\s+running/);
    await terminal.press('j');
    await terminal.waitFor((text) => text.includes(`log ${short(alpha)} (alpha)`) && text.includes('alpha-says-hi') && !text.includes('beta-says-hi'));
    // Output arriving later shows in the pane too.
    await other.restart(alpha.id);
    await terminal.waitFor(/alpha-says-hi\n── run 1 stopped \(SIGTERM\) at .* · run 2 started at .*\nalpha-says-hi/);
    await terminal.press('L');
    await terminal.waitFor((text) => !text.includes('alpha-says-hi'));
    expect(terminal.rows().filter((row) => /^[0-9a-f]{8} /.test(row))).toHaveLength(2);
  });

  it('restarts a task in place from its details, which list its runs, newest first', async () => {
    const { terminal, other } = startUi();
    const task = await run(other, ['sleep', '60'], { name: 'svc' });
    await terminal.waitFor(/svc\s+running/);
    await terminal.press('enter', 'C-d');
    await terminal.waitFor(/^ runs\s+1 {2}running since /m);
    await terminal.press('r');
    expect(terminal.text()).toContain(`Restart ${short(task)} (svc)?`);
    await terminal.press('y');
    await terminal.waitFor(`restarted ${short(task)}: run 2, running`);
    await terminal.waitFor(/^ runs\s+2 {2}running since .*\n\s+1 {2}stopped \(SIGTERM\) · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d, ran /m);
    expect(other.list({ name: 'svc' }).map((each) => [each.id, each.run])).toEqual([[task.id, 2]]);
  });

  it('shows every field in the details, env names only until v, and listening ports', async () => {
    const { terminal, other } = startUi();
    const server = "require('net').createServer().listen(0, '127.0.0.1', () => console.log('listening'))";
    const task = await run(other, [process.execPath, '-e', server], {
      name: 'server',
      baseEnv: { PATH: process.env.PATH },
      env: { SECRET_TOKEN: 'hunter2' },
    });
    await terminal.waitFor('server');
    await terminal.press('enter');
    await terminal.waitFor(/ports\s+tcp 127\.0\.0\.1:\d+\s+\(pid \d+\)/);
    const text = terminal.text();
    // Long values wrap under their label.
    const unwrapped = text.replace(/\n {15}/g, '');
    expect(text).toContain(`task ${short(task)} (server)`);
    for (const label of ['id', 'name', 'status', 'exit code', 'signal', 'pid', 'pgid', 'command', 'cwd', 'started', 'finished', 'running for', 'log']) {
      expect(text).toMatch(new RegExp(`^ ${label}\\s`, 'm'));
    }
    expect(text).toContain(task.id);
    expect(unwrapped).toContain(task.logPath);
    await terminal.press('G');
    expect(terminal.text()).toMatch(/^ {3}SECRET_TOKEN$/m);
    expect(terminal.text()).not.toContain('hunter2');
    await terminal.press('v', 'G');
    expect(terminal.text()).toContain('SECRET_TOKEN=hunter2');
    await terminal.press('s', 'y', 'g');
    await terminal.waitFor(/status\s+stopped \(SIGTERM\)/);
    await terminal.waitFor(/ports\s+- \(not running\)/);
    await terminal.press('escape');
    await terminal.waitFor(/^ID\s+NAME/m);
  });

  it("shows each task's health in a column of its own, and in the details", async () => {
    const { terminal, other } = startUi(160);
    await run(other, ['sleep', '60'], { name: 'unchecked' });
    await terminal.waitFor(/unchecked\s+running/);
    expect(terminal.rows()[1]).not.toContain('HEALTH');
    await run(other, ['sleep', '60'], { name: 'sick', health: { command: 'false', intervalMs: 100, retries: 1 } });
    const well = await run(other, ['sleep', '60'], { name: 'well', health: { command: 'true', intervalMs: 100 } });
    await terminal.waitFor(/well\s+running\s+healthy\s+\d+/, 10_000);
    await terminal.waitFor(/sick\s+running\s+unhealthy\s+\d+/, 10_000);
    expect(terminal.rows()[1]).toMatch(/^ID\s+NAME\s+STATUS\s+HEALTH\s+PID/);
    expect(terminal.text()).toMatch(/unchecked\s+running\s+\d+/);
    expect(terminal.text()).not.toContain('(healthy)');
    await terminal.press('g', 'enter');
    await terminal.waitFor(`task ${short(well)} (well)`);
    expect(terminal.text()).toMatch(/^ status\s+running$/m);
    expect(terminal.text()).toMatch(/^ health\s+healthy since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \((just now|\d+s ago)\)$/m);
    expect(terminal.text()).not.toMatch(/^ restarts\s/m);
  });

  it('shows a task waiting to restart, when it will, and its restarts', async () => {
    const { terminal, other } = startUi(160);
    const task = await run(other, ['sh', '-c', 'exit 1'], {
      name: 'flaky',
      restart: { policy: 'on-failure', backoffMinMs: 120_000, backoffMaxMs: 120_000 },
    });
    await terminal.waitFor(/flaky\s+restarting in 1m\d\ds \(exited 1\)\s+0\s/, 10_000);
    expect(terminal.rows()[0]).toContain('1 task, 0 running, 1 waiting to restart');
    expect(terminal.rows()[1]).toMatch(/STATUS\s+RESTARTS\s+PID/);
    // The running filter keeps it: it has not ended.
    await terminal.press('tab');
    expect(terminal.rows()[0]).toContain('filter: running');
    expect(terminal.text()).toMatch(/flaky\s+restarting in/);
    await terminal.press('enter');
    await terminal.waitFor(`task ${short(task)} (flaky)`);
    expect(terminal.text()).toMatch(/^ status\s+restarting in 1m\d\ds \(exited 1\)$/m);
    expect(terminal.text()).toMatch(/^ restarts\s+0 \(policy on-failure, next run at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(in 1m\d\ds\)\)$/m);
  });

  it('leaves a details or log view whose task was deleted elsewhere', async () => {
    const { terminal, other } = startUi();
    const task = await run(other, ['sh', '-c', 'exit 0'], { name: 'doomed' });
    await terminal.waitFor(/doomed\s+exited/);
    await terminal.press('enter');
    await terminal.waitFor(`task ${short(task)}`);
    other.remove(task.id);
    await terminal.waitFor(`task ${short(task)} was deleted`);
    expect(terminal.rows()[1]).toMatch(/^ID\s+NAME/);
  });

  it('quits with q', async () => {
    const { terminal, app } = startUi();
    await terminal.press('q');
    await app.done;
  });
});

describe('ghost-ui and stacks', () => {
  const stackFile = (apiEnv: string) =>
    `name: shop\nservices:\n  db:\n    command: [sleep, "300"]\n  api:\n    command: [sleep, "300"]\n    env: { MODE: ${apiEnv} }\n    depends_on: [db]\n`;

  /** Brings the shop stack up through core, from a file of its own (returned). */
  async function upShop(ghost: Ghost): Promise<string> {
    const file = join(tempDir(), 'ghost.yaml');
    writeFileSync(file, stackFile('one'));
    const result = await up(ghost, loadStack({ file }).stack!);
    for (const service of result.services) started.push({ ghost, id: service.task.id });
    return file;
  }

  it('groups a stack under its project, takes it down dependents first, and brings it up again from its file', async () => {
    const dataDir = join(tempDir(), 'data');
    const ui = openGhost(dataDir);
    const file = await upShop(openGhost(dataDir));
    const terminal = virtualTerminal({ columns: 100 });
    void new App(blessed, terminal.screen, ui, { stacks: stackApi(ui), tickMs: 60_000 }).start();
    await terminal.waitFor(/▾ shop\s+up\s+2 services · 2 running/);
    const rows = terminal.rows();
    const head = rows.findIndex((row) => row.includes('▾ shop'));
    expect([rows[head + 1], rows[head + 2]]).toEqual([expect.stringMatching(/^  \w{8}\s+api\s+running/), expect.stringMatching(/^  \w{8}\s+db\s+running/)]);
    expect(rows[0]).toContain('1 project');

    await terminal.press('D');
    expect(terminal.text()).toContain('Stop every service of shop, dependents first?');
    await terminal.press('n');
    expect(statusLine(terminal)).toContain('not stopped');
    await terminal.press('D', 'y');
    await terminal.waitFor('shop is down: 2 services stopped', 15_000);
    await terminal.waitFor(/▾ shop\s+down\s+2 services · 0 running/);
    const [api, db] = ['api', 'db'].map((service) => ui.list({ project: 'shop' }).find((task) => task.service === service)!);
    expect(api!.finishedAt!.getTime()).toBeLessThanOrEqual(db!.finishedAt!.getTime());

    await terminal.press('u');
    await terminal.waitFor('shop is up: 2 started', 15_000);
    await terminal.waitFor(/▾ shop\s+up\s+2 services · 2 running/);
    writeFileSync(file, stackFile('two'));
    await terminal.press('j', 'u');
    await terminal.waitFor('shop is up: 1 restarted', 15_000);
    await terminal.press('space');
    await terminal.waitFor(/▸ shop\s+up/);
    expect(terminal.text()).not.toMatch(/\bapi\s+running/);
  });

  it("says what is wrong when a project's file no longer reads, and offers no up without stacks", async () => {
    const dataDir = join(tempDir(), 'data');
    const ui = openGhost(dataDir);
    const file = await upShop(ui);
    writeFileSync(file, 'name: shop\nservices:\n  db:\n    comand: [sleep, "300"]\n');
    const terminal = virtualTerminal({ columns: 100 });
    void new App(blessed, terminal.screen, ui, { stacks: stackApi(ui), tickMs: 60_000 }).start();
    await terminal.waitFor(/▾ shop\s+up/);
    expect(terminal.rows()[23]).toMatch(/u up\s+D down/);
    await terminal.press('u');
    await terminal.waitFor(/up shop failed: \S*ghost\.yaml:4:5: services\.db: "command" is required/);
    const without = virtualTerminal({ columns: 100 });
    void new App(blessed, without.screen, ui, { tickMs: 60_000 }).start();
    await without.waitFor(/▾ shop\s+up/);
    expect(without.rows()[23]).not.toContain('u up');
  });
});

describe('ghost-ui measuring CPU and memory', () => {
  it('measures on the tick only while a task runs, and shows each measurement', async () => {
    const ended = fakeTask({ name: 'done', status: 'exited', exitCode: 0, finishedAt: new Date() });
    const ghost = fakeGhost([ended]);
    let lists = 0;
    const listChanges = ghost.listChanges;
    ghost.listChanges = (cursor) => (lists++, listChanges(cursor));
    const measured: string[][] = [];
    ghost.stats = (refs) => {
      measured.push((refs ?? []).map((ref) => (typeof ref === 'string' ? ref : 'id' in ref ? ref.id : ref.ref)));
      return (refs ?? []).map((ref) => ({ ...statsOf(typeof ref === 'string' ? ref : 'id' in ref ? ref.id : ref.ref), cpuPercent: 42.5 + measured.length }));
    };
    const terminal = virtualTerminal({ columns: 120 });
    const app = new App(blessed, terminal.screen, ghost, { tickMs: 5, rereadMs: 20 });
    void app.start();
    // Several ticks and re-reads pass with nothing running: nothing is measured.
    await waitFor(() => lists >= 3);
    expect(measured).toEqual([]);
    const running = fakeTask({ name: 'live' });
    ghost.tasks = [running, ended];
    ghost.changed();
    await waitFor(() => measured.length >= 2);
    expect(measured.every((ids) => ids.length === 1 && ids[0] === running.id)).toBe(true);
    await terminal.waitFor(/live\s+running\s+\d+\s+4\d\.5%\s+3\.0 MiB/);
    app.stop();
  });
});

function statsOf(id: string): TaskStats {
  const now = new Date();
  return {
    id,
    name: null,
    run: 1,
    pid: 1,
    processes: 1,
    threads: 1,
    cpuSeconds: 1,
    cpuPercent: 0,
    cpuSince: now,
    sampledAt: now,
    cpuSource: 'processes',
    memoryBytes: 3 * 1024 * 1024,
    memorySource: 'processes',
    rssBytes: 3 * 1024 * 1024,
    pssBytes: null,
  };
}

describe('ghost-ui when core fails', () => {
  it('reports a failed action in the status line and keeps going', async () => {
    const ghost = fakeGhost([fakeTask({ name: 'victim' })]);
    ghost.stop = async () => {
      throw new Error('permission denied');
    };
    const terminal = virtualTerminal();
    void new App(blessed, terminal.screen, ghost, { tickMs: 60_000 }).start();
    await terminal.press('s', 'y');
    await terminal.waitFor('stopping');
    await terminal.waitFor(/stopping \w+ failed: permission denied/);
    await terminal.press('l');
    expect(terminal.rows()[22]).toContain('no logs here');
    await terminal.press('?');
    expect(terminal.text()).toContain('Task list');
  });

  it('deletes the task shown in the details view and goes back to the list', async () => {
    const task = fakeTask({ name: 'gone', status: 'exited', exitCode: 0, finishedAt: new Date() });
    const ghost = fakeGhost([task]);
    const terminal = virtualTerminal();
    void new App(blessed, terminal.screen, ghost, { tickMs: 60_000 }).start();
    await terminal.press('enter');
    expect(terminal.rows()[0]).toContain('task ');
    await terminal.press('d', 'y');
    expect(ghost.calls).toEqual([`remove ${task.id}`]);
    expect(terminal.rows()[22]).toContain(`deleted ${task.id.slice(0, 8)}`);
    expect(terminal.text()).toContain('No tasks yet');
  });

  it('asks before quitting while a stop is still running', async () => {
    const ghost = fakeGhost([fakeTask({ name: 'slow' })]);
    ghost.stop = () => new Promise(() => {});
    const terminal = virtualTerminal();
    const app = new App(blessed, terminal.screen, ghost, { tickMs: 60_000 });
    let quit = false;
    void app.start().then(() => (quit = true));
    await terminal.press('s', 'y', 'q');
    expect(terminal.rows()[22]).toContain('q again quits now');
    await terminal.press('q');
    await app.done;
    expect(quit).toBe(true);
  });
});

describe('the log view over a real log', () => {
  /** A marked cell's style: where `text` first shows in row `y`. */
  const styleOf = (terminal: VirtualTerminal, y: number, text: string) => terminal.cell(terminal.rows()[y]!.indexOf(text), y);

  it('searches: / and Enter go to the first match from the view on, n/N go on round the end, matches in inverse', async () => {
    const { terminal, other } = startUi();
    const script = 'for i in $(seq 1 100); do echo "line $i"; [ $((i % 30)) = 0 ] && echo "needle $i of the haystack"; done; sleep 60';
    await run(other, ['sh', '-c', script], { name: 'hay' });
    await terminal.waitFor('hay');
    await terminal.press('l');
    await terminal.waitFor(/^line 100$/m);
    await terminal.press('g', '/', 'needle');
    expect(statusLine(terminal)).toContain('/needle');
    await terminal.press('enter');
    expect(statusLine(terminal)).toContain('line 1 of 3 with "needle"');
    expect(terminal.rows()[1]).toBe('needle 30 of the haystack');
    expect(styleOf(terminal, 1, 'needle').inverse).toBe(true);
    expect(styleOf(terminal, 1, 'haystack').inverse).toBe(false);
    expect(terminal.rows()[0]).toContain('/needle');
    await terminal.press('n');
    expect(statusLine(terminal)).toContain('line 2 of 3');
    // needle 90 is on screen already: the view stays, the match is the current one.
    await terminal.press('n');
    expect(statusLine(terminal)).toContain('line 3 of 3');
    const row = terminal.rows().indexOf('needle 90 of the haystack');
    expect(styleOf(terminal, row, 'needle')).toMatchObject({ inverse: true, bold: true });
    await terminal.press('n');
    expect(statusLine(terminal)).toContain('line 1 of 3 with "needle" · wrapped to the top');
    expect(terminal.rows()[1]).toBe('needle 30 of the haystack');
    await terminal.press('N');
    expect(statusLine(terminal)).toContain('line 3 of 3 with "needle" · wrapped to the bottom');
    // Upper case makes the case count.
    await terminal.press('/', 'Needle', 'enter');
    expect(statusLine(terminal)).toContain('no line has "Needle"');
    // Esc in the prompt clears the search; Esc after it leaves the view.
    await terminal.press('/', 'escape');
    expect(terminal.rows()[0]).not.toContain('/Needle');
    await terminal.press('n');
    expect(statusLine(terminal)).toContain('no search yet: / searches');
    await terminal.press('escape');
    await terminal.waitFor(/^ID\s+NAME/m);
  });

  it('wraps long lines with w, and cuts them again', async () => {
    const { terminal, other } = startUi();
    await run(other, ['sh', '-c', `echo START${'x'.repeat(150)}END; echo short; sleep 60`], { name: 'long' });
    await terminal.waitFor('long');
    await terminal.press('l');
    await terminal.waitFor('short');
    expect(terminal.rows()[2]).toBe(`START${'x'.repeat(75)}`);
    await terminal.press('w');
    expect(statusLine(terminal)).toContain('long lines wrap');
    expect(terminal.rows()[0]).toContain('wrapped');
    expect(terminal.rows().slice(2, 6)).toEqual([`START${'x'.repeat(75)}`, 'x'.repeat(75) + 'END', 'short', '']);
    expect(terminal.rows()[0]).toContain('lines 1-2 of 2');
    await terminal.press('l');
    expect(statusLine(terminal)).toContain('nothing to scroll sideways (w cuts them)');
    await terminal.press('w');
    expect(terminal.rows().slice(2, 4)).toEqual([`START${'x'.repeat(75)}`, 'short']);
  });

  it('numbers lines as in the log, and says that older ones were dropped', async () => {
    const dataDir = join(tempDir(), 'data');
    const ui = openGhost(dataDir);
    const terminal = virtualTerminal({ columns: 120 });
    void new App(blessed, terminal.screen, ui).start();
    const go = join(tempDir(), 'go');
    // The flood starts once the view is open, so that the view reads it from the log's start.
    const script = `while [ ! -e '${go}' ]; do sleep 0.02; done; seq 1 10050 | sed 's/^/line /'; sleep 60`;
    await run(ui, ['sh', '-c', script], { name: 'flood' });
    await terminal.waitFor('flood');
    await terminal.press('l');
    await terminal.waitFor('(no output yet');
    writeFileSync(go, '');
    await terminal.waitFor(/^line 10050$/m, 10_000);
    expect(terminal.rows()[0]).toContain('lines 10,030-10,050 of 10,050 · first 50 dropped');
    await terminal.press('g');
    expect(terminal.rows()[1]).toMatch(/^── 50 older lines dropped \(the view keeps 10,000; all in ghost log [0-9a-f]{8}\) ─*$/);
    expect(terminal.rows()[2]).toBe('line 51');
    expect(terminal.rows()[0]).toContain('lines 51-70 of 10,050 · first 50 dropped');
    // Run 1 started at the log's first byte, which is no longer in the view.
    await terminal.press('G', '[');
    expect(statusLine(terminal)).toContain('run 1 started before the oldest line kept (the view keeps the last 10,000)');
    expect(terminal.rows()[2]).toBe('line 51');
  });

  it('draws where each run started and ended, [ and ] jump between their starts, t hides them', async () => {
    const { terminal, other } = startUi();
    const task = await run(other, ['sh', '-c', 'for i in $(seq 1 30); do echo "line $i"; done; sleep 60'], { name: 'thrice' });
    const lineCount = () => (other.readLog(task.id).toString().match(/line 30\n/g) ?? []).length;
    await waitFor(() => lineCount() === 1, { message: 'the output of run 1' });
    await other.restart(task.id);
    await waitFor(() => lineCount() === 2, { message: 'the output of run 2' });
    await other.restart(task.id);
    await waitFor(() => lineCount() === 3, { message: 'the output of run 3' });
    await terminal.waitFor('thrice');
    await terminal.press('l');
    await terminal.waitFor(/^line 30$/m);
    await terminal.press('[');
    expect(statusLine(terminal)).toMatch(/run 3 of 3, started at \d\d:\d\d:\d\d/);
    expect(terminal.rows()[1]).toMatch(/^── run 2 stopped \(SIGTERM\) at \d\d:\d\d:\d\d · run 3 started at \d\d:\d\d:\d\d ─+$/);
    expect(terminal.rows()[2]).toBe('line 1');
    expect(terminal.rows()[0]).toContain('lines 61-80 of 90');
    await terminal.press('[');
    expect(statusLine(terminal)).toMatch(/run 2 of 3, started at .*, stopped \(SIGTERM\)/);
    expect(terminal.rows()[1]).toMatch(/^── run 1 stopped \(SIGTERM\) at .* · run 2 started at /);
    await terminal.press('[');
    expect(terminal.rows()[1]).toMatch(/^── run 1 started at /);
    await terminal.press('[');
    expect(statusLine(terminal)).toContain('no run starts before this');
    await terminal.press(']', ']');
    expect(statusLine(terminal)).toMatch(/run 3 of 3/);
    await terminal.press('t');
    expect(statusLine(terminal)).toContain('run starts and ends hidden');
    expect(terminal.rows()[1]).toBe('line 1');
    expect(terminal.text()).not.toContain('── run');
    await terminal.press(']');
    expect(statusLine(terminal)).toContain('no run starts after this');
  });
});
