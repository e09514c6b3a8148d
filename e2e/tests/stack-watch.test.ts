// ghost up --watch (a foreground reconcile loop), up --attach (the services' logs until
// Ctrl-C, then down) and a service name resolved within the current project.
import { waitFor } from '@ghost/test-support';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { type TaskJSON, ghostJSON, ghostOk, makeDataDir, makeTempDir, spawnGhost, startTask } from '../src/harness.js';

function stackFile(greeting: string): string {
  return `name: watched
services:
  api:
    command: [sh, -c, 'echo "api says $GREETING"; exec sleep 600']
    env: { GREETING: ${greeting} }
    watch: { paths: [src], ignore: ['*.tmp'] }
  worker:
    command: [sh, -c, 'echo "worker ready"; exec sleep 600']
`;
}

function output(child: ReturnType<typeof spawnGhost>): () => string {
  const chunks: Buffer[] = [];
  child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr!.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString();
}

describe('ghost up --watch', () => {
  it('applies a changed file, restarts a service whose watch paths change, and leaves the stack running on Ctrl-C', { timeout: 60_000 }, async ({ expect }) => {
    const dataDir = makeDataDir();
    const dir = makeTempDir();
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'ghost.yaml'), stackFile('hello'));
    const child = spawnGhost(['up', '--watch'], { dataDir, cwd: dir, timeout: 60_000 });
    const seen = output(child);
    await waitFor(() => seen().includes('watching'), { message: 'the watch loop to start', timeout: 20_000 });
    const ps = async () => Object.fromEntries((await ghostJSON<TaskJSON[]>(['ps'], { dataDir, cwd: dir })).map((task) => [task.service, task]));
    expect((await ps()).api).toMatchObject({ run: 1, status: 'running' });

    // The api's environment changes: the loop applies the file, which restarts the api alone.
    writeFileSync(join(dir, 'ghost.yaml'), stackFile('bonjour'));
    await waitFor(async () => (await ps()).api?.run === 2, { message: 'the api to run again', timeout: 20_000 });
    expect(seen()).toMatch(/^ghost\.yaml changed: applying ghost\.yaml$/m);
    expect((await ps()).worker!.run).toBe(1);

    // A watched file changes (and an ignored one, which is not named): the api restarts.
    writeFileSync(join(dir, 'src', 'notes.tmp'), 'scratch\n');
    writeFileSync(join(dir, 'src', 'main.sh'), 'echo changed\n');
    await waitFor(async () => (await ps()).api?.run === 3 && seen().includes('api  restarted (src/main.sh changed)'), { message: 'the api to restart', timeout: 20_000 });

    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(0);
    const tasks = await ps();
    expect([tasks.api!.status, tasks.worker!.status]).toEqual(['running', 'running']);
    expect([tasks.api!.run, tasks.worker!.run]).toEqual([3, 1]);
    await ghostOk(['down'], { dataDir, cwd: dir });
  });
});

describe('ghost up --attach', () => {
  it("prints every service's lines prefixed with it, and Ctrl-C takes the stack down", { timeout: 60_000 }, async ({ expect }) => {
    const dataDir = makeDataDir();
    const dir = makeTempDir();
    writeFileSync(join(dir, 'ghost.yaml'), stackFile('hello'));
    const child = spawnGhost(['up', '--attach'], { dataDir, cwd: dir, timeout: 60_000 });
    const seen = output(child);
    await waitFor(() => /^api +\| api says hello$/m.test(seen()) && /^worker +\| worker ready$/m.test(seen()), {
      message: 'both services to be followed',
      timeout: 20_000,
    });
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    const tasks = await ghostJSON<TaskJSON[]>(['ps'], { dataDir, cwd: dir });
    expect(tasks.map((task) => [task.service, task.status]).sort()).toEqual([
      ['api', 'killed'],
      ['worker', 'killed'],
    ]);
  });
});

describe('a service name within the current project', () => {
  it("ghost log api in the project's directory reads its api, even when a newer task elsewhere is named api", { timeout: 60_000 }, async ({ expect }) => {
    const dataDir = makeDataDir();
    const dir = makeTempDir();
    writeFileSync(join(dir, 'ghost.yaml'), stackFile('hello'));
    await ghostOk(['up'], { dataDir, cwd: dir });
    await startTask(dataDir, ['sh', '-c', 'echo elsewhere; exec sleep 600'], { name: 'api' });
    await waitFor(async () => (await ghostOk(['log', 'api'], { dataDir, cwd: dir })).stdout.includes('api says hello'), { message: "the project's api log" });
    expect((await ghostOk(['status', '--json', 'api'], { dataDir, cwd: dir })).stdout).toMatch(/"project":"watched"/);
    // Outside the project, the name means the newest task of that name, as before.
    await waitFor(async () => (await ghostOk(['log', 'api'], { dataDir, cwd: makeTempDir() })).stdout === 'elsewhere\n', { message: 'the other api log' });
    await ghostOk(['stop', 'api'], { dataDir, cwd: dir });
    expect((await ghostJSON<TaskJSON[]>(['ps'], { dataDir, cwd: dir })).find((task) => task.service === 'api')!.status).toBe('killed');
    await ghostOk(['down'], { dataDir, cwd: dir });
    await ghostOk(['stop', 'api'], { dataDir });
  });
});
