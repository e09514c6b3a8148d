import { Command, Option } from 'clipanion';
import { option } from '../options/option.js';
import { taskDetails, taskRef } from '../output/task-text.js';
import { GhostCommand, taskExitStatus } from './base.js';

export class StatusCommand extends GhostCommand {
  static override paths = [['status']];

  static override usage = Command.Usage({
    description: "show one task's state",
    details: `
      \`<task>\` is a full id, a unique prefix of one, or a name (the newest task with that name).

      Output: one "field value" line per field; with \`--json\`, the task as a JSON object (see \`ghost list --help\`).

      Exit codes: 0 the task was found (whatever its status); 1 no such task, or the reference is ambiguous.
    `,
    examples: [
      ['By name', 'ghost status web'],
      ['By id prefix, for scripts', 'ghost status 3f2a --json'],
    ],
  });

  task = Option.String({ name: 'task' });
  json = option('json');

  protected override async run(): Promise<void> {
    const task = this.ghost.status(this.target(this.task));
    if (this.json) {
      this.printJSON(task);
      return;
    }
    this.print(taskDetails(task, this.style, Date.now()));
    const ref = taskRef(task);
    if (task.status === 'running') this.hint(`follow its output: ghost log -f ${ref}`);
    else if (taskExitStatus(task) !== 0) this.hint(`see why it failed: ghost log -n 50 ${ref}; run it again: ghost start ${ref}`);
  }
}
