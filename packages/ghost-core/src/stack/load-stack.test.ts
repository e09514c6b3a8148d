import { tempDir } from '@ghost/test-support';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadStack } from '../stack.js';

function project(files: Record<string, string>, name = 'My App'): string {
  const dir = join(tempDir('ghost-stack-'), name);
  mkdirSync(dir);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

const lines = (dir: string) => loadStack({ cwd: dir }).problems.map((problem) => formatProblem(problem, dir));

describe('loadStack', () => {
  it('finds ghost.yaml from a subdirectory and names the project after its directory', () => {
    const dir = project({ 'ghost.yaml': 'services:\n  web:\n    command: [node, server.js]\n    cwd: app\n', 'app/src/x': '' });
    const { stack, problems } = loadStack({ cwd: join(dir, 'app', 'src') });
    expect(problems).toEqual([]);
    expect(stack?.project).toBe('myapp');
    expect(stack?.services[0]).toMatchObject({ name: 'web', command: ['node', 'server.js'], shell: false, cwd: join(dir, 'app') });
  });

  it('reports every problem at its line and column, with a did-you-mean', () => {
    const dir = project({ 'ghost.yaml': 'services:\n  api:\n    command: x\n    max_restart: 3\n    restart: sometimes\n  db:\n    command: []\n' });
    expect(lines(dir)).toEqual([
      'ghost.yaml:4:5: unknown key "max_restart" in services.api (did you mean "max_restarts"?)',
      'ghost.yaml:5:14: services.api.restart: Invalid option: expected one of "no"|"on-failure"|"always"',
      'ghost.yaml:7:14: db: the command is empty',
    ]);
  });

  it('checks the well-formed services when another one is not', () => {
    const dir = project({ 'ghost.yaml': 'services:\n  api:\n    command: a\n    depends_on: [nope]\n    comand: typo\n  bad:\n    command: 3\n' });
    expect(lines(dir)).toEqual([
      'ghost.yaml:4:18: api depends on "nope", which is not a service here',
      'ghost.yaml:5:5: unknown key "comand" in services.api (did you mean "command"?)',
      'ghost.yaml:7:14: services.bad.command: expected string or array, got number',
    ]);
  });

  it('names a dependency cycle and a missing dependency, and checks supervision values', () => {
    const dir = project({
      'ghost.yaml': 'services:\n  api:\n    command: a\n    depends_on: [worker, nope]\n  worker:\n    command: w\n    depends_on:\n      api: {condition: started}\n    memory: lots\n',
    });
    expect(lines(dir)).toEqual([
      'ghost.yaml:4:18: dependency cycle: api -> worker -> api',
      'ghost.yaml:4:26: api depends on "nope", which is not a service here',
      'ghost.yaml:9:13: worker.memory: invalid memory limit "lots" (expected a size such as 512k, 100M or 2G)',
    ]);
  });

  it('reads env_file before env, and reports a missing env file and an empty command', () => {
    const dir = project({
      'ghost.yaml': 'services:\n  api:\n    command: run\n    env_file: [.env.api, missing.env]\n    env: {B: override}\n  idle:\n    command: ""\n',
      '.env.api': '# comment\nexport A=1\nB="from file"\n',
    });
    expect(lines(dir)).toEqual([
      'ghost.yaml:4:26: api: env file missing.env: no such file or directory',
      'ghost.yaml:7:14: idle: the command is empty',
    ]);
    writeFileSync(join(dir, 'missing.env'), 'C=3\n');
    writeFileSync(join(dir, 'ghost.yaml'), 'name: shop\nx-common: {a: 1}\nservices:\n  api:\n    command: run\n    env_file: [.env.api, missing.env]\n    env: {B: override}\n');
    const { stack } = loadStack({ cwd: dir });
    expect(stack?.project).toBe('shop');
    expect(stack?.services[0]?.env).toEqual({ A: '1', B: 'override', C: '3' });
  });

  it('reads a Procfile with the .env beside it', () => {
    const dir = project({ Procfile: '# web\nweb: bundle exec rails s -p $PORT\nworker:  sidekiq\n', '.env': 'PORT=5000\n' });
    const { stack, problems } = loadStack({ cwd: dir });
    expect(problems).toEqual([]);
    expect(stack?.format).toBe('procfile');
    expect(stack?.services.map((service) => [service.name, service.command, service.shell, service.env])).toEqual([
      ['web', ['bundle exec rails s -p $PORT'], true, { PORT: '5000' }],
      ['worker', ['sidekiq'], true, { PORT: '5000' }],
    ]);
  });

  it("reads process-compose's documentation examples, naming every key it does not support in one warning", () => {
    const dir = project({});
    copyFileSync(join(import.meta.dirname, 'fixtures', 'launcher-run-specific.yaml'), join(dir, 'process-compose.yaml'));
    const specific = loadStack({ cwd: dir });
    expect(specific.problems).toEqual([]);
    expect(specific.stack?.services.map((service) => [service.name, service.dependsOn])).toEqual([
      ['process1', { process2: 'completed_successfully' }],
      ['process2', {}],
      ['process3', {}],
    ]);

    copyFileSync(join(import.meta.dirname, 'fixtures', 'health-liveness.yaml'), join(dir, 'process-compose.yml'));
    const liveness = loadStack({ cwd: dir, file: 'process-compose.yml' });
    expect(liveness.problems).toEqual([]);
    expect(liveness.stack?.services[0]).toMatchObject({
      name: 'nginx',
      shell: true,
      stop: { signal: 'SIGTERM', timeoutMs: 5000 },
      health: { command: "[ $(docker inspect -f '{{.State.Running}}' nginx_test) = 'true' ]", startPeriodMs: 5000, intervalMs: 2000, timeoutMs: 5000, retries: 3 },
    });
    expect(liveness.warnings.map((warning) => warning.message)).toEqual([
      'not supported by ghost, ignored: processes.nginx.is_daemon, processes.nginx.liveness_probe.success_threshold, processes.nginx.liveness_probe.exec.working_dir, processes.nginx.shutdown.command',
    ]);
  });
});
