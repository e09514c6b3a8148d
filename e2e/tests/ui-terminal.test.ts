// ghost-ui in a real terminal (tmux) where terminals and blessed could disagree about what the
// screen shows: wide characters, a screen scribbled over, a task that ends without any file
// changing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GHOST_UI_BIN, type TaskJSON, descendants, ghostJSON, ghostOk, makeDataDir, makeTempDir, taskStatus, tryKill } from '../src/harness.js';
import { openUi as openTerminalUi } from '../src/ghost-ui.js';
import type { TmuxSession } from '../src/tmux.js';

function openUi(dataDir: string, width = 110): Promise<TmuxSession> {
  return openTerminalUi(dataDir, undefined, { env: { NO_COLOR: '1', LANG: 'C.UTF-8' }, width });
}

async function start(dataDir: string, name: string, command: string[], flags: string[] = []): Promise<{ id: string; pid: number; pgid: number }> {
  const id = (await ghostOk(['run', '--name', name, ...flags, '--', ...command], { dataDir })).stdout.trim();
  const task = await taskStatus(dataDir, id);
  return { id: id.slice(0, 8), pid: task.pid!, pgid: task.pgid! };
}

/** A captured row with each wide character written as two, so string index = screen column. */
const columns = (row: string) => row.replace(/[🚀中]/gu, '##');

describe('ghost-ui in a real terminal', () => {
  it('runs as its bin starts it: the launcher line gives Node a small young generation', async () => {
    const dataDir = makeDataDir();
    const ui = await openUi(dataDir);
    await ui.waitFor('0 tasks');
    const argvs = descendants(await ui.panePid()).map((info) => readFileSync(`/proc/${info.pid}/cmdline`, 'utf8').split('\0'));
    const node = argvs.find((argv) => argv.includes(GHOST_UI_BIN));
    expect(node, JSON.stringify(argvs)).toBeDefined();
    expect(node!.slice(1, node!.indexOf(GHOST_UI_BIN))).toEqual(['--max-semi-space-size=1']);
  });

  it('keeps the columns of a row with an emoji where they belong while its age ticks', async () => {
    const dataDir = makeDataDir();
    const rocket = await start(dataDir, '🚀rocket', ['sh', '-c', 'sleep 300', '中🚀']);
    const plain = await start(dataDir, 'plain', ['sleep', '300']);
    const ui = await openUi(dataDir);
    // A few ticks: every redraw of the age rewrites cells after the emoji.
    const screen = await ui.waitFor(/rocket .* [3-9]s ago/, 15_000);
    const rows = screen.split('\n').map(columns);
    const header = rows.find((row) => /^ID +NAME/.test(row))!;
    const pidEnd = header.indexOf('PID') + 'PID'.length;
    for (const { id, pid, name } of [
      { ...rocket, name: '##rocket' },
      { ...plain, name: 'plain' },
    ]) {
      const row = rows.find((candidate) => candidate.startsWith(id))!;
      expect(row, screen).toMatch(new RegExp(`^${id} +${name} +running +${pid} +\\d+\\.\\d% +[\\d.]+ (B|KiB|MiB) +(\\d+s ago|just now) `));
      expect(row.indexOf(` ${pid} `) + 1 + String(pid).length, `${row}\n${header}`).toBe(pidEnd);
    }
  });

  it('shows the health of a task with a health check in its own column', async () => {
    const dataDir = makeDataDir();
    const task = await start(dataDir, 'checked', ['sleep', '300'], ['--health-cmd', 'true', '--health-interval', '100ms']);
    const ui = await openUi(dataDir, 140);
    const screen = await ui.waitFor(new RegExp(`${task.id} +checked +running +healthy +${task.pid} `), 15_000);
    expect(screen).toMatch(/^ID +NAME +STATUS +HEALTH +PID /m);
  });

  it('redraws the whole screen on Ctrl-L', async () => {
    const dataDir = makeDataDir();
    await start(dataDir, 'steady', ['sleep', '300']);
    const ui = await openUi(dataDir);
    await ui.waitFor(/steady +running/);
    await ui.scribble('\x1b[5;20HSCRIBBLED-OVER');
    await ui.waitFor('SCRIBBLED-OVER');
    await ui.send('C-l');
    await ui.waitFor((screen) => !screen.includes('SCRIBBLED-OVER') && /steady +running/.test(screen), 10_000);
  });

  it('shows a task whose supervisor was SIGKILLed with its command as unknown', async () => {
    const dataDir = makeDataDir();
    const task = await start(dataDir, 'orphaned', ['sleep', '300']);
    const ui = await openUi(dataDir);
    await ui.waitFor(/orphaned +running/);
    // The supervisor leads the task's process group: no exit record, no file changes.
    tryKill(-task.pgid, 'SIGKILL');
    // The tick shows it within about a second (app.test.ts shows that with no re-read due);
    // here, on a busy machine, a generous deadline.
    await ui.waitFor(/orphaned +unknown/, 15_000);
  });

  it("groups a stack's services under its project and takes it down and up", { timeout: 60_000 }, async () => {
    const dataDir = makeDataDir();
    const dir = makeTempDir();
    writeFileSync(
      join(dir, 'ghost.yaml'),
      'name: shop\nservices:\n  db:\n    command: [sleep, "300"]\n    health_cmd: "true"\n    health_interval: 100ms\n  api:\n    command: [sleep, "300"]\n    depends_on:\n      db: { condition: healthy }\n',
    );
    await ghostOk(['up'], { dataDir, cwd: dir });
    await start(dataDir, 'loose', ['sleep', '300']);
    const ui = await openUi(dataDir);
    const screen = await ui.waitFor(/▾ shop +up +2 services · 2 running/, 15_000);
    expect(screen).toMatch(/▾ shop.*\n {2}\w{8} +api +running.*\n {2}\w{8} +db +running/);
    expect(screen).toMatch(/^ {2}\w{8} +loose +running/m);
    // The head is where the stack's newest task is: below the newer loose task.
    expect(screen.indexOf('loose')).toBeLessThan(screen.indexOf('▾ shop'));
    await ui.send('j', 'D');
    await ui.waitFor('Stop every service of shop, dependents first?');
    await ui.send('y');
    await ui.waitFor(/▾ shop +down +2 services · 0 running/, 15_000);
    const ps = await ghostJSON<TaskJSON[]>(['ps'], { dataDir, cwd: dir });
    expect(ps.map((task) => [task.service, task.status])).toEqual([
      ['db', 'killed'],
      ['api', 'killed'],
    ]);
    await ui.send('u');
    await ui.waitFor('shop is up: 2 started', 15_000);
    await ui.send('Space');
    await ui.waitFor((text) => /▸ shop +up/.test(text) && !/ api +running/.test(text));
  });
});
