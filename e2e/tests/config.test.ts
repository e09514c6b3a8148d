// `ghost config`: the built command reads a project file, prints it (env by name only) or
// checks it, with one file:line:col line per problem.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ghost, ghostJSON, makeDataDir, makeTempDir } from '../src/harness.js';

describe('ghost config', () => {
  it('--validate prints every problem as file:line:col and exits 1', async () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, 'ghost.yaml'), 'services:\n  api:\n    command: a\n    depends_on: [worker]\n  worker:\n    command: w\n    depends_on: [api]\n    restrat: always\n');
    const result = await ghost(['config', '--validate'], { dataDir: makeDataDir(), cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'ghost.yaml:4:18: dependency cycle: api -> worker -> api\nghost.yaml:8:5: unknown key "restrat" in services.worker (did you mean "restart"?)\n',
    );
    writeFileSync(join(dir, 'ghost.yaml'), 'services:\n  api:\n    command: a\n    depends_on: [worker]\n  worker:\n    command: w\n    depends_on: [api]\n');
    const cycle = await ghost(['config', '--validate'], { dataDir: makeDataDir(), cwd: dir });
    expect(cycle.exitCode).toBe(1);
    expect(cycle.stderr).toBe('ghost.yaml:4:18: dependency cycle: api -> worker -> api\n');
  });

  it('--json prints the resolved stack from a subdirectory, with env names and never their values', async () => {
    const dir = makeTempDir();
    mkdirSync(join(dir, 'web'));
    writeFileSync(join(dir, 'ghost.yaml'), 'name: shop\nservices:\n  db:\n    command: [sleep, "60"]\n    health_tcp: "5432"\n    env: {PASSWORD: hunter2}\n  web:\n    command: npm start\n    cwd: web\n    depends_on: {db: {condition: healthy}}\n');
    const stack = await ghostJSON<{ project: string; services: { name: string; cwd: string; env: string[]; dependsOn: object }[] }>(
      ['config', '--json'],
      { dataDir: makeDataDir(), cwd: join(dir, 'web') },
    );
    expect(stack.project).toBe('shop');
    expect(stack.services.map((service) => [service.name, service.cwd, service.env, service.dependsOn])).toEqual([
      ['db', dir, ['PASSWORD'], {}],
      ['web', join(dir, 'web'), [], { db: 'healthy' }],
    ]);
    expect(JSON.stringify(stack)).not.toContain('hunter2');
    const valid = await ghost(['config', '--validate'], { dataDir: makeDataDir(), cwd: dir });
    expect([valid.exitCode, valid.stdout]).toEqual([0, 'ghost.yaml: valid, 2 services\n']);
  });
});
