// The data directory holds logs and environments (secrets): ghost creates it private, and
// every file it writes private, whatever the umask.
import { execa } from 'execa';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GHOST_BIN, type TaskJSON, makeDataDir, waitFor } from '../src/harness.js';

function mode(path: string): string {
  return (statSync(path).mode & 0o777).toString(8).padStart(4, '0');
}

/** Runs ghost under a permissive umask, as a careless shell profile would set it. */
async function ghostWithUmask(umask: string, dataDir: string, args: string[]) {
  return execa('sh', ['-c', `umask ${umask} && exec "$0" "$@"`, process.execPath, GHOST_BIN, ...args], {
    env: { GHOST_DATA_DIR: dataDir, NO_COLOR: '1' },
    stdin: 'ignore',
    timeout: 25_000,
  });
}

describe('data directory permissions', () => {
  it.for(['022', '000'])('are private under umask %s: dirs 0700, tasks.db and logs 0600', async (umask) => {
    const dataDir = makeDataDir();
    const run = await ghostWithUmask(umask, dataDir, ['run', '--json', '--', 'sh', '-c', 'echo output; echo error >&2; exit 3']);
    const task = JSON.parse(run.stdout) as TaskJSON;
    // Let the supervisor record the end (the exit record is a file in the data dir too).
    await waitFor(async () => {
      const status = await ghostWithUmask(umask, dataDir, ['status', '--json', task.id]);
      return (JSON.parse(status.stdout) as TaskJSON).status === 'exited';
    });
    await ghostWithUmask(umask, dataDir, ['run', '--', 'sleep', '300']);

    expect(mode(dataDir)).toBe('0700');
    for (const dir of ['logs', 'journal', 'exits']) expect(mode(join(dataDir, dir)), dir).toBe('0700');
    expect(mode(join(dataDir, 'tasks.db'))).toBe('0600');
    // SQLite's companion files, when present, must be private too.
    for (const file of readdirSync(dataDir).filter((name) => name.startsWith('tasks.db'))) {
      expect(mode(join(dataDir, file)), file).toBe('0600');
    }
    const logs = readdirSync(join(dataDir, 'logs'));
    expect(logs).toHaveLength(2);
    for (const log of logs) expect(mode(join(dataDir, 'logs', log)), log).toBe('0600');
    expect(mode(task.log_path)).toBe('0600');
  });

  it('supervisor journals are private while they exist', async () => {
    // A run whose end nobody has reconciled yet keeps its journal in journal/.
    const dataDir = makeDataDir();
    await ghostWithUmask('000', dataDir, ['run', '--', 'true']);
    const journals = await waitFor(() => {
      const names = readdirSync(join(dataDir, 'journal'));
      return names.length === 1 && names;
    }, { message: 'the journal' });
    expect(mode(join(dataDir, 'journal', journals[0]!))).toBe('0600');
    expect(mode(join(dataDir, 'journal'))).toBe('0700');
  });
});
