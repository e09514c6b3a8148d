import { DEFAULT_CLEANUP_DAYS } from '@ghost/core';
import { Command } from 'clipanion';
import { listValue, option } from '../options/option.js';
import { taskTable } from '../output/task-text.js';
import { GhostCommand, UsageError, parseNumber } from './base.js';

export class CleanupCommand extends GhostCommand {
  static override paths = [['cleanup']];

  static override usage = Command.Usage({
    description: 'delete old ended tasks and their logs',
    details: `
      Deletes tasks that ended more than \`--days\` days ago (default ${DEFAULT_CLEANUP_DAYS}), with their logs. Running tasks, and tasks waiting to restart, are never deleted. \`--status\` takes one status or several, separated by commas (\`-s exited,unknown\`).

      Output: what was deleted (or, with \`--dry-run\`, what would be); with \`--json\`, an array of task objects.

      Exit codes: 0 success (also when nothing matched); 2 bad usage; 1 any other error.
    `,
    examples: [
      [`Tasks that ended over ${DEFAULT_CLEANUP_DAYS} days ago`, 'ghost cleanup'],
      ['Every ended task', 'ghost cleanup --all'],
      ['See what killed and unknown tasks would go', 'ghost cleanup -a -s killed,unknown --dry-run'],
    ],
  });

  days = option('days');
  all = option('cleanupAll');
  status = option('endedStatus');
  dryRun = option('dryRun');
  json = option('json');

  protected override async run(): Promise<void> {
    if (this.all && this.days !== undefined) throw new UsageError('--all and --days cannot be used together');
    const status = listValue('endedStatus', this.status);
    const days = this.days === undefined ? undefined : parseNumber(this.days, '--days');
    const tasks = this.ghost.cleanup({ olderThanDays: days, all: this.all, status, dryRun: this.dryRun });
    if (this.json) {
      this.printJSON(tasks);
      return;
    }
    const verb = this.dryRun ? 'would delete' : 'deleted';
    this.print(`${verb} ${tasks.length} task${tasks.length === 1 ? '' : 's'}`);
    if (tasks.length > 0) this.print(taskTable(tasks, this.style, Date.now(), this.terminalWidth));
  }
}
