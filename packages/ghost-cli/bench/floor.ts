// What a command costs at the least, in ghost's stack: the same Node and the same SQLite driver
// (loaded as the ghost bin loads it, from a bundle through V8's code cache) and, under
// clipanion, the same parser, but nothing else: no data dir checks, no reconciling of running
// tasks, no formatting. `pnpm bench` times these beside the commands whose work they do, so a
// target below its floor says so.
//
// Usage: floor <bare|clipanion> <list|list-json|run> [-- argv] [raw], with the data dir in
// GHOST_DATA_DIR, as ghost takes it. `raw` uses better-sqlite3 itself instead of core's database
// layer (its driver choice, checks and migrations), and a plain query for list's. Everything is
// imported lazily, and the bench builds one bundle per parser and layer (floor-start.ts picks
// it), so that no floor loads, or deserializes the cached code of, what it does not use.
import { openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BetterSqliteConstructor } from '../../ghost-core/src/db/better-sqlite.js';
import type { Database } from '../../ghost-core/src/db/sqlite.js';

const dataDir = process.env.GHOST_DATA_DIR!;
const file = join(dataDir, 'tasks.db');

/** better-sqlite3's JavaScript (in the bundle) with the installed addon; where that addon was built for another Node, the row fails. */
function openRaw(): Database {
  // A plain require(), as core's bundled driver has it, so that the bundler compiles it in.
  const BetterSqlite = require('better-sqlite3') as BetterSqliteConstructor;
  const addon = join(dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
  const db = new BetterSqlite(file, { nativeBinding: addon });
  db.pragma('journal_mode = WAL');
  return db as unknown as Database;
}

/** The work: list's query (running tasks and the 20 newest ended ones), list -a --json's, or a run's writes and spawn. */
async function work(kind: string, command: string[], raw: boolean): Promise<void> {
  const out = process.stdout;
  const db = raw ? openRaw() : (await import('../../ghost-core/src/db/open.js')).openDatabase(file);
  if (kind === 'run') {
    // A row written, a detached child with its output in a log, its pid written: what a run
    // cannot do without, in two transactions as ghost does.
    // Loaded here, as core loads child_process: a list must not pay for what only a run needs.
    const { spawn } = process.getBuiltinModule('node:child_process');
    db.exec('CREATE TABLE IF NOT EXISTS floor_runs (id TEXT PRIMARY KEY, command TEXT, pid INTEGER)');
    const id = crypto.randomUUID();
    db.prepare('INSERT INTO floor_runs (id, command) VALUES (?, ?)').run(id, JSON.stringify(command));
    const log = openSync(join(dataDir, `floor-${id}.log`), 'a', 0o600);
    const child = spawn('/bin/sh', ['-c', 'exec "$@"', 'sh', ...command], { detached: true, stdio: ['ignore', log, log] });
    child.unref();
    db.prepare('UPDATE floor_runs SET pid = ? WHERE id = ?').run(child.pid, id);
    out.write(`${id}\n`);
  } else if (raw) {
    const sql = 'SELECT t.id, r.status, t.command FROM tasks t JOIN runs r ON r.task_id = t.id AND r.run = t.run ORDER BY r.started_at DESC LIMIT 20';
    const rows = db.prepare(sql).all() as { id: string; status: string; command: string }[];
    out.write(`${rows.map((row) => `${row.id} ${row.status} ${(JSON.parse(row.command) as string[]).join(' ')}`).join('\n')}\n`);
  } else {
    const store = new (await import('../../ghost-core/src/db/task-store.js')).TaskStore(db);
    if (kind === 'list') out.write(`${store.list({ ended: 20 }).map((task) => `${task.id} ${task.status} ${task.command.join(' ')}`).join('\n')}\n`);
    else out.write(`${store.listJSON()}\n`);
  }
  db.close();
}

async function underClipanion(argv: string[], raw: boolean): Promise<void> {
  const { Cli, Command, Option } = await import('clipanion');
  class FloorCommand extends Command {
    static override paths = [['list'], ['list-json'], ['run']];
    all = Option.Boolean('-a,--all', false);
    rest = Option.Rest();
    override async execute(): Promise<number> {
      await work(this.path[0]!, this.rest, raw);
      return 0;
    }
  }
  const cli = new Cli({ binaryName: 'floor', enableColors: false });
  cli.register(FloorCommand);
  await cli.runExit(argv);
}

const [parser, ...words] = process.argv.slice(2);
const raw = words.at(-1) === 'raw';
const argv = raw ? words.slice(0, -1) : words;
if (parser === 'clipanion') void underClipanion(argv, raw);
else void work(argv[0]!, argv[1] === '--' ? argv.slice(2) : argv.slice(1), raw);
