import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';

/** What one live process uses, as the operating system reports it. */
export interface ProcessUsage {
  pid: number;
  /**
   * CPU time in seconds, user and system: the process's own, plus (Linux) that of the children
   * it has waited for, so work done by short-lived children is not lost when they exit.
   */
  cpuSeconds: number;
  /** Resident set size: every page it has in memory, shared ones (libraries, forks) included. */
  rssBytes: number;
  /**
   * Proportional set size: each shared page divided among the processes sharing it, so the
   * sum over a tree counts every page once. Null where not asked for or the OS does not say.
   */
  pssBytes: number | null;
  /** Null where the OS does not say cheaply (macOS). */
  threads: number | null;
}

export interface UsageOptions {
  /** Also measure PSS (Linux: /proc/<pid>/smaps_rollup, ~10x the cost of the rest). */
  pss?: boolean | undefined;
}

const isLinux = process.platform === 'linux';

/**
 * Usage of each of `pids` still alive (zombies and vanished pids are left out). Linux: one read
 * of /proc/<pid>/stat per process (and of smaps_rollup for PSS); elsewhere one `ps` for all.
 */
export function processesUsage(pids: readonly number[], options: UsageOptions = {}): ProcessUsage[] {
  if (pids.length === 0) return [];
  if (!isLinux) return psUsage(pids);
  const result: ProcessUsage[] = [];
  for (const pid of pids) {
    const usage = linuxUsage(pid, options.pss === true);
    if (usage) result.push(usage);
  }
  return result;
}

function linuxUsage(pid: number, pss: boolean): ProcessUsage | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  const parsed = parseProcStat(stat);
  if (!parsed) return null;
  let pssBytes: number | null = null;
  if (pss) {
    try {
      pssBytes = parseSmapsPss(readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1'));
    } catch {
      // Gone meanwhile, or a kernel before 4.14 (no smaps_rollup).
    }
  }
  return { pid, cpuSeconds: parsed.cpuTicks / TICKS_PER_SECOND, rssBytes: parsed.rssPages * pageSize(), pssBytes, threads: parsed.threads };
}

/**
 * Linux reports CPU times in USER_HZ ticks, which the kernel fixes at 100 for user space on every
 * architecture Node runs on (sysconf(_SC_CLK_TCK), which Node cannot call, says the same).
 */
const TICKS_PER_SECOND = 100;

/** The fields of /proc/<pid>/stat that usage needs; null for a zombie or a line it cannot read. */
export function parseProcStat(stat: string): { cpuTicks: number; threads: number; rssPages: number } | null {
  // The command name (field 2) is in parentheses and may itself contain spaces and ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 of proc_pid_stat(5): utime..cstime are fields 14-17, num_threads 20, rss 24.
  if (fields.length < 22 || fields[0] === 'Z' || fields[0] === 'X') return null;
  const numbers = [11, 12, 13, 14, 17, 21].map((index) => Number(fields[index]));
  if (numbers.some((value) => !Number.isFinite(value))) return null;
  const [utime, stime, cutime, cstime, threads, rss] = numbers as [number, number, number, number, number, number];
  return { cpuTicks: utime + stime + cutime + cstime, threads, rssPages: rss };
}

/** The `Pss:` line of /proc/<pid>/smaps_rollup, in bytes. */
export function parseSmapsPss(text: string): number | null {
  const match = /^Pss:\s+(\d+) kB$/m.exec(text);
  return match ? Number(match[1]) * 1024 : null;
}

let page: number | undefined;

/** The page size /proc counts RSS in (4 KiB on x86; 16 or 64 KiB on some ARM kernels). */
function pageSize(): number {
  if (page === undefined) {
    try {
      page = auxvPageSize(readFileSync('/proc/self/auxv')) ?? 4096;
    } catch {
      page = 4096;
    }
  }
  return page;
}

const AT_PAGESZ = 6;
const NARROW_ARCHES = new Set(['arm', 'ia32', 'mips', 'mipsel', 'ppc', 's390']);

/** AT_PAGESZ from an auxiliary vector (pairs of native words: type, value; ends with type 0). */
export function auxvPageSize(auxv: Buffer, wordBytes = NARROW_ARCHES.has(process.arch) ? 4 : 8, littleEndian = endianness() === 'LE'): number | null {
  const word = (at: number) =>
    wordBytes === 8
      ? Number(littleEndian ? auxv.readBigUInt64LE(at) : auxv.readBigUInt64BE(at))
      : littleEndian
        ? auxv.readUInt32LE(at)
        : auxv.readUInt32BE(at);
  for (let at = 0; at + 2 * wordBytes <= auxv.length; at += 2 * wordBytes) {
    const type = word(at);
    if (type === 0) break;
    if (type === AT_PAGESZ) return word(at + wordBytes);
  }
  return null;
}

/**
 * macOS and other Unixes: one `ps` for all pids. `rss` is in KiB, `time` is user + system CPU
 * of the process alone. Untested (ghost's CI runs on Linux).
 */
function psUsage(pids: readonly number[]): ProcessUsage[] {
  let output: string;
  try {
    const { execFileSync } = process.getBuiltinModule('node:child_process');
    output = execFileSync('ps', ['-o', 'pid=,stat=,rss=,time=', '-p', pids.join(',')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, LC_ALL: 'C' },
    });
  } catch {
    return []; // ps exits 1 when none of the pids is alive
  }
  const result: ProcessUsage[] = [];
  for (const line of output.split('\n')) {
    const match = /^\s*(\d+)\s+(\S+)\s+(\d+)\s+(\S+)\s*$/.exec(line);
    if (!match || match[2]!.startsWith('Z')) continue;
    const cpuSeconds = parsePsTime(match[4]!);
    if (cpuSeconds === null) continue;
    result.push({ pid: Number(match[1]), cpuSeconds, rssBytes: Number(match[3]) * 1024, pssBytes: null, threads: null });
  }
  return result;
}

/** `ps -o time` ("[[dd-]hh:]mm:ss[.cc]") in seconds. */
export function parsePsTime(text: string): number | null {
  const match = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)$/.exec(text);
  if (!match) return null;
  const [, days = '0', hours = '0', minutes, seconds] = match;
  return Number(days) * 86_400 + Number(hours) * 3_600 + Number(minutes) * 60 + Number(seconds);
}
