import { tempDir, waitFor } from '@ghost/test-support';
import { appendFileSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changes } from '../events/changes.js';
import { watchPaths } from '../events/watch.js';
import { followFile } from './follow.js';
import { lockPath, rotatedPath } from './rotate.js';

/** What ghost gives followFile, for a lone file: its changes, and a slow tick. */
const fileChanges = (path: string, slowTickMs = 1000, signal?: AbortSignal) =>
  changes((onChange) => watchPaths([path], onChange, { debounceMs: 1 }), { slowTickMs, signal });

/** A follower of `path` gathering its text, whose writer is done once `end()` is called (which resolves to all the text). */
function follow(path: string): { readonly text: string; end(): Promise<string> } {
  let active = true;
  let text = '';
  const done = (async () => {
    for await (const chunk of followFile(path, { isActive: () => active, changes: fileChanges(path, 20) })) text += chunk.toString();
  })();
  return {
    get text() {
      return text;
    },
    async end() {
      active = false;
      await done;
      return text;
    },
  };
}

describe('followFile', () => {
  it('yields appended bytes and ends once the writer is done and the file is drained', async () => {
    const path = join(tempDir(), 'task.log');
    writeFileSync(path, 'one\n');
    let active = true;
    const seen: string[] = [];
    const follow = (async () => {
      for await (const chunk of followFile(path, { isActive: () => active, changes: fileChanges(path, 50) })) seen.push(chunk.toString());
    })();
    await waitFor(() => seen.join('') === 'one\n');
    appendFileSync(path, 'two\n');
    await waitFor(() => seen.join('') === 'one\ntwo\n');
    appendFileSync(path, 'three\n');
    active = false;
    await follow;
    expect(seen.join('')).toBe('one\ntwo\nthree\n');
  });

  it('starts over when the file is truncated', async () => {
    const path = join(tempDir(), 'task.log');
    writeFileSync(path, 'old old old\n');
    const follower = follow(path);
    await waitFor(() => follower.text === 'old old old\n');
    truncateSync(path, 0);
    appendFileSync(path, 'new\n');
    await waitFor(() => follower.text.endsWith('new\n'));
    expect(await follower.end()).toBe('old old old\nnew\n');
  });

  it('reads what a rotation still running when the writer ended moves away, once it is done', async () => {
    const path = join(tempDir(), 'task.log');
    writeFileSync(path, 'one\n');
    const follower = follow(path);
    await waitFor(() => follower.text === 'one\n');
    // A rotation takes its lock, the writer writes its last line and ends.
    writeFileSync(lockPath(path), '');
    appendFileSync(path, 'two\n');
    const ended = follower.end();
    // Time for a follower that does not wait to end without the last line (not a condition:
    // that it does not end is what is tested).
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(follower.text).toBe('one\n');
    writeFileSync(rotatedPath(path, 1), 'one\ntwo\n');
    truncateSync(path, 0);
    unlinkSync(lockPath(path));
    expect(await ended).toBe('one\ntwo\n');
  });

  it('stops when aborted', async () => {
    const path = join(tempDir(), 'task.log');
    writeFileSync(path, 'x');
    const controller = new AbortController();
    const follow = (async () => {
      for await (const _ of followFile(path, { isActive: () => true, changes: fileChanges(path, 1000, controller.signal), signal: controller.signal })) controller.abort();
    })();
    await follow;
  });
});
