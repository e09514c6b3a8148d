import { type Task } from '@ghost/core';
import { statusText, taskLabel } from '@ghost/core/format';
import { Command, Option } from 'clipanion';
import { option } from '../options/option.js';

import { taskRef } from '../output/task-text.js';
import { GhostCommand, TIMEOUT_EXIT, healthyExitStatus, parseNumber, taskExitStatus } from './base.js';

export { TIMEOUT_EXIT };

export class WaitCommand extends GhostCommand {
  static override paths = [['wait']];

  static override usage = Command.Usage({
    description: 'wait for tasks to end; exit with their status',
    details: `
      Blocks until every task given has ended (with \`--any\`: until one of them has), then exits with the task's status as a shell would: its exit code, or 128+n if signal n killed it (143 for SIGTERM, 137 for SIGKILL). A task whose end nothing recorded (\`unknown\`) counts as 1. With several tasks, the status is the first non-zero one in the order given, else 0. A task that has already ended returns at once. It wakes on the exit itself, not on a slow poll.

      Output: nothing on stdout (the exit status is the result); with \`--json\`, an array of the task objects as they are when waiting ends.

      With \`--healthy\`, it waits until the tasks are healthy (their health check passes, or their \`--ready-log\` pattern appeared) and exits 0; a task that ends first makes it exit with that task's status (1 if it exited 0), and \`--timeout\` with 124. A task waiting to restart is waited for.

      Exit codes: the task's status as above; 124 the \`--timeout\` passed first (the tasks keep running); 1 no such task, or the reference is ambiguous; 2 bad usage.
    `,
    examples: [
      ['Wait for a build and act on its result', 'ghost wait build && echo passed'],
      ['Give up after 5 minutes', 'ghost wait --timeout 300 tests'],
      ['Wait for whichever ends first', 'ghost wait --any web worker'],
      ['Wait until a server is ready', 'ghost wait --healthy --timeout 60 web'],
    ],
  });

  timeout = option('waitTimeout');
  any = option('any');
  healthy = option('healthy');
  json = option('json');
  tasks = Option.Rest({ name: 'task', required: 1 });

  protected override async run(): Promise<number> {
    const timeoutMs = this.timeout === undefined ? undefined : parseNumber(this.timeout, '--timeout') * 1000;
    const { tasks, timedOut } = await this.ghost.wait(this.targets(this.tasks), { timeoutMs, any: this.any, healthy: this.healthy });
    if (this.json) this.printJSON(tasks);
    if (this.healthy) return this.healthyStatus(tasks, timedOut);
    if (timedOut) {
      const running = tasks.filter((task) => task.status === 'running');
      if (!this.json) this.note(`ghost: timed out; still running: ${running.map(taskLabel).join(', ')}`);
      return TIMEOUT_EXIT;
    }
    const ended = tasks.filter((task) => task.status !== 'running');
    const failed = ended.find((task) => taskExitStatus(task) !== 0);
    if (failed) this.hint(`${taskLabel(failed)} ${statusText(failed)}; see its output: ghost log -n 50 ${taskRef(failed)}`, { json: this.json });
    return failed ? taskExitStatus(failed) : 0;
  }

  healthyStatus(tasks: readonly Task[], timedOut: boolean): number {
    const statuses = tasks.map(healthyExitStatus);
    const ready = statuses.filter((status) => status === 0).length;
    if (this.any ? ready > 0 : ready === tasks.length) return 0;
    const failed = tasks.find((task, index) => statuses[index] !== 0 && statuses[index] !== TIMEOUT_EXIT);
    if (failed) {
      if (!this.json) this.note(`ghost: ${taskLabel(failed)} ended before it was healthy: ${statusText(failed)}`);
      return healthyExitStatus(failed);
    }
    if (timedOut && !this.json) this.note(`ghost: timed out; not healthy yet: ${tasks.filter((task) => task.health !== 'healthy').map(taskLabel).join(', ')}`);
    return TIMEOUT_EXIT;
  }
}
