// CPU and memory of a task's whole process tree, computed when asked (no sampling process):
// `ghost stats`, and the CPU and MEM of `list` and `status`. Both tracking mechanisms: the run's
// cgroup counters where ghost makes one, else the sum over the tree's processes.
import { waitFor } from '@ghost/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { expectTaskShape } from '../src/assertions.js';
import {
  GHOST_BIN,
  TASK_STATS_JSON_KEYS,
  type TaskJSON,
  ghost,
  ghostJSON,
  ghostOk,
  makeDataDir,
  spawnGhost,
  startTask,
} from '../src/harness.js';
import { TmuxSession } from '../src/tmux.js';

interface StatsJSON {
  task: string;
  name: string | null;
  run: number;
  pid: number | null;
  cpu_percent: number;
  cpu_seconds: number;
  cpu_since: string;
  memory_bytes: number;
  rss_bytes: number;
  pss_bytes: number | null;
  processes: number;
  threads: number | null;
  cpu_source: 'cgroup' | 'processes';
  memory_source: 'cgroup' | 'processes';
  sampled_at: string;
}

// The command sleeps; only its child spins, so every CPU second shown is the child's.
const BUSY_CHILD = ['sh', '-c', `sh -c 'while :; do :; done' & sleep 300`];

const sessions: TmuxSession[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) await session.close();
});

describe.each([
  { name: 'cgroup', env: {} },
  { name: 'marker', env: { GHOST_TRACKING: 'marker' } },
])('ghost stats ($name tracking)', ({ env }) => {
  it('shows the CPU and memory of a tree with a busy child, and none once it ended', async () => {
    const dataDir = makeDataDir();
    const opts = { dataDir, env };
    const id = await startTask(dataDir, BUSY_CHILD, { name: 'busy', processEnv: env });
    const idle = await startTask(dataDir, ['sleep', '300'], { name: 'idle', processEnv: env });
    const stats = await waitFor(
      async () => {
        const [found] = await ghostJSON<StatsJSON[]>(['stats', id], opts);
        return found && found.processes >= 2 && found.cpu_seconds >= 0.2 ? found : undefined;
      },
      { timeout: 20_000, message: 'the busy child to use some CPU' },
    );
    expect(Object.keys(stats)).toEqual([...TASK_STATS_JSON_KEYS]);
    expect(stats).toMatchObject({ task: id, name: 'busy', run: 1 });
    expect(stats.cpu_percent).toBeGreaterThan(0);
    expect(stats.memory_bytes).toBeGreaterThan(0);
    expect(stats.pss_bytes).toBeGreaterThan(0);
    expect(stats.pss_bytes!).toBeLessThanOrEqual(stats.rss_bytes);
    expect(stats.cpu_since).toBe((await ghostJSON<TaskJSON>(['status', id], opts)).started_at);

    // Every running task, newest first; the table names them.
    expect((await ghostJSON<StatsJSON[]>(['stats'], opts)).map((each) => each.task)).toEqual([idle, id]);
    const table = (await ghostOk(['stats'], opts)).stdout.split('\n');
    expect(table[0]).toMatch(/^ID +NAME +PID +CPU % +MEM +PSS +PROCS +THREADS$/);
    expect(table.find((line) => line.startsWith(id.slice(0, 8)))).toMatch(/ busy +\d+ +(?!0\.0%)\d+\.\d% +[\d.]+ (KiB|MiB) +[\d.]+ (KiB|MiB) +\d+ +\d+$/);

    // list and status show them too (as averages since the run started).
    const listed = await ghostJSON<TaskJSON[]>(['list'], opts);
    for (const task of listed) expectTaskShape(task);
    expect(listed.find((task) => task.id === id)!.cpu_percent).toBeGreaterThan(0);
    expect(listed.find((task) => task.id === id)!.memory_bytes).toBeGreaterThan(0);
    expect((await ghostOk(['list'], opts)).stdout).toMatch(/^ID +NAME +STATUS +PID +CPU +MEM +STARTED/);
    expect((await ghostOk(['status', id], opts)).stdout).toMatch(/^cpu +\d+\.\d% of one core, on average since it started\nmemory +[\d.]+ (KiB|MiB) \(its whole process tree\)$/m);

    await ghostOk(['stop', id, idle], opts);
    const ended = await ghost(['stats', id], opts);
    expect(ended).toMatchObject({ exitCode: 0, stdout: '', stderr: 'task busy is not running; it has no stats\n' });
    expect(await ghostJSON<StatsJSON[]>(['stats'], opts)).toEqual([]);
    expect(await ghostJSON<TaskJSON>(['status', id], opts)).toMatchObject({ cpu_percent: null, memory_bytes: null });
    expect((await ghostOk(['list'], opts)).stdout).not.toContain('CPU');
  });
});

describe('ghost stats --watch', () => {
  it('through a pipe, prints one JSON array per interval, each CPU % since the one before; Ctrl-C ends it', async () => {
    const dataDir = makeDataDir();
    const id = await startTask(dataDir, BUSY_CHILD, { name: 'busy' });
    const watch = spawnGhost(['stats', '--watch', '--json', '--interval', '100ms'], { dataDir, timeout: 60_000 });
    let output = '';
    watch.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const frames = () => output.split('\n').filter(Boolean).map((line) => JSON.parse(line) as StatsJSON[]);
    await waitFor(() => frames().length >= 3, { timeout: 15_000, message: 'three refreshes' });
    const [first, second] = frames();
    expect(first!.map((each) => each.task)).toEqual([id]);
    expect(second![0]!.cpu_since).toBe(first![0]!.sampled_at);
    watch.kill('SIGINT');
    expect((await watch).exitCode).toBe(0);
  });

  it('through a pipe, prints one plain table per interval', async () => {
    const dataDir = makeDataDir();
    await startTask(dataDir, ['sleep', '300'], { name: 'calm' });
    const watch = spawnGhost(['stats', '--watch', '--interval', '100ms'], { dataDir, timeout: 60_000 });
    let output = '';
    watch.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(() => output.split('\n').filter((line) => line.startsWith('ID ')).length >= 2, { message: 'two tables' });
    watch.kill('SIGINT');
    expect((await watch).exitCode).toBe(0);
    expect(output).not.toMatch(/\x1b/);
    expect(output).toMatch(/^ID +NAME.*\n\w{8} +calm .*\n\nID +NAME/);
  });

  it('on a terminal, redraws the table in place and ends cleanly on Ctrl-C', async () => {
    const dataDir = makeDataDir();
    await startTask(dataDir, ['sleep', '300'], { name: 'first' });
    const session = await TmuxSession.start({
      command: `'${process.execPath}' '${GHOST_BIN}' stats --watch --interval 100ms; echo "stats exited $?"; sleep 60`,
      env: { GHOST_DATA_DIR: dataDir, NO_COLOR: '1' },
      width: 100,
    });
    sessions.push(session);
    await session.waitFor(/first +\d+/);
    // A task started now shows in a later refresh: drawn over the first table, not below it.
    await startTask(dataDir, ['sleep', '300'], { name: 'second' });
    const screen = await session.waitFor(/second +\d+/);
    expect(screen.split('\n').filter((line) => /^ID +NAME/.test(line))).toHaveLength(1);
    await session.send('C-c');
    await session.waitFor('stats exited 0');
  });

  it('refuses bad values in one line', async () => {
    const dataDir = makeDataDir();
    for (const [args, code, message] of [
      [['stats', '--interval', '1s'], 2, /^ghost: --interval needs --watch\n$/],
      [['stats', '--watch', '--interval', '0'], 2, /^ghost: invalid value for --interval: "0" \(expected a duration above 0\)\n$/],
      [['stats', '--watch', '--interval', 'soon'], 2, /^ghost: invalid value for --interval: "soon"/],
      [['stats', 'nope'], 1, /^ghost: no task matches "nope"/],
    ] as const) {
      const result = await ghost(args, { dataDir });
      expect(result.exitCode, args.join(' ')).toBe(code);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    }
  });
});
