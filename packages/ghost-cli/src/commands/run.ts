import {
  DEFAULT_HEALTH_TUNING,
  DEFAULT_LOGS,
  DEFAULT_RESTART,
  type Task,
  SUPERVISION_OPTIONS,
  type SupervisionKey,
  type SupervisionText,
  hasHealthCheck,
  parseSupervisionOptions,
} from '@ghost/core';
import { statusText, taskLabel } from '@ghost/core/format';
import { Command, Option } from 'clipanion';
import { option } from '../options/option.js';

import { taskRef } from '../output/task-text.js';
import { GhostCommand, UsageError, healthyExitStatus, taskExitStatus } from './base.js';

export class RunCommand extends GhostCommand {
  static override paths = [['run']];

  static override usage = Command.Usage({
    description: 'start a command in the background',
    details: `
      Starts the command detached from this terminal (its own session and process group, stdin from /dev/null, stdout and stderr appended to the task's log) and returns at once. The command runs as an argv, without a shell, unless \`--shell\` is given.

      A small supervisor process records how the task ends (exit code or signal), so \`ghost status\` can tell you later.

      \`--reuse\` is the idempotent start for scripts and agents: if a task with the same argv and working directory is already running, that task is returned (nothing new starts); if the newest such task has ended, it is started again (same id, a new run); otherwise a new task starts. Running the same \`ghost run --reuse ...\` twice, or from twenty processes at once, leaves one task.

      \`--restart on-failure\` (or \`always\`) makes the task's supervisor start the command again when it fails (or whenever it ends), after a backoff that doubles from \`--backoff\`'s MIN to its MAX; a run that stays up \`--min-uptime\` resets it, and after \`--max-restarts\` quick failures in a row the task gives up (reason \`restart_limit\`). Every restart is a run of its own (see \`ghost runs\`); between runs the task is \`restarting\`. A stop or kill is never followed by a restart; \`start\` and \`restart\` keep the policy.

      \`--memory\`, \`--cpus\` and \`--max-open-files\` limit the task's whole process tree (cgroups for memory and CPU, an rlimit for open files; \`ghost doctor\` says which this machine can enforce). A task killed at its memory limit is recorded as \`killed SIGKILL · out of memory\` (and restarted, with \`--restart\`). A limit that cannot be enforced here is an error saying why, unless \`--limits best-effort\`.

      The task's log is capped (default ${DEFAULT_LOGS.maxBytes / 1024 / 1024} MiB, \`--log-max-size\`): past the cap, ghost copies it to LOG.1 (older ones move to LOG.2 … up to \`--log-max-files\`) and truncates it. ghost does this whenever it looks at the task (any command, \`log -f\`, the TUI), so a log may outgrow its cap while no ghost command runs; a write landing during the copy's last instant can be lost. See "Logs" in the README.

      A health check (\`--health-cmd\`, \`--health-http\`, \`--health-tcp\` or \`--ready-log\`) gives a running task a health besides its status: \`starting\`, then \`healthy\`, or \`unhealthy\` after \`--health-retries\` failures in a row (failures within \`--health-start-period\` do not count), probing every \`--health-interval\`. The supervisor runs the probe in the task's directory and environment; \`--ready-log REGEX\` is ready once a line of the task's output matches. With \`--restart\`, an unhealthy task is ended and restarted (reason \`unhealthy\`). \`--wait-healthy\` prints the id and exits 0 once the task is healthy, or non-zero if it ends first.

      \`--wait\` starts the task, waits for it to end and exits with its status: on success nothing of its output is printed; on failure the last 20 lines of its log go to stderr. Ctrl-C stops waiting, not the task.

      Output: the task id alone on the first line of stdout; with \`--json\`, the task as a JSON object (with \`--wait\`, as it ended).

      Exit codes: 0 started (with \`--wait\`: it exited 0); 127 command not found; 126 command not executable; 2 bad usage; 1 any other error (for example a missing --cwd). With \`--wait\`, the command's exit code, or 128+n if signal n killed it. When the command cannot start, nothing is left running.
    `,
    examples: [
      ['Start a dev server under a name', 'ghost run --name web -- npm run dev'],
      ['Run in another directory with an extra variable', 'ghost run -C ./api -e PORT=4000 -- node server.js'],
      ['Use shell syntax (pipes, &&, globs)', "ghost run --shell 'make build && make test'"],
      ['Keep the id for later', 'id=$(ghost run -- ./long-job.sh)'],
      ['Start the dev server unless it already runs (scripts, agents)', 'ghost run --reuse --name web --description "vite dev server" -- npm run dev'],
      ['Run the tests, quiet unless they fail', 'ghost run --wait --name tests -- npm test'],
      ['Cap its log at 10 MiB, keeping 3 rotated logs', 'ghost run --name web --log-max-size 10M --log-max-files 3 -- npm run dev'],
      ['Start a server and return once it answers', 'ghost run --name api --wait-healthy --health-http http://127.0.0.1:3000/health -- node server.js'],
      ['Restart a server that stops answering', 'ghost run --restart always --health-tcp 5432 --health-interval 5s -- postgres -D data'],
      ['A dev server is ready when it says so', 'ghost run --name web --ready-log "ready in" -- npm run dev && ghost wait --healthy web'],
      ['Keep a worker up: restart it when it crashes, waiting 1 s, 2 s, 4 s ... up to 30 s', 'ghost run --name worker --restart on-failure --backoff 1s..30s -- node worker.js'],
    ],
  });

  name = option('name');
  cwd = option('cwd');
  env = option('env');
  description = option('description');
  shell = option('shell');
  reuse = option('reuse');
  wait = option('wait');
  waitHealthy = option('waitHealthy');
  json = option('json');
  // The first word after ghost's own options is the program; everything after it is the
  // program's (its own --flags included), so `--` is needed only before a program that starts with -.
  program = Option.String({ name: 'command' });
  args = Option.Proxy({ name: 'args' });

  constructor() {
    super();
    // The supervision flags come from core's one table, as the MCP tool's arguments and a
    // project file's keys do; clipanion finds them on the instance like any other option.
    for (const { key } of SUPERVISION_OPTIONS) (this as unknown as Record<string, unknown>)[key] = option(key);
  }

  /** The supervision flags as given. */
  private get supervisionText(): SupervisionText {
    const self = this as unknown as Record<SupervisionKey, string | undefined>;
    return Object.fromEntries(SUPERVISION_OPTIONS.map((option) => [option.key, self[option.key]]));
  }

  protected override async run(): Promise<number> {
    if (this.wait && this.waitHealthy) throw new UsageError('give --wait or --wait-healthy, not both');
    const supervision = parseSupervisionOptions(this.supervisionText);
    if (this.waitHealthy && !hasHealthCheck(supervision.health)) {
      throw new UsageError('--wait-healthy needs a health check: --health-cmd, --health-http, --health-tcp or --ready-log');
    }
    const task = await this.ghost.run({
      command: [this.program, ...this.args],
      shell: this.shell,
      name: this.name,
      description: this.description,
      reuse: this.reuse,
      ...supervision,
      cwd: this.cwd === undefined ? this.context.cwd : resolveFrom(this.context.cwd, this.cwd),
      env: parseEnv(this.env ?? []),
      baseEnv: this.context.env,
    });
    if (this.wait) return this.waitFor(task);
    if (this.waitHealthy) return this.waitUntilHealthy(task);
    if (this.json) {
      this.printJSON(task);
      return 0;
    }
    this.print(task.id);
    if ((this.context.stderr as { isTTY?: boolean }).isTTY) {
      const ref = taskRef(task);
      this.note(`started ${ref} (pid ${task.pid})`);
      this.hint(`follow its output: ghost log -f ${ref}`);
    }
    return 0;
  }

  async waitUntilHealthy(started: Task): Promise<number> {
    if (!this.json) this.print(started.id);
    const { tasks } = await this.ghost.wait([started.id], { healthy: true });
    const task = tasks[0] ?? this.ghost.status(started.id);
    if (this.json) this.printJSON(task);
    const status = healthyExitStatus(task);
    if (status !== 0) this.note(`ghost: ${taskLabel(task)} ended before it was healthy: ${statusText(task)}`);
    return status;
  }

  async waitFor(started: Task): Promise<number> {
    if (!this.json) this.print(started.id);
    const { tasks } = await this.ghost.wait([started.id]);
    const task = tasks[0] ?? this.ghost.status(started.id);
    const status = taskExitStatus(task);
    if (this.json) this.printJSON(task);
    if (status !== 0) {
      const tail = this.ghost.readLog(task.id, { tail: TAIL_LINES });
      if (tail.length > 0) {
        this.context.stderr.write(tail);
        if (tail[tail.length - 1] !== 0x0a) this.context.stderr.write('\n');
      }
      this.note(`ghost: ${taskLabel(task)} ${statusText(task)}`);
      this.hint(`the whole log: ghost log ${taskRef(task)}`, { json: this.json });
    }
    return status;
  }
}

/**
 * Splits the words after `run` where the command starts: after the first `--`, or at the first
 * word that is neither one of ghost's options nor the value of one (`valued` names the options
 * that take a value). Everything from there on belongs to the command.
 */
export function splitRunWords(words: readonly string[], valued: ReadonlySet<string>): { options: string[]; command: string[] } {
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') return { options: words.slice(0, i), command: words.slice(i + 1) };
    // What clipanion takes for an option: a leading dash, except "-" alone.
    if (word === '-' || !word.startsWith('-')) return { options: words.slice(0, i), command: words.slice(i) };
    if (valued.has(word)) i++;
  }
  return { options: [...words], command: [] };
}

/** Lines of a failed task's log that `run --wait` shows. */
const TAIL_LINES = 20;

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
