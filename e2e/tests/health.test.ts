// Health checks from the command line: HTTP, TCP, command and ready-log probes, the liveness
// restart of an unhealthy task, wait --healthy and run --wait-healthy, and bad values.
import { waitFor } from '@ghost/test-support';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, it } from 'vitest';
import { type RunJSON, type TaskJSON, freePort, ghost, ghostJSON, ghostOk, makeDataDir, makeTempDir } from '../src/harness.js';
import { expectTaskShape } from '../src/assertions.js';

// Answers every request until the file $2 exists, then stops answering (while staying alive).
const HTTP_SERVER = `const fs=require('fs');require('http').createServer((q,r)=>{if(!fs.existsSync(process.argv[2]))r.end('ok')}).listen(+process.argv[1],'127.0.0.1',()=>console.log('listening'))`;
const FAST = ['--health-interval', '100ms', '--health-timeout', '1s'];

const status = (dataDir: string, ref: string) => ghostJSON<TaskJSON>(['status', ref], { dataDir });
const untilHealth = (dataDir: string, ref: string, health: TaskJSON['health'], timeout = 20_000) =>
  waitFor(
    async () => {
      const task = await status(dataDir, ref);
      return task.health === health ? task : undefined;
    },
    { timeout, interval: 50, message: `task ${ref} to be ${health}` },
  );

describe('health checks', () => {
  const dataDir = makeDataDir();

  it.concurrent('an HTTP server that stops answering while alive is found unhealthy and restarted', async ({ expect }) => {
    const port = await freePort();
    const hang = join(makeTempDir(), 'hang');
    const url = `http://127.0.0.1:${port}/health`;
    const started = await ghostOk(
      // Generous: on a loaded machine the server can take seconds to listen, and to answer.
      ['run', '--name', 'web', '--restart', 'always', '--backoff', '100ms', '--health-http', url, '--health-interval', '100ms', '--health-timeout', '3s', '--health-retries', '3', '--health-start-period', '60s', '--wait-healthy', '--', 'node', '-e', HTTP_SERVER, String(port), hang],
      { dataDir },
    );
    const id = started.stdout.trim();
    const healthy = await status(dataDir, id);
    expectTaskShape(healthy);
    expect(healthy).toMatchObject({ status: 'running', health: 'healthy', run: 1 });
    expect((await ghostOk(['status', id], { dataDir })).stdout).toMatch(/^status\s+running \(healthy\)$/m);

    writeFileSync(hang, '');
    const ended = await waitFor(
      async () => (await ghostJSON<RunJSON[]>(['runs', id], { dataDir })).find((run) => run.run === 1 && run.status !== 'running'),
      { timeout: 30_000, interval: 50, message: 'run 1 to be ended as unhealthy' },
    );
    expect(ended).toMatchObject({ status: 'killed', signal: 'SIGTERM', reason: 'unhealthy' });
    expect((await ghostOk(['runs', id], { dataDir })).stdout).toContain('ended for failing its health check');

    rmSync(hang);
    const again = await waitFor(
      async () => {
        const task = await status(dataDir, id);
        return task.health === 'healthy' && task.run > 1 ? task : undefined;
      },
      { timeout: 20_000, interval: 50, message: 'a later run to be healthy' },
    );
    expectTaskShape(again);
    expect(again.restarts).toBeGreaterThanOrEqual(1);
    await ghostOk(['stop', id], { dataDir });
  });

  it.concurrent('an https:// check passes against a self-signed certificate, as a dev server has', async ({ expect }) => {
    const dir = makeTempDir();
    const made = await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'], { reject: false });
    expect(made.exitCode, made.stderr).toBe(0);
    const port = await freePort();
    const server = `const fs=require('fs');require('https').createServer({key:fs.readFileSync('key.pem'),cert:fs.readFileSync('cert.pem')},(q,r)=>r.end('ok')).listen(${port},'127.0.0.1')`;
    const id = (await ghostOk(['run', '--cwd', dir, '--health-http', `https://127.0.0.1:${port}/`, ...FAST, '--', 'node', '-e', server], { dataDir })).stdout.trim();
    expect(await untilHealth(dataDir, id, 'healthy')).toMatchObject({ status: 'running', health: 'healthy' });
    await ghostOk(['stop', id], { dataDir });
  });

  it.concurrent('a TCP check passes once the port accepts; without --restart an unhealthy task keeps running', async ({ expect }) => {
    const port = await freePort();
    const listenLater = `setTimeout(()=>require('net').createServer(s=>s.end()).listen(${port},'127.0.0.1'),200);setInterval(()=>{},1000)`;
    const up = await ghostOk(['run', '--health-tcp', `127.0.0.1:${port}`, ...FAST, '--wait-healthy', '--json', '--', 'node', '-e', listenLater], { dataDir });
    const task = JSON.parse(up.stdout) as TaskJSON;
    expectTaskShape(task);
    expect(task).toMatchObject({ status: 'running', health: 'healthy' });

    const closed = await freePort();
    const down = (await ghostOk(['run', '--health-tcp', String(closed), ...FAST, '--health-retries', '2', '--', 'sleep', '30'], { dataDir })).stdout.trim();
    const unhealthy = await untilHealth(dataDir, down, 'unhealthy');
    expect(unhealthy).toMatchObject({ status: 'running', run: 1, restarts: 0 });
    expect((await ghostOk(['list'], { dataDir })).stdout).toMatch(/running \(unhealthy\)/);
    await ghostOk(['stop', task.id, down], { dataDir });
  });

  it.concurrent("a command check runs in the task's directory and environment", async ({ expect }) => {
    const cwd = makeTempDir();
    const id = (
      await ghostOk(['run', '--cwd', cwd, '--env', 'MARK=yes', '--health-cmd', 'test "$MARK" = yes && test -f ready', ...FAST, '--health-retries', '100000', '--', 'sleep', '30'], { dataDir })
    ).stdout.trim();
    const starting = await status(dataDir, id);
    expect(starting).toMatchObject({ status: 'running', health: 'starting', health_at: null });
    writeFileSync(join(cwd, 'ready'), '');
    const healthy = await untilHealth(dataDir, id, 'healthy');
    expectTaskShape(healthy);
    await ghostOk(['stop', id], { dataDir });
    // Ended: no health any more.
    expect((await status(dataDir, id)).health).toBeNull();
  });

  it.concurrent('--ready-log with wait --healthy: 0 once a line matches, the status if it dies first, 124 on timeout', async ({ expect }) => {
    const id = (await ghostOk(['run', '--ready-log', 'ready in \\d+ ms', '--', 'sh', '-c', 'echo starting; sleep 0.3; echo "ready in 300 ms"; sleep 30'], { dataDir })).stdout.trim();
    const wait = await ghost(['wait', '--healthy', '--timeout', '30', id], { dataDir });
    expect(wait).toMatchObject({ exitCode: 0, stdout: '' });
    expect(await status(dataDir, id)).toMatchObject({ status: 'running', health: 'healthy' });

    const dies = (await ghostOk(['run', '--ready-log', 'never', '--', 'sh', '-c', 'echo nope; exit 3'], { dataDir })).stdout.trim();
    const died = await ghost(['wait', '--healthy', '--timeout', '30', dies], { dataDir });
    expect(died.exitCode).toBe(3);
    expect(died.stderr).toMatch(/ended before it was healthy: exited 3/);

    const slow = (await ghostOk(['run', '--ready-log', 'never', '--', 'sleep', '30'], { dataDir })).stdout.trim();
    expect((await ghost(['wait', '--healthy', '--timeout', '0.2', slow], { dataDir })).exitCode).toBe(124);

    const plain = (await ghostOk(['run', '--', 'sleep', '30'], { dataDir })).stdout.trim();
    const refused = await ghost(['wait', '--healthy', plain], { dataDir });
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/has no health check to wait for\n$/);
    await ghostOk(['stop', id, slow, plain], { dataDir });
  });

  it.concurrent('run --wait-healthy prints the id and fails with the status of a task that ends before it is healthy', async ({ expect }) => {
    const result = await ghost(['run', '--wait-healthy', '--health-cmd', 'false', ...FAST, '--', 'sh', '-c', 'exit 5'], { dataDir });
    expect(result.exitCode).toBe(5);
    expect(result.stdout).toMatch(/^[0-9a-f-]{36}\n$/);
    expect(result.stderr).toMatch(/ended before it was healthy: exited 5\n$/);
  });

  it.concurrent.for(['USR1', 'TERM'])('keeps probing after a SIG%s the command survives (a reload, a graceful stop it ignores)', async (signal, { expect }) => {
    const cwd = makeTempDir();
    writeFileSync(join(cwd, 'ok'), '');
    const id = (
      await ghostOk(['run', '--cwd', cwd, '--health-cmd', 'test -f ok', ...FAST, '--health-retries', '1', '--', 'sh', '-c', `trap "" ${signal}; sleep 30`], { dataDir })
    ).stdout.trim();
    await untilHealth(dataDir, id, 'healthy');
    await ghostOk(['kill', '--signal', signal, id], { dataDir });
    rmSync(join(cwd, 'ok'));
    expect(await untilHealth(dataDir, id, 'unhealthy')).toMatchObject({ status: 'running', run: 1 });
    await ghostOk(['stop', '--force', id], { dataDir });
  });

  it.concurrent('keeps the health check across restart', async ({ expect }) => {
    const id = (await ghostOk(['run', '--health-cmd', 'true', ...FAST, '--', 'sleep', '30'], { dataDir })).stdout.trim();
    await untilHealth(dataDir, id, 'healthy');
    await ghostOk(['restart', id], { dataDir });
    const again = await untilHealth(dataDir, id, 'healthy');
    expect(again.run).toBe(2);
    await ghostOk(['stop', id], { dataDir });
  });

  it.concurrent('refuses bad values with one line and starts nothing', async ({ expect }) => {
    const dataDir = makeDataDir();
    for (const [args, message] of [
      [['--health-http', 'ftp://example.com/'], 'ghost: cannot probe "ftp://example.com/": only http:// and https:// URLs can be checked\n'],
      [['--ready-log', '(['], 'ghost: invalid ready-log pattern /([/: Unterminated character class\n'],
      [['--health-cmd', 'true', '--health-interval', '0'], 'ghost: invalid health interval: 0 ms (10 ms to 24 hours)\n'],
      [['--health-cmd', 'true', '--health-retries', '0'], 'ghost: invalid health retries: 0 (a whole number from 1)\n'],
      [['--health-tcp', 'localhost:99999'], 'ghost: invalid health TCP address "localhost:99999" (expected [HOST:]PORT)\n'],
      [['--health-cmd', 'true', '--health-tcp', '80'], 'ghost: give one health check, not 2\n'],
      [['--health-interval', '1s'], 'ghost: the health interval needs a health check (a command, an HTTP URL, a TCP port or a ready-log pattern)\n'],
      [['--wait-healthy'], 'ghost: --wait-healthy needs a health check: --health-cmd, --health-http, --health-tcp or --ready-log\n'],
    ] as const) {
      const result = await ghost(['run', ...args, '--', 'sleep', '30'], { dataDir });
      expect(result.stderr).toBe(message);
      expect(result.exitCode).toBe(2);
      expect(result.stdout).toBe('');
    }
    expect(await ghostJSON<TaskJSON[]>(['list', '--json'], { dataDir })).toEqual([]);
    expect(existsSync(join(dataDir, 'journal')) ? (await import('node:fs')).readdirSync(join(dataDir, 'journal')) : []).toEqual([]);
  });
});
