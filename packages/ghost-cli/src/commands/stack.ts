// ghost up, down and ps: a project file's stack. The file is read by core's stack reader (loaded
// only by these commands); the plan, the order and the waiting are core's `up` and `down`.
import {
  type StackProgress,
  type StackSpec,
  type StackWatchEvent,
  type Task,
  type UpResult,
  down,
  fileAtGitRevision,
  isGhostError,
  serviceStopOptions,
  stackFailure,
  up,
  upResultToJSON,
  watchStack,
} from '@ghost/core';
import { escapeForTerminal, statusText } from '@ghost/core/format';
import { Command, Option } from 'clipanion';
import { option } from '../options/option.js';
import { relative } from 'node:path';
import { errorLine } from '../output/error-text.js';
import { LogOutput, followPrefixed } from '../output/log-output.js';
import { failureLogText } from '../output/stack-text.js';
import { serviceTable } from '../output/task-text.js';
import { UsageError, parseDuration } from './base.js';
import { ProjectCommand } from './project-command.js';

/**
 * The base of the commands that apply a stack through core's `up` (up and rollback): the
 * options of an apply, its progress lines, and its failure with the service's log tail.
 */
export abstract class ApplyCommand extends ProjectCommand {
  removeOrphans = option('removeOrphans');
  timeout = option('upTimeout');
  json = option('json');

  protected get timeoutMs(): number | undefined {
    return this.timeout === undefined ? undefined : parseDuration(this.timeout, '--timeout');
  }

  /** Applies `stack` (only `services` and their dependencies, when named): the exit status. */
  protected async apply(stack: StackSpec, services: readonly string[] = []): Promise<number> {
    return (await this.applyOnce(stack, services, this.timeoutMs)) ? 0 : 1;
  }

  /** One up, its outcome printed; undefined when it failed (or was interrupted). */
  protected async applyOnce(stack: StackSpec, services: readonly string[], timeoutMs: number | undefined, signal?: AbortSignal): Promise<UpResult | undefined> {
    try {
      const apply = (onProgress?: (event: StackProgress) => void) => up(this.ghost, stack, { services, removeOrphans: this.removeOrphans, timeoutMs, onProgress, signal });
      const result = await (this.json ? apply() : this.withProgress(stack, apply));
      if (this.json) this.printJSON(upResultToJSON(result));
      else if (!result.changed) this.note(`nothing to do: the ${result.services.length} services of ${result.project} are up to date`);
      return result;
    } catch (error) {
      if (isGhostError(error) && error.code === 'STACK_CANCELLED') return undefined;
      const details = stackFailure(error);
      if (!details) throw error;
      this.note(`ghost: ${(error as Error).message}`);
      this.context.stderr.write(failureLogText(details, this.style));
      this.hint(`its whole log: ghost log ${details.service}`, { json: this.json });
      return undefined;
    }
  }
}

export class UpCommand extends ApplyCommand {
  static override paths = [['up']];

  static override usage = Command.Usage({
    description: "bring the project's services up, in dependency order",
    details: `
      Reads the project file (\`ghost.yaml\`, else a \`Procfile\` or \`process-compose.yaml\`; see \`ghost config\`) and makes the running tasks match it, like an apply: it starts what is missing or has ended, in dependency order (independent services at once), waiting for each dependency's condition (\`started\`, \`healthy\`, \`completed_successfully\`); it restarts a service whose definition changed (command, environment, directory, policies) and leaves unchanged ones alone. A second \`up\` with no change does nothing and says so. Naming services brings up those and what they depend on.

      There is no daemon: \`up\` returns once the stack is up. From then on each service is kept alive by its own supervisor and its restart policy; dependencies gate the start only.

      If a service fails to start, or ends or fails before a dependent's condition is met, or a condition is not met within \`--timeout\`, \`up\` stops there, prints that service's last log lines and exits 1; services already up stay up.

      \`--attach\`: once the stack is up, follows every service's log, each line prefixed with its service (as \`ghost log -f\` does for several tasks), until Ctrl-C (or SIGTERM), which then takes the selected services down as \`ghost down\` does (as \`docker compose up\` without \`-d\`), and exits 130 (143 for SIGTERM); if every service ends by itself first, it exits 0 and stops nothing.

      \`--watch\`: once the stack is up, stays in the foreground (it is not a daemon: nothing watches once it ends): when the project file changes, it is read again and applied as another \`up\` would (a file with problems is reported and the stack stays as it is); when files change under a service's \`watch\` paths (less its \`ignore\`s), that service restarts. Changes are taken together once they have settled for 300 ms. Ctrl-C (or SIGTERM) ends the loop, leaves the stack running and exits 0.

      Each successful \`up\` of a changed file is recorded (see \`ghost history\`, \`ghost rollback\`). \`--rev REV\` applies the file as it was at git revision REV instead of as it is.

      Output: one line per step as it happens (\`api  waiting for db\`, \`db  healthy\`, \`api  started\`); on a terminal, one line per service instead, updated in place as its state changes (a spinner and the seconds so far while it waits or starts), which stays on the screen with each service's last state; with \`--json\`, the services and their tasks as JSON at the end. With \`--watch\`, also one line per change and what was done about it.
    `,
    examples: [
      ['Bring the whole stack up', 'ghost up'],
      ['Only the api (and what it depends on)', 'ghost up api'],
      ['Also stop services removed from the file', 'ghost up --remove-orphans'],
      ['Follow the logs; Ctrl-C takes the stack down', 'ghost up --attach'],
      ['Apply the file and restart services as files change', 'ghost up --watch'],
      ['The file as it was one commit ago', 'ghost up --rev HEAD~1'],
    ],
  });

  rev = option('rev');
  attach = option('attach');
  watch = option('watchStack');
  services = Option.Rest({ name: 'service' });

  protected override async run(): Promise<number> {
    if (this.attach && this.watch) throw new UsageError('--attach and --watch cannot be used together (see ghost up --help)');
    if (this.json && (this.attach || this.watch)) throw new UsageError(`--json cannot be used with ${this.attach ? '--attach' : '--watch'}`);
    const rev = this.rev;
    // --rev: the file as it was at that git revision, read as the file itself would be.
    const stack = await this.readStackFile(
      rev === undefined
        ? undefined
        : (reader) => {
            const { file, format } = reader.resolveProjectFile(this.context.cwd, this.file);
            const { text, commit } = fileAtGitRevision(file, rev);
            return reader.parseStack({ file, text, format, projectName: this.projectName, git: { commit, dirty: false } });
          },
    );
    if (!stack) return 1;
    const timeoutMs = this.timeoutMs;
    const since = new Date();
    const result = await this.applyOnce(stack, this.services, timeoutMs);
    if (this.attach) return result ? this.#attach(stack, result, since) : 1;
    if (this.watch) return this.#watch(stack, timeoutMs);
    return result ? 0 : 1;
  }

  /** Follows the services' logs (of runs since `since`) until Ctrl-C, then takes them down. */
  async #attach(stack: StackSpec, result: UpResult, since: Date): Promise<number> {
    const out = new LogOutput(this.context.stdout);
    const signal = await this.#untilInterrupted(async (signal) => {
      try {
        await followPrefixed(this.ghost, result.services.map((service) => service.task), out, { since, signal });
      } finally {
        await out.end();
      }
    });
    if (signal === undefined) return 0;
    await this.withProgress(stack, (onProgress) => down(this.ghost, stack, { services: this.services, onProgress }));
    return signal === 'SIGTERM' ? 143 : 130;
  }

  /** The reconcile loop: one change at a time, each printed with what was done about it. */
  async #watch(first: StackSpec, timeoutMs: number | undefined): Promise<number> {
    let stack = first;
    let queue = Promise.resolve();
    await this.#untilInterrupted(async (signal) => {
      const react = async (event: StackWatchEvent) => {
        if (signal.aborted) return;
        try {
          if (event.kind === 'file') {
            this.print(`${escapeForTerminal(event.paths.join(', '))} changed: applying ${relative(this.context.cwd, stack.file) || stack.file}`);
            const next = await this.readStackFile();
            if (!next) return this.note('the stack stays as it is');
            stack = next;
            watcher.update(next);
            await this.applyOnce(next, this.services, timeoutMs, signal);
          } else {
            const task = this.ghost.list({ project: stack.project }).find((candidate) => candidate.service === event.service);
            const changed = `${escapeForTerminal(event.paths[0]!)}${event.paths.length > 1 ? ` and ${event.paths.length - 1} more` : ''} changed`;
            if (!task) return this.print(`${event.service}  ${changed}: not started, nothing to restart`);
            const spec = stack.services.find((service) => service.name === event.service);
            await this.ghost.restart(task, serviceStopOptions(spec));
            this.print(`${event.service}  restarted (${changed})`);
          }
        } catch (error) {
          this.note(`ghost: ${errorLine(error, 'up')}`);
        }
      };
      const watcher = watchStack(stack, (event) => {
        queue = queue.then(() => react(event));
      });
      this.note(`watching ${relative(this.context.cwd, stack.file) || stack.file} and the services' watch paths; Ctrl-C stops watching, the stack keeps running`);
      try {
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      } finally {
        watcher.close();
        await queue;
      }
    });
    return 0;
  }

  /**
   * Runs `body` until it ends or SIGINT/SIGTERM comes (its signal then aborts): the signal's
   * name, or undefined when `body` ended by itself.
   */
  async #untilInterrupted(body: (signal: AbortSignal) => Promise<void>): Promise<NodeJS.Signals | undefined> {
    const stop = new AbortController();
    let received: NodeJS.Signals | undefined;
    const interrupt = (name: NodeJS.Signals) => {
      received ??= name;
      stop.abort();
    };
    process.on('SIGINT', interrupt);
    process.on('SIGTERM', interrupt);
    try {
      await body(stop.signal);
    } finally {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
    }
    return received;
  }
}

export class DownCommand extends ProjectCommand {
  static override paths = [['down']];

  static override usage = Command.Usage({
    description: "stop the project's services, dependents first",
    details: `
      Stops the services of the project file in reverse dependency order: a service stops only once everything that depends on it has (independent ones at once), each with its stop signal and timeout. Naming services stops those and what depends on them. \`--rm\` also removes their tasks.

      Output: one line per service as it stops (on a terminal, drawn in one block in the file's order).
    `,
    examples: [
      ['Stop the stack', 'ghost down'],
      ['Stop the stack and forget its tasks', 'ghost down --rm'],
    ],
  });

  rm = option('rm');
  services = Option.Rest({ name: 'service' });

  protected override async run(): Promise<number> {
    const stack = await this.readStackFile();
    if (!stack) return 1;
    const result = await this.withProgress(stack, (onProgress) => down(this.ghost, stack, { services: this.services, remove: this.rm, onProgress }));
    if (result.stopped.length === 0 && result.removed.length === 0) this.note(`nothing to stop in ${result.project}`);
    return 0;
  }
}

export class PsCommand extends ProjectCommand {
  static override paths = [['ps']];

  static override usage = Command.Usage({
    description: "show the project's services: state, health, restarts, ports",
    details: `
      The tasks of the current project's services (the project file's, as \`ghost up\` names it), in the file's order: SERVICE, ID, STATUS (with the health, e.g. \`running (healthy)\`), RESTARTS (\`-\` without a restart policy), PORTS (what the service's whole process tree listens on; \`/udp\` for UDP), PID, STARTED and COMMAND. \`--json\`: the task objects (their ports: \`ghost ports <task> --json\`).
    `,
  });

  json = option('json');

  protected override async run(): Promise<number> {
    const stack = await this.readStackFile();
    if (!stack) return 1;
    const order = new Map(stack.services.map((service, index) => [service.name, index]));
    const tasks: Task[] = this.ghost
      .list({ project: stack.project })
      .sort((a, b) => (order.get(a.service ?? '') ?? order.size) - (order.get(b.service ?? '') ?? order.size));
    if (this.json) {
      this.printJSON(tasks);
      return 0;
    }
    if (tasks.length === 0) {
      this.note(`no services of ${stack.project} have run; start them with: ghost up`);
      return 0;
    }
    const services = await Promise.all(tasks.map(async (task) => ({ task, ports: task.status === 'running' ? await this.ghost.ports(task) : [] })));
    this.print(serviceTable(services, this.style, Date.now(), this.terminalWidth));
    const failed = tasks.filter((task) => task.status !== 'running' && task.status !== 'restarting' && statusText(task) !== 'exited 0');
    if (failed.length > 0) this.hint(`why ${failed[0]!.service} ended: ghost log ${failed[0]!.service}`);
    return 0;
  }
}
