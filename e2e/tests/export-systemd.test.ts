// ghost export systemd, through the built ghost: the three-service stack's units, written to a
// directory and checked by systemd's own parser (systemd-analyze verify).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { ghost, ghostOk, makeDataDir, makeTempDir } from '../src/harness.js';

const TCP_SERVER = "require('net').createServer(s=>s.end()).listen(+process.env.PORT,'127.0.0.1')";
const HTTP_SERVER = "require('http').createServer((q,r)=>r.end(process.env.GREETING)).listen(+process.env.PORT,'127.0.0.1')";

// Values that need systemd's escaping: %, $, quotes, backslashes, a newline.
const STACK = `name: shop
services:
  db:
    command: [node, -e, "${TCP_SERVER}"]
    env: { PORT: "5432" }
    health_tcp: "5432"
  migrate:
    command: "echo 'migrated 100%' \\"$HOME\\" \\\\done"
  api:
    description: The shop's API (100% ours)
    command: [node, -e, "${HTTP_SERVER}", "two words", "50%", "$HOME"]
    env: { PORT: "8080", GREETING: "hello \\"you\\" $USER 100% \\\\o/\\nbye" }
    depends_on:
      db: { condition: healthy }
      migrate: { condition: completed_successfully }
    restart: on-failure
    max_restarts: 3
    backoff: 1s..10s
    memory: 256M
    cpus: 0.5
    stop_signal: INT
    stop_timeout: 5s
`;

const UNITS = ['shop-api.service', 'shop-db.service', 'shop-migrate.service', 'shop.target'];

/** systemd-analyze's verdict on the units in `dir`: its exit status and the lines it printed about them. */
function verify(dir: string, user: boolean): { status: number | null; lines: string[] } {
  const env = { ...process.env };
  if (user) {
    // The user manager needs a runtime directory; outside a login session there is none.
    const runtime = join(makeTempDir('ghost-e2e-runtime-'), 'run');
    mkdirSync(runtime);
    chmodSync(runtime, 0o700);
    env.XDG_RUNTIME_DIR = runtime;
  }
  const args = [...(user ? ['--user'] : []), 'verify', '--man=no', ...UNITS.map((name) => join(dir, name))];
  const result = spawnSync('systemd-analyze', args, { env, encoding: 'utf8' });
  return { status: result.status, lines: `${result.stdout}${result.stderr}`.split('\n').filter((line) => line.includes(dir) || line.includes('shop')) };
}

const hasSystemdAnalyze = spawnSync('systemd-analyze', ['--version']).error === undefined;

describe('ghost export systemd', () => {
  it('prints the units of a stack, each after a header, with dependencies, restart and limits', async ({ expect }) => {
    const dir = makeTempDir();
    writeFileSync(join(dir, 'ghost.yaml'), STACK);
    const { stdout } = await ghostOk(['export', 'systemd'], { dataDir: makeDataDir(), cwd: dir });
    expect(stdout.match(/^# ---- .*$/gm)).toEqual(['# ---- shop-db.service', '# ---- shop-migrate.service', '# ---- shop-api.service', '# ---- shop.target']);
    const api = stdout.split('# ---- shop-api.service\n')[1]!.split('# ---- ')[0]!;
    expect(api).toMatch(/^Requires=shop-db\.service shop-migrate\.service$/m);
    expect(api).toMatch(/^After=shop-db\.service shop-migrate\.service$/m);
    expect(api).toMatch(/^ExecStart=\/\S+\/node -e ".*" "two words" 50%% "\$\$HOME"$/m);
    expect(api).toMatch(/^Restart=on-failure$/m);
    expect(api).toMatch(/^MemoryMax=268435456$/m);
    expect(api).toMatch(/^CPUQuota=50%$/m);
    expect(api).toMatch(/^KillSignal=SIGINT$/m);
    expect(api).toMatch(/^WantedBy=multi-user\.target$/m);
    expect(api).toMatch(/^# - db: healthy is plain ordering/m);
    expect(stdout).toMatch(/^Type=oneshot$/m);
  });

  it('writes them to a directory, refuses to overwrite without --force, and systemd-analyze verify accepts them', { timeout: 60_000 }, async ({ expect, skip }) => {
    const dataDir = makeDataDir();
    const dir = makeTempDir();
    writeFileSync(join(dir, 'ghost.yaml'), STACK);
    const out = join(makeTempDir(), 'units');

    const written = await ghostOk(['export', 'systemd', '--user', '--output', out], { dataDir, cwd: dir });
    expect(readdirSync(out).sort()).toEqual(UNITS);
    expect(written.stdout.trim().split('\n')).toEqual(['shop-db.service', 'shop-migrate.service', 'shop-api.service', 'shop.target'].map((name) => `wrote ${join(out, name)}`));
    expect(readFileSync(join(out, 'shop.target'), 'utf8')).toMatch(/^WantedBy=default\.target$/m);

    // One file of the set exists: nothing is written, not even the others.
    const taken = makeTempDir();
    writeFileSync(join(taken, 'shop-api.service'), 'mine\n');
    const refused = await ghost(['export', 'systemd', '--user', '--output', taken], { dataDir, cwd: dir });
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim()).toBe(`ghost: ${join(taken, 'shop-api.service')} exists (--force overwrites it)`);
    expect(readdirSync(taken)).toEqual(['shop-api.service']);
    expect(readFileSync(join(taken, 'shop-api.service'), 'utf8')).toBe('mine\n');
    await ghostOk(['export', 'systemd', '--user', '--output', taken, '--force'], { dataDir, cwd: dir });
    expect(readFileSync(join(taken, 'shop-api.service'), 'utf8')).toBe(readFileSync(join(out, 'shop-api.service'), 'utf8'));

    const system = join(makeTempDir(), 'units');
    await ghostOk(['export', 'systemd', '--output', system], { dataDir, cwd: dir });

    if (!hasSystemdAnalyze) {
      console.log('skipped the systemd-analyze verify check: systemd-analyze is not installed');
      skip();
    }
    expect(verify(out, true)).toEqual({ status: 0, lines: [] });
    expect(verify(system, false)).toEqual({ status: 0, lines: [] });
  });
});
