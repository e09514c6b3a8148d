import { Command, Option } from 'clipanion';
import type { Writable } from 'node:stream';
import { GhostCommand, parseNumber } from './base.js';

export class LogCommand extends GhostCommand {
  static override paths = [['log'], ['logs']];

  static override usage = Command.Usage({
    description: "print a task's output",
    details: `
      Prints the task's log (its stdout and stderr, interleaved as written) exactly as the bytes were written.

      With \`--follow\`, keeps printing new output as it is written and ends by itself once the task has ended and its output is drained (Ctrl-C stops following earlier; the task keeps running).

      Exit codes: 0 success; 1 no such task or unreadable log; 2 bad usage.
    `,
    examples: [
      ['The whole log', 'ghost log web'],
      ['The last 20 lines', 'ghost log -n 20 web'],
      ['Follow until the task ends', 'ghost log -f web'],
    ],
  });

  follow = Option.Boolean('-f,--follow', false, { description: 'Keep printing new output until the task ends' });
  tail = Option.String('-n,--tail', { description: 'Only the last N lines' });
  task = Option.String({ name: 'task' });

  protected override async run(): Promise<void> {
    const tail = this.tail === undefined ? undefined : parseNumber(this.tail, '--tail', { integer: true });
    const stdout = this.context.stdout;
    const closed = new AbortController();
    // A reader that goes away (`ghost log x | head`) ends the command quietly.
    stdout.on('error', () => closed.abort());
    if (!this.follow) {
      await write(stdout, this.ghost.readLog(this.task, { tail }));
      return;
    }
    for await (const chunk of this.ghost.followLog(this.task, { tail, signal: closed.signal })) {
      await write(stdout, chunk);
    }
  }
}

function write(stream: Writable, chunk: Buffer): Promise<void> {
  if (chunk.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    if (stream.write(chunk)) resolve();
    else stream.once('drain', resolve).once('error', () => resolve());
  });
}
