// The stack history with real processes, a real database and a real git repository: what `up`
// records, what it does not record twice, and what a rollback and `up` at a git revision read.
import { git, tempDir } from '@ghost/test-support';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isGhostError } from '../errors.js';
import type { Ghost } from '../ghost.js';
import { openGhost } from '../test-support/ghosts.js';
import { contextOf } from './context.js';
import { fileAtGitRevision } from './git.js';
import { latestRevision, projectOfFile, rollbackRevision, stackHistory } from './history.js';
import { parseRevision, parseStack } from './load-stack.js';
import type { StackSpec } from './model.js';
import { up } from './up.js';

const ghostFile = (value: string) => `name: hist\nservices:\n  app:\n    command: sleep 300\n    env: { A: "${value}" }\n`;

function read(file: string, git?: StackSpec['git']): StackSpec {
  const { stack, problems } = parseStack({ file, text: readFileSync(file), git });
  expect(problems).toEqual([]);
  return stack!;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isGhostError(error) ? error.code : String(error);
  }
  return undefined;
}

/** The environment the app's task was last started with. */
const envOf = (ghost: Ghost) => contextOf(ghost).store.env(ghost.list({ project: 'hist' })[0]!.id);

describe('stack history', () => {
  it('records each applied file once, oldest first, and a rollback applies the one before', async () => {
    const ghost = openGhost();
    const dir = join(tempDir(), 'app');
    mkdirSync(dir);
    const file = join(dir, 'ghost.yaml');
    writeFileSync(file, ghostFile('1'));
    await up(ghost, read(file));
    await up(ghost, read(file));
    expect(stackHistory(ghost, 'hist')).toEqual([
      { project: 'hist', revision: 1, appliedAt: expect.any(String), file, format: 'ghost', text: ghostFile('1'), digest: read(file).digest, git: null },
    ]);

    writeFileSync(file, ghostFile('2'));
    await up(ghost, read(file));
    const history = stackHistory(ghost, 'hist');
    expect(history.map((each) => [each.revision, each.text])).toEqual([
      [1, ghostFile('1')],
      [2, ghostFile('2')],
    ]);
    expect(Date.parse(history[0]!.appliedAt)).toBeLessThanOrEqual(Date.parse(history[1]!.appliedAt));
    expect(projectOfFile(ghost, file)).toBe('hist');

    // A rollback is an up of the recorded text: a new revision, so a second one goes forward again.
    const previous = rollbackRevision(ghost, 'hist');
    expect(previous.revision).toBe(1);
    const rolledBack = parseRevision(previous);
    const result = await up(ghost, rolledBack.stack!);
    expect(result.services[0]!.action).toBe('restart');
    expect(envOf(ghost)).toMatchObject({ A: '1' });
    expect(stackHistory(ghost, 'hist').map((each) => [each.revision, each.digest])).toEqual([
      [1, history[0]!.digest],
      [2, history[1]!.digest],
      [3, history[0]!.digest],
    ]);
    expect(latestRevision(ghost, 'hist')).toEqual(stackHistory(ghost, 'hist')[2]);
    expect(latestRevision(ghost, 'other')).toBeUndefined();
    expect(rollbackRevision(ghost, 'hist').revision).toBe(2);
    expect(rollbackRevision(ghost, 'hist', 1).revision).toBe(1);
    expect(codeOf(() => rollbackRevision(ghost, 'hist', 9))).toBe('REVISION_NOT_FOUND');
    expect(codeOf(() => rollbackRevision(ghost, 'other'))).toBe('REVISION_NOT_FOUND');
  });

  it('does not record a failed up, nor a stack built in code', async () => {
    const ghost = openGhost();
    const dir = tempDir();
    const file = join(dir, 'ghost.yaml');
    writeFileSync(file, 'name: hist\nservices:\n  app:\n    command: [/nonexistent/command]\n');
    await expect(up(ghost, read(file))).rejects.toMatchObject({ code: 'STACK_SERVICE_FAILED' });
    writeFileSync(file, ghostFile('1'));
    const { text: _text, ...inCode } = read(file);
    await up(ghost, inCode);
    expect(ghost.list({ project: 'hist' })[0]!.status).toBe('running');
    expect(stackHistory(ghost, 'hist')).toEqual([]);
  });

  it('records the git commit of the file and whether it differs from it, and reads older revisions', async () => {
    const ghost = openGhost();
    const dir = tempDir();
    const file = join(dir, 'ghost.yaml');
    git(dir, 'init', '-q');
    writeFileSync(file, ghostFile('1'));
    git(dir, 'add', 'ghost.yaml');
    git(dir, 'commit', '-q', '-m', 'one');
    const first = git(dir, 'rev-parse', 'HEAD');
    await up(ghost, read(file));
    writeFileSync(file, ghostFile('2'));
    await up(ghost, read(file));
    expect(stackHistory(ghost, 'hist').map((each) => each.git)).toEqual([
      { commit: first, dirty: false },
      { commit: first, dirty: true },
    ]);

    git(dir, 'commit', '-q', '-am', 'two');
    const old = fileAtGitRevision(file, 'HEAD~1');
    expect(old).toEqual({ text: Buffer.from(ghostFile('1')), commit: first });
    expect(codeOf(() => fileAtGitRevision(file, 'nope'))).toBe('GIT_REVISION_NOT_FOUND');
    expect(codeOf(() => fileAtGitRevision(join(dir, 'other.yaml'), 'HEAD'))).toBe('GIT_REVISION_NOT_FOUND');
    expect(codeOf(() => fileAtGitRevision(join(tempDir(), 'ghost.yaml'), 'HEAD'))).toBe('NOT_A_GIT_REPOSITORY');
    expect(codeOf(() => fileAtGitRevision(file, '--output=x'))).toBe('INVALID_ARGUMENT');
  });
});
