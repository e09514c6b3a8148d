// The bin's code cache: V8's compiled code of the bundle, kept in the data dir's private
// compile-cache folder, used by the next command when it was made from the same bundle, and
// replaced (never trusted) when it was not.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ghost, ghostOk, makeDataDir, makeTempDir } from '../src/harness.js';

const cacheFile = (dataDir: string, bundle = 'main.cjs') => join(dataDir, 'compile-cache', `${bundle}.v8-cache`);

/** A cache's header line, split: magic, what it was made from, the commands it covers. */
function header(dataDir: string, bundle?: string): { magic: string; madeFrom: string; commands: string[] } {
  const bytes = readFileSync(cacheFile(dataDir, bundle));
  const [magic = '', madeFrom = '', commands = ''] = bytes.toString('latin1', 0, bytes.indexOf(10)).split(' ');
  return { magic, madeFrom, commands: commands.split(',') };
}

/** Which file the cache is, and when it was written: a rewrite changes both. */
function version(dataDir: string): string {
  const stats = statSync(cacheFile(dataDir));
  return `${stats.ino}:${stats.mtimeMs}`;
}

describe('the code cache', () => {
  it('is left by a command, private, and used as it is by the next; a new command adds its code once', async () => {
    const dataDir = makeDataDir();
    const plain = await ghostOk(['list'], { dataDir, env: { NODE_DISABLE_COMPILE_CACHE: '1' } });
    expect(existsSync(cacheFile(dataDir))).toBe(false);

    const first = await ghostOk(['list'], { dataDir });
    expect(first.stdout).toBe(plain.stdout);
    expect(statSync(cacheFile(dataDir)).mode & 0o777).toBe(0o600);
    expect(header(dataDir)).toMatchObject({ magic: 'ghost-code-cache/1', commands: ['list'] });
    const made = version(dataDir);
    // Accepted: neither V8 nor the header turned it down, or it would have been written again.
    expect((await ghostOk(['list'], { dataDir })).stdout).toBe(plain.stdout);
    expect(version(dataDir)).toBe(made);

    expect((await ghost(['status', 'nosuch'], { dataDir })).exitCode).toBe(1);
    expect(header(dataDir).commands).toEqual(['list', 'status']);
    const grown = version(dataDir);
    await ghostOk(['list'], { dataDir });
    await ghost(['status', 'nosuch'], { dataDir });
    expect(version(dataDir)).toBe(grown);
  });

  it("is kept for the stack's own bundle too, which only the stack's commands load", async () => {
    const dataDir = makeDataDir();
    const project = makeTempDir();
    writeFileSync(join(project, 'ghost.yml'), 'services:\n  web:\n    command: sleep 1\n');
    await ghostOk(['list'], { dataDir });
    expect(existsSync(cacheFile(dataDir, 'core-stack.cjs'))).toBe(false);
    const plain = await ghostOk(['ps'], { dataDir, cwd: project, env: { NODE_DISABLE_COMPILE_CACHE: '1' } });
    expect((await ghostOk(['ps'], { dataDir, cwd: project })).stdout).toBe(plain.stdout);
    expect(header(dataDir, 'core-stack.cjs').commands).toEqual(['ps']);
    expect(header(dataDir).commands).toEqual(['list', 'ps']);
  });

  it('made from another build, or damaged, is replaced, and the command runs as without it', async () => {
    const dataDir = makeDataDir();
    const plain = await ghostOk(['list'], { dataDir, env: { NODE_DISABLE_COMPILE_CACHE: '1' } });
    await ghostOk(['list'], { dataDir });
    const good = readFileSync(cacheFile(dataDir));
    const end = good.indexOf(10);
    const line = good.toString('latin1', 0, end);
    // Another build of the same length (npm gives every installed file the same mtime): only
    // the header tells them apart. Then code V8 cannot read, and a file cut short.
    const madeFrom = header(dataDir).madeFrom;
    const otherBuild = Buffer.concat([Buffer.from(line.replace(madeFrom, `9.9.9:${madeFrom.split(':').slice(1).join(':')}`), 'latin1'), good.subarray(end)]);
    const damaged = Buffer.concat([good.subarray(0, end + 1), Buffer.alloc(good.length - end - 1, 0x5a)]);
    for (const bad of [otherBuild, damaged, good.subarray(0, end)]) {
      writeFileSync(cacheFile(dataDir), bad);
      const before = version(dataDir);
      expect((await ghostOk(['list'], { dataDir })).stdout).toBe(plain.stdout);
      expect(version(dataDir)).not.toBe(before);
      expect(readFileSync(cacheFile(dataDir)).subarray(0, end)).toEqual(good.subarray(0, end));
    }
  });

  it('is left whole by commands that end at once, and by none that does not open the data dir', async () => {
    const dataDir = makeDataDir();
    const plain = await ghostOk(['list'], { dataDir, env: { NODE_DISABLE_COMPILE_CACHE: '1' } });
    const commands = [['list'], ['status', 'a'], ['runs', 'a'], ['ports'], ['log', 'a'], ['stop', 'a'], ['wait', 'a'], ['list', '--json']];
    await Promise.all(commands.map((args) => ghost(args, { dataDir })));
    expect(header(dataDir).magic).toBe('ghost-code-cache/1');
    // No half-written file left beside it (Node 22+ keeps its own cache folder there too).
    expect(readdirSync(join(dataDir, 'compile-cache')).filter((name) => name.startsWith('main.cjs'))).toEqual(['main.cjs.v8-cache']);
    const after = version(dataDir);
    const covered = header(dataDir).commands;
    expect((await ghostOk(['list'], { dataDir })).stdout).toBe(plain.stdout);
    if (covered.includes('list')) expect(version(dataDir)).toBe(after);

    const untouched = join(makeTempDir(), 'ghost');
    await ghostOk(['--help'], { dataDir: untouched });
    expect(existsSync(untouched)).toBe(false);
  });
});
