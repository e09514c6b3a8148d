import type { Screen } from '../views/blessed-types.js';

export interface TerminalGuard {
  /** Removes the handlers and restores the terminal (idempotent): call it in a finally. */
  release(): void;
  /** What an uncaught error or rejected promise triggers: restore, report, exit 1. */
  fail(error: unknown): void;
}

/**
 * Gives the terminal back however the UI ends: normal quit (the caller's finally), an uncaught
 * error or rejected promise (restore, then report it and exit 1), or a termination signal
 * (restore, exit 128+n). blessed restores on process exit too, but prints the whole stack over
 * the screen when it sees an uncaught error; with our handler installed, blessed's stands down.
 */
export function guardTerminal(
  screen: Screen,
  report: (message: string) => void,
  exit: (code: number) => void = (code) => process.exit(code),
): TerminalGuard {
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    try {
      screen.destroy();
    } catch {
      // Already gone; nothing more to give back.
    }
  };
  const fail = (error: unknown) => {
    restore();
    report(error instanceof Error ? (error.stack ?? error.message) : String(error));
    exit(1);
  };
  const signals: [NodeJS.Signals, number][] = [
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGINT', 130],
  ];
  const onSignal = new Map(
    signals.map(([signal, code]) => [
      signal,
      () => {
        restore();
        exit(code);
      },
    ]),
  );
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  for (const [signal, handler] of onSignal) process.on(signal, handler);
  return {
    release() {
      process.off('uncaughtException', fail);
      process.off('unhandledRejection', fail);
      for (const [signal, handler] of onSignal) process.off(signal, handler);
      restore();
    },
    fail,
  };
}
