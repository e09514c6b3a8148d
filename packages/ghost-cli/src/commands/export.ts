// ghost export systemd: the project's stack as systemd units. The units are core's
// (systemdUnits); this command only prints them or writes them to a directory.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'clipanion';
import { option } from '../options/option.js';
import { ProjectCommand } from './project-command.js';

export class ExportSystemdCommand extends ProjectCommand {
  static override paths = [['export', 'systemd']];

  static override usage = Command.Usage({
    description: "write the project's services as systemd units",
    details: `
      Turns the project file's stack into systemd units, so that it runs under the system's supervisor at boot: one \`<project>-<service>.service\` per service and a \`<project>.target\` that wants them all. The units carry the dependencies (\`Requires=\`, \`After=\`; a service needed \`completed_successfully\` becomes \`Type=oneshot\`), the command (the program by its absolute path, looked up on PATH now), the directory and environment, the restart policy, the limits and the stop signal and timeout; output goes to the journal.

      What systemd cannot express (health checks, so \`healthy\` is only ordering; ready-log patterns; log caps; watch paths) is listed in a comment at the top of each unit.

      Output: without \`--output\`, every unit on stdout, each after a \`# ---- <name>\` line; with \`--output DIR\`, the files in DIR (created if needed) and one line per file written. Existing files are left alone unless \`--force\`.

      Exit codes: 0 done; 1 a file exists or the project file has problems; 2 a value that a unit cannot hold (an environment variable name systemd rejects); 127 a program is not on PATH.
    `,
    examples: [
      ['Print the units', 'ghost export systemd'],
      ['Install them for your user', 'ghost export systemd --user --output ~/.config/systemd/user'],
      ['Install them for the system', 'sudo ghost export systemd --output /etc/systemd/system'],
    ],
  });

  user = option('user');
  output = option('output');
  force = option('overwrite');

  protected override async run(): Promise<number> {
    const stack = await this.readStackFile();
    if (!stack) return 1;
    const { systemdUnits } = await import('@ghost/core/stack');
    const units = systemdUnits(stack, { user: this.user, path: this.context.env.PATH });
    if (this.output === undefined) {
      this.print(units.map((unit) => `# ---- ${unit.name}\n${unit.text}`).join('\n'));
      return 0;
    }
    const dir = resolve(this.context.cwd, this.output);
    const paths = units.map((unit) => join(dir, unit.name));
    // Checked before anything is written, so a refusal leaves no half-written set.
    const existing = this.force ? [] : paths.filter((path) => existsSync(path));
    if (existing.length > 0) {
      for (const path of existing) this.note(`ghost: ${path} exists (--force overwrites it)`);
      return 1;
    }
    mkdirSync(dir, { recursive: true });
    units.forEach((unit, index) => writeFileSync(paths[index]!, unit.text));
    for (const path of paths) this.print(`wrote ${path}`);
    const systemctl = this.user ? 'systemctl --user' : 'systemctl';
    this.hint(`${systemctl} daemon-reload && ${systemctl} enable --now ${stack.project}.target`);
    return 0;
  }
}
