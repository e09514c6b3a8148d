import { relative } from 'node:path';
import { Command } from 'clipanion';
import { option } from '../options/option.js';
import { ProjectCommand } from './project-command.js';

export class ConfigCommand extends ProjectCommand {
  static override paths = [['config']];

  static override usage = Command.Usage({
    description: 'print or check the project file (ghost.yaml, Procfile or process-compose.yaml)',
    details: `
      Reads the project file as \`ghost up\` would and prints the resolved configuration: each service with its command, directory, dependencies and options. Environment variables are shown by name only; their values never appear.

      With \`--validate\`, prints nothing but the problems, one per line as \`file:line:col: message\`, every one of them (unknown keys, wrong types, missing services or env files, dependency cycles).

      Output: text for people, or with \`--json\` the stack as JSON (env as a list of names). Warnings (keys ghost does not support) go to stderr.

      Exit codes: 0 the file is valid; 1 it has problems, or there is no project file.
    `,
    examples: [
      ['Show the resolved configuration', 'ghost config'],
      ['Check the file (for CI or an editor)', 'ghost config --validate'],
      ['Read another file', 'ghost config -f deploy/ghost.yaml --json'],
    ],
  });

  json = option('json');
  validate = option('validate');

  protected override async run(): Promise<number> {
    const stack = await this.readStackFile();
    if (!stack) return 1;
    const shown = relative(this.context.cwd, stack.file) || stack.file;
    if (this.validate) {
      this.print(`${shown}: valid, ${stack.services.length} service${stack.services.length === 1 ? '' : 's'}`);
      return 0;
    }
    // Environment values can be secrets: only their names leave this command.
    const services = stack.services.map(({ env, ...service }) => ({ ...service, env: Object.keys(env) }));
    if (this.json) {
      // The file's text holds the values too; it is for the history, not the resolved configuration.
      const { text: _text, git: _git, ...resolved } = stack;
      this.printJSON({ ...resolved, services });
      return 0;
    }
    const lines = [`project ${stack.project} (${shown}, ${stack.format})`];
    for (const service of services) {
      lines.push('', `${service.name}${service.description ? `: ${service.description}` : ''}`);
      lines.push(`  command: ${service.shell ? `sh -c ${JSON.stringify(service.command[0])}` : service.command.map((word) => JSON.stringify(word)).join(' ')}`);
      lines.push(`  cwd: ${service.cwd}`);
      if (service.env.length > 0) lines.push(`  env: ${service.env.join(', ')}`);
      const dependencies = Object.entries(service.dependsOn);
      if (dependencies.length > 0) lines.push(`  depends on: ${dependencies.map(([name, condition]) => `${name} (${condition})`).join(', ')}`);
      if (service.restart) lines.push(`  restart: ${JSON.stringify(service.restart)}`);
      if (service.health) lines.push(`  health: ${JSON.stringify(service.health)}`);
      if (service.limits) lines.push(`  limits: ${JSON.stringify(service.limits)}`);
      if (service.stop) lines.push(`  stop: ${JSON.stringify(service.stop)}`);
      if (service.watch) lines.push(`  watch: ${JSON.stringify(service.watch)}`);
    }
    this.print(lines.join('\n'));
    return 0;
  }
}
