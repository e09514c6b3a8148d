// ghost up, down and ps: a project file's stack. The file is read by core's stack reader (loaded
// only by these commands); the plan, the order and the waiting are core's `up` and `down`.
import { type StackFailureDetails, type StackProgress, type StackSpec, type Task, down, fileAtGitRevision, isGhostError, statusText, taskToJSON, up } from '@ghost/core';
import { Command, Option } from 'clipanion';
import { failureLogText, progressLine } from '../output/stack-text.js';
import { taskTable } from '../output/task-text.js';
import { parseDuration } from './base.js';
import { ProjectCommand } from './project-command.js';

/**
 * The base of the commands that apply a stack through core's `up` (up and rollback): the
 * options of an apply, its progress lines, and its failure with the service's log tail.
 */
export abstract class ApplyCommand extends ProjectCommand {
  removeOrphans = Option.Boolean('--remove-orphans', false, { description: 'Stop and remove the tasks of services no longer in the file' });
  timeout = Option.String('--timeout', { description: 'Give up waiting for dependencies after this long (default 2m)' });
  json = Option.Boolean('--json', false, { description: 'Print the result as JSON' });

  /** Applies `stack` (only `services` and their dependencies, when named): the exit status. */
  protected async apply(stack: StackSpec, services: readonly string[] = []): Promise<number> {
    const timeoutMs = this.timeout === undefined ? undefined : parseDuration(this.timeout, '--timeout');
    const width = Math.max(0, ...stack.services.map((service) => service.name.length));
    const onProgress = this.json ? undefined : (event: StackProgress) => this.context.stdout.write(progressLine(event, this.style, width));
    try {
      const result = await up(this.ghost, stack, { services, removeOrphans: this.removeOrphans, timeoutMs, onProgress });
      if (this.json) {
        this.printJSON({
          project: result.project,
          changed: result.changed,
          services: result.services.map(({ service, action, task }) => ({ service, action, task: taskToJSON(task) })),
          removed: result.removed.map(taskToJSON),
        });
      } else if (!result.changed) this.note(`nothing to do: the ${result.services.length} services of ${result.project} are up to date`);
      return 0;
    } catch (error) {
      if (!isGhostError(error) || (error.code !== 'STACK_SERVICE_FAILED' && error.code !== 'STACK_TIMEOUT')) throw error;
      const details = error.details as unknown as StackFailureDetails;
      this.note(`ghost: ${error.message}`);
      this.context.stderr.write(failureLogText(details, this.style));
      this.hint(`its whole log: ghost log ${details.service}`, { json: this.json });
      return 1;
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

      Each successful \`up\` of a changed file is recorded (see \`ghost history\`, \`ghost rollback\`). \`--rev REV\` applies the file as it was at git revision REV instead of as it is.

      Output: one line per step as it happens (\`api  waiting for db\`, \`db  healthy\`, \`api  started\`); with \`--json\`, the services and their tasks as JSON at the end.
    `,
    examples: [
      ['Bring the whole stack up', 'ghost up'],
      ['Only the api (and what it depends on)', 'ghost up api'],
      ['Also stop services removed from the file', 'ghost up --remove-orphans'],
      ['The file as it was one commit ago', 'ghost up --rev HEAD~1'],
    ],
  });

  rev = Option.String('--rev', { description: 'Apply the file as it was at this git revision' });
  services = Option.Rest({ name: 'service' });

  protected override async run(): Promise<number> {
    const rev = this.rev;
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
    return this.apply(stack, this.services);
  }
}

export class DownCommand extends ProjectCommand {
  static override paths = [['down']];

  static override usage = Command.Usage({
    description: "stop the project's services, dependents first",
    details: `
      Stops the services of the project file in reverse dependency order: a service stops only once everything that depends on it has (independent ones at once), each with its stop signal and timeout. Naming services stops those and what depends on them. \`--rm\` also removes their tasks.

      Output: one line per service as it stops.
    `,
    examples: [
      ['Stop the stack', 'ghost down'],
      ['Stop the stack and forget its tasks', 'ghost down --rm'],
    ],
  });

  rm = Option.Boolean('--rm', false, { description: 'Also remove the tasks' });
  services = Option.Rest({ name: 'service' });

  protected override async run(): Promise<number> {
    const stack = await this.readStackFile();
    if (!stack) return 1;
    const width = Math.max(0, ...stack.services.map((service) => service.name.length));
    const result = await down(this.ghost, stack, {
      services: this.services,
      remove: this.rm,
      onProgress: (event) => this.context.stdout.write(progressLine(event, this.style, width)),
    });
    if (result.stopped.length === 0 && result.removed.length === 0) this.note(`nothing to stop in ${result.project}`);
    return 0;
  }
}

export class PsCommand extends ProjectCommand {
  static override paths = [['ps']];

  static override usage = Command.Usage({
    description: "show the project's services: state, health, restarts",
    details: `
      The tasks of the current project's services (the project file's, as \`ghost up\` names it), as \`ghost list --project\` shows them. \`--json\`: the task objects.
    `,
  });

  json = Option.Boolean('--json', false, { description: 'Print an array of JSON task objects' });

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
    this.print(taskTable(tasks, this.style, Date.now(), this.terminalWidth));
    const failed = tasks.filter((task) => task.status !== 'running' && task.status !== 'restarting' && statusText(task) !== 'exited 0');
    if (failed.length > 0) this.hint(`why ${failed[0]!.service} ended: ghost log ${failed[0]!.service}`);
    return 0;
  }
}
