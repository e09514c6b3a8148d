#!/usr/bin/env node
// The cost of health checks without a daemon (issue 8's budgets), on Linux (reads /proc):
// - memory: what a supervised task with a restart policy and a probe holds resident besides
//   its command: the supervisor, its watch loop and the loop's sleep (RSS, and PSS, which counts
//   shared pages once);
// - CPU: what the probes of 10 healthy tasks probing every 10 s cost, as a share of one core.
//   Measured over many probes at a short interval (CPU per probe, from the watch loop's own
//   and its reaped children's times in /proc/<pid>/stat), then scaled to 10 tasks every 10 s.
// Usage: node scripts/bench-health.mjs (after a build). Not a test: numbers vary by machine.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const ghostBin = join(root, 'packages', 'ghost-cli', 'bin', 'ghost.cjs');
if (process.platform !== 'linux') {
  console.log('health bench: Linux only (reads /proc)');
  process.exit(0);
}
const TICK_MS = 10; // USER_HZ is 100 on Linux
const PROBE_INTERVAL_MS = Number(process.env.BENCH_PROBE_INTERVAL_MS ?? 200);
const WINDOW_MS = Number(process.env.BENCH_HEALTH_WINDOW_MS ?? 10_000);
const TASKS = 10;

const dir = mkdtempSync(join(tmpdir(), 'ghost-bench-health-'));
const { NODE_EXTRA_CA_CERTS: _extraCerts, ...inherited } = process.env;
const env = { ...inherited, NO_COLOR: '1', GHOST_DATA_DIR: dir };
const ghost = (...args) => {
  const result = spawnSync(process.execPath, [ghostBin, ...args], { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ghost ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// In a process of its own: this one blocks in spawnSync, and a server here could not answer.
const server = spawn(process.execPath, ['-e', "const s=require('http').createServer((q,r)=>r.end('ok')).listen(0,'127.0.0.1',()=>console.log(s.address().port))"], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const port = await new Promise((resolve) => server.stdout.once('data', (data) => resolve(Number(String(data).trim()))));

// An https:// server with a self-signed certificate, as a dev server has (needs openssl).
const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
const secure =
  made.status === 0
    ? spawn(process.execPath, ['-e', `const fs=require('fs');const s=require('https').createServer({key:fs.readFileSync(${JSON.stringify(join(dir, 'key.pem'))}),cert:fs.readFileSync(${JSON.stringify(join(dir, 'cert.pem'))})},(q,r)=>r.end('ok')).listen(0,'127.0.0.1',()=>console.log(s.address().port))`], {
        stdio: ['ignore', 'pipe', 'inherit'],
      })
    : null;
const securePort = secure && (await new Promise((resolve) => secure.stdout.once('data', (data) => resolve(Number(String(data).trim())))));

function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // After the name: state(3) ppid(4) pgrp(5) ... utime(14) stime(15) cutime(16) cstime(17).
    return { ppid: Number(fields[1]), pgrp: Number(fields[2]), cpuTicks: fields.slice(11, 15).reduce((sum, value) => sum + Number(value), 0) };
  } catch {
    return null;
  }
}

/** The supervisor, its watch loop and the loop's sleep or probe: the group's members other than the command. */
function supervision(task) {
  const members = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = stat(Number(name));
    if (info && info.pgrp === task.pgid && Number(name) !== task.pid) members.push(Number(name));
  }
  return members;
}

/** The supervisor and its watch loop (the loop's sleep and probes come and go: their CPU is the loop's once reaped). */
function loops(task) {
  return supervision(task).filter((pid) => pid === task.pgid || stat(pid)?.ppid === task.pgid);
}

function memoryKb(pid) {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return { rss: Number(/^Rss:\s+(\d+)/m.exec(rollup)[1]), pss: Number(/^Pss:\s+(\d+)/m.exec(rollup)[1]) };
  } catch {
    return { rss: 0, pss: 0 };
  }
}

const cpuOf = (pids) => pids.reduce((sum, pid) => sum + (stat(pid)?.cpuTicks ?? 0), 0);

const probes = [
  ['--health-cmd true', ['--health-cmd', 'true']],
  ['--health-http (bash /dev/tcp)', ['--health-http', `http://127.0.0.1:${port}/`]],
  ['--health-tcp (bash /dev/tcp)', ['--health-tcp', String(port)]],
  ...(securePort ? [['--health-http https:// (curl)', ['--health-http', `https://127.0.0.1:${securePort}/`]]] : []),
];
if (!securePort) console.log('(no openssl: the https:// probe is not measured)');
const results = [];
for (const [label, probe] of probes) {
  const tasks = [];
  for (let i = 0; i < TASKS; i++) {
    tasks.push(JSON.parse(ghost('run', '--json', '--restart', 'always', ...probe, '--health-interval', `${PROBE_INTERVAL_MS}ms`, '--', 'sleep', '600')));
  }
  await sleep(2 * PROBE_INTERVAL_MS + 500);
  const resident = tasks.map(loops);
  const memory = supervision(tasks[0]).map(memoryKb).reduce((sum, m) => ({ rss: sum.rss + m.rss, pss: sum.pss + m.pss }), { rss: 0, pss: 0 });
  const before = cpuOf(resident.flat());
  const start = Date.now();
  await sleep(WINDOW_MS);
  const ticks = cpuOf(resident.flat()) - before;
  const elapsed = Date.now() - start;
  const probesRun = (TASKS * elapsed) / PROBE_INTERVAL_MS;
  const msPerProbe = (ticks * TICK_MS) / probesRun;
  const healthy = JSON.parse(ghost('list', '--json')).filter((task) => task.health === 'healthy').length;
  results.push({ label, memory, msPerProbe, healthy });
  for (const task of tasks) ghost('stop', '--force', task.id);
}

// A Node probe, for comparison: what every probe would cost if it started Node.
const nodeProbeMs = (() => {
  const usage = spawnSync('sh', ['-c', `t0=$(cut -d' ' -f14-17 /proc/$$/stat); for i in 1 2 3 4 5 6 7 8 9 10; do ${process.execPath} -e 'require("http").get("http://127.0.0.1:${port}/",r=>process.exit(0))'; done; cut -d' ' -f16,17 /proc/$$/stat`], { encoding: 'utf8' });
  const [cutime, cstime] = usage.stdout.trim().split('\n').pop().split(' ').map(Number);
  return ((cutime + cstime) * TICK_MS) / 10;
})();

server.kill();
secure?.kill();
ghost('list');
rmSync(dir, { recursive: true, force: true });

console.log(`ghost health bench: ${TASKS} tasks probing every ${PROBE_INTERVAL_MS} ms for ${WINDOW_MS / 1000} s, scaled to ${TASKS} tasks every 10 s\n`);
console.log(`${'probe'.padEnd(30)}${'RSS'.padStart(10)}${'PSS'.padStart(10)}${'ms/probe'.padStart(10)}${'10×10s'.padStart(10)}${'healthy'.padStart(9)}`);
for (const { label, memory, msPerProbe, healthy } of results) {
  const share = (TASKS * msPerProbe) / 10_000 * 100;
  console.log(
    `${label.padEnd(30)}${`${(memory.rss / 1024).toFixed(2)} MB`.padStart(10)}${`${(memory.pss / 1024).toFixed(2)} MB`.padStart(10)}${msPerProbe.toFixed(2).padStart(10)}${`${share.toFixed(3)} %`.padStart(10)}${`${healthy}/${TASKS}`.padStart(9)}` +
      `  PSS ${memory.pss / 1024 <= 2 ? 'ok' : 'OVER'}, CPU ${share <= 0.5 ? 'ok' : 'OVER'}`,
  );
}
const nodeShare = (TASKS * nodeProbeMs) / 10_000 * 100;
console.log(`${'(a Node probe, for comparison)'.padEnd(50)}${nodeProbeMs.toFixed(2).padStart(10)}${`${nodeShare.toFixed(3)} %`.padStart(10)}`);
console.log('\nRSS and PSS: the supervisor, its watch loop and the sleep of that loop, of one task (besides the command); budget ≤2 MB, held to PSS (see README). 10×10s: share of one core; budget ≤0.5 %.');
