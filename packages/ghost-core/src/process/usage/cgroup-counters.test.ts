import { tempDir, waitFor } from '@ghost/test-support';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cgroupPlace, createCgroup, killCgroup, removeCgroup } from '../tracking/cgroup.js';
import { cgroupCounters, cpuStatSeconds, memoryInUse } from './cgroup-counters.js';

describe('cgroup counters, parsed', () => {
  it('reads usage_usec of cpu.stat', () => {
    expect(cpuStatSeconds('usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\n')).toBe(1.5);
    expect(cpuStatSeconds('user_usec 1\n')).toBeNull();
  });

  it('counts memory as docker stats does: the charge less inactive file cache', () => {
    expect(memoryInUse('10485760\n', 'anon 4194304\nfile 6291456\ninactive_file 5242880\nactive_file 1048576\n')).toBe(5242880);
    expect(memoryInUse('4096\n', '')).toBe(4096);
    expect(memoryInUse('4096\n', 'inactive_file 8192\n')).toBe(0);
    expect(memoryInUse('max\n', '')).toBeNull();
  });

  // A pure cgroup v2 desktop has memory.current and memory.stat; a cgroup without the memory
  // controller (this CI machine's hybrid hierarchy) has cpu.stat only.
  it('reads the files a cgroup has, and says null for those it lacks', () => {
    const full = tempDir();
    writeFileSync(join(full, 'cpu.stat'), 'usage_usec 2500000\nuser_usec 2000000\n');
    writeFileSync(join(full, 'memory.current'), '8388608\n');
    writeFileSync(join(full, 'memory.stat'), 'anon 4194304\ninactive_file 1048576\n');
    expect(cgroupCounters(full)).toEqual({ cpuSeconds: 2.5, memoryBytes: 7340032 });
    const cpuOnly = tempDir();
    writeFileSync(join(cpuOnly, 'cpu.stat'), 'usage_usec 1\n');
    expect(cgroupCounters(cpuOnly)).toEqual({ cpuSeconds: 0.000001, memoryBytes: null });
    expect(cgroupCounters(join(cpuOnly, 'gone'))).toEqual({ cpuSeconds: null, memoryBytes: null });
  });
});

const made: string[] = [];
const spawned: number[] = [];
afterEach(async () => {
  for (const pid of spawned.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  for (const path of made.splice(0)) {
    killCgroup(path);
    await waitFor(() => removeCgroup(path));
  }
});

const base = process.platform === 'linux' ? cgroupPlace()?.base : null;

describe.runIf(base)('cgroup counters of a real cgroup', () => {
  it('count the CPU of a busy process moved in, and memory where the controller is on', async () => {
    const busy = spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' });
    spawned.push(busy.pid!);
    const path = createCgroup(base!, `test-counters-${process.pid}-${Date.now()}`, [busy.pid!]);
    made.push(path);
    const counters = await waitFor(() => {
      const now = cgroupCounters(path);
      return (now.cpuSeconds ?? 0) > 0.05 && now;
    });
    if (existsSync(join(path, 'memory.current'))) expect(counters.memoryBytes).toBeGreaterThan(0);
    else expect(counters.memoryBytes).toBeNull();
  });
});
