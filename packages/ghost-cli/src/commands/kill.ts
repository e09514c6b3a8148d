import { parseSignal } from '@ghost/core';
import { taskLabel } from '@ghost/core/format';
import { Command, Option } from 'clipanion';
import { option } from '../options/option.js';
import { coloredStatus } from '../output/task-text.js';
import { GhostCommand } from './base.js';

export class KillCommand extends GhostCommand {
  static override paths = [['kill']];

  static override usage = Command.Usage({
    description: "send a signal to a task's process group",
    details: `
      Sends one signal (default SIGKILL) to every process in the task's process group. Signals may be written \`TERM\`, \`SIGTERM\`, \`term\` or as a number. SIGKILL goes to the whole process tree (as \`ghost stop --force\`: descendants that left the group or daemonized too); kill waits for all of it to disappear and records the task as killed. For a graceful stop with escalation, use \`ghost stop\`.

      Output: one line, e.g. \`sent SIGHUP to 3f2a9c1b (web)\`, with how the task ended if it has (\`sent SIGKILL to 3f2a9c1b (web): killed SIGKILL\`).

      Exit codes: 0 the signal was sent; 1 no such task, or it is not running; 2 bad usage (e.g. an unknown signal).
    `,
    examples: [
      ['Kill at once', 'ghost kill web'],
      ['Ask a server to reload', 'ghost kill -s HUP web'],
      ['Interrupt, as Ctrl-C would', 'ghost kill -s INT build'],
    ],
  });

  signal = option('signal');
  task = Option.String({ name: 'task' });

  protected override async run(): Promise<number> {
    const signal = parseSignal(this.signal);
    const task = await this.ghost.kill(this.target(this.task), signal.name);
    const outcome = task.status === 'running' ? '' : `: ${coloredStatus(task, this.style)}`;
    this.print(`sent ${signal.name} to ${taskLabel(task)}${outcome}`);
    return 0;
  }
}
