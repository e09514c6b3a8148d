import { isTaskStatus } from '@ghost/core';
import { Command, Option } from 'clipanion';
import { taskRef, taskTable } from '../output/task-text.js';
import { GhostCommand, UsageError, taskExitStatus } from './base.js';

export class ListCommand extends GhostCommand {
  static override paths = [['list'], ['ls']];

  static override usage = Command.Usage({
    description: 'list tasks, newest first',
    details: `
      Shows every task ghost knows, newest first: short id, name, status (with exit code or signal), pid, when it started, how long it ran, command and working directory (and a DESCRIPTION column when a task has one, a SERVICE column, \`project/service\`, when a task belongs to a stack). While a task runs, CPU and MEM show what its whole process tree uses: CPU in % of one core on average since it started, MEM the memory in use (see \`ghost stats --help\`). \`--here\` keeps only tasks started from the current directory, \`--project P\` only the services of project P.

      Output: a table; with \`--json\`, an array of task objects (\`id, name, project, service, description, run, pid, pgid, status, exit_code, signal, reason, leftover_processes, cpu_percent, memory_bytes, command, cwd, started_at, finished_at, log_path\`; times in ISO 8601 UTC; \`cpu_percent\` and \`memory_bytes\` are null unless the task runs). Environment values never appear.

      Exit codes: 0 success (also when there are no tasks); 2 bad usage; 1 any other error.
    `,
    examples: [
      ['Everything', 'ghost list'],
      ['Only running tasks', 'ghost list --status running'],
      ['Tasks named web, as JSON', 'ghost list --name web --json'],
      ['Tasks started here', 'ghost list --here'],
      ['The services of project shop', 'ghost list --project shop'],
    ],
  });

  status = Option.String('--status', { description: 'Only tasks with this status: running, exited, killed or unknown' });
  name = Option.String('--name', { description: 'Only tasks with this name' });
  project = Option.String('--project', { description: "Only the tasks of this project (a stack's services)" });
  here = Option.Boolean('--here', false, { description: 'Only tasks started from the current directory' });
  json = Option.Boolean('--json', false, { description: 'Print an array of JSON task objects' });

  protected override async run(): Promise<void> {
    if (this.status !== undefined && !isTaskStatus(this.status)) {
      throw new UsageError(`invalid --status "${this.status}" (running, exited, killed or unknown)`);
    }
    const options = { status: this.status, name: this.name, project: this.project, cwd: this.here ? this.context.cwd : undefined };
    if (this.json) {
      this.printJSONText(this.ghost.listJSON(options));
      return;
    }
    const tasks = this.ghost.list(options);
    if (tasks.length === 0) {
      const filtered = this.status !== undefined || this.name !== undefined || this.project !== undefined || this.here;
      this.note(filtered ? 'no tasks match' : 'no tasks yet; start one with: ghost run -- <command>');
      return;
    }
    this.print(taskTable(tasks, this.style, Date.now(), this.terminalWidth));
    const newest = tasks[0]!;
    if (taskExitStatus(newest) !== 0) this.hint(`why the newest task failed: ghost log -n 50 ${taskRef(newest)}`);
  }
}
