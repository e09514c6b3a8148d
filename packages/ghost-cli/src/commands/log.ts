import type { Ghost, LogOptions, Task } from '@ghost/core';
import { MAX_PAGE_BYTES } from '@ghost/core';
import { Command, Option } from 'clipanion';
import { option } from '../options/option.js';
import { LinePrefixer } from '../output/line-prefixer.js';
import { LogOutput, followPrefixed, prefixesFor } from '../output/log-output.js';
import { taskRef } from '../output/task-text.js';
import { GhostCommand, parseDuration, parseNumber } from './base.js';

const MIB = MAX_PAGE_BYTES / 1024 / 1024;

export class LogCommand extends GhostCommand {
  static override paths = [['log'], ['logs']];

  static override usage = Command.Usage({
    description: "print a task's output",
    details: `
      Prints the task's log (its stdout and stderr, interleaved as written) exactly as the bytes were written.

      With \`--follow\`, keeps printing new output as it is written and ends by itself once the task has ended and its output is drained (Ctrl-C stops following earlier; the task keeps running).

      With several tasks, every line is prefixed with its task's name (or short id) and a bar, e.g. \`web    | listening on 4000\`; only whole lines are printed, so lines of different tasks never mix. With \`--follow\`, it ends once every task has ended.

      \`--run N\` prints only run N's output (see \`ghost runs\`): from where it started in the log to where run N+1 started. With \`--follow\`, it follows run N until it ends.

      \`--since DURATION\` (\`30s\`, \`5m\`, \`2h\`, \`1d\`) keeps the output of runs started within that time, from the exact byte where the first of them started (each run's start in the log is recorded). Logs carry no per-line timestamps, so ghost does not pretend to cut a log at an instant: a task whose current run started earlier shows nothing of what it has already written (with \`--follow\`, what it writes from now on).

      A log past its cap is rotated (see \`ghost run --log-max-size\`): the log holds the output since the last rotation, LOG.1 the rotation before. \`--follow\` keeps up across a rotation; \`--run N\` shows what is left of run N in the log, and fails if all of it was rotated out.

      \`--tail N\` reads at most the log's last ${MIB} MiB: when its last N lines are longer than that together (a progress bar redrawn with \\r writes no newline), it prints the last ${MIB} MiB, starting mid-line.

      Output: the log bytes on stdout, nothing else. On a terminal, escape sequences other than colours (cursor movement, screen clearing, titles, clipboard) and control characters other than tab, line feed and carriage return are left out; through a pipe or into a file, the bytes are exact.

      Exit codes: 0 success; 1 no such task, an ambiguous reference or an unreadable log; 2 bad usage.
    `,
    examples: [
      ['The whole log', 'ghost log web'],
      ['The last 20 lines', 'ghost log -n 20 web'],
      ['Follow until the task ends', 'ghost log -f web'],
      ['Follow two tasks, each line prefixed with its task', 'ghost log -f web worker'],
      ['Output of runs started in the last 5 minutes', 'ghost log --since 5m tests'],
      ['Only the second run (the first restart)', 'ghost log --run 2 worker'],
    ],
  });

  follow = option('follow');
  tail = option('tail');
  runNumber = option('runNumber');
  since = option('since');
  tasks = Option.Rest({ name: 'task', required: 1 });

  protected override async run(): Promise<void> {
    const tail = this.tail === undefined ? undefined : parseNumber(this.tail, '--tail', { integer: true });
    const run = this.runNumber === undefined ? undefined : parseNumber(this.runNumber, '--run', { integer: true });
    const since = this.since === undefined ? undefined : new Date(Date.now() - parseDuration(this.since, '--since'));
    const stdout = this.context.stdout;
    const closed = new AbortController();
    // A reader that goes away (`ghost log x | head`) ends the command quietly.
    stdout.on('error', () => closed.abort());
    const out = new LogOutput(stdout);
    try {
      await this.#print(out, { tail, run, since }, closed.signal);
    } finally {
      await out.end();
    }
  }

  async #print(out: LogOutput, options: LogOptions, signal: AbortSignal): Promise<void> {
    // Resolve every reference first: a typo fails before anything is printed.
    const tasks = this.ghost.resolve(this.targets(this.tasks));
    if (options.run !== undefined) {
      // A run that does not exist, or whose output was rotated out, fails before anything is printed.
      for (const task of tasks) {
        const range = this.ghost.runLogRange(task, options.run);
        if (range.rotatedBytes > 0) this.note(`ghost: the first ${range.rotatedBytes} bytes of run ${options.run} of ${taskRef(task)} were rotated out of its log`);
      }
    }

    if (tasks.length === 1) {
      const task = tasks[0]!;
      if (!this.follow) {
        for (const chunk of logChunks(this.ghost, task, options)) await out.write(chunk);
        return;
      }
      for await (const chunk of this.ghost.followLog(task, { ...options, signal })) await out.write(chunk);
      return;
    }

    const prefixes = prefixesFor(tasks);
    if (!this.follow) {
      for (const task of tasks) {
        const lines = new LinePrefixer(prefixes.get(task.id)!);
        for (const chunk of logChunks(this.ghost, task, options)) await out.write(lines.push(chunk));
        await out.write(lines.end());
      }
      return;
    }
    await followPrefixed(this.ghost, tasks, out, { ...options, signal });
  }
}

/**
 * The log's last `tail` lines (at most core's page bound), or the whole log (or the part that
 * `run` and `since` select) a page at a time as it was when reading began, so a log of any size
 * costs a page of memory.
 */
function* logChunks(ghost: Ghost, task: Task, options: LogOptions): Generator<Buffer> {
  if (options.tail !== undefined) {
    if (options.tail > 0) yield ghost.readLog(task, options);
    return;
  }
  const select = { run: options.run, since: options.since };
  let page = ghost.readLogPage(task, { ...select, offset: 0 });
  const size = page.size;
  yield page.data;
  while (page.end < size && page.data.length > 0) {
    page = ghost.readLogPage(task, { ...select, offset: page.end });
    yield page.data;
  }
}
