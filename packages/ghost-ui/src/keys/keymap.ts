// Every key the UI answers to, per view, as data: the dispatcher, the footer and the help
// overlay all read this table, so the help cannot miss a key and the footer cannot offer one
// that does nothing.
import { DEFAULT_STOP_TIMEOUT_MS } from '@ghost/core';

export type View = 'list' | 'details' | 'log';

export type Command =
  | 'down'
  | 'up'
  | 'top'
  | 'bottom'
  | 'halfPageDown'
  | 'halfPageUp'
  | 'pageDown'
  | 'pageUp'
  | 'left'
  | 'right'
  | 'cycleFilter'
  | 'previousFilter'
  | 'cycleSort'
  | 'search'
  | 'searchNext'
  | 'searchPrevious'
  | 'wrap'
  | 'runMarks'
  | 'previousRun'
  | 'nextRun'
  | 'details'
  | 'log'
  | 'stop'
  | 'kill'
  | 'restart'
  | 'rerun'
  | 'delete'
  | 'fold'
  | 'group'
  | 'split'
  | 'stackUp'
  | 'stackDown'
  | 'revealEnv'
  | 'follow'
  | 'back'
  | 'help'
  | 'redraw'
  | 'quit';

export interface Binding {
  /** How the help writes the keys, e.g. "j/k ↓/↑". */
  label: string;
  help: string;
  /** blessed key names (`key.full`: "j", "down", "S-g" for G, "C-d", "enter", "?") → command. */
  keys: Readonly<Record<string, Command>>;
  /** Footer text, for bindings worth a place there: shown as "<key> <hint>". */
  hint?: string;
  /** The key the footer shows (default: the label up to the first "/"). */
  hintKey?: string;
}

const bind = (label: string, help: string, keys: Record<string, Command>, hint?: string, hintKey?: string): Binding => ({
  label,
  help,
  keys,
  ...(hint === undefined ? {} : { hint }),
  ...(hintKey === undefined ? {} : { hintKey }),
});

const MOVE = [
  bind('j/k ↓/↑', 'move down / up', { j: 'down', down: 'down', k: 'up', up: 'up' }),
  bind('g/G', 'first / last', { g: 'top', home: 'top', 'S-g': 'bottom', end: 'bottom' }),
  bind('Ctrl-d/u', 'half a page down / up', { 'C-d': 'halfPageDown', 'C-u': 'halfPageUp' }),
  bind('PgDn/PgUp', 'a page down / up', { pagedown: 'pageDown', pageup: 'pageUp' }),
];

const TASK_ACTIONS = [
  bind('l', 'log', { l: 'log' }, 'log'),
  bind('s', `stop (TERM, KILL after ${DEFAULT_STOP_TIMEOUT_MS / 1000}s)`, { s: 'stop' }, 'stop'),
  bind('K/Ctrl-k', 'kill (SIGKILL)', { 'S-k': 'kill', 'C-k': 'kill' }, 'kill'),
  bind('r', 'restart in place (new run)', { r: 'restart' }, 'restart'),
  bind('R', 'run again as a new task', { 'S-r': 'rerun' }, 'new copy'),
  bind('d', 'delete ended task and log', { d: 'delete' }, 'delete'),
];

const HELP_AND_QUIT = [
  // Ctrl-l as in less and vim: for a screen that another program has scribbled over.
  bind('?/Ctrl-l', 'help / redraw the screen', { '?': 'help', 'C-l': 'redraw' }, 'help'),
  bind('q', 'quit', { q: 'quit', 'C-c': 'quit' }, 'quit'),
];

const BACK = bind('Esc', 'back', { escape: 'back', backspace: 'back' }, 'back');

export const KEYMAP: Record<View, readonly Binding[]> = {
  list: [
    ...MOVE,
    bind('Enter', 'details', { enter: 'details' }, 'details'),
    ...TASK_ACTIONS,
    bind('L', 'split: list and log', { 'S-l': 'split' }, 'split'),
    // On a project's head or any of its tasks (see the README's Stacks).
    bind('u', 'bring the project up', { u: 'stackUp' }, 'up'),
    bind('D', 'take the project down', { 'S-d': 'stackDown' }, 'down'),
    bind('Space/p', 'fold project / group', { space: 'fold', p: 'group' }, 'fold'),
    bind('Tab/S-Tab', 'next / previous filter', { tab: 'cycleFilter', 'S-tab': 'previousFilter' }, 'filter'),
    bind('o', 'sort: status/started/name/…', { o: 'cycleSort' }, 'sort'),
    bind('/', 'search name and command', { '/': 'search' }, 'search'),
    ...HELP_AND_QUIT,
  ],
  details: [
    bind('j/k g/G', 'scroll', { j: 'down', down: 'down', k: 'up', up: 'up', g: 'top', home: 'top', 'S-g': 'bottom', end: 'bottom' }),
    MOVE[2]!,
    MOVE[3]!,
    bind('v', 'show / hide env values', { v: 'revealEnv' }, 'env values'),
    ...TASK_ACTIONS,
    BACK,
    ...HELP_AND_QUIT,
  ],
  log: [
    bind('j/k ↓/↑', 'scroll (stops following)', { j: 'down', down: 'down', k: 'up', up: 'up' }),
    bind('h/l ←/→', 'scroll sideways', { h: 'left', left: 'left', l: 'right', right: 'right' }),
    bind('g', 'first line', { g: 'top', home: 'top' }),
    bind('G/f', 'last line, follow again', { 'S-g': 'follow', end: 'follow', f: 'follow' }, 'follow', 'f'),
    MOVE[2]!,
    MOVE[3]!,
    bind('/', 'search the log', { '/': 'search' }, 'search'),
    bind('n/N', 'next / previous match', { n: 'searchNext', 'S-n': 'searchPrevious' }),
    bind('[/]', 'previous/next run start', { '[': 'previousRun', ']': 'nextRun' }, 'run start'),
    bind('t', 'show / hide run times', { t: 'runMarks' }),
    bind('w', 'wrap / cut long lines', { w: 'wrap' }, 'wrap'),
    BACK,
    ...HELP_AND_QUIT,
  ],
};

/** The command a key triggers in a view, if any. */
export function commandFor(view: View, keyName: string): Command | undefined {
  for (const binding of KEYMAP[view]) {
    const command = binding.keys[keyName];
    if (command !== undefined) return command;
  }
  return undefined;
}

/** The key that triggers `command` in a view, as the footer shows it (for messages that name it). */
export function keyFor(view: View, command: Command): string | undefined {
  const binding = KEYMAP[view].find((candidate) => Object.values(candidate.keys).includes(command));
  return binding && primaryKey(binding);
}

/** The footer's entries for a view: [key, text, command] of bindings with a hint. */
export function footerEntries(view: View): { key: string; text: string; commands: Command[] }[] {
  return KEYMAP[view]
    .filter((binding) => binding.hint !== undefined)
    .map((binding) => ({
      key: primaryKey(binding),
      text: binding.hint!,
      commands: [...new Set(Object.values(binding.keys))],
    }));
}

/** The first key of a binding's label ("K" of "K/Ctrl-k", "/" of "/"), or its hintKey. */
export function primaryKey(binding: Binding): string {
  return binding.hintKey ?? (binding.label.length > 1 ? binding.label.split(/[/ ]/)[0]! : binding.label);
}
