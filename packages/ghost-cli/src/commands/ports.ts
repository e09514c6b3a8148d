import { taskPortToJSON } from '@ghost/core';
import { escapeForTerminal, shortId } from '@ghost/core/format';
import { Command, Option } from 'clipanion';
import { option } from '../options/option.js';
import { renderTable } from '../output/table.js';
import { GhostCommand } from './base.js';

export class PortsCommand extends GhostCommand {
  static override paths = [['ports']];

  static override usage = Command.Usage({
    description: 'show the ports tasks listen on',
    details: `
      Shows the TCP sockets listening and the UDP sockets bound by a task's whole process tree (the command and everything it started, including processes that left its process group), or, without \`<task>\`, of every running task. A task that has ended has no ports.

      Output: a table with the columns TASK (name or short id), PROTO, ADDRESS, PORT and PID (the process holding the socket); with \`--json\`, an array of \`{"task": id, "name", "protocol", "address", "port", "pid"}\` objects.

      Exit codes: 0 success (also when nothing listens); 1 no such task, or the reference is ambiguous; 2 bad usage.
    `,
    examples: [
      ['What port did the dev server pick?', 'ghost ports web'],
      ['Every running task', 'ghost ports'],
      ["Just the port number, for scripts", "ghost ports web --json | jq '.[0].port'"],
    ],
  });

  json = option('json');
  task = Option.String({ name: 'task', required: false });

  protected override async run(): Promise<void> {
    const target = this.task === undefined ? undefined : this.target(this.task);
    const found = await this.ghost.taskPorts(target === undefined ? undefined : [target]);
    if (this.json) {
      this.printJSON(found.map(({ task, port }) => taskPortToJSON(task, port)));
      return;
    }
    if (found.length === 0) {
      if (target !== undefined && this.ghost.status(target).status !== 'running') this.note(`task ${this.task} is not running; it has no ports`);
      else this.note(this.task === undefined ? 'no running task listens on a port' : `task ${this.task} listens on no port`);
      return;
    }
    const rows = found.map(({ task, port }) => [task.name === null ? shortId(task.id) : escapeForTerminal(task.name), port.protocol, port.address, String(port.port), String(port.pid)]);
    this.print(
      renderTable([{ header: 'TASK', shrink: true }, { header: 'PROTO' }, { header: 'ADDRESS' }, { header: 'PORT', right: true }, { header: 'PID', right: true }], rows, this.terminalWidth),
    );
    const first = found[0]!.port;
    const host = first.address === '0.0.0.0' || first.address === '::' ? 'localhost' : first.address.includes(':') ? `[${first.address}]` : first.address;
    if (first.protocol === 'tcp') this.hint(`open it: http://${host}:${first.port}/`);
  }
}
