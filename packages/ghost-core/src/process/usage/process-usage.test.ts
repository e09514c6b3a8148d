import { waitFor } from '@ghost/test-support';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { auxvPageSize, parseProcStat, parsePsTime, parseSmapsPss, processesUsage } from './process-usage.js';

// Field 2 in parentheses holds spaces and ')'; then state, ppid, ... (proc_pid_stat(5)).
const STAT = '4242 (a) b (c)) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 7 3 20 0 4 0 123456 1000000 321 18446744073709551615';

describe('parseProcStat', () => {
  it('reads CPU ticks (own and waited-for children), threads and resident pages', () => {
    expect(parseProcStat(STAT)).toEqual({ cpuTicks: 250 + 50 + 7 + 3, threads: 4, rssPages: 321 });
  });

  it('has nothing for a zombie or a short line', () => {
    expect(parseProcStat(STAT.replace(') S ', ') Z '))).toBeNull();
    expect(parseProcStat('1 (x) S 0 1')).toBeNull();
  });
});

describe('parseSmapsPss', () => {
  it('is the Pss line, in bytes', () => {
    expect(parseSmapsPss('55d0-7ffe ---p 00000000 00:00 0   [rollup]\nRss:   1736 kB\nPss:    309 kB\nPss_Dirty: 112 kB\n')).toBe(309 * 1024);
    expect(parseSmapsPss('Rss: 1 kB\n')).toBeNull();
  });
});

describe('auxvPageSize', () => {
  it('finds AT_PAGESZ in native words of either width and order', () => {
    const vector = [33, 0x7ffd, 6, 16384, 0, 0];
    const wide = Buffer.alloc(vector.length * 8);
    vector.forEach((value, index) => wide.writeBigUInt64LE(BigInt(value), index * 8));
    expect(auxvPageSize(wide, 8, true)).toBe(16384);
    const narrow = Buffer.alloc(vector.length * 4);
    vector.forEach((value, index) => narrow.writeUInt32BE(value, index * 4));
    expect(auxvPageSize(narrow, 4, false)).toBe(16384);
    expect(auxvPageSize(Buffer.alloc(16))).toBeNull();
  });

  it.runIf(process.platform === 'linux')("is this machine's page size", () => {
    expect(auxvPageSize(readFileSync('/proc/self/auxv'))).toBe(Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' })));
  });
});

describe('parsePsTime', () => {
  it('reads every form ps prints', () => {
    expect(parsePsTime('0:01.50')).toBe(1.5);
    expect(parsePsTime('12:34.00')).toBe(754);
    expect(parsePsTime('1:02:03')).toBe(3723);
    expect(parsePsTime('2-01:00:00')).toBe(2 * 86_400 + 3_600);
    expect(parsePsTime('n/a')).toBeNull();
  });
});

const children: number[] = [];
afterEach(() => {
  for (const pid of children.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

describe('processesUsage', () => {
  it('measures live processes and leaves out pids that are gone', async () => {
    const busy = spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' });
    children.push(busy.pid!);
    const [usage] = await waitFor(() => {
      const found = processesUsage([busy.pid!, 0x3fffffff], { pss: true });
      return found.length === 1 && found[0]!.cpuSeconds > 0 && found;
    });
    expect(usage).toMatchObject({ pid: busy.pid });
    expect(usage!.rssBytes).toBeGreaterThan(0);
    if (process.platform === 'linux') {
      expect(usage!.threads).toBe(1);
      expect(usage!.pssBytes).toBeGreaterThan(0);
    }
    expect(processesUsage([busy.pid!])[0]!.pssBytes).toBeNull();
  });
});
