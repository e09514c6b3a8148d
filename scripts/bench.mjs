#!/usr/bin/env node
// pnpm bench: how ghost feels, measured against Node's own start-up in the same run.
// Prints medians and ratios to `node -e 0`; targets from the project's performance budget.
// Not a test: numbers vary by machine and load, ratios much less so.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const ghostBin = join(root, 'packages', 'ghost-cli', 'bin', 'ghost.js');
if (!existsSync(join(root, 'packages', 'ghost-cli', 'dist', 'main.js'))) {
  console.error('bench: build first (pnpm build)');
  process.exit(1);
}
const RUNS = Number(process.env.BENCH_RUNS ?? 25);

function time(args, env) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  return ms;
}

function median(args, env) {
  time(args, env); // warm the file cache
  const samples = Array.from({ length: RUNS }, () => time(args, env)).sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const dirs = [];
function dataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'ghost-bench-'));
  dirs.push(dir);
  return dir;
}

function seed(dir, count) {
  // Write rows the way ghost does, through its own schema (one `ghost list` creates it).
  spawnSync(process.execPath, [ghostBin, 'list'], { env: { ...process.env, GHOST_DATA_DIR: dir } });
  const Database = createRequire(join(root, 'packages', 'ghost-core', 'package.json'))('better-sqlite3');
  const db = new Database(join(dir, 'tasks.db'));
  const env = JSON.stringify(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`VAR_${i}`, 'x'.repeat(24)])));
  const insert = db.prepare(`INSERT INTO tasks (id, name, pid, pgid, command, cwd, status, exit_code, started_at,
    finished_at, log_path) VALUES (?, ?, ?, ?, ?, ?, 'exited', 0, ?, ?, ?)`);
  const insertEnv = db.prepare('INSERT INTO task_env (task_id, env) VALUES (?, ?)');
  const now = Date.now();
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = randomUUID();
      insert.run(id, i % 3 ? null : `task-${i}`, 10_000 + i, 10_000 + i, JSON.stringify(['npm', 'run', `job-${i}`]),
        '/home/user/project', now - i * 60_000, now - i * 60_000 + 5_000, join(dir, 'logs', `${id}.log`));
      insertEnv.run(id, env);
    }
  })();
  db.close();
}

const base = { ...process.env, NO_COLOR: '1' };
const small = dataDir();
const big = dataDir();
seed(big, 10_000);

const nodeMs = median(['-e', '0'], base);
const rows = [
  ['node -e 0', nodeMs, null],
  ['ghost run -- true', median([ghostBin, 'run', '--', 'true'], { ...base, GHOST_DATA_DIR: small }), 1.5],
  ['ghost list', median([ghostBin, 'list'], { ...base, GHOST_DATA_DIR: small }), 1.5],
  ['ghost list --json (10,000 tasks)', median([ghostBin, 'list', '--json'], { ...base, GHOST_DATA_DIR: big }), 2],
  ['ghost --version', median([ghostBin, '--version'], base), null],
];

// The supervisor's resident memory while it waits for a task.
const env = { ...base, GHOST_DATA_DIR: small };
const run = spawnSync(process.execPath, [ghostBin, 'run', '--json', '--', 'sleep', '30'], { env, encoding: 'utf8' });
const task = JSON.parse(run.stdout);
let rssKb = NaN;
try {
  rssKb = Number(/VmRSS:\s*(\d+)/.exec(readFileSync(`/proc/${task.pgid}/status`, 'utf8'))[1]);
} catch {
  const ps = spawnSync('ps', ['-o', 'rss=', '-p', String(task.pgid)], { encoding: 'utf8' });
  rssKb = Number(ps.stdout.trim());
}
spawnSync(process.execPath, [ghostBin, 'stop', '--force', task.id], { env });
for (const dir of dirs) rmSync(dir, { recursive: true, force: true });

console.log(`ghost bench: median of ${RUNS} runs, Node ${process.version}, ${process.platform}/${process.arch}\n`);
console.log(`${'command'.padEnd(36)}${'ms'.padStart(8)}${'ratio'.padStart(8)}${'target'.padStart(8)}`);
for (const [name, ms, target] of rows) {
  const ratio = ms / nodeMs;
  const verdict = target === null ? '' : ratio <= target ? '  ok' : '  OVER';
  const targetText = target === null ? '' : `≤${target}x`;
  console.log(`${name.padEnd(36)}${ms.toFixed(1).padStart(8)}${`${ratio.toFixed(2)}x`.padStart(8)}${targetText.padStart(8)}${verdict}`);
}
const mb = rssKb / 1024;
console.log(`${'supervisor RSS'.padEnd(36)}${`${mb.toFixed(2)} MB`.padStart(16)}${'≤2 MB'.padStart(8)}${mb <= 2 ? '  ok' : '  OVER'}`);
