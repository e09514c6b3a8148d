import { shortId } from '@ghost/core';
import { Command, Option } from 'clipanion';
import { GhostCommand, UsageError } from './base.js';

export class RunCommand extends GhostCommand {
  static override paths = [['run']];

  static override usage = Command.Usage({
    description: 'start a command in the background',
    details: `
      Starts the command detached from this terminal (its own session and process group, stdin from /dev/null, stdout and stderr appended to the task's log) and returns at once. The command runs as an argv, without a shell, unless \`--shell\` is given.

      A small supervisor process records how the task ends (exit code or signal), so \`ghost status\` can tell you later.

      Output: the task id alone on the first line of stdout; with \`--json\`, the task as a JSON object.

      Exit codes: 0 started; 127 command not found; 126 command not executable; 2 bad usage; 1 any other error (for example a missing --cwd). When the command cannot start, nothing is left running.
    `,
    examples: [
      ['Start a dev server under a name', 'ghost run --name web -- npm run dev'],
      ['Run in another directory with an extra variable', 'ghost run --cwd ./api --env PORT=4000 -- node server.js'],
      ['Use shell syntax (pipes, &&, globs)', "ghost run --shell 'make build && make test'"],
      ['Keep the id for later', 'id=$(ghost run -- ./long-job.sh)'],
    ],
  });

  name = Option.String('--name', { description: 'A name to refer to the task by' });
  cwd = Option.String('--cwd', { description: 'Working directory (default: the current one)' });
  env = Option.Array('--env', { description: 'Set an environment variable, KEY=VALUE (repeatable)' });
  shell = Option.Boolean('--shell', false, { description: 'Run the command as a /bin/sh -c script' });
  json = Option.Boolean('--json', false, { description: 'Print the task as JSON' });
  // The first word after ghost's own options is the program; everything after it is the
  // program's (its own --flags included), so `--` is needed only before a program that starts with -.
  program = Option.String({ name: 'command' });
  args = Option.Proxy({ name: 'args' });

  protected override async run(): Promise<void> {
    const task = await this.ghost.run({
      command: [this.program, ...this.args],
      shell: this.shell,
      name: this.name,
      cwd: this.cwd === undefined ? this.context.cwd : resolveFrom(this.context.cwd, this.cwd),
      env: parseEnv(this.env ?? []),
      baseEnv: this.context.env,
    });
    if (this.json) {
      this.printJSON(task);
      return;
    }
    this.print(task.id);
    if ((this.context.stderr as { isTTY?: boolean }).isTTY) {
      const ref = task.name ?? shortId(task.id);
      this.note(`started ${ref} (pid ${task.pid}); follow its output with: ghost log -f ${ref}`);
    }
  }
}

function parseEnv(pairs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UsageError(`invalid --env "${pair}": expected KEY=VALUE`);
    env[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return env;
}

function resolveFrom(base: string, path: string): string {
  return path.startsWith('/') ? path : `${base}/${path}`;
}
