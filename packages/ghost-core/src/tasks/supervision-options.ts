// The supervision options of a task, declared once: the CLI's `run` flags, the MCP `run` tool's
// arguments and a project file's service keys are all made from this table, with the same names
// (`--max-restarts`, `max_restarts`), the same descriptions and defaults, and one parser.
import {
  DEFAULT_HEALTH_TUNING,
  DEFAULT_LOGS,
  DEFAULT_RESTART,
  type HealthOptions,
  type LimitOptions,
  type LogCapOptions,
  RESTART_POLICIES,
  type RestartOptions,
  parseHealthOptions,
  parseLimitOptions,
  parseLogCapOptions,
  parseRestartOptions,
  limitSpec,
  logSpec,
  restartSpec,
} from './policy.js';
import { GhostError, isGhostError } from '../errors.js';

/** How a value is written: the MCP tool and project files take numbers as numbers. */
export type SupervisionValueKind =
  /** Free text (a command, a URL, a pattern). */
  | 'text'
  /** One of `choices`. */
  | 'choice'
  /** A whole number from `min`. */
  | 'integer'
  /** A positive number (fractions allowed). */
  | 'number'
  /** `500ms`, `30s`, `5m`, or a number of seconds. */
  | 'duration'
  /** `512k`, `100M`, `2G`, or a number of bytes. */
  | 'size'
  /** `MIN..MAX` durations. */
  | 'range';

export interface SupervisionOption {
  /** The option's key in `SupervisionText`. */
  key: SupervisionKey;
  /** The command-line flag. */
  flag: `--${string}`;
  /** The name in the MCP `run` tool and in a project file's service. */
  field: string;
  kind: SupervisionValueKind;
  choices?: readonly string[] | undefined;
  /** The smallest value an `integer` may take. */
  min?: number | undefined;
  /** One line, defaults included. */
  description: string;
  /** What the option belongs to. */
  group: 'restart' | 'limits' | 'logs' | 'health';
}

export type SupervisionKey =
  | 'restart'
  | 'maxRestarts'
  | 'backoff'
  | 'minUptime'
  | 'memory'
  | 'cpus'
  | 'maxOpenFiles'
  | 'limits'
  | 'logMaxSize'
  | 'logMaxFiles'
  | 'healthCmd'
  | 'healthHttp'
  | 'healthTcp'
  | 'readyLog'
  | 'healthInterval'
  | 'healthTimeout'
  | 'healthRetries'
  | 'healthStartPeriod';

/** Supervision options as they are written: text from a command line, or numbers where a format has them. */
export type SupervisionText = { [K in SupervisionKey]?: string | number | undefined };

/** The options `RunOptions` takes for supervision. */
export interface SupervisionOptions {
  restart: RestartOptions;
  limits: LimitOptions | undefined;
  logs: LogCapOptions;
  health: HealthOptions;
}

const seconds = (ms: number): string => `${ms / 1000}s`;

export const SUPERVISION_OPTIONS: readonly SupervisionOption[] = [
  {
    key: 'restart',
    flag: '--restart',
    field: 'restart',
    kind: 'choice',
    choices: RESTART_POLICIES,
    group: 'restart',
    description: 'When the command ends, start it again: no (default), on-failure or always; each restart is a new run',
  },
  {
    key: 'maxRestarts',
    flag: '--max-restarts',
    field: 'max_restarts',
    kind: 'integer',
    min: 0,
    group: 'restart',
    description: `Give up after this many quick restarts in a row (default ${DEFAULT_RESTART.maxRestarts})`,
  },
  {
    key: 'backoff',
    flag: '--backoff',
    field: 'backoff',
    kind: 'range',
    group: 'restart',
    description: `Wait before a restart, doubling from MIN to MAX (default ${seconds(DEFAULT_RESTART.backoffMinMs)}..${seconds(DEFAULT_RESTART.backoffMaxMs)})`,
  },
  {
    key: 'minUptime',
    flag: '--min-uptime',
    field: 'min_uptime',
    kind: 'duration',
    group: 'restart',
    description: `A run up this long resets the count and the backoff (default ${seconds(DEFAULT_RESTART.minUptimeMs)})`,
  },
  {
    key: 'memory',
    flag: '--memory',
    field: 'memory',
    kind: 'size',
    group: 'limits',
    description: 'Limit the memory of the whole process tree (e.g. 512M, 2G); beyond it, it is killed (out of memory)',
  },
  {
    key: 'cpus',
    flag: '--cpus',
    field: 'cpus',
    kind: 'number',
    group: 'limits',
    description: 'Limit the CPU time of the whole process tree to this many CPUs (e.g. 0.5)',
  },
  {
    key: 'maxOpenFiles',
    flag: '--max-open-files',
    field: 'max_open_files',
    kind: 'integer',
    min: 1,
    group: 'limits',
    description: 'Limit the files each process may have open',
  },
  {
    key: 'limits',
    flag: '--limits',
    field: 'limits',
    kind: 'choice',
    choices: ['strict', 'best-effort'],
    group: 'limits',
    description: 'strict (default: refuse a limit this machine cannot enforce) or best-effort (apply those it can)',
  },
  {
    key: 'logMaxSize',
    flag: '--log-max-size',
    field: 'log_max_size',
    kind: 'size',
    group: 'logs',
    description: `Rotate the log once it is bigger than this, e.g. 10M or 1G (default ${DEFAULT_LOGS.maxBytes / 1024 / 1024}M)`,
  },
  {
    key: 'logMaxFiles',
    flag: '--log-max-files',
    field: 'log_max_files',
    kind: 'integer',
    min: 0,
    group: 'logs',
    description: `Rotated logs to keep, LOG.1 newest (default ${DEFAULT_LOGS.maxFiles}; 0 keeps none)`,
  },
  {
    key: 'healthCmd',
    flag: '--health-cmd',
    field: 'health_cmd',
    kind: 'text',
    group: 'health',
    description: "Health check: a shell command, run in the task's directory and environment, that exits 0 when healthy",
  },
  {
    key: 'healthHttp',
    flag: '--health-http',
    field: 'health_http',
    kind: 'text',
    group: 'health',
    description: 'Health check: an http:// or https:// URL that answers 2xx or 3xx when healthy',
  },
  {
    key: 'healthTcp',
    flag: '--health-tcp',
    field: 'health_tcp',
    kind: 'text',
    group: 'health',
    description: 'Health check: [HOST:]PORT that accepts a connection when healthy',
  },
  {
    key: 'readyLog',
    flag: '--ready-log',
    field: 'ready_log',
    kind: 'text',
    group: 'health',
    description: "Ready once a line of the task's output matches this regular expression (JavaScript syntax)",
  },
  {
    key: 'healthInterval',
    flag: '--health-interval',
    field: 'health_interval',
    kind: 'duration',
    group: 'health',
    description: `Between probes (default ${seconds(DEFAULT_HEALTH_TUNING.intervalMs)})`,
  },
  {
    key: 'healthTimeout',
    flag: '--health-timeout',
    field: 'health_timeout',
    kind: 'duration',
    group: 'health',
    description: `A probe slower than this fails (default ${seconds(DEFAULT_HEALTH_TUNING.timeoutMs)})`,
  },
  {
    key: 'healthRetries',
    flag: '--health-retries',
    field: 'health_retries',
    kind: 'integer',
    min: 1,
    group: 'health',
    description: `Failures in a row that make it unhealthy (default ${DEFAULT_HEALTH_TUNING.retries}); with a restart policy it is then restarted`,
  },
  {
    key: 'healthStartPeriod',
    flag: '--health-start-period',
    field: 'health_start_period',
    kind: 'duration',
    group: 'health',
    description: 'Failures this soon after a start do not count (default 0s)',
  },
];

// The names core's option checks give a bad value (`details.argument`), where they are not the
// option's own key: those of `RestartOptions`, `LimitOptions`, `LogCapOptions` and `HealthOptions`.
const CHECKED_NAMES: Readonly<Record<string, SupervisionKey>> = {
  policy: 'restart',
  backoffMinMs: 'backoff',
  backoffMaxMs: 'backoff',
  minUptimeMs: 'minUptime',
  memoryBytes: 'memory',
  mode: 'limits',
  maxBytes: 'logMaxSize',
  maxFiles: 'logMaxFiles',
  command: 'healthCmd',
  http: 'healthHttp',
  tcp: 'healthTcp',
  intervalMs: 'healthInterval',
  timeoutMs: 'healthTimeout',
  retries: 'healthRetries',
  startPeriodMs: 'healthStartPeriod',
};

/** The option a bad value belongs to, or undefined for one that is about several (two health checks). */
function optionOf(argument: unknown): SupervisionKey | undefined {
  if (typeof argument !== 'string') return undefined;
  if (SUPERVISION_OPTIONS.some((option) => option.key === argument)) return argument as SupervisionKey;
  return CHECKED_NAMES[argument];
}

/**
 * Parses supervision options as written (any front end, any file format) into what `run`
 * takes. Throws INVALID_ARGUMENT before anything starts, with `details.option` the key of the
 * bad option (so a project file can point at its line).
 */
export function parseSupervisionOptions(text: SupervisionText): SupervisionOptions {
  try {
    return parseText(text);
  } catch (error) {
    if (isGhostError(error) && error.code === 'INVALID_ARGUMENT') {
      const option = optionOf(error.details.argument);
      if (option) throw new GhostError('INVALID_ARGUMENT', error.message, { cause: error, details: { ...error.details, option } });
    }
    throw error;
  }
}

function parseText(text: SupervisionText): SupervisionOptions {
  const t = (key: SupervisionKey): string | undefined => {
    const value = text[key];
    return value === undefined ? undefined : String(value);
  };
  const options: SupervisionOptions = {
    restart: parseRestartOptions({ restart: t('restart'), maxRestarts: t('maxRestarts'), backoff: t('backoff'), minUptime: t('minUptime') }),
    limits: parseLimitOptions({ memory: t('memory'), cpus: t('cpus'), maxOpenFiles: t('maxOpenFiles'), limits: t('limits') }),
    logs: parseLogCapOptions({ logMaxSize: t('logMaxSize'), logMaxFiles: t('logMaxFiles') }),
    health: parseHealthOptions({
      healthCmd: t('healthCmd'),
      healthHttp: t('healthHttp'),
      healthTcp: t('healthTcp'),
      readyLog: t('readyLog'),
      healthInterval: t('healthInterval'),
      healthTimeout: t('healthTimeout'),
      healthRetries: t('healthRetries'),
      healthStartPeriod: t('healthStartPeriod'),
    }),
  };
  // The checks run does (ranges, combinations), here too, so a bad value fails while it is parsed.
  restartSpec(options.restart);
  limitSpec(options.limits);
  logSpec(options.logs);
  return options;
}
