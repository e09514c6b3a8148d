import { taskLabel } from '@ghost/core/format';
import { Command, Option } from 'clipanion';
import { option } from '../options/option.js';

import { GhostCommand } from './base.js';

export class RmCommand extends GhostCommand {
  static override paths = [['rm']];

  static override usage = Command.Usage({
    description: 'delete ended tasks and their logs',
    details: `
      Deletes each task (its record, run history, environment and log). Only ended tasks can be deleted: every reference is resolved first, and if one is unknown, ambiguous or still running, nothing is deleted.

      Output: one line per task, e.g. \`removed 3f2a9c1b (web)\`; with \`--json\`, an array of the deleted task objects.

      Exit codes: 0 every task was deleted; 1 a task was not found, is ambiguous or is running (nothing deleted); 2 bad usage.
    `,
    examples: [
      ['Delete one task', 'ghost rm web'],
      ['Delete several by id prefix', 'ghost rm 3f2a 9c1b'],
      ['Stop a task, then delete it', 'ghost stop web && ghost rm web'],
    ],
  });

  json = option('json');
  tasks = Option.Rest({ name: 'task', required: 1 });

  protected override async run(): Promise<void> {
    const removed = this.ghost.removeMany(this.targets(this.tasks));
    if (this.json) this.printJSON(removed);
    else for (const task of removed) this.print(`removed ${taskLabel(task)}`);
  }
}
