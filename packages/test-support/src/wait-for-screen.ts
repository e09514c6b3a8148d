import { type WaitOptions, waitFor } from './wait-for.js';

/** What a screen should show: text it contains, a pattern it matches, or a test of its whole text. */
export type ScreenPattern = string | RegExp | ((screen: string) => boolean);

/**
 * Reads the screen until it shows `pattern`, and returns it as it was then. At the deadline the
 * error says what was awaited and shows the screen as last read.
 */
export async function waitForScreen(
  read: () => string | Promise<string>,
  pattern: ScreenPattern,
  options: Omit<WaitOptions, 'message'> = {},
): Promise<string> {
  const shows = typeof pattern === 'function' ? pattern : (screen: string) => (typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen));
  const { screen } = await waitFor(
    async () => {
      const screen = await read();
      // A screen that does not show it yet is the error to report if it never does.
      if (!shows(screen)) throw new Error(`the screen shows:\n${screen}`);
      return { screen };
    },
    { ...options, message: `the screen to show ${String(pattern)}` },
  );
  return screen;
}
