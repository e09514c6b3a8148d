// `ghost events`: a live stream of what other processes do to tasks, without a daemon.
import { waitFor } from '@ghost/test-support';
import { describe, expect, it } from 'vitest';
import { ghostOk, makeDataDir, spawnGhost } from '../src/harness.js';

interface EventLine {
  type: string;
  at: string;
  task: { id: string; name: string | null; status: string; exit_code: number | null; signal: string | null };
}

describe('ghost events', () => {
  it('streams a start, an exit and a stop made by other ghost processes, as JSON lines', async () => {
    const dataDir = makeDataDir();
    await ghostOk(['list'], { dataDir }); // the data directory exists before anyone watches it
    const events = spawnGhost(['events', '--json'], { dataDir, timeout: 60_000 });
    let output = '';
    events.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const seen = () => output.split('\n').filter(Boolean).map((line) => JSON.parse(line) as EventLine);
    const has = (type: string, name: string) => seen().some((event) => event.type === type && event.task.name === name);
    // The stream takes its baseline when it starts, and does not say when that is: start warm-up
    // tasks until it reports one, then it is certainly watching.
    await waitFor(
      async () => {
        await ghostOk(['run', '--name', 'warmup', '--', 'true'], { dataDir });
        return has('started', 'warmup');
      },
      { timeout: 15_000, interval: 200, message: 'a warm-up task to be reported' },
    );

    await ghostOk(['run', '--name', 'quick', '--', 'sh', '-c', 'exit 3'], { dataDir });
    await ghostOk(['run', '--name', 'server', '--', 'sleep', '60'], { dataDir });
    await waitFor(() => has('exited', 'quick') && has('started', 'server'), { timeout: 10_000 });
    await ghostOk(['stop', 'server'], { dataDir });
    await waitFor(() => has('killed', 'server'), { timeout: 10_000 });

    const quickEnd = seen().find((event) => event.type === 'exited' && event.task.name === 'quick')!;
    expect(quickEnd.task.exit_code).toBe(3);
    expect(seen().find((event) => event.type === 'killed')!.task.signal).toBe('SIGTERM');
    for (const event of seen()) expect(new Date(event.at).toISOString()).toBe(event.at);

    events.kill('SIGINT');
    const result = await events;
    expect(result.exitCode).toBe(0);
  });
});
