import { type TaskStats, taskStatsToJSON } from '@ghost/core';
import { Command, Option } from 'clipanion';
import { option } from '../options/option.js';
import { STATS_INTERVAL } from '../options/table.js';
import { statsTable, taskRef } from '../output/task-text.js';
import { GhostCommand, UsageError, parseDuration } from './base.js';

export class StatsCommand extends GhostCommand {
  static override paths = [['stats']];

  static override usage = Command.Usage({
    description: 'show the CPU and memory of running tasks',
    details: `
      Shows what each running task's whole process tree uses (the command and everything it started, including what left its process group; not ghost's own supervisor): of every running task, or of the tasks given. Measured when asked: nothing samples in between. Where the run has a cgroup, CPU (and memory, where the cgroup has the memory controller) come from its counters; otherwise they are summed over the tree's live processes.

      CPU % is of one core (200% is two cores busy). Without \`--watch\` it is the average since the task's run started; with \`--watch\`, each refresh shows the % since the previous one, like \`docker stats\`. MEM is the memory in use (a cgroup's charge less its inactive file cache, else the sum of resident sets: shared pages count once per process); PSS divides shared pages among the processes sharing them, so it counts each once (Linux only).

      \`--watch\` redraws the table in place every \`--interval\` on a terminal (Ctrl-C ends it); through a pipe, it prints one table (with \`--json\`, one JSON array per line) per interval.

      Output: a table with the columns ID, NAME, PID, CPU %, MEM, PSS, PROCS (processes) and THREADS; with \`--json\`, an array of \`{"task", "name", "run", "pid", "cpu_percent", "cpu_seconds", "cpu_since", "memory_bytes", "rss_bytes", "pss_bytes", "processes", "threads", "cpu_source", "memory_source", "sampled_at"}\` objects (bytes as numbers; \`cpu_since\`: the start of the time \`cpu_percent\` averages over; a source is "cgroup" or "processes"). Ended tasks have no stats and are left out.

      Exit codes: 0 success (also when no task runs, and when \`--watch\` is interrupted); 1 no such task, or the reference is ambiguous; 2 bad usage.
    `,
    examples: [
      ['Every running task', 'ghost stats'],
      ['Watch two tasks live', 'ghost stats --watch web worker'],
      ['Memory of a task in bytes, for scripts', "ghost stats web --json | jq '.[0].memory_bytes'"],
    ],
  });

  watch = option('watchStats');
  interval = option('interval');
  json = option('json');
  tasks = Option.Rest({ name: 'task' });

  protected override async run(): Promise<number> {
    if (this.interval !== undefined && !this.watch) throw new UsageError('--interval needs --watch');
    const intervalMs = parseDuration(this.interval ?? STATS_INTERVAL, '--interval');
    if (intervalMs <= 0) throw new UsageError(`invalid value for --interval: "${this.interval}" (expected a duration above 0)`);
    // References are resolved once: a watch follows those tasks, and one removed meanwhile drops out.
    const named = this.tasks.length > 0 ? this.ghost.resolve(this.targets(this.tasks)) : undefined;
    const ids = named && new Set(named.map((task) => task.id));
    const measure = (previous?: readonly TaskStats[]) =>
      ids ? this.ghost.stats(undefined, { pss: true, previous }).filter((stats) => ids.has(stats.id)) : this.ghost.stats(undefined, { pss: true, previous });
    if (!this.watch) {
      const stats = named ? this.ghost.stats(named, { pss: true }) : measure();
      if (this.json) {
        this.printJSON(stats.map(taskStatsToJSON));
        return 0;
      }
      for (const task of named ?? []) if (!stats.some((each) => each.id === task.id)) this.note(`task ${taskRef(task)} is not running; it has no stats`);
      if (stats.length > 0) this.print(statsTable(stats, this.terminalWidth));
      else if (!named) this.note('no task is running');
      return 0;
    }
    return this.#watch(measure, intervalMs);
  }

  async #watch(measure: (previous?: readonly TaskStats[]) => TaskStats[], intervalMs: number): Promise<number> {
    const stop = new AbortController();
    const interrupt = () => stop.abort();
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    this.context.stdout.on('error', interrupt);
    const stdout = this.context.stdout as { rows?: number };
    const inPlace = this.redrawsInPlace && !this.json;
    let previous: TaskStats[] | undefined;
    try {
      while (!stop.signal.aborted) {
        previous = measure(previous);
        if (this.json) this.context.stdout.write(`${JSON.stringify(previous.map(taskStatsToJSON))}\n`);
        else if (inPlace) this.#redraw(previous, stdout.rows);
        else this.print(previous.length > 0 ? statsTable(previous) : 'no task is running\n');
        try {
          await process.getBuiltinModule('node:timers/promises').setTimeout(intervalMs, undefined, { signal: stop.signal });
        } catch {
          break; // interrupted
        }
        if (!inPlace && !this.json) this.print('');
      }
    } finally {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
      this.context.stdout.off('error', interrupt);
    }
    return 0;
  }

  /** The table from the top of the screen, each line cleared to its end, and what was below cleared. */
  #redraw(stats: readonly TaskStats[], rows: number | undefined): void {
    // Rows beyond the screen would scroll it, and the next redraw would start mid-table.
    const room = rows === undefined ? stats.length : Math.max(1, rows - 3);
    const shown = stats.slice(0, room);
    const lines = (shown.length > 0 ? statsTable(shown, this.terminalWidth) : 'no task is running\n').split('\n').slice(0, -1);
    if (shown.length < stats.length) lines.push(`… ${stats.length - shown.length} more`);
    this.context.stdout.write(`\x1b[H${lines.map((line) => `${line}\x1b[K`).join('\n')}\n\x1b[J`);
  }
}
