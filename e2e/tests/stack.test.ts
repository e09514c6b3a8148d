// A stack from a project file, driven through the built ghost: a TCP "db" with a TCP health
// check, a one-shot "migrate", an HTTP "api" that needs db healthy and migrate completed, and a
// "worker" that needs api started. The order is asserted from recorded times, not sleeps.
import { waitFor } from '@ghost/test-support';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { REPO_ROOT, type RunJSON, type TaskJSON, freePort, ghost, ghostJSON, ghostOk, makeDataDir, makeTempDir } from '../src/harness.js';

const TCP_SERVER = "require('net').createServer(s=>s.end()).listen(+process.env.PORT,'127.0.0.1')";
const HTTP_SERVER = "require('http').createServer((q,r)=>r.end('ok')).listen(+process.env.PORT,'127.0.0.1')";

function stackFile(dbPort: number, apiPort: number, { apiGreeting = 'hello', worker = true, migrate = 'echo migrated' } = {}): string {
  return `name: shop
services:
  db:
    command: [node, -e, "${TCP_SERVER}"]
    env: { PORT: "${dbPort}" }
    health_tcp: "${dbPort}"
    health_interval: 100ms
  migrate:
    command: "${migrate}"
  api:
    command: [node, -e, "${HTTP_SERVER}"]
    env: { PORT: "${apiPort}", GREETING: ${apiGreeting} }
    depends_on:
      db: { condition: healthy }
      migrate: { condition: completed_successfully }
    health_http: http://127.0.0.1:${apiPort}/
    health_interval: 100ms
${worker ? '  worker:\n    command: [sleep, "600"]\n    depends_on: [api]\n' : ''}`;
}

const at = (time: string | null | undefined) => (time ? Date.parse(time) : Number.NaN);

describe('ghost up and down', () => {
  it('brings a stack up in dependency order, changes only what changed, and takes it down dependents first', { timeout: 90_000 }, async ({ expect }) => {
    const dataDir = makeDataDir();
    const dir = makeTempDir();
    const [dbPort, apiPort] = [await freePort(), await freePort()];
    writeFileSync(join(dir, 'ghost.yaml'), stackFile(dbPort, apiPort));

    const first = await ghostOk(['up'], { dataDir, cwd: dir });
    expect(first.stdout).toMatch(/^api\s+waiting for db, migrate$/m);
    const ps = async () => Object.fromEntries((await ghostJSON<TaskJSON[]>(['ps'], { dataDir, cwd: dir })).map((task) => [task.service, task]));
    const tasks = await ps();
    expect(Object.keys(tasks).sort()).toEqual(['api', 'db', 'migrate', 'worker']);
    expect(tasks.migrate).toMatchObject({ project: 'shop', status: 'exited', exit_code: 0 });
    // api started once db was healthy and migrate had completed; worker once api had started.
    const dbRuns = await ghostJSON<RunJSON[]>(['runs', tasks.db!.id], { dataDir });
    expect(at(tasks.db!.health_at)).toBeLessThanOrEqual(at(tasks.api!.started_at));
    expect(at(dbRuns[0]!.started_at)).toBeLessThan(at(tasks.api!.started_at));
    expect(at(tasks.migrate!.finished_at)).toBeLessThanOrEqual(at(tasks.api!.started_at));
    expect(at(tasks.api!.started_at)).toBeLessThanOrEqual(at(tasks.worker!.started_at));

    // ps: one row per service, in file order, with its health and the port its tree listens on.
    const table = (await ghostOk(['ps'], { dataDir, cwd: dir })).stdout.split('\n');
    expect(table[0]).toMatch(/^SERVICE\s+ID\s+STATUS\s+RESTARTS\s+PORTS\s+PID\s+STARTED\s+COMMAND$/);
    expect(table.slice(1, 5).map((row) => row.split(/\s+/)[0])).toEqual(['db', 'migrate', 'api', 'worker']);
    expect(table[1]).toMatch(new RegExp(`^db\\s+\\w{8}\\s+running \\(healthy\\)\\s+-\\s+${dbPort}\\s+${tasks.db!.pid}\\s`));
    expect(table[2]).toMatch(/^migrate\s+\w{8}\s+exited 0\s+-\s+-\s+/);
    expect(table[3]).toMatch(new RegExp(`^api\\s+\\w{8}\\s+running \\(healthy\\)\\s+-\\s+${apiPort}\\s`));

    const again = await ghostOk(['up'], { dataDir, cwd: dir });
    expect(again.stderr).toMatch(/nothing to do/);
    expect((await ps()).api!.run).toBe(1);

    // A changed environment restarts the api alone (a new run of the same task).
    writeFileSync(join(dir, 'ghost.yaml'), stackFile(dbPort, apiPort, { apiGreeting: 'bonjour' }));
    await ghostOk(['up'], { dataDir, cwd: dir });
    const changed = await ps();
    expect(changed.api).toMatchObject({ id: tasks.api!.id, run: 2, status: 'running' });
    expect([changed.db!.run, changed.worker!.run]).toEqual([1, 1]);

    // The worker leaves the file: --remove-orphans stops and removes it.
    writeFileSync(join(dir, 'ghost.yaml'), stackFile(dbPort, apiPort, { apiGreeting: 'bonjour', worker: false }));
    await ghostOk(['up', '--remove-orphans'], { dataDir, cwd: dir });
    expect(Object.keys(await ps()).sort()).toEqual(['api', 'db', 'migrate']);

    await ghostOk(['down'], { dataDir, cwd: dir });
    const stopped = await ps();
    expect(stopped.api!.status).not.toBe('running');
    expect(stopped.db!.status).not.toBe('running');
    expect(at(stopped.api!.finished_at)).toBeLessThanOrEqual(at(stopped.db!.finished_at));
  });

  it('stops at a failing dependency with its log tail, and refuses a bad file with file:line:col', async ({ expect }) => {
    const dataDir = makeDataDir();
    const dir = makeTempDir();
    writeFileSync(join(dir, 'ghost.yaml'), stackFile(await freePort(), await freePort(), { migrate: 'echo cannot reach the schema; exit 3' }));
    const failed = await ghost(['up', '--timeout', '30s'], { dataDir, cwd: dir });
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toMatch(/migrate/);
    expect(failed.stderr).toContain('cannot reach the schema');
    const tasks = await ghostJSON<TaskJSON[]>(['ps'], { dataDir, cwd: dir });
    expect(tasks.find((task) => task.service === 'api')).toBeUndefined();

    await ghostOk(['down'], { dataDir, cwd: dir });

    writeFileSync(join(dir, 'ghost.yaml'), 'services:\n  a:\n    command: ["true"]\n    depends_on: [b]\n  b:\n    command: ["true"]\n    depends_on: [a]\n    restrat: always\n');
    const bad = await ghost(['up'], { dataDir, cwd: dir });
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^ghost\.yaml:8:5: .*restrat.*did you mean "restart"/m);
    expect(bad.stderr).toMatch(/^ghost\.yaml:\d+:\d+: .*a -> b -> a/m);
  });

  it('brings up a Procfile project, with its .env', async ({ expect }) => {
    const dataDir = makeDataDir();
    const dir = makeTempDir();
    writeFileSync(join(dir, 'Procfile'), '# a comment\nweb: echo "web on $PORT"; exec sleep 300\nworker: echo "worker up"; exec sleep 300\n');
    writeFileSync(join(dir, '.env'), 'PORT=5000\n');
    await ghostOk(['up'], { dataDir, cwd: dir });
    const tasks = await ghostJSON<TaskJSON[]>(['ps'], { dataDir, cwd: dir });
    expect(tasks.map((task) => [task.service, task.status]).sort()).toEqual([
      ['web', 'running'],
      ['worker', 'running'],
    ]);
    await waitFor(async () => (await ghostOk(['log', 'web'], { dataDir, cwd: dir })).stdout === 'web on 5000\n', { message: "web's line" });
    await ghostOk(['down'], { dataDir, cwd: dir });
  });

  it("brings up a process-compose.yaml from process-compose's own documentation", async ({ expect }) => {
    const dataDir = makeDataDir();
    const dir = makeTempDir();
    copyFileSync(join(REPO_ROOT, 'packages/ghost-core/src/stack/fixtures/launcher-run-specific.yaml'), join(dir, 'process-compose.yaml'));
    await ghostOk(['up'], { dataDir, cwd: dir });
    const byService = async (): Promise<Record<string, TaskJSON>> =>
      Object.fromEntries((await ghostJSON<TaskJSON[]>(['ps'], { dataDir, cwd: dir })).map((task) => [task.service, task]));
    const tasks = await waitFor(async () => {
      const now = await byService();
      return Object.values(now).length === 3 && Object.values(now).every((task) => task.status === 'exited') ? now : undefined;
    }, { message: 'the three processes to run and end' });
    // process1 waited for process2 to complete successfully.
    expect(at(tasks.process2!.finished_at)).toBeLessThanOrEqual(at(tasks.process1!.started_at));
    for (const name of ['process1', 'process2', 'process3']) {
      expect((await ghostOk(['log', tasks[name]!.id], { dataDir })).stdout).toBe(`Hi from ${name.replace('process', 'Process')}\n`);
    }
  });
});
