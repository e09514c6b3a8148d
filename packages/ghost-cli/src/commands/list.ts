import { RECENT_ENDED_TASKS } from '@ghost/core';
import { Command } from 'clipanion';
import { listValue, option } from '../options/option.js';
import { taskRef, taskTable } from '../output/task-text.js';
import { GhostCommand, taskExitStatus } from './base.js';

export class ListCommand extends GhostCommand {
  static override paths = [['list'], ['ls']];

  static override usage = Command.Usage({
    description: 'list running tasks and the newest ended ones',
    details: `
      Shows every task that has not ended (running, or waiting to restart) and the ${RECENT_ENDED_TASKS} newest ended ones, newest first; a last line on stderr says how many older ended tasks there are. \`--all\` shows every task. For each: short id, name, status (with exit code or signal), pid, when it started, how long it ran, command and working directory (and a DESCRIPTION column when a task has one, a SERVICE column, \`project/service\`, when a task belongs to a stack). While a task runs, CPU and MEM show what its whole process tree uses: CPU in % of one core on average since it started, MEM the memory in use (see \`ghost stats --help\`).

      \`--status\` takes one status or several, separated by commas (\`-s exited,killed\`); \`--here\` keeps only tasks started from the current directory, \`--project P\` only the services of project P. The filters choose the tasks before the ${RECENT_ENDED_TASKS} newest ended ones are picked. However many tasks there are, only those shown are read.

      Output: a table; with \`--json\`, the same tasks (all of them with \`--all\`) as an array of task objects (\`id, name, project, service, description, run, pid, pgid, status, exit_code, signal, reason, leftover_processes, cpu_percent, memory_bytes, command, cwd, started_at, finished_at, log_path\`; times in ISO 8601 UTC; \`cpu_percent\` and \`memory_bytes\` are null unless the task runs). Environment values never appear. The line about older tasks goes to stderr, so stdout holds only the result.

      Exit codes: 0 success (also when there are no tasks); 2 bad usage; 1 any other error.
    `,
    examples: [
      ['Running tasks and the newest ended ones', 'ghost list'],
      ['Every task', 'ghost list -a'],
      ['Only running tasks', 'ghost list -s running'],
      ['Tasks that failed, of all time', 'ghost list -a -s killed,unknown'],
      ['Tasks named web, as JSON', 'ghost list --name web --json'],
      ['Tasks started here', 'ghost list --here'],
      ['The services of project shop', 'ghost list --project shop'],
    ],
  });

  status = option('status');
  name = option('nameFilter');
  project = option('project');
  here = option('here');
  all = option('listAll');
  json = option('json');

  protected override async run(): Promise<void> {
    const options = { status: listValue('status', this.status), name: this.name, project: this.project, cwd: this.here ? this.context.cwd : undefined };
    if (this.json) {
      const { tasks, omitted } = this.all ? { tasks: this.ghost.listJSON(options), omitted: 0 } : this.ghost.recentJSON(options);
      this.printJSONText(tasks);
      this.#noteOmitted(omitted);
      return;
    }
    const { tasks, omitted } = this.all ? { tasks: this.ghost.list(options), omitted: 0 } : this.ghost.recent(options);
    if (tasks.length === 0) {
      const filtered = this.status !== undefined || this.name !== undefined || this.project !== undefined || this.here;
      this.note(filtered ? 'no tasks match' : 'no tasks yet; start one with: ghost run -- <command>');
      return;
    }
    this.print(taskTable(tasks, this.style, Date.now(), this.terminalWidth));
    this.#noteOmitted(omitted);
    const newest = tasks[0]!;
    if (taskExitStatus(newest) !== 0) this.hint(`why the newest task failed: ghost log -n 50 ${taskRef(newest)}`);
  }

  /** The line that says the list is not all there is, and how to see the rest. */
  #noteOmitted(omitted: number): void {
    if (omitted > 0) this.note(`${omitted} older ended task${omitted === 1 ? '' : 's'} not shown; ghost list --all shows every task`);
  }
}
