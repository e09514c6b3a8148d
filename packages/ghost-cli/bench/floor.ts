// What a command costs at the least, in ghost's stack: the same Node, the same SQLite driver
// (loaded as the ghost bin loads it, from a bundle through V8's code cache) and, under
// clipanion, the same parser, but nothing else: no data dir checks, no reconciling of running
// tasks, no formatting. `pnpm bench` times these beside the commands whose work they do, so a
// target below its floor says so. Usage: floor <bare|clipanion> <list|list-json|run> (the
// data dir from GHOST_DATA_DIR, as ghost takes it).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../ghost-core/src/db/open.js';
import { TaskStore } from '../../ghost-core/src/db/task-store.js';

const dataDir = process.env.GHOST_DATA_DIR!;

/** The work itself: list's query (running tasks and the 20 newest ended ones), list -a --json's, or a run's writes and spawn. */
function work(kind: string, command: string[], out: NodeJS.WriteStream): void {
  const db = openDatabase(join(dataDir, 'tasks.db'));
  const store = new TaskStore(db);
  if (kind === 'list') {
    out.write(`${store.list({ ended: 20 }).map((task) => `${task.id} ${task.status} ${task.command.join(' ')}`).join('\n')}\n`);
  } else if (kind === 'list-json') {
    out.write(`${store.listJSON()}\n`);
  } else if (kind === 'run') {
    // A row written, a detached child with its output in a log, its pid written: what a run
    // cannot do without, in two transactions as ghost does.
    db.exec('CREATE TABLE IF NOT EXISTS floor_runs (id TEXT PRIMARY KEY, command TEXT, pid INTEGER)');
    const id = randomUUID();
    db.prepare('INSERT INTO floor_runs (id, command) VALUES (?, ?)').run(id, JSON.stringify(command));
    const log = openSync(join(dataDir, `floor-${id}.log`), 'a', 0o600);
    const child = spawn('/bin/sh', ['-c', 'exec "$@"', 'sh', ...command], { detached: true, stdio: ['ignore', log, log] });
    child.unref();
    db.prepare('UPDATE floor_runs SET pid = ? WHERE id = ?').run(child.pid, id);
    out.write(`${id}\n`);
  }
  db.close();
}

const [parser, kind] = process.argv.slice(2);

/** Loaded only here: the bare floor must not pay for clipanion's modules either. */
async function underClipanion(): Promise<void> {
  const { Cli, Command, Option } = await import('clipanion');
  class FloorCommand extends Command {
    static override paths = [['list'], ['list-json'], ['run']];
    all = Option.Boolean('-a,--all', false);
    rest = Option.Rest();
    override async execute(): Promise<number> {
      work(this.path[0]!, this.rest, process.stdout);
      return 0;
    }
  }
  const cli = new Cli({ binaryName: 'floor', enableColors: false });
  cli.register(FloorCommand);
  await cli.runExit(process.argv.slice(3));
}

if (parser === 'clipanion') {
  void underClipanion();
} else {
  work(kind!, process.argv.slice(4).filter((word, index) => index > 0 || word !== '--'), process.stdout);
}
