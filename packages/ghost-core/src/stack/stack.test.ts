// The stack engine with real processes: plan, up in dependency order, reuse, restart on a
// changed definition, orphans, down in reverse order, failures and cycles.
import { waitFor } from '@ghost/test-support';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { type GhostError, isGhostError } from '../errors.js';
import type { Ghost } from '../ghost.js';
import { processInfo } from '../process/process-table.js';
import type { Task } from '../tasks/types.js';
import { CLOCK_STEP_MS } from '../supervisor/journal.js';
import { openGhost } from '../test-support/ghosts.js';
import { down } from './down.js';
import type { ServiceSpec, StackSpec } from './model.js';
import { plan } from './plan.js';
import { type StackProgress, up } from './up.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const service = (name: string, script: string, fields: Partial<ServiceSpec> = {}): ServiceSpec => ({
  name,
  command: [script],
  shell: true,
  cwd: '/',
  env: {},
  dependsOn: {},
  ...fields,
});

/** Ends slowly on SIGTERM, so an order of stops shows in their end times. */
const SLOW_TO_STOP = `trap 'sleep 0.3; exit 0' TERM; while :; do sleep 0.05; done`;

function threeServices(port: number): ServiceSpec[] {
  const db = `exec node -e "require('net').createServer((s) => s.end()).listen(${port}, '127.0.0.1'); process.on('SIGTERM', () => process.exit(0))"`;
  return [
    service('db', db, { health: { tcp: `127.0.0.1:${port}`, intervalMs: 100, retries: 100 } }),
    service('migrate', 'echo migrating; sleep 0.2; echo migrated'),
    service('api', SLOW_TO_STOP, { dependsOn: { db: 'healthy', migrate: 'completed_successfully' }, env: { MODE: 'one' } }),
    service('worker', SLOW_TO_STOP, { dependsOn: { api: 'started' } }),
  ];
}

const stackOf = (services: ServiceSpec[], project = 'shop'): StackSpec => ({
  project,
  file: '/nowhere/ghost.yaml',
  format: 'ghost',
  dir: '/nowhere',
  digest: 'x',
  services,
});

function byService(ghost: Ghost, project: string): Record<string, Task> {
  return Object.fromEntries(ghost.list({ project }).map((task) => [task.service!, task]));
}

async function failure(promise: Promise<unknown>): Promise<GhostError> {
  try {
    await promise;
  } catch (error) {
    if (isGhostError(error)) return error;
    throw error;
  }
  throw new Error('expected a GhostError');
}

describe('stacks', () => {
  it('brings a stack up in dependency order, then reuses, restarts what changed, removes orphans and goes down in reverse', async () => {
    const ghost = openGhost();
    const port = await freePort();
    const stack = stackOf(threeServices(port));
    expect(plan(ghost, stack)).toMatchObject({ changes: true, orphans: [], services: stack.services.map((s) => ({ service: s.name, action: 'start', reason: 'missing' })) });

    const progress: StackProgress[] = [];
    const first = await up(ghost, stack, { onProgress: (event) => progress.push(event), timeoutMs: 30_000 });
    expect(first.changed).toBe(true);
    const tasks = byService(ghost, 'shop');
    expect(Object.keys(tasks).sort()).toEqual(['api', 'db', 'migrate', 'worker']);
    const [db, migrate, api, worker] = [tasks.db!, tasks.migrate!, tasks.api!, tasks.worker!];
    expect(db).toMatchObject({ project: 'shop', service: 'db', status: 'running', health: 'healthy' });
    expect(migrate).toMatchObject({ status: 'exited', exitCode: 0 });
    // api started only once db was healthy and migrate had completed; worker once api ran.
    expect(api.startedAt.getTime()).toBeGreaterThanOrEqual(db.healthAt!.getTime() - CLOCK_STEP_MS);
    expect(api.startedAt.getTime()).toBeGreaterThanOrEqual(migrate.finishedAt!.getTime() - CLOCK_STEP_MS);
    expect(worker.startedAt.getTime()).toBeGreaterThanOrEqual(api.startedAt.getTime());
    const states = progress.map((event) => `${event.service}:${event.state}`);
    expect(states).toEqual(expect.arrayContaining(['db:started', 'db:healthy', 'migrate:completed', 'api:started', 'worker:started']));
    expect(progress.find((event) => event.service === 'api' && event.state === 'waiting-for')?.dependencies).toEqual(['db', 'migrate']);
    expect(states.indexOf('api:started')).toBeGreaterThan(states.indexOf('db:healthy'));
    expect(states.indexOf('api:started')).toBeGreaterThan(states.indexOf('migrate:completed'));

    // A second up with no change does nothing.
    const quiet: string[] = [];
    const second = await up(ghost, stack, { onProgress: (event) => quiet.push(`${event.service}:${event.state}`) });
    expect(quiet.sort()).toEqual(['api:unchanged', 'db:unchanged', 'migrate:unchanged', 'worker:unchanged']);
    expect(second.changed).toBe(false);
    expect(second.plan.changes).toBe(false);
    expect(second.services.map((s) => s.action)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect(Object.values(byService(ghost, 'shop')).map((task) => [task.service, task.run]).sort()).toEqual([
      ['api', 1],
      ['db', 1],
      ['migrate', 1],
      ['worker', 1],
    ]);

    // A changed env restarts only api: the same task, a new run, with the new environment.
    const changed = stackOf(stack.services.map((s) => (s.name === 'api' ? { ...s, env: { MODE: 'two' } } : s)));
    expect(plan(ghost, changed).services.map((s) => [s.service, s.action])).toEqual([
      ['db', 'unchanged'],
      ['migrate', 'unchanged'],
      ['api', 'restart'],
      ['worker', 'unchanged'],
    ]);
    const third = await up(ghost, changed);
    expect(third.changed).toBe(true);
    const after = byService(ghost, 'shop');
    expect(after.api).toMatchObject({ id: api.id, run: 2, status: 'running' });
    expect(ghost.taskEnv(api.id).MODE).toBe('two');
    expect([after.db!.run, after.migrate!.run, after.worker!.run]).toEqual([1, 1, 1]);

    // Without worker in the file, it is an orphan; removeOrphans stops and removes it.
    const smaller = stackOf(changed.services.filter((s) => s.name !== 'worker'));
    expect(plan(ghost, smaller).orphans.map((task) => task.id)).toEqual([worker.id]);
    const fourth = await up(ghost, smaller, { removeOrphans: true });
    expect(fourth.removed.map((task) => task.id)).toEqual([worker.id]);
    expect(processInfo(worker.pid!)).toBeNull();
    expect(Object.keys(byService(ghost, 'shop')).sort()).toEqual(['api', 'db', 'migrate']);

    // Down: dependents end before what they depend on (api is slow to stop; db is quick).
    await up(ghost, changed);
    const stopped = await down(ghost, changed);
    const ended = byService(ghost, 'shop');
    expect(Object.values(ended).every((task) => task.status !== 'running')).toBe(true);
    expect(ended.api!.finishedAt!.getTime()).toBeGreaterThanOrEqual(ended.worker!.finishedAt!.getTime() - CLOCK_STEP_MS);
    expect(ended.db!.finishedAt!.getTime()).toBeGreaterThanOrEqual(ended.api!.finishedAt!.getTime() - CLOCK_STEP_MS);
    expect(stopped.stopped.map((result) => result.task.service).filter((name) => name !== 'migrate')).toEqual(['worker', 'api', 'db']);
    // An up after a down starts the same tasks again: new runs, no second task.
    const again = await up(ghost, changed);
    expect(again.services.map((s) => [s.service, s.action])).toEqual([
      ['db', 'start'],
      ['migrate', 'unchanged'],
      ['api', 'start'],
      ['worker', 'start'],
    ]);
    expect(again.services.find((s) => s.service === 'db')!.task).toMatchObject({ id: db.id, run: 2, status: 'running' });
    expect(ghost.list({ project: 'shop' })).toHaveLength(4);
    const removed = await down(ghost, 'shop', { remove: true });
    expect(removed.removed).toHaveLength(4);
    expect(ghost.list({ project: 'shop' })).toEqual([]);
  }, 60_000);

  it('fails an up whose dependency fails, with its log tail, and leaves what is up running', async () => {
    const ghost = openGhost();
    const stack = stackOf([
      service('cache', 'sleep 60'),
      service('migrate', 'echo step one; echo boom: no such table >&2; exit 3'),
      service('api', 'sleep 60', { dependsOn: { migrate: 'completed_successfully', cache: 'started' } }),
    ]);
    const error = await failure(up(ghost, stack));
    expect(error.code).toBe('STACK_SERVICE_FAILED');
    expect(error.details).toMatchObject({ project: 'shop', service: 'migrate', reason: 'ended', condition: 'completed_successfully', status: 'exited', exitCode: 3 });
    expect(error.details.logTail).toEqual(['step one', 'boom: no such table']);
    const tasks = byService(ghost, 'shop');
    expect(tasks.api).toBeUndefined();
    expect(tasks.cache!.status).toBe('running');
  });

  it('times out a condition that is not met', async () => {
    const ghost = openGhost();
    const port = await freePort();
    const stack = stackOf([
      // Nothing listens on the port: never healthy.
      service('db', 'sleep 60', { health: { tcp: `127.0.0.1:${port}`, intervalMs: 50 } }),
      service('api', 'sleep 60', { dependsOn: { db: 'healthy' } }),
    ]);
    const error = await failure(up(ghost, stack, { timeoutMs: 500 }));
    expect(error.code).toBe('STACK_TIMEOUT');
    expect(error.details).toMatchObject({ service: 'db', reason: 'timeout', condition: 'healthy' });
    expect(byService(ghost, 'shop').api).toBeUndefined();
  });

  it('refuses a cycle, or an unknown service, before anything starts', async () => {
    const ghost = openGhost();
    const cycle = stackOf([
      service('web', 'sleep 60'),
      service('api', 'sleep 60', { dependsOn: { worker: 'started' } }),
      service('worker', 'sleep 60', { dependsOn: { api: 'started' } }),
    ]);
    const error = await failure(up(ghost, cycle));
    expect(error.code).toBe('DEPENDENCY_CYCLE');
    expect(error.details.cycle).toEqual(['api', 'worker', 'api']);
    expect(() => plan(ghost, cycle)).toThrow(/api -> worker -> api/);
    // A service waiting for itself would wait forever too.
    const itself = await failure(up(ghost, stackOf([service('api', 'sleep 60', { dependsOn: { api: 'started' } })])));
    expect(itself.details.cycle).toEqual(['api', 'api']);
    const unknown = await failure(up(ghost, stackOf([service('web', 'sleep 60')]), { services: ['nope'] }));
    expect(unknown.code).toBe('UNKNOWN_SERVICE');
    expect(ghost.list()).toEqual([]);
  });

  it('starts a selected service with its dependencies only', async () => {
    const ghost = openGhost();
    const stack = stackOf([
      service('db', 'sleep 60'),
      service('api', 'sleep 60', { dependsOn: { db: 'started' } }),
      service('docs', 'sleep 60'),
    ]);
    const result = await up(ghost, stack, { services: ['api'] });
    expect(result.services.map((s) => s.service)).toEqual(['db', 'api']);
    expect(Object.keys(byService(ghost, 'shop')).sort()).toEqual(['api', 'db']);
  });

  it('leaves one task per service when two ups of a stack run at once', async () => {
    const ghost = openGhost();
    const other = openGhost(ghost.paths.root);
    const stack = stackOf([
      service('db', 'sleep 60'),
      service('migrate', 'exit 0'),
      service('api', 'sleep 60', { dependsOn: { db: 'started', migrate: 'completed_successfully' } }),
    ]);
    const [a, b] = await Promise.all([up(ghost, stack), up(other, stack)]);
    expect(a.services.map((s) => s.task.id)).toEqual(b.services.map((s) => s.task.id));
    const tasks = ghost.list({ project: 'shop' });
    expect(tasks.map((task) => task.service).sort()).toEqual(['api', 'db', 'migrate']);
    expect(tasks.filter((task) => task.status === 'running')).toHaveLength(2);
  });

  it("stops a service with its own stop signal", async () => {
    const ghost = openGhost();
    // Ends cleanly on SIGINT only: a SIGTERM would kill it. A SIGINT before its trap is set
    // would kill it too, so the stop waits until it says it is ready.
    const stack = stackOf([service('dev', `trap 'exit 0' INT; echo ready; while :; do sleep 0.05; done`, { stop: { signal: 'SIGINT', timeoutMs: 5_000 } })]);
    const [dev] = (await up(ghost, stack)).services;
    await waitFor(() => ghost.readLog(dev!.task.id).toString() === 'ready\n', { message: 'the service to set its trap' });
    const result = await down(ghost, stack);
    expect(result.stopped[0]!.task).toMatchObject({ status: 'exited', exitCode: 0 });
  });

  it('runs a plain task as a service: checked like names, one task per service, listed by project', async () => {
    const ghost = openGhost();
    await expect(ghost.run({ command: ['true'], project: 'shop' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', details: { argument: 'service' } });
    await expect(ghost.run({ command: ['true'], project: ' shop', service: 'db' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', details: { argument: 'project' } });
    const first = await ghost.run({ command: ['sleep', '60'], project: 'shop', service: 'db' });
    await ghost.run({ command: ['sleep', '60'] });
    // Running: the same task is returned.
    expect((await ghost.run({ command: ['sleep', '60'], project: 'shop', service: 'db' })).id).toBe(first.id);
    expect(ghost.list({ project: 'shop' }).map((task) => task.id)).toEqual([first.id]);
    expect(JSON.parse(ghost.listJSON({ project: 'shop' }))).toMatchObject([{ id: first.id, project: 'shop', service: 'db' }]);
    expect(JSON.parse(ghost.listJSON()).map((task: { project: string | null }) => task.project).sort()).toEqual([null, 'shop']);
  });
});
