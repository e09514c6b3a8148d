import { tempDir } from '@ghost/test-support';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ServiceSpec, type StackSpec, systemdUnits } from '../stack.js';

/** A directory holding an executable `tool`, to look programs up in. */
function binDir(): string {
  const dir = tempDir('ghost-systemd-');
  writeFileSync(join(dir, 'tool'), '#!/bin/sh\n');
  chmodSync(join(dir, 'tool'), 0o755);
  return dir;
}

function stack(services: Partial<ServiceSpec>[]): StackSpec {
  return {
    project: 'shop',
    file: '/srv/shop/ghost.yaml',
    format: 'ghost',
    dir: '/srv/shop',
    digest: '0',
    services: services.map((service, index) => ({
      name: `s${index}`,
      command: ['tool'],
      shell: false,
      cwd: '/srv/shop',
      env: {},
      dependsOn: {},
      ...service,
    })),
  };
}

/** The value lines of `key` in the unit named `name`. */
function values(units: { name: string; text: string }[], name: string, key: string): string[] {
  const text = units.find((unit) => unit.name === name)?.text ?? '';
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${key}=`))
    .map((line) => line.slice(key.length + 1));
}

describe('systemdUnits', () => {
  it('quotes and escapes the command line and the environment as systemd reads them', () => {
    const bin = binDir();
    const units = systemdUnits(
      stack([
        {
          name: 'api',
          command: ['tool', 'plain', 'two words', `it's "quoted"`, '100%', '$HOME', 'back\\slash', ';', ''],
          env: { MSG: 'line1\nline2 50% $X "q" \\', EMPTY: '' },
          cwd: '/srv/my shop/100%',
        },
        { name: 'sh', command: ['echo "$HOME" 100% done\\n'], shell: true },
      ]),
      { path: bin },
    );
    expect(values(units, 'shop-api.service', 'ExecStart')).toEqual([
      `${bin}/tool plain "two words" "it's \\"quoted\\"" 100%% "$$HOME" "back\\\\slash" \\; ""`,
    ]);
    expect(values(units, 'shop-api.service', 'Environment')).toEqual(['"MSG=line1\\nline2 50%% $X \\"q\\" \\\\"', '"EMPTY="']);
    expect(values(units, 'shop-api.service', 'WorkingDirectory')).toEqual(['/srv/my shop/100%%']);
    expect(values(units, 'shop-sh.service', 'ExecStart')).toEqual(['/bin/sh -c "echo \\"$$HOME\\" 100%% done\\\\n"']);
  });

  it('resolves the program to an absolute path, and refuses one that is not found or a variable systemd cannot set', () => {
    const bin = binDir();
    expect(values(systemdUnits(stack([{ command: ['./tool', 'x'], cwd: bin }])), 'shop-s0.service', 'ExecStart')).toEqual([`${bin}/tool x`]);
    expect(values(systemdUnits(stack([{ env: { PATH: bin } }]), { path: '/nowhere' }), 'shop-s0.service', 'ExecStart')).toEqual([`${bin}/tool`]);
    expect(() => systemdUnits(stack([{ name: 'api', command: ['no-such-program-here'] }]), { path: bin })).toThrow(
      expect.objectContaining({ code: 'COMMAND_NOT_FOUND', message: 'api: command not found: no-such-program-here' }),
    );
    expect(() => systemdUnits(stack([{ env: { 'BAD-NAME': 'x' } }]), { path: bin })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: 's0: a systemd unit cannot set the environment variable "BAD-NAME" (letters, digits and _ only)' }),
    );
  });

  it('orders dependents after their dependencies, makes a completed_successfully dependency a one-shot, and groups all in a target', () => {
    const bin = binDir();
    const spec = stack([
      { name: 'db', health: { tcp: '5432' } },
      { name: 'migrate' },
      { name: 'api', dependsOn: { db: 'healthy', migrate: 'completed_successfully' }, description: 'the API, 100%' },
      { name: 'worker', dependsOn: { api: 'started' } },
    ]);
    const units = systemdUnits(spec, { path: bin });
    expect(units.map((unit) => unit.name)).toEqual(['shop-db.service', 'shop-migrate.service', 'shop-api.service', 'shop-worker.service', 'shop.target']);
    expect(values(units, 'shop-api.service', 'After')).toEqual(['shop-db.service shop-migrate.service']);
    expect(values(units, 'shop-api.service', 'Requires')).toEqual(['shop-db.service shop-migrate.service']);
    expect(values(units, 'shop-worker.service', 'Requires')).toEqual(['shop-api.service']);
    expect(values(units, 'shop-db.service', 'Requires')).toEqual([]);
    expect(values(units, 'shop-api.service', 'Description')).toEqual(['the API, 100%%']);
    expect(values(units, 'shop-migrate.service', 'Type')).toEqual(['oneshot']);
    expect(values(units, 'shop-migrate.service', 'RemainAfterExit')).toEqual(['yes']);
    expect(values(units, 'shop-db.service', 'Type')).toEqual(['exec']);
    for (const name of ['shop-db.service', 'shop-api.service']) {
      expect(values(units, name, 'PartOf')).toEqual(['shop.target']);
      expect(values(units, name, 'StandardOutput')).toEqual(['journal']);
      expect(values(units, name, 'StandardError')).toEqual(['journal']);
      expect(values(units, name, 'WantedBy')).toEqual(['multi-user.target']);
    }
    expect(values(units, 'shop.target', 'Wants')).toEqual(['shop-db.service shop-migrate.service shop-api.service shop-worker.service']);
    expect(values(units, 'shop.target', 'WantedBy')).toEqual(['multi-user.target']);
    // What systemd cannot do is said in a comment, before the first section.
    const head = (name: string) => units.find((unit) => unit.name === name)!.text.split('[Unit]')[0]!;
    expect(head('shop-db.service')).toMatch(/^# - health check \(TCP 5432\)/m);
    expect(head('shop-api.service')).toMatch(/^# - db: healthy is plain ordering/m);

    const user = systemdUnits(spec, { user: true, path: bin });
    expect(values(user, 'shop-db.service', 'WantedBy')).toEqual(['default.target']);
    expect(values(user, 'shop.target', 'WantedBy')).toEqual(['default.target']);
  });

  it('maps the restart policy, the limits and the stop options', () => {
    const bin = binDir();
    const units = systemdUnits(
      stack([
        {
          name: 'api',
          restart: { policy: 'on-failure', maxRestarts: 5, backoffMinMs: 2000, backoffMaxMs: 20_000, minUptimeMs: 10_000 },
          limits: { memoryBytes: 256 * 1024 * 1024, cpus: 0.5, maxOpenFiles: 4096 },
          stop: { signal: 'SIGINT', timeoutMs: 1500 },
          logs: { maxBytes: 1024 * 1024 },
          watch: { paths: ['src'], ignore: [] },
        },
        { name: 'plain', restart: {}, logs: {}, health: {} },
        { name: 'always', restart: { policy: 'always' } },
      ]),
      { path: bin },
    );
    const api = (key: string) => values(units, 'shop-api.service', key);
    expect([api('Restart'), api('RestartSec'), api('StartLimitBurst'), api('StartLimitIntervalSec')]).toEqual([['on-failure'], ['2s'], ['6'], ['72s']]);
    expect([api('MemoryMax'), api('CPUQuota'), api('LimitNOFILE')]).toEqual([['268435456'], ['50%'], ['4096']]);
    expect([api('KillSignal'), api('TimeoutStopSec')]).toEqual([['SIGINT'], ['1500ms']]);
    const head = units[0]!.text.split('[Unit]')[0]!;
    expect(head).toMatch(/^# - backoff up to 20s/m);
    expect(head).toMatch(/^# - log caps/m);
    expect(head).toMatch(/^# - watch \(src\)/m);

    // The defaults: no restarts and no start limit; ghost's own stop timeout.
    const plain = (key: string) => values(units, 'shop-plain.service', key);
    expect([plain('Restart'), plain('RestartSec'), plain('StartLimitBurst'), plain('KillSignal'), plain('TimeoutStopSec')]).toEqual([['no'], [], [], ['SIGTERM'], ['10s']]);
    expect(units[1]!.text).not.toMatch(/Not expressed/);
    expect(values(units, 'shop-always.service', 'Restart')).toEqual(['always']);
    expect(values(units, 'shop-always.service', 'StartLimitBurst')).toEqual(['11']);
  });
});
