import { readFileSync, readdirSync } from 'node:fs';

/** One process as the operating system reports it. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  /** One-letter state; `Z` (zombie) and `X` (dead) mean the process has ended. */
  state: string;
  /**
   * An identity token for the process: its start time, qualified by the boot it belongs to.
   * Two processes with the same pid but different tokens are different processes.
   */
  start: string;
}

const isLinux = process.platform === 'linux';

/** The process `pid`, or null if there is none (zombies included: they have ended). */
export function processInfo(pid: number): ProcessInfo | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const info = isLinux ? linuxProcess(pid) : psProcesses(['-p', String(pid)])[0] ?? null;
  return info && isLive(info) ? info : null;
}

/**
 * Whether `pid` is a live process, as cheaply as the system allows (one small read of /proc on
 * Linux, no process listing elsewhere): for front ends that watch running tasks between reads.
 */
export function processAlive(pid: number): boolean {
  if (isLinux) return processInfo(pid) !== null;
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Every live process on the machine. */
export function listProcesses(): ProcessInfo[] {
  if (!isLinux) return psProcesses(['-A']).filter(isLive);
  const result: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    const code = entry.charCodeAt(0);
    if (code < 48 || code > 57) continue;
    const info = linuxProcess(Number(entry));
    if (info && isLive(info)) result.push(info);
  }
  return result;
}

/** True if `pid` is alive and is the same process that had identity `start`. */
export function isSameProcess(pid: number | null, start: string | null): boolean {
  if (pid === null || start === null) return false;
  return processInfo(pid)?.start === start;
}

function isLive(info: ProcessInfo): boolean {
  return info.state !== 'Z' && info.state !== 'X';
}

let bootId: string | undefined;

function linuxBootId(): string {
  if (bootId === undefined) {
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      bootId = 'unknown-boot';
    }
  }
  return bootId;
}

function linuxProcess(pid: number): ProcessInfo | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may itself contain spaces and ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 of proc_pid_stat(5): state, ppid, pgrp, ... starttime is field 22.
  const start = fields[19];
  if (fields.length < 20 || start === undefined) return null;
  return {
    pid,
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    state: fields[0]!,
    start: `${linuxBootId()}:${start}`,
  };
}

// macOS and other Unixes: ps. lstart is the last column because it contains spaces.
function psProcesses(selector: string[]): ProcessInfo[] {
  let output: string;
  try {
    const { execFileSync } = process.getBuiltinModule('node:child_process');
    output = execFileSync('ps', [...selector, '-o', 'pid=,ppid=,pgid=,stat=,lstart='], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, LC_ALL: 'C' },
    });
  } catch {
    return [];
  }
  const result: ProcessInfo[] = [];
  for (const line of output.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.+?)\s*$/.exec(line);
    if (!match) continue;
    result.push({
      pid: Number(match[1]),
      ppid: Number(match[2]),
      pgid: Number(match[3]),
      state: match[4]!.charAt(0),
      start: match[5]!,
    });
  }
  return result;
}
