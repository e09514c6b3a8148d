import { describe, expect, it } from 'vitest';
import { waitForScreen } from './wait-for-screen.js';

/** A screen that shows each of `frames` in turn, then keeps showing the last. */
function screens(...frames: string[]): () => string {
  let shown = 0;
  return () => frames[Math.min(shown++, frames.length - 1)]!;
}

describe('waitForScreen', () => {
  it('returns the screen once it contains the text, matches the pattern or passes the test', async () => {
    expect(await waitForScreen(screens('loading', 'task one running'), 'running')).toBe('task one running');
    expect(await waitForScreen(screens('a', 'b 12'), /b \d+/)).toBe('b 12');
    expect(await waitForScreen(screens('busy', ''), (screen) => !screen.includes('busy'))).toBe('');
  });

  it('reads a screen that is read asynchronously', async () => {
    const next = screens('one', 'two');
    expect(await waitForScreen(async () => next(), 'two')).toBe('two');
  });

  it('at the deadline, shows what it waited for and the screen as last read', async () => {
    await expect(waitForScreen(screens('first', 'ID  NAME\nabc  web'), /exited \d/, { timeout: 30 })).rejects.toThrow(
      'timed out after 30 ms waiting for the screen to show /exited \\d/; the last try threw Error: the screen shows:\nID  NAME\nabc  web',
    );
  });
});
