// watchStack with real files: one event per burst of changes per service, ignores honoured,
// the project file seen even when an editor replaces it.
import { tempDir, waitFor } from '@ghost/test-support';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceSpec, StackSpec } from './model.js';
import { type StackWatchEvent, type StackWatcher, compileGlob, watchStack } from './watch.js';

const watchers: StackWatcher[] = [];
afterEach(() => {
  for (const watcher of watchers.splice(0)) watcher.close();
});

function project(services: Record<string, ServiceSpec['watch']>, envFiles: string[] = []): { dir: string; stack: StackSpec; events: StackWatchEvent[] } {
  const dir = tempDir();
  const file = join(dir, 'ghost.yaml');
  writeFileSync(file, 'services: {}\n');
  for (const sub of ['api/src/deep', 'api/node_modules', 'web']) mkdirSync(join(dir, sub), { recursive: true });
  const stack: StackSpec = {
    project: 'p',
    file,
    format: 'ghost',
    dir,
    digest: '',
    services: Object.entries(services).map(([name, watch]) => ({ name, command: ['true'], shell: false, cwd: dir, env: {}, envFiles: envFiles.map((envFile) => join(dir, envFile)), dependsOn: {}, watch })),
  };
  const events: StackWatchEvent[] = [];
  watchers.push(watchStack(stack, (event) => events.push(event), { debounceMs: 100 }));
  return { dir, stack, events };
}

const ofService = (events: StackWatchEvent[], name: string) => events.filter((event) => event.kind === 'service' && event.service === name);

describe('watchStack', () => {
  it('reports a burst of changes under a service once, and only for that service', async () => {
    const { dir, events } = project({ api: { paths: ['api'], ignore: [] }, web: { paths: ['web/*.js'], ignore: [] } });
    for (let i = 0; i < 20; i++) writeFileSync(join(dir, 'api/src/deep/a.ts'), `${i}\n`);
    writeFileSync(join(dir, 'api/src/b.ts'), 'b\n');
    const [api] = await waitFor(() => ofService(events, 'api').length > 0 && ofService(events, 'api'));
    expect(api).toEqual({ kind: 'service', service: 'api', paths: ['api/src/deep/a.ts', 'api/src/b.ts'] });

    // A later change to web comes after api's burst settled: still one event for api.
    writeFileSync(join(dir, 'web/app.js'), 'x\n');
    await waitFor(() => ofService(events, 'web').length > 0);
    expect(ofService(events, 'api')).toHaveLength(1);
    expect(events.filter((event) => event.kind === 'file')).toEqual([]);
  });

  it('leaves out what the ignore patterns name, at any depth for a bare name', async () => {
    const { dir, events } = project({ api: { paths: ['api/**/*.ts'], ignore: ['node_modules', 'api/src/deep'] } });
    writeFileSync(join(dir, 'api/node_modules/x.ts'), 'x\n');
    writeFileSync(join(dir, 'api/src/deep/y.ts'), 'y\n');
    writeFileSync(join(dir, 'api/src/readme.md'), 'not a .ts file\n');
    writeFileSync(join(dir, 'api/src/z.ts'), 'z\n');
    const [api] = await waitFor(() => ofService(events, 'api').length > 0 && ofService(events, 'api'));
    expect(api!.kind === 'service' && api!.paths).toEqual(['api/src/z.ts']);
  });

  it('reports the project file, also when it is replaced by a rename, and never as a service source', async () => {
    const { dir, events } = project({ all: { paths: ['.'], ignore: ['*.tmp'] } });
    writeFileSync(join(dir, 'ghost.yaml.tmp'), 'services: {a: {command: [true]}}\n');
    renameSync(join(dir, 'ghost.yaml.tmp'), join(dir, 'ghost.yaml'));
    await waitFor(() => events.some((event) => event.kind === 'file'));
    writeFileSync(join(dir, 'other.txt'), 'x\n');
    await waitFor(() => ofService(events, 'all').length > 0);
    expect(events).toEqual([
      { kind: 'file', paths: ['ghost.yaml'] },
      { kind: 'service', service: 'all', paths: ['other.txt'] },
    ]);
  });

  it('reports a change to an env file as a change of the project', async () => {
    const { dir, events } = project({ api: { paths: ['api'], ignore: [] } }, ['api/.env']);
    writeFileSync(join(dir, 'api/.env'), 'A=1\n');
    await waitFor(() => events.length > 0);
    expect(events).toEqual([{ kind: 'file', paths: ['api/.env'] }]);
  });
});

describe('compileGlob', () => {
  it('reads *, **, ? and {a,b}, and a path as everything under it', () => {
    const cases: [string, string, boolean][] = [
      ['src', 'src/a/b.ts', true],
      ['src', 'srcs/a.ts', false],
      ['src/*.ts', 'src/a.ts', true],
      ['src/*.ts', 'src/a/b.ts', false],
      ['src/**/*.ts', 'src/a.ts', true],
      ['src/**/*.ts', 'src/a/b/c.ts', true],
      ['./lib/?.{js,mjs}', 'lib/a.mjs', true],
      ['./lib/?.{js,mjs}', 'lib/ab.js', false],
    ];
    for (const [pattern, path, expected] of cases) expect([pattern, path, compileGlob(pattern).test(path)]).toEqual([pattern, path, expected]);
  });
});
