// ghost-ui in a real terminal (tmux) for the tests that drive it.
import { dirname } from 'node:path';
import { afterEach } from 'vitest';
import { GHOST_UI_BIN } from './harness.js';
import { TmuxSession } from './tmux.js';

/** The terminal types ghost-ui must work under: each TUI behaviour is tested under each. */
export const TERMS = ['xterm-256color', 'screen-256color', 'tmux-256color'];

const sessions: TmuxSession[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) await session.close();
});

/**
 * ghost-ui in a fresh terminal (80x24 unless told), closed after the test; the pane stays open
 * after it exits, to show how it ended.
 */
export async function openUi(
  dataDir: string,
  term?: string,
  options: { env?: Record<string, string>; width?: number; height?: number } = {},
): Promise<TmuxSession> {
  const session = await TmuxSession.start({
    // The bin as a user's shell runs it (its launcher finds node on PATH): this test's node.
    command: `PATH='${dirname(process.execPath)}':"$PATH" '${GHOST_UI_BIN}'; echo "ghost-ui exited $?"; sleep 60`,
    env: { GHOST_DATA_DIR: dataDir, NO_COLOR: '', ...options.env },
    term,
    width: options.width,
    height: options.height,
  });
  sessions.push(session);
  return session;
}

/** Types `text` into the `/` prompt and Enter: in the list it narrows the tasks (and selects the first), in a log it searches. */
export async function search(ui: TmuxSession, text: string): Promise<void> {
  await ui.send('/');
  await ui.type(text);
  await ui.send('Enter');
}
