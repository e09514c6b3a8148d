import { taskLabel } from '@ghost/core/format';
import { Command, Option } from 'clipanion';
import { option } from '../options/option.js';

import { taskRef } from '../output/task-text.js';
import { GhostCommand, parseNumber } from './base.js';

export class RestartCommand extends GhostCommand {
  static override paths = [['restart']];

  static override usage = Command.Usage({
    description: 'stop a task if it is running, then start it again',
    details: `
      Stops the task as \`ghost stop\` does (SIGTERM to its whole process tree, SIGKILL after \`--timeout\` seconds) if it is running, then starts the same argv in the same working directory with the same environment. The task keeps its id and name; the start is a new run (see \`ghost runs\`), and its output is appended to the same log.

      Output: \`restarted 3f2a9c1b (web), pid 48213\`; with \`--json\`, the task as a JSON object.

      Exit codes: 0 restarted; 127/126 the command is no longer found / executable; 1 no such task, the reference is ambiguous, or it could not be stopped or started; 2 bad usage.
    `,
    examples: [
      ['Restart the dev server', 'ghost restart web'],
      ['Give it 30 seconds to shut down first', 'ghost restart --timeout 30 web'],
    ],
  });

  timeout = option('stopTimeout');
  json = option('json');
  task = Option.String({ name: 'task' });

  protected override async run(): Promise<void> {
    const timeoutMs = this.timeout === undefined ? undefined : parseNumber(this.timeout, '--timeout') * 1000;
    const task = await this.ghost.restart(this.target(this.task), { timeoutMs });
    if (this.json) {
      this.printJSON(task);
      return;
    }
    this.print(`restarted ${taskLabel(task)}, pid ${task.pid ?? '-'}`);
    this.hint(`follow its output: ghost log -f ${taskRef(task)}`);
  }
}

export class StartCommand extends GhostCommand {
  static override paths = [['start']];

  static override usage = Command.Usage({
    description: 'start an ended task again',
    details: `
      Starts an ended task's argv again in the same working directory with the same environment. The task keeps its id and name; the start is a new run (see \`ghost runs\`), and its output is appended to the same log. A task that is running is an error; use \`ghost restart\` for that.

      Output: \`started 3f2a9c1b (web), pid 48213\`; with \`--json\`, the task as a JSON object.

      Exit codes: 0 started; 127/126 the command is no longer found / executable; 1 no such task, the reference is ambiguous, or the task is running; 2 bad usage.
    `,
    examples: [
      ['Start last night\'s build again', 'ghost start build'],
      ['By id prefix, as JSON', 'ghost start 3f2a --json'],
    ],
  });

  json = option('json');
  task = Option.String({ name: 'task' });

  protected override async run(): Promise<void> {
    const task = await this.ghost.start(this.target(this.task));
    if (this.json) {
      this.printJSON(task);
      return;
    }
    this.print(`started ${taskLabel(task)}, pid ${task.pid ?? '-'}`);
    this.hint(`follow its output: ghost log -f ${taskRef(task)}`);
  }
}
