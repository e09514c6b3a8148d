// The end-to-end harness: runs the built `ghost` binary as a user would, against throwaway
// data directories, and inspects processes through /proc. Every data directory made here is
// cleaned up after its test file (see ./setup.ts): tasks still running are SIGKILLed by
// process group, helper processes started by tests are killed by pid, and the directory is
// removed. Nothing here ever signals a process by name.
import type { RunJSON, StopResultJSON, TaskJSON } from '@ghost/core';
import { waitFor } from '@ghost/test-support';
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type { RunJSON, StopResultJSON, TaskJSON };

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const E2E_ROOT = join(REPO_ROOT, 'e2e');
export const GHOST_BIN = join(REPO_ROOT, 'packages/ghost-cli/bin/ghost.cjs');
export const GHOST_UI_BIN = join(REPO_ROOT, 'packages/ghost-ui/bin/ghost-ui.cjs');

/** How long one ghost invocation may take before the harness calls it hung. */
const COMMAND_TIMEOUT_MS = 25_000;

// ---------------------------------------------------------------------------------------------
// Temporary directories

const tempRoots = new Set<string>();
const dataDirs = new Set<string>();
/** Helper processes by pid, with their start time: a recycled pid is never killed. */
const helperPids = new Map<number, string>();

/** A fresh, empty scratch directory, removed after the test file. */
export function makeTempDir(prefix = 'ghost-e2e-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempRoots.add(dir);
  return dir;
}

/**
 * A fresh ghost data directory (not created yet: ghost creates it on first use, as it would
 * for a new user). Its running tasks are killed and the directory removed after the test file.
 */
export function makeDataDir(): string {
  const dir = join(makeTempDir('ghost-e2e-data-'), 'ghost');
  dataDirs.add(dir);
  return dir;
}

/** Registers a process a test started itself (not a ghost task), to be SIGKILLed afterwards. */
export function trackPid(pid: number): void {
  const stat = procStat(pid);
  if (stat) helperPids.set(pid, stat.start);
}

/** SIGKILLs a helper process registered with trackPid, if it is still that process. */
export function killTracked(pid: number): void {
  const start = helperPids.get(pid);
  if (start !== undefined && procStat(pid)?.start === start) tryKill(pid, 'SIGKILL');
  helperPids.delete(pid);
}

/**
 * Kills what is left of the test file's tasks and helper processes, then removes every
 * temporary directory. Called from setup.ts after each test file.
 */
export async function cleanupAll(): Promise<void> {
  for (const dir of dataDirs) await killRunningTasks(dir);
  for (const pid of [...helperPids.keys()]) killTracked(pid);
  dataDirs.clear();
  for (const dir of tempRoots) rmSync(dir, { recursive: true, force: true });
  tempRoots.clear();
}

/** SIGKILLs the process group of every task ghost reports running (or restarting) in `dataDir`. */
export async function killRunningTasks(dataDir: string): Promise<void> {
  if (!existsSync(join(dataDir, 'tasks.db'))) return;
  const result = await ghost(['list', '--json'], { dataDir });
  if (result.exitCode !== 0) {
    // e.g. a database made deliberately unreadable by the test: nothing can be learnt safely.
    return;
  }
  for (const task of JSON.parse(result.stdout) as TaskJSON[]) {
    // Only tasks ghost says are alive (running, or a supervisor waiting to restart): an ended
    // task's group id may belong to someone else by now.
    if (task.status !== 'running' && task.status !== 'restarting') continue;
    if (task.pgid === null || task.pgid <= 1) continue;
    // Descendants that left the group (setsid) would survive the group kill: note them first.
    const escaped = task.pid === null ? [] : descendants(task.pid).filter((p) => p.pgid !== task.pgid);
    tryKill(-task.pgid, 'SIGKILL');
    for (const proc of escaped) {
      if (procStat(proc.pid)?.start === proc.start) tryKill(proc.pid, 'SIGKILL');
    }
  }
  // One more read once they are gone records their ends, which releases their runs' cgroups:
  // the data directory is deleted next, and an unreleased cgroup would outlive it.
  for (const task of JSON.parse(result.stdout) as TaskJSON[]) {
    if (task.pgid !== null) await waitFor(() => !isAlive(task.pgid!), { timeout: 5_000, message: 'a killed task to go' }).catch(() => {});
  }
  await ghost(['list'], { dataDir });
}

export function tryKill(pid: number, signal: NodeJS.Signals | number): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Running ghost

export interface GhostRunOptions {
  /** GHOST_DATA_DIR for the command. */
  dataDir: string;
  /** Extra environment (merged over this process's; undefined removes a variable). */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Another script to run instead of packages/ghost-cli/bin/ghost.cjs (e.g. a bin shim). */
  bin?: string;
  timeout?: number;
}

export interface GhostResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface GhostBytesResult {
  stdout: Buffer;
  stderr: string;
  exitCode: number;
}

function commandFor(args: readonly string[], opts: GhostRunOptions): [string, string[]] {
  const bin = opts.bin ?? GHOST_BIN;
  // A shell shim (node_modules/.bin) is run directly; a JS file runs under this node.
  return /\.c?js$/.test(bin) ? [process.execPath, [bin, ...args]] : [bin, [...args]];
}

function envFor(opts: GhostRunOptions): Record<string, string | undefined> {
  return { FORCE_COLOR: undefined, ...opts.env, GHOST_DATA_DIR: opts.dataDir, NO_COLOR: '1' };
}

/** Runs the ghost CLI; never throws for a non-zero exit (it is in the result). */
export async function ghost(args: readonly string[], opts: GhostRunOptions): Promise<GhostResult> {
  const result = await execGhost(args, opts, 'utf8');
  return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode };
}

/** Like `ghost`, but stdout is kept as raw bytes (for logs that are not UTF-8). */
export async function ghostBytes(args: readonly string[], opts: GhostRunOptions): Promise<GhostBytesResult> {
  const result = await execGhost(args, opts, 'buffer');
  return {
    stdout: Buffer.from(result.stdout as Uint8Array),
    stderr: Buffer.from(result.stderr as Uint8Array).toString('utf8'),
    exitCode: result.exitCode,
  };
}

/** How every ghost the tests start is run: no stdin, killed at the deadline, output kept whole. */
function execaOptions(opts: GhostRunOptions, encoding: 'utf8' | 'buffer') {
  return {
    reject: false,
    env: envFor(opts),
    cwd: opts.cwd ?? E2E_ROOT,
    stdin: 'ignore',
    timeout: opts.timeout ?? COMMAND_TIMEOUT_MS,
    killSignal: 'SIGKILL',
    encoding,
    stripFinalNewline: false,
  } as const;
}

async function execGhost(args: readonly string[], opts: GhostRunOptions, encoding: 'utf8' | 'buffer') {
  const [file, argv] = commandFor(args, opts);
  const timeout = opts.timeout ?? COMMAND_TIMEOUT_MS;
  const result = await execa(file, argv, execaOptions(opts, encoding));
  if (result.timedOut) throw new Error(`ghost ${args.join(' ')} did not finish within ${timeout} ms`);
  if (result.exitCode === undefined) {
    throw new Error(`ghost ${args.join(' ')} died of ${result.signal ?? 'an unknown cause'}: ${String(result.stderr)}`);
  }
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode };
}

/**
 * Runs ghost with stdout and stderr on a terminal (a pseudo-terminal made by util-linux
 * `script`), as a person at a shell runs it. The result's stdout is everything the terminal
 * received, both streams together, as bytes; the pty turns each "\n" into "\r\n".
 */
export async function ghostInTerminal(args: readonly string[], opts: GhostRunOptions): Promise<GhostBytesResult> {
  const [file, argv] = commandFor(args, opts);
  const line = [file, ...argv].map((word) => `'${word.replaceAll("'", `'\\''`)}'`).join(' ');
  const timeout = opts.timeout ?? COMMAND_TIMEOUT_MS;
  const result = await execa('script', ['--quiet', '--return', '--command', line, '/dev/null'], execaOptions(opts, 'buffer'));
  if (result.timedOut) throw new Error(`ghost ${args.join(' ')} (in a terminal) did not finish within ${timeout} ms`);
  return {
    stdout: Buffer.from(result.stdout as Uint8Array),
    stderr: Buffer.from(result.stderr as Uint8Array).toString('utf8'),
    exitCode: result.exitCode ?? -1,
  };
}

/** Starts ghost without waiting for it (e.g. `ghost log -f`); the caller awaits the result. */
export function spawnGhost(args: readonly string[], opts: GhostRunOptions) {
  const [file, argv] = commandFor(args, opts);
  return execa(file, argv, execaOptions(opts, 'buffer'));
}

function describeResult(args: readonly string[], result: GhostResult): string {
  return `ghost ${args.join(' ')} exited ${result.exitCode}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`;
}

/** Runs ghost and throws unless it exits 0. */
export async function ghostOk(args: readonly string[], opts: GhostRunOptions): Promise<GhostResult> {
  const result = await ghost(args, opts);
  if (result.exitCode !== 0) throw new Error(describeResult(args, result));
  return result;
}

/** Runs ghost with --json and parses stdout (throws unless it exits 0). */
export async function ghostJSON<T>(args: readonly string[], opts: GhostRunOptions): Promise<T> {
  // Right after the subcommand: after `--`, --json would be part of the task's command.
  const [subcommand, ...rest] = args;
  const result = await ghostOk([subcommand!, '--json', ...rest], opts);
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`ghost ${args.join(' ')} --json printed invalid JSON: ${result.stdout}`);
  }
}

export interface StartOptions {
  name?: string;
  cwd?: string;
  env?: Record<string, string>;
  shell?: boolean;
  /** The environment of the ghost process itself. */
  processEnv?: Record<string, string | undefined>;
}

/** `ghost run [options] -- argv...`; returns the task id (the first line of stdout). */
export async function startTask(dataDir: string, argv: readonly string[], options: StartOptions = {}): Promise<string> {
  const args = ['run'];
  if (options.name !== undefined) args.push('--name', options.name);
  if (options.cwd !== undefined) args.push('--cwd', options.cwd);
  for (const [key, value] of Object.entries(options.env ?? {})) args.push('--env', `${key}=${value}`);
  if (options.shell) args.push('--shell');
  args.push('--', ...argv);
  const result = await ghostOk(args, { dataDir, env: options.processEnv });
  const id = result.stdout.split('\n')[0]!;
  if (!UUID.test(id)) throw new Error(`ghost run printed no task id: ${JSON.stringify(result.stdout)}`);
  return id;
}

export async function taskStatus(dataDir: string, ref: string): Promise<TaskJSON> {
  return ghostJSON<TaskJSON>(['status', ref], { dataDir });
}

/** Every task ghost knows (`list --all`: a plain list shows only the newest ended ones). */
export async function listTasks(dataDir: string, ...filters: string[]): Promise<TaskJSON[]> {
  return ghostJSON<TaskJSON[]>(['list', '--all', ...filters], { dataDir });
}

/**
 * Waits until the task has ended and returns it as ghost reports it. Watches the task's
 * processes through /proc first (cheap), then asks ghost, so waiting does not spawn a ghost
 * process every few milliseconds.
 */
export async function waitUntilEnded(dataDir: string, ref: string, timeout = 15_000): Promise<TaskJSON> {
  const ended = (task: TaskJSON) => task.status !== 'running' && task.status !== 'restarting';
  const first = await taskStatus(dataDir, ref);
  if (ended(first)) return first;
  const gone = (pid: number | null) => pid === null || !isAlive(pid);
  await waitFor(() => gone(first.pid) && gone(first.pgid), { timeout, interval: 10, message: `the processes of task ${ref} to end` });
  return waitFor(
    async () => {
      const task = await taskStatus(dataDir, ref);
      // A task waiting for its supervisor to start it again has not ended either.
      return ended(task) ? task : undefined;
    },
    { timeout, interval: 100, message: `task ${ref} to be recorded as ended` },
  );
}

/** A port nothing listens on right now (the kernel's pick of an ephemeral one). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Processes (Linux /proc)

export interface ProcStat {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  state: string;
  /** Start time in clock ticks since boot: with the pid, identifies a process. */
  start: string;
}

export function procStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    pid,
    state: fields[0]!,
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    sid: Number(fields[3]),
    start: fields[19]!,
  };
}

/** True if `pid` is a live process (a zombie has ended: it is only waiting to be reaped). */
export function isAlive(pid: number): boolean {
  const stat = procStat(pid);
  return stat !== null && stat.state !== 'Z' && stat.state !== 'X';
}

export function allProcesses(): ProcStat[] {
  const result: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat && stat.state !== 'Z' && stat.state !== 'X') result.push(stat);
  }
  return result;
}

/** Every live descendant of `pid` (children, grandchildren, ...), found by walking ppid links. */
export function descendants(pid: number): ProcStat[] {
  const all = allProcesses();
  const found: ProcStat[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.pop()!;
    for (const info of all) {
      if (info.ppid === parent && !found.some((f) => f.pid === info.pid)) {
        found.push(info);
        queue.push(info.pid);
      }
    }
  }
  return found;
}

/** Live processes whose argv passes `test`. */
function liveProcessesWhere(test: (argv: string[]) => boolean): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (test(argv) && isAlive(Number(entry))) pids.push(Number(entry));
  }
  return pids;
}

/** Live processes with `marker` as one of their argv words. */
export function processesWithArg(marker: string): number[] {
  return liveProcessesWhere((argv) => argv.includes(marker));
}

/**
 * Live processes running `program arg` itself, e.g. the command `sleep <uniqueSleepArg()>`:
 * not the supervisors and parked shells whose argv also holds those words.
 */
export function liveCommands(program: string, arg: string): number[] {
  return liveProcessesWhere((argv) => argv[0] === program && argv[1] === arg);
}

/** A `sleep` argument no other process on the machine has: lets a test find its own process. */
export function uniqueSleepArg(): string {
  // sleep accepts fractional seconds; the digits make it unique, the value is ~300 s.
  return `300.${process.pid}${Math.floor(Math.random() * 1e9)}`;
}

// ---------------------------------------------------------------------------------------------
// Output checks

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The keys of a task in every JSON output, in order. */
export const TASK_JSON_KEYS = [
  'id',
  'name',
  'project',
  'service',
  'description',
  'run',
  'pid',
  'pgid',
  'status',
  'exit_code',
  'signal',
  'reason',
  'restart_policy',
  'restarts',
  'restart_at',
  'health',
  'health_at',
  'leftover_processes',
  'cpu_percent',
  'memory_bytes',
  'command',
  'cwd',
  'started_at',
  'finished_at',
  'log_path',
] as const;

/** The keys of a task's stats (`ghost stats --json`, the MCP stats tool), in order. */
export const TASK_STATS_JSON_KEYS = [
  'task',
  'name',
  'run',
  'pid',
  'cpu_percent',
  'cpu_seconds',
  'cpu_since',
  'memory_bytes',
  'rss_bytes',
  'pss_bytes',
  'processes',
  'threads',
  'cpu_source',
  'memory_source',
  'sampled_at',
] as const;

/** The keys of a stop result (`ghost stop --json`, the MCP stop tool), in order. */
export const STOP_RESULT_JSON_KEYS = ['task', 'was_running', 'leftovers', 'killed', 'recorded'] as const;

/** Non-empty lines of a text. */
export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}
