import { constants } from 'node:os';
import { GhostError } from '../errors.js';

const SIGNALS = constants.signals as Record<string, number>;

export interface Signal {
  /** The conventional name, e.g. "SIGTERM". */
  name: NodeJS.Signals;
  number: number;
}

/**
 * Parses a signal as people write it: "TERM", "SIGTERM", "term", "sigterm" or "15".
 * Throws INVALID_ARGUMENT for anything else, including 0 (which sends nothing).
 */
export function parseSignal(input: string | number): Signal {
  const text = String(input).trim();
  if (/^\d+$/.test(text)) {
    const number = Number(text);
    const name = signalName(number);
    if (name) return { name, number };
  } else {
    const upper = text.toUpperCase();
    const name = (upper.startsWith('SIG') ? upper : `SIG${upper}`) as NodeJS.Signals;
    const number = SIGNALS[name];
    if (number !== undefined) return { name, number };
  }
  throw new GhostError('INVALID_ARGUMENT', `unknown signal "${text}" (try TERM, INT, HUP, KILL or a number)`, {
    details: { argument: 'signal', value: input },
  });
}

/** The name of signal `number`, or undefined if this platform has no such signal. */
export function signalName(number: number): NodeJS.Signals | undefined {
  for (const [name, value] of Object.entries(SIGNALS)) {
    // SIGIOT and SIGPOLL are aliases; prefer the names people know.
    if (value === number && name !== 'SIGIOT' && name !== 'SIGPOLL' && name !== 'SIGUNUSED') {
      return name as NodeJS.Signals;
    }
  }
  return undefined;
}
