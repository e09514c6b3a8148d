import { describe, expect, it } from 'vitest';
import { changes } from './changes.js';

/** A watcher whose notifications the test sends, and whose closing it sees. */
function fakeWatcher() {
  const watcher = { notify: () => {}, closed: false };
  const subscribe = (onChange: () => void) => {
    watcher.notify = onChange;
    return { close: () => void (watcher.closed = true) };
  };
  return { watcher, subscribe };
}

describe('changes', () => {
  it('yields at once, then once per burst of notifications, including those sent while the consumer looks', async () => {
    const { watcher, subscribe } = fakeWatcher();
    const ticks = changes(subscribe, { slowTickMs: 60_000 });
    await ticks.next(); // the first look, with the watcher already running
    // Notified while the consumer looks: the next call returns without waiting for another.
    watcher.notify();
    watcher.notify();
    await ticks.next();
    let woke = false;
    const next = ticks.next().then(() => (woke = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(woke).toBe(false);
    watcher.notify();
    await next;
    await ticks.return();
    expect(watcher.closed).toBe(true);
  });

  it('yields on a slow tick when nothing notifies', async () => {
    const { subscribe } = fakeWatcher();
    const ticks = changes(subscribe, { slowTickMs: 5 });
    await ticks.next();
    expect((await ticks.next()).done).toBe(false);
    await ticks.return();
  });

  it('ends when the signal aborts, also while waiting, and closes its watcher', async () => {
    const { watcher, subscribe } = fakeWatcher();
    const stop = new AbortController();
    const ticks = changes(subscribe, { signal: stop.signal, slowTickMs: 60_000 });
    await ticks.next();
    const next = ticks.next();
    stop.abort();
    expect((await next).done).toBe(true);
    expect(watcher.closed).toBe(true);

    const aborted = changes(fakeWatcher().subscribe, { signal: stop.signal });
    expect((await aborted.next()).done).toBe(true);
  });
});
