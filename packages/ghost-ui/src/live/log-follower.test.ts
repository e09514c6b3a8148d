import { Ghost } from '@ghost/core';
import { tempDir, waitFor } from '@ghost/test-support';
import { appendFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LogFollower } from './log-follower.js';

const ghosts: Ghost[] = [];
afterEach(() => {
  for (const ghost of ghosts.splice(0)) ghost.close();
});

async function taskWithLog(): Promise<{ ghost: Ghost; id: string; log: string }> {
  const ghost = Ghost.open({ dataDir: join(tempDir(), 'data') });
  ghosts.push(ghost);
  const task = await ghost.run({ command: ['true'] });
  await waitFor(() => ghost.status(task.id).status !== 'running', { message: 'the task to end' });
  return { ghost, id: task.id, log: task.logPath };
}

describe('LogFollower', () => {
  it('reads only what was appended, line by line, including an unfinished last line', async () => {
    const { ghost, id, log } = await taskWithLog();
    appendFileSync(log, 'one\ntwo\n');
    const follower = new LogFollower(ghost.openLog(id));
    expect(follower.poll()).toEqual({ changed: true, dropped: 0, restarted: false });
    expect(follower.lines.toArray()).toEqual(['one', 'two']);
    expect(follower.poll().changed).toBe(false);
    appendFileSync(log, 'thr');
    follower.poll();
    expect(follower.lines.toArray()).toEqual(['one', 'two', 'thr']);
    appendFileSync(log, 'ee\nfour\n');
    follower.poll();
    expect(follower.lines.toArray()).toEqual(['one', 'two', 'three', 'four']);
    follower.close();
  });

  it('starts over when the file is truncated', async () => {
    const { ghost, id, log } = await taskWithLog();
    appendFileSync(log, 'old 1\nold 2\n');
    const follower = new LogFollower(ghost.openLog(id));
    follower.poll();
    truncateSync(log, 0);
    appendFileSync(log, 'new\n');
    expect(follower.poll()).toMatchObject({ changed: true, restarted: true });
    expect(follower.lines.toArray()).toEqual(['new']);
    follower.close();
  });

  it('keeps at most maxLines and says how many old ones it dropped', async () => {
    const { ghost, id, log } = await taskWithLog();
    const follower = new LogFollower(ghost.openLog(id), 100);
    follower.poll();
    appendFileSync(log, Array.from({ length: 150 }, (_, i) => `line ${i}\n`).join(''));
    expect(follower.poll()).toMatchObject({ changed: true, dropped: 50 });
    expect(follower.lines.length).toBe(100);
    expect(follower.lines.line(0)).toBe('line 50');
    appendFileSync(log, 'line 150\n');
    expect(follower.poll().dropped).toBe(1);
    follower.close();
  });

  it('knows whether it read the log from its start, and where each line stands in the log', async () => {
    const { ghost, id, log } = await taskWithLog();
    appendFileSync(log, 'one\ntwo\nthree\n');
    const whole = new LogFollower(ghost.openLog(id));
    whole.poll();
    expect(whole.fromStart).toBe(true);
    expect([0, 1, 2].map((index) => whole.lines.offsetOf(index))).toEqual([0, 4, 8]);
    whole.close();
    // A log longer than the view holds: only its last lines are read.
    const tail = new LogFollower(ghost.openLog(id, { tailLines: 2 }), 2);
    tail.poll();
    expect(tail.lines.toArray()).toEqual(['two', 'three']);
    expect([tail.fromStart, tail.lines.offsetOf(0)]).toEqual([false, 4]);
    appendFileSync(log, 'four\n');
    expect(tail.poll().dropped).toBe(1);
    expect([tail.lines.dropped, tail.lines.lineAt(4), tail.lines.lineAt(14)]).toEqual([1, -1, 1]);
    tail.close();
  });
});
