import { type StopResult, stopResultToJSON } from '@ghost/core';
import { statusText, taskLabel } from '@ghost/core/format';
import { errorLine } from '../output/error-text.js';
import { Command, Option } from 'clipanion';
import { option } from '../options/option.js';
import { coloredStatus } from '../output/task-text.js';
import { GhostCommand, UsageError, parseNumber } from './base.js';

export class StopCommand extends GhostCommand {
  static override paths = [['stop']];
  /** For completion scripts: its (optional) arguments are tasks. */
  static completeTasks = true;

  static override usage = Command.Usage({
    description: 'stop tasks and everything they started',
    details: `
      Sends SIGTERM to each task's whole process tree (its process group, descendants that left it, and what daemonized: see ghost doctor), waits up to \`--timeout\` seconds for all of them to exit, then sends SIGKILL. Returns as soon as every process is gone and prints the status the task ended with. Several tasks are stopped in parallel.

      Processes the task left running after its command ended (it daemonized something: \`ghost list\` shows \`exited 0 · 1 process left\`) are the task's too: stop ends them, also when the task has ended. Stopping a task that has already ended, with nothing left, succeeds and says so. \`--all\` stops every running task, and every task waiting to restart (in parallel); it takes no task references.

      Output: one line per task, e.g. \`stopped 3f2a9c1b (web): exited 0\`; with \`--json\`, an array of \`{"task", "was_running", "leftovers", "killed", "recorded"}\` objects: the task object as it ended, whether it was running (false: it had already ended), how many processes it had left running were ended, whether SIGKILL was needed, and whether the outcome could be stored (false on a full or read-only disk; the next command stores it).

      Output: with \`--all\` and nothing running, nothing on stdout (a note on stderr).

      Exit codes: 0 every task is stopped; 1 a task was not found (nothing is stopped) or could not be stopped; 2 bad usage (no task and no \`--all\`, or both).
    `,
    examples: [
      ['Stop gracefully (SIGTERM, SIGKILL after 10 s)', 'ghost stop web'],
      ['Give it 30 seconds to shut down', 'ghost stop --timeout 30 web'],
      ['Kill at once', 'ghost stop --force web worker'],
      ['Stop everything that is running', 'ghost stop --all'],
    ],
  });

  timeout = option('stopTimeout');
  force = option('force');
  all = option('stopAll');
  json = option('json');
  tasks = Option.Rest({ name: 'task' });

  protected override async run(): Promise<number> {
    const timeoutMs = this.timeout === undefined ? undefined : parseNumber(this.timeout, '--timeout') * 1000;
    if (this.all && this.tasks.length > 0) throw new UsageError('--all takes no task references (see ghost stop --help)');
    if (!this.all && this.tasks.length === 0) throw new UsageError('no task given: ghost stop <task>... or ghost stop --all (see ghost stop --help)');
    // Every reference is resolved first: a typo must not leave the other tasks half stopped.
    const tasks = this.all ? this.ghost.recent({ ended: 0 }).tasks : this.ghost.resolve(this.targets(this.tasks));
    if (this.all && tasks.length === 0 && !this.json) this.note('no running tasks');
    const outcomes = await this.ghost.stopMany(tasks, { timeoutMs, force: this.force });
    const stopped = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    if (this.json) this.printJSON(stopped.map(stopResultToJSON));
    else for (const result of stopped) this.print(describe(result, this.style));
    for (const result of stopped.filter((r) => !r.recorded)) {
      this.note(`ghost: ${taskLabel(result.task)} was stopped, but its end could not be recorded (the disk is full or read-only); the next ghost command records it`);
    }
    const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    for (const failure of failures) this.context.stderr.write(`ghost: ${errorLine(failure, 'stop')}\n`);
    return failures.length > 0 ? 1 : 0;
  }
}

function describe(result: StopResult, style: Parameters<typeof coloredStatus>[1]): string {
  const label = taskLabel(result.task);
  const count = result.leftovers;
  const left = `${count} ${count === 1 ? 'process' : 'processes'} it left running`;
  if (!result.wasRunning) {
    const ended = `${label} had already ended: ${statusText(result.task)}`;
    return count > 0 ? `${ended}; stopped ${left}` : ended;
  }
  return `stopped ${label}: ${coloredStatus(result.task, style)}${count > 0 ? `, and ${left} before` : ''}`;
}
