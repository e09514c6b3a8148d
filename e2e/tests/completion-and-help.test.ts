// Shell completion scripts (valid syntax in bash, zsh and fish; bash completes commands,
// flags and task names for real), the hidden `__complete` command, and the help of the
// commands for scripts and agents.
import { execa } from 'execa';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { GHOST_BIN, ghost, ghostOk, makeDataDir, makeTempDir, startTask } from '../src/harness.js';

const NEW_COMMANDS = ['wait', 'restart', 'start', 'runs', 'ports', 'rm', 'completion'];

function installed(shell: string): boolean {
  return ['/bin', '/usr/bin', '/usr/local/bin'].some((dir) => existsSync(join(dir, shell)));
}

/** A directory with a `ghost` executable that runs the built CLI, for scripts that call ghost. */
function ghostOnPath(): string {
  const dir = makeTempDir('ghost-bin-');
  const shim = join(dir, 'ghost');
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${GHOST_BIN}" "$@"\n`);
  chmodSync(shim, 0o755);
  return dir;
}

describe('ghost completion', () => {
  const dataDir = makeDataDir();

  it.for(['bash', 'zsh', 'fish'])('%s: the script is valid syntax', async (shell, { expect }) => {
    const script = await ghostOk(['completion', shell], { dataDir });
    expect(script.stdout).toContain('__complete tasks');
    if (!installed(shell)) return; // checked where the shell exists (bash always is)
    const file = join(makeTempDir(), `ghost.${shell}`);
    writeFileSync(file, script.stdout);
    const check = await execa(shell, ['-n', file], { reject: false });
    expect(check.exitCode, check.stderr).toBe(0);
  });

  it('bash completes commands, flags and task names', async ({ expect }) => {
    const dir = makeDataDir();
    const id = await startTask(dir, ['sleep', '300'], { name: 'webserver' });
    const file = join(makeTempDir(), 'ghost.bash');
    writeFileSync(file, (await ghostOk(['completion', 'bash'], { dataDir: dir })).stdout);
    const complete = async (...words: string[]) => {
      const script = `source "${file}"; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _ghost; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const result = await execa('bash', ['-c', script], {
        env: { PATH: `${ghostOnPath()}:${process.env.PATH}`, GHOST_DATA_DIR: dir },
        reject: false,
      });
      expect(result.stderr).toBe('');
      return result.stdout.split('\n').filter(Boolean);
    };
    expect(await complete('ghost', 're')).toEqual(['restart']);
    expect(await complete('ghost', 'st')).toEqual(expect.arrayContaining(['status', 'stop', 'start']));
    expect(await complete('ghost', 'stop', '--a')).toEqual(['--all']);
    expect(await complete('ghost', 'list', '--status', 'ru')).toEqual(['running']);
    // Values come from the option table: per command (-s is a status on list, a signal on kill),
    // one word of a comma-separated list at a time.
    expect(await complete('ghost', 'list', '-s', 'exited,k')).toEqual(['exited,killed']);
    expect(await complete('ghost', 'cleanup', '-s', 'r')).toEqual([]);
    expect(await complete('ghost', 'kill', '-s', 'HU')).toEqual(['HUP']);
    expect(await complete('ghost', 'run', '--restart', 'on')).toEqual(['on-failure']);
    expect(await complete('ghost', 'list', '-')).toEqual(expect.arrayContaining(['-a', '--all', '-s', '--status']));
    expect(await complete('ghost', 'log', 'web')).toEqual(['webserver']);
    expect(await complete('ghost', 'wait', id.slice(0, 4))).toEqual([id.slice(0, 8)]);
    expect(await complete('ghost', 'completion', 'z')).toEqual(['zsh']);
    // A command of two words: the second is completed as its argument.
    expect(await complete('ghost', 'ex')).toEqual(['export']);
    expect(await complete('ghost', 'export', 's')).toEqual(['systemd']);
    expect(await complete('ghost', 'export', 'systemd', '--us')).toEqual(['--user']);
  });

  // zsh runs the script's own functions; compsys's _describe and _arguments, which only work
  // inside a completion widget, are replaced by functions that print what they were given.
  it.skipIf(!installed('zsh'))('zsh: the script offers the commands, each command its flags, and task names with what they run', async ({ expect }) => {
    const dir = makeDataDir();
    const id = await startTask(dir, ['sleep', '300'], { name: 'web:server' });
    const file = join(makeTempDir(), '_ghost');
    writeFileSync(file, (await ghostOk(['completion', 'zsh'], { dataDir: dir })).stdout);
    const env = { PATH: `${ghostOnPath()}:${process.env.PATH}`, GHOST_DATA_DIR: dir };
    const complete = async (...words: string[]) => {
      const script = [
        'compdef() { : }',
        `source '${file}'`,
        '_describe() { print -rl -- "${(@P)4}" }',
        '_arguments() { print -rl -- "$@" }',
        `words=(${words.map((word) => `'${word}'`).join(' ')}); CURRENT=${words.length}`,
        '_ghost',
      ].join('\n');
      const result = await execa('zsh', ['-f', '-c', script], { env, reject: false });
      expect(result.stderr).toBe('');
      return result.stdout.split('\n').filter(Boolean);
    };
    const commands = await complete('ghost', '');
    expect(commands).toEqual(expect.arrayContaining(['restart:stop a task if it is running, then start it again', "ps:show the project's services\\: state, health, restarts, ports"]));
    const stop = await complete('ghost', 'stop', '');
    expect(stop).toEqual(expect.arrayContaining(['(-a --all)-a[Stop every running task]', '(-a --all)--all[Stop every running task]', '*:task:_ghost_tasks']));
    const tasks = (await execa('zsh', ['-f', '-c', `compdef() { : }; source '${file}'; _describe() { print -rl -- "\${(@P)4}" }; _ghost_tasks`], { env })).stdout.split('\n');
    // A colon in a name is escaped, as _describe needs; the id completes too.
    expect(tasks).toEqual(expect.arrayContaining([expect.stringMatching(/^web\\:server:.*sleep 300/), expect.stringMatching(new RegExp(`^${id.slice(0, 8)}:.*web:server`))]));
  });

  it.skipIf(!installed('fish'))('fish completes commands, flags and task names', async ({ expect }) => {
    const dir = makeDataDir();
    await startTask(dir, ['sleep', '300'], { name: 'webserver' });
    const file = join(makeTempDir(), 'ghost.fish');
    writeFileSync(file, (await ghostOk(['completion', 'fish'], { dataDir: dir })).stdout);
    const complete = async (line: string) => {
      const result = await execa('fish', ['--no-config', '-c', `source '${file}'; complete -C '${line}'`], {
        env: { PATH: `${ghostOnPath()}:${process.env.PATH}`, GHOST_DATA_DIR: dir },
        reject: false,
      });
      expect(result.stderr).toBe('');
      return result.stdout.split('\n').filter(Boolean).map((entry) => entry.split('\t')[0]);
    };
    expect(await complete('ghost resta')).toEqual(['restart']);
    expect(await complete('ghost stop --a')).toEqual(['--all']);
    expect(await complete('ghost log web')).toEqual(['webserver']);
    expect(await complete('ghost list -s exited,k')).toEqual(['exited,killed']);
    expect(await complete('ghost kill -s HU')).toEqual(['HUP']);
  });

  it('__complete tasks lists names and short ids, is hidden, and never creates the data directory', async ({ expect }) => {
    const untouched = makeDataDir();
    expect(await ghost(['__complete', 'tasks'], { dataDir: untouched })).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(existsSync(untouched)).toBe(false);
    const dir = makeDataDir();
    const id = await startTask(dir, ['sleep', '300'], { name: 'api' });
    const lines = (await ghostOk(['__complete', 'tasks'], { dataDir: dir })).stdout.split('\n').filter(Boolean);
    expect(lines.map((line) => line.split('\t')[0])).toEqual(['api', id.slice(0, 8)]);
    expect((await ghostOk(['--help'], { dataDir: dir })).stdout).not.toContain('__complete');
  });

  it('an unknown shell is a usage error', async ({ expect }) => {
    const result = await ghost(['completion', 'tcsh'], { dataDir });
    expect(result).toMatchObject({ exitCode: 2, stdout: '', stderr: 'ghost: unknown shell "tcsh" (bash, zsh or fish)\n' });
  });
});

describe('help of the scripting commands', () => {
  const dataDir = makeDataDir();

  it('--help lists them', async ({ expect }) => {
    const result = await ghostOk(['--help'], { dataDir });
    for (const command of NEW_COMMANDS) expect(result.stdout).toMatch(new RegExp(`^\\s+ghost ${command}\\b`, 'm'));
  });

  it.for(NEW_COMMANDS)('%s --help has examples, the output format and exit codes', async (command, { expect }) => {
    const result = await ghostOk([command, '--help'], { dataDir });
    expect(result.stdout).toMatch(/^Examples$/m);
    expect(result.stdout).toMatch(new RegExp(`^\\s+\\$ ghost ${command} \\S`, 'm'));
    expect(result.stdout).toMatch(/Output:/);
    expect(result.stdout).toMatch(/Exit codes/);
  });
});
