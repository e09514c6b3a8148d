import { runToJSON, taskDurationMs } from '@ghost/core';
import { formatAgo, formatDuration, statusText } from '@ghost/core/format';
import { Command, Option } from 'clipanion';
import { option } from '../options/option.js';
import { renderTable } from '../output/table.js';
import { GhostCommand } from './base.js';

export class RunsCommand extends GhostCommand {
  static override paths = [['runs']];

  static override usage = Command.Usage({
    description: "a task's run history, newest first",
    details: `
      A task started again (\`ghost restart\`, \`ghost start\`, \`ghost run --reuse\`) keeps its id and gets a new run each time. This lists them, newest first: run number, pid, when it started, how long it ran, and how it ended (exit code or signal).

      Output: a table (RUN, STATUS, PID, STARTED, DURATION); with \`--json\`, an array of \`{"run", "pid", "status", "exit_code", "signal", "started_at", "finished_at"}\` objects (times in ISO 8601 UTC).

      Exit codes: 0 success; 1 no such task, or the reference is ambiguous; 2 bad usage.
    `,
    examples: [
      ['How did the last runs of the tests end?', 'ghost runs tests'],
      ['As JSON', 'ghost runs web --json'],
    ],
  });

  json = option('json');
  task = Option.String({ name: 'task' });

  protected override async run(): Promise<void> {
    const runs = this.ghost.runs(this.target(this.task));
    if (this.json) {
      this.printJSON(runs.map(runToJSON));
      return;
    }
    const now = Date.now();
    const rows = runs.map((run) => [
      String(run.run),
      this.style.status(run.status, statusText(run)),
      run.pid === null ? '-' : String(run.pid),
      formatAgo(run.startedAt, now),
      formatDuration(taskDurationMs(run, now)),
    ]);
    this.print(
      renderTable(
        [{ header: 'RUN', right: true }, { header: 'STATUS' }, { header: 'PID', right: true }, { header: 'STARTED' }, { header: 'DURATION', right: true }],
        rows,
        this.terminalWidth,
      ),
    );
  }
}
