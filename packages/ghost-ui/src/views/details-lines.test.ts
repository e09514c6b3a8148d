import { describe, expect, it } from 'vitest';
import { fakeTask } from '../test-support/tasks.js';
import { detailsLines } from './details-lines.js';

const plain = (lines: string[]) => lines.join('\n').replace(/\{\/?[a-z-]+\}/g, '');
const input = (task: ReturnType<typeof fakeTask>) => ({ task, env: { values: {} }, revealEnv: false, ports: { state: 'loading' as const }, now: Date.now(), width: 100 });

describe('detailsLines', () => {
  it("shows a task's health since when, and its restarts, only for a task that has them", () => {
    const supervised = fakeTask({ health: 'unhealthy', healthAt: new Date(Date.now() - 5_000), restartPolicy: 'always', restarts: 2 });
    const text = plain(detailsLines(input(supervised)));
    expect(text).toMatch(/^ health\s+unhealthy since .* \(5s ago\)$/m);
    expect(text).toMatch(/^ restarts\s+2 \(restart always\)$/m);
    const bare = plain(detailsLines(input(fakeTask())));
    expect(bare).not.toMatch(/^ (health|restarts)\s/m);
  });
});
