// The terminal UI's budgets over a data directory of 10,000 tasks (run by `pnpm bench`, which
// seeds it; not a test): what a keypress costs until the screen is drawn again, the CPU an idle
// UI uses, its resident memory, and how soon a task started from the CLI shows. The UI runs
// in-process on a virtual terminal (blessed draws into a buffer), so the figures are the UI's
// own work, without the terminal emulator's.
//
//   node dist/bench-ui.cjs <data-dir> <ghost.cjs>
import { Ghost } from '@ghost/core';
import blessed from 'blessed';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { stackApi } from '../src/actions/stack-actions.js';
import { App } from '../src/app.js';
import { virtualTerminal } from '../src/test-support/virtual-terminal.js';

const execFileAsync = promisify(execFile);
const [dataDir, ghostBin] = process.argv.slice(2);
if (!dataDir || !ghostBin) throw new Error('usage: bench-ui.cjs <data-dir> <ghost.cjs>');
const ghost = Ghost.open({ dataDir });
const terminal = virtualTerminal({ columns: 120, rows: 40 });
const app = new App(blessed, terminal.screen, ghost, { stacks: stackApi(ghost) });
void app.start();
await terminal.waitFor(/ of 10,000/, 60_000);

/** Milliseconds from a key's bytes to the end of the redraw it causes, per key. */
async function keyTimes(keys: string[]): Promise<number[]> {
  const times: number[] = [];
  for (const key of keys) {
    const drawn = new Promise((resolve) => terminal.screen.once('render', resolve));
    const start = performance.now();
    await terminal.press(key);
    await drawn;
    times.push(performance.now() - start);
  }
  return times;
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;
const moves = await keyTimes([...Array(100).fill('j'), ...Array(20).fill('pagedown'), 'G', 'g', ...Array(20).fill('k')]);
// Every filter and order, and a search typed and cleared, three times: the first round meets
// code not compiled yet, every round the collector now and then. The budget holds the 95th
// percentile, as for moves; the slowest key is printed beside it.
const filterRound = [...Array(6).fill('tab'), 'o', 'o', 'o', 'o', 'o', '/', 'j', 'o', 'b', '-', '1', 'enter', '/', 'escape'];
const filterKeys = [...filterRound, ...filterRound, ...filterRound];
const filters = await keyTimes(filterKeys);
const slowest = filters.indexOf(Math.max(...filters));
await terminal.press('/', 'escape');

// Idle: nothing runs; the slow tick redraws the ages, and the tasks are read again now and then.
// Measured twice: just after the keys, when V8's memory reducer runs a few full collections
// of what they left (once, some seconds after activity stops), and then at rest, which is how
// a UI left open in a terminal spends its day (the budget's figure).
const idleMs = 10_000;
async function idleCpuPercent(): Promise<number> {
  const cpu = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, idleMs));
  const used = process.cpuUsage(cpu);
  return ((used.user + used.system) / 1_000 / idleMs) * 100;
}
await new Promise((resolve) => setTimeout(resolve, 1_000));
const afterKeysPercent = await idleCpuPercent();
await new Promise((resolve) => setTimeout(resolve, 5_000));
const idlePercent = await idleCpuPercent();

// A task started from the CLI: from `ghost run` returning to the row on screen.
const env = { ...process.env, GHOST_DATA_DIR: dataDir };
// Asynchronously, so that the UI (in this process) sees the change while `ghost run` still runs,
// as it does in a process of its own.
const visible: number[] = [];
for (let i = 0; i < 5; i++) {
  const id = (await execFileAsync(process.execPath, [ghostBin, 'run', '--name', `bench-visible-${i}`, '--', 'true'], { env, encoding: 'utf8' })).stdout.trim();
  const start = performance.now();
  while (!terminal.text().includes(id.slice(0, 8))) await new Promise((resolve) => setImmediate(resolve));
  visible.push(performance.now() - start);
}
const { rss, heapUsed } = process.memoryUsage();
const rssMb = rss / 1024 / 1024;
app.stop();
terminal.destroy();
ghost.close();

/** A figure's line; with a budget, whether it is within it. */
const row = (name: string, value: string, budget?: string, ok?: boolean) =>
  console.log(`${name.padEnd(36)}${value.padStart(24)}${budget === undefined ? '' : `${budget.padStart(10)}${ok ? '  ok' : '  OVER'}`}`);
const ms = (value: number) => `${value.toFixed(1)} ms`;
row('ui: key to repaint, move (p95)', `${ms(percentile(moves, 0.95))} (median ${ms(percentile(moves, 0.5))})`, '≤16 ms', percentile(moves, 0.95) <= 16);
row('ui: key to repaint, filters (p95)', `${ms(percentile(filters, 0.95))} (max ${ms(Math.max(...filters))}: ${filterKeys[slowest]})`, '≤16 ms', percentile(filters, 0.95) <= 16);
row('ui: idle CPU, the 10 s after the keys', `${afterKeysPercent.toFixed(2)} %`);
row('ui: idle CPU, at rest', `${idlePercent.toFixed(2)} %`, '≤0.5 %', idlePercent <= 0.5);
row('ui: RSS', `${rssMb.toFixed(1)} MB (heap ${(heapUsed / 1024 / 1024).toFixed(0)})`, '≤90 MB', rssMb <= 90);
row('ui: a CLI run visible (max of 5)', ms(Math.max(...visible)), '≤100 ms', Math.max(...visible) <= 100);
