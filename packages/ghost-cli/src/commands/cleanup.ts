import { isTaskStatus } from '@ghost/core';
import { Command, Option } from 'clipanion';
import { taskTable } from '../output/task-text.js';
import { GhostCommand, UsageError, parseNumber } from './base.js';

export class CleanupCommand extends GhostCommand {
  static override paths = [['cleanup']];

  static override usage = Command.Usage({
    description: 'delete old ended tasks and their logs',
    details: `
      Deletes tasks that ended more than \`--days\` days ago (default 30), with their logs. Running tasks are never deleted.

      Output: what was deleted (or, with \`--dry-run\`, what would be); with \`--json\`, an array of task objects.

      Exit codes: 0 success (also when nothing matched); 2 bad usage; 1 any other error.
    `,
    examples: [
      ['Tasks that ended over 30 days ago', 'ghost cleanup'],
      ['Every ended task', 'ghost cleanup --all'],
      ['See what failed tasks would go', 'ghost cleanup --all --status killed --dry-run'],
    ],
  });

  days = Option.String('--days', { description: 'Delete tasks that ended more than N days ago (default 30)' });
  all = Option.Boolean('--all', false, { description: 'Delete every ended task, whatever its age' });
  status = Option.String('--status', { description: 'Only tasks with this status: exited, killed or unknown' });
  dryRun = Option.Boolean('--dry-run', false, { description: 'Show what would be deleted; delete nothing' });
  json = Option.Boolean('--json', false, { description: 'Print an array of JSON task objects' });

  protected override async run(): Promise<void> {
    if (this.all && this.days !== undefined) throw new UsageError('--all and --days cannot be used together');
    if (this.status !== undefined && (!isTaskStatus(this.status) || this.status === 'running')) {
      throw new UsageError(`invalid --status "${this.status}" (exited, killed or unknown; running tasks are never deleted)`);
    }
    const days = this.days === undefined ? undefined : parseNumber(this.days, '--days');
    const tasks = this.ghost.cleanup({ olderThanDays: days, all: this.all, status: this.status, dryRun: this.dryRun });
    if (this.json) {
      this.printJSON(tasks);
      return;
    }
    const verb = this.dryRun ? 'would delete' : 'deleted';
    this.print(`${verb} ${tasks.length} task${tasks.length === 1 ? '' : 's'}`);
    if (tasks.length > 0) this.print(taskTable(tasks, this.style, Date.now(), this.terminalWidth));
  }
}
