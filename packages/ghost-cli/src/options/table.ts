// Every option of every ghost command, declared once: its flags, its description and what its
// value is. The commands declare their options by key from this table (see option.ts), and
// `--help` and the completion scripts are made from it, so none of them can drift apart. The
// supervision flags of `run` come from core's table, which the MCP tool and project files share.
import {
  DEFAULT_CLEANUP_DAYS,
  DEFAULT_STOP_TIMEOUT_MS,
  DEFAULT_UP_TIMEOUT_MS,
  ENDED_STATUSES,
  RECENT_ENDED_TASKS,
  SUPERVISION_OPTIONS,
  type SupervisionKey,
  type SupervisionOption,
  TASK_STATUSES,
} from '@ghost/core';
import { statusWords } from '@ghost/core/format';

/** What a shell offers for a value: these words, or the names of files or directories. */
export type Completion = readonly string[] | 'files' | 'directories';

export interface ValueSpec {
  /** How help shows the value: `--tail N`, `--cwd DIR`. */
  name: string;
  complete?: Completion | undefined;
  /** The value is a comma-separated list of `complete`'s words, and is checked against them. */
  list?: boolean | undefined;
  /** Given more than once, every value counts (`-e A=1 -e B=2`). */
  repeatable?: boolean | undefined;
  /** The value when the option is not given. */
  default?: string | undefined;
}

export interface OptionSpec {
  long: `--${string}`;
  /** A one-letter alias, where users of ps, docker and git expect one (README, "Short flags"). */
  short?: `-${string}` | undefined;
  /** One line, defaults included: for `--help` and the completion menus. */
  description: string;
  /** The option's value; none: a switch, false unless given. */
  value?: ValueSpec | undefined;
}

/** `ghost stats --watch` refreshes this often unless `--interval` says otherwise. */
export const STATS_INTERVAL = '2s';

/** Signals worth offering when completing `kill --signal` (any signal works). */
const SIGNALS = ['TERM', 'INT', 'HUP', 'KILL', 'QUIT', 'USR1', 'USR2'];

const STATUS_VALUE = 'STATUS[,STATUS...]';

const GHOST_OPTIONS = {
  json: { long: '--json', description: 'Print the result as JSON (see Output below)' },

  // Which tasks list and cleanup take.
  status: {
    long: '--status',
    short: '-s',
    description: `Only tasks with one of these statuses: ${statusWords(TASK_STATUSES)}`,
    value: { name: STATUS_VALUE, complete: TASK_STATUSES, list: true },
  },
  endedStatus: {
    long: '--status',
    short: '-s',
    description: `Only tasks with one of these statuses: ${statusWords(ENDED_STATUSES)}`,
    value: { name: STATUS_VALUE, complete: ENDED_STATUSES, list: true },
  },
  nameFilter: { long: '--name', description: 'Only tasks with this name', value: { name: 'NAME' } },
  project: { long: '--project', description: "Only the tasks of this project (a stack's services)", value: { name: 'PROJECT' } },
  here: { long: '--here', description: 'Only tasks started from the current directory' },
  listAll: {
    long: '--all',
    short: '-a',
    description: `Every task (default: those not ended, and the ${RECENT_ENDED_TASKS} newest ended ones)`,
  },

  // run
  name: { long: '--name', description: 'A name to refer to the task by', value: { name: 'NAME' } },
  cwd: {
    long: '--cwd',
    short: '-C',
    description: 'Working directory (default: the current one)',
    value: { name: 'DIR', complete: 'directories' },
  },
  env: {
    long: '--env',
    short: '-e',
    description: 'Set an environment variable (repeatable)',
    value: { name: 'KEY=VALUE', repeatable: true },
  },
  description: { long: '--description', description: 'What the task is for (shown in list, status and JSON)', value: { name: 'TEXT' } },
  shell: { long: '--shell', description: 'Run the command as a /bin/sh -c script' },
  reuse: { long: '--reuse', description: 'Return the running task with the same argv and cwd instead of starting a duplicate' },
  wait: { long: '--wait', description: 'Wait for the task to end and exit with its status' },
  waitHealthy: { long: '--wait-healthy', description: 'Print the id and exit 0 once the task is healthy (non-zero if it ends first)' },

  // log
  follow: { long: '--follow', short: '-f', description: 'Keep printing new output until the tasks end' },
  tail: { long: '--tail', short: '-n', description: 'Only the last N lines (of each task)', value: { name: 'N' } },
  runNumber: { long: '--run', description: "Only run N's output (see ghost runs)", value: { name: 'N' } },
  since: { long: '--since', description: 'Only output of runs started within DURATION (30s, 5m, 2h, 1d)', value: { name: 'DURATION' } },

  // stop, restart, kill, wait
  stopTimeout: {
    long: '--timeout',
    short: '-t',
    description: `Seconds to wait after SIGTERM before SIGKILL (default ${DEFAULT_STOP_TIMEOUT_MS / 1000})`,
    value: { name: 'SECONDS' },
  },
  force: { long: '--force', short: '-f', description: 'Send SIGKILL at once' },
  stopAll: { long: '--all', short: '-a', description: 'Stop every running task' },
  signal: {
    long: '--signal',
    short: '-s',
    description: 'The signal to send (default SIGKILL)',
    value: { name: 'SIGNAL', complete: SIGNALS, default: 'SIGKILL' },
  },
  waitTimeout: { long: '--timeout', short: '-t', description: 'Give up after this many seconds (exit 124)', value: { name: 'SECONDS' } },
  any: { long: '--any', description: 'Return as soon as one of the tasks has ended' },
  healthy: { long: '--healthy', description: 'Wait until the tasks are healthy (ready) instead of ended' },

  // cleanup
  days: {
    long: '--days',
    description: `Delete tasks that ended more than N days ago (default ${DEFAULT_CLEANUP_DAYS})`,
    value: { name: 'N' },
  },
  cleanupAll: { long: '--all', short: '-a', description: 'Delete every ended task, whatever its age' },
  dryRun: { long: '--dry-run', description: 'Show what would be deleted; delete nothing' },

  // stats
  watchStats: { long: '--watch', short: '-w', description: 'Refresh until interrupted, showing CPU % since the previous refresh' },
  interval: { long: '--interval', description: `Time between refreshes with --watch (default ${STATS_INTERVAL})`, value: { name: 'DURATION' } },

  // The project file's commands: config, up, down, ps, history, rollback, export.
  file: {
    long: '--file',
    short: '-f',
    description: 'The project file (default: ghost.yaml here or in the nearest parent, else a Procfile or process-compose.yaml)',
    value: { name: 'FILE', complete: 'files' },
  },
  projectName: { long: '--project-name', description: 'The project name (default: name: in the file, else its directory name)', value: { name: 'NAME' } },
  removeOrphans: { long: '--remove-orphans', description: 'Stop and remove the tasks of services no longer in the file' },
  upTimeout: {
    long: '--timeout',
    description: `Give up waiting for dependencies after this long (default ${DEFAULT_UP_TIMEOUT_MS / 60_000}m)`,
    value: { name: 'DURATION' },
  },
  rev: { long: '--rev', description: 'Apply the file as it was at this git revision', value: { name: 'REV' } },
  attach: { long: '--attach', description: "Then follow every service's log until Ctrl-C, which takes the stack down" },
  watchStack: {
    long: '--watch',
    description: 'Then apply the project file when it changes and restart a service when its watch paths change, until Ctrl-C',
  },
  rm: { long: '--rm', description: 'Also remove the tasks' },
  validate: { long: '--validate', description: 'Only check the file: print every problem as file:line:col: message' },
  user: { long: '--user', description: "Units for the user's service manager (installed into default.target, not multi-user.target)" },
  output: {
    long: '--output',
    short: '-o',
    description: 'Write the unit files into this directory instead of printing them',
    value: { name: 'DIR', complete: 'directories' },
  },
  overwrite: { long: '--force', description: 'Overwrite unit files that exist' },
} as const satisfies Record<string, OptionSpec>;

/** How help names a supervision option's value, by its kind. */
const SUPERVISION_VALUE_NAMES = {
  text: 'VALUE',
  choice: '',
  integer: 'N',
  number: 'N',
  duration: 'DURATION',
  size: 'SIZE',
  range: 'MIN..MAX',
} as const satisfies Record<SupervisionOption['kind'], string>;

function supervisionOption(option: SupervisionOption): OptionSpec {
  const choices = option.choices;
  return {
    long: option.flag,
    description: option.description,
    value: { name: choices ? choices.join('|') : SUPERVISION_VALUE_NAMES[option.kind], complete: choices },
  };
}

type SupervisionOptionSpec = { long: `--${string}`; description: string; value: ValueSpec };

export const OPTIONS = {
  ...GHOST_OPTIONS,
  ...(Object.fromEntries(SUPERVISION_OPTIONS.map((option) => [option.key, supervisionOption(option)])) as Record<SupervisionKey, SupervisionOptionSpec>),
};

export type OptionKey = keyof typeof OPTIONS;
