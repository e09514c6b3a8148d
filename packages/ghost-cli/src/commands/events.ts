import { type TaskEvent } from '@ghost/core';
import { commandText, taskLabel } from '@ghost/core/format';
import { Command } from 'clipanion';
import { option } from '../options/option.js';
import { GhostCommand } from './base.js';

export class EventsCommand extends GhostCommand {
  static override paths = [['events']];

  static override usage = Command.Usage({
    description: 'stream task events as they happen',
    details: `
      Prints an event whenever a task starts (or starts again), exits, is killed, ends unknown, waits to restart (\`restarting\`), becomes healthy or unhealthy (with a health check), or is removed, whatever process caused it. There is no daemon: ghost watches its data directory for changes and compares. Runs until interrupted (Ctrl-C).

      Output: one line per event, e.g. \`12:00:01 started 3f2a9c1b (web) npm run dev\`; with \`--json\`, one JSON object per line: \`{"type", "at", "task"}\` with the task object of \`ghost list --json\`.

      Exit codes: 0 when interrupted or when the reader goes away; 1 if the data directory cannot be read.
    `,
    examples: [
      ['Watch what happens', 'ghost events'],
      ['React to exits in a script', "ghost events --json | jq -r 'select(.type == \"exited\") | .task.name'"],
    ],
  });

  json = option('json');

  protected override async run(): Promise<number> {
    const stop = new AbortController();
    const interrupt = () => stop.abort();
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    this.context.stdout.on('error', interrupt);
    try {
      for await (const event of this.ghost.events({ signal: stop.signal })) {
        this.context.stdout.write(this.json ? `${JSON.stringify(event)}\n` : `${eventLine(event)}\n`);
      }
    } finally {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
    }
    return 0;
  }
}

function eventLine(event: TaskEvent): string {
  const time = new Date(event.at).toTimeString().slice(0, 8);
  const task = event.task;
  const label = taskLabel(task);
  const outcome =
    event.type === 'exited' ? ` ${task.exit_code}` : event.type === 'killed' ? ` ${task.signal}` : '';
  return `${time} ${event.type}${outcome} ${label} ${commandText(task.command)}`;
}
