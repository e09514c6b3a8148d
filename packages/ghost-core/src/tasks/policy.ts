import { GhostError } from '../errors.js';
import type { Limits } from '../process/limits/limits.js';

/**
 * What a task's supervisor does when its command ends: nothing (`no`), start it again unless
 * it exited 0 (`on-failure`), or start it again whatever happened (`always`). A user's stop or
 * kill never leads to a restart.
 */
export type RestartPolicy = 'no' | 'on-failure' | 'always';

export const RESTART_POLICIES: readonly RestartPolicy[] = ['no', 'on-failure', 'always'];

/** A task's restart policy with every value resolved (see `RestartOptions` for the meaning). */
export interface RestartSpec {
  policy: RestartPolicy;
  /** Consecutive restarts of runs that ended sooner than `minUptimeMs`, after which the task gives up. */
  maxRestarts: number;
  backoffMinMs: number;
  backoffMaxMs: number;
  minUptimeMs: number;
}

/** A task's log cap with every value resolved (see `LogCapOptions`). */
export interface LogSpec {
  /** The log is rotated once it is bigger than this. */
  maxBytes: number;
  /** Rotated logs kept (`<log>.1` newest … `<log>.N`); 0 keeps none. */
  maxFiles: number;
}

/** How a task is supervised, as stored with it: what `start` and `restart` keep. */
export interface TaskPolicy {
  restart: RestartSpec;
  /** Resource limits, as checked when the task was first started (see process/limits). */
  limits?: LimitSpec | undefined;
  logs: LogSpec;
  /** Its health check, or null for none. */
  health: HealthSpec | null;
}

/** Resource limits as a caller gives them (see `RunOptions.limits`). */
export interface LimitOptions extends Limits {
  /**
   * `strict` (the default): a limit this machine cannot enforce is an error (LIMIT_UNAVAILABLE,
   * saying why and what would enable it). `best-effort`: apply those it can, skip the rest.
   */
  mode?: 'strict' | 'best-effort' | undefined;
}

/** Resource limits as stored: what was asked, and how strictly. */
export interface LimitSpec extends Limits {
  mode: 'strict' | 'best-effort';
}

/** Log cap options as a caller gives them; anything left out takes its default. */
export interface LogCapOptions {
  /**
   * Rotate the task's log once it is bigger than this many bytes (default 100 MiB): its
   * bytes are copied to `<log>.1` and the log is truncated (copy-truncate, since the task keeps
   * writing to it). Enforced whenever ghost looks at the task (any command that reads state,
   * `log -f`, the TUI), so a log can exceed it while nothing of ghost runs.
   */
  maxBytes?: number | undefined;
  /** How many rotated logs to keep (default 1); 0 drops the rotated bytes. */
  maxFiles?: number | undefined;
}

export const DEFAULT_LOGS: LogSpec = { maxBytes: 100 * 1024 * 1024, maxFiles: 1 };

/** The smallest cap: below a few pages, rotation would cost more than the bytes it saves. */
const MIN_LOG_BYTES = 64 * 1024;
const MAX_LOG_FILES = 100;

/** Resolves and checks log cap options; throws INVALID_ARGUMENT naming the bad one. */
export function logSpec(options: LogCapOptions = {}): LogSpec {
  const spec: LogSpec = { maxBytes: options.maxBytes ?? DEFAULT_LOGS.maxBytes, maxFiles: options.maxFiles ?? DEFAULT_LOGS.maxFiles };
  if (!Number.isSafeInteger(spec.maxBytes) || spec.maxBytes < MIN_LOG_BYTES) {
    throw invalid('logMaxSize', spec.maxBytes, `invalid log size cap: ${spec.maxBytes} bytes (at least ${MIN_LOG_BYTES / 1024} KiB)`);
  }
  if (!Number.isInteger(spec.maxFiles) || spec.maxFiles < 0 || spec.maxFiles > MAX_LOG_FILES) {
    throw invalid('logMaxFiles', spec.maxFiles, `invalid number of rotated logs: ${spec.maxFiles} (0 to ${MAX_LOG_FILES})`);
  }
  return spec;
}

/** Restart options as a caller gives them; anything left out takes its default. */
export interface RestartOptions {
  /** Default `no`. */
  policy?: RestartPolicy | undefined;
  /**
   * Give up after this many restarts in a row of runs that ended within `minUptime` (default
   * 10), as pm2's unstable restarts and systemd's start limits do. A run that stays up longer
   * resets the count and the backoff.
   */
  maxRestarts?: number | undefined;
  /** The first wait before a restart; it doubles after each quick failure (default 1 s). */
  backoffMinMs?: number | undefined;
  /** The longest wait before a restart (default 30 s). */
  backoffMaxMs?: number | undefined;
  /** How long a run must stay up to count as stable (default 10 s). */
  minUptimeMs?: number | undefined;
}

export const DEFAULT_RESTART: RestartSpec = {
  policy: 'no',
  maxRestarts: 10,
  backoffMinMs: 1_000,
  backoffMaxMs: 30_000,
  minUptimeMs: 10_000,
};

/** The longest any of these durations may be: a day (the supervisor counts in milliseconds). */
const MAX_DURATION_MS = 24 * 60 * 60 * 1000;

/** Resolves and checks restart options; throws INVALID_ARGUMENT naming the bad one. */
export function restartSpec(options: RestartOptions = {}): RestartSpec {
  const spec: RestartSpec = {
    policy: options.policy ?? DEFAULT_RESTART.policy,
    maxRestarts: options.maxRestarts ?? DEFAULT_RESTART.maxRestarts,
    backoffMinMs: options.backoffMinMs ?? DEFAULT_RESTART.backoffMinMs,
    backoffMaxMs: options.backoffMaxMs ?? Math.max(DEFAULT_RESTART.backoffMaxMs, options.backoffMinMs ?? 0),
    minUptimeMs: options.minUptimeMs ?? DEFAULT_RESTART.minUptimeMs,
  };
  if (!RESTART_POLICIES.includes(spec.policy)) {
    throw invalid('restart', spec.policy, `unknown restart policy "${spec.policy}" (no, on-failure or always)`);
  }
  if (!Number.isInteger(spec.maxRestarts) || spec.maxRestarts < 0 || spec.maxRestarts > 1_000_000) {
    throw invalid('maxRestarts', spec.maxRestarts, `invalid maximum number of restarts: ${spec.maxRestarts}`);
  }
  for (const [key, value] of [
    ['backoffMinMs', spec.backoffMinMs],
    ['backoffMaxMs', spec.backoffMaxMs],
    ['minUptimeMs', spec.minUptimeMs],
  ] as const) {
    if (!Number.isFinite(value) || value < 0 || value > MAX_DURATION_MS) {
      throw invalid(key, value, `invalid duration for ${key}: ${value} ms (0 to 24 hours)`);
    }
  }
  spec.backoffMinMs = Math.round(spec.backoffMinMs);
  spec.backoffMaxMs = Math.round(spec.backoffMaxMs);
  spec.minUptimeMs = Math.round(spec.minUptimeMs);
  if (spec.backoffMaxMs < spec.backoffMinMs) {
    throw invalid('backoff', `${spec.backoffMinMs}..${spec.backoffMaxMs}`, `the longest backoff (${spec.backoffMaxMs} ms) is shorter than the first (${spec.backoffMinMs} ms)`);
  }
  return spec;
}

/** A stored policy (JSON), or the default for tasks recorded before policies existed. */
export function decodePolicy(text: string | null): TaskPolicy {
  if (text === null) return { restart: { ...DEFAULT_RESTART }, logs: { ...DEFAULT_LOGS }, health: null };
  const parsed = JSON.parse(text) as Partial<TaskPolicy>;
  return {
    ...parsed,
    restart: { ...DEFAULT_RESTART, ...parsed.restart },
    logs: { ...DEFAULT_LOGS, ...parsed.logs },
    health: parsed.health ? { ...DEFAULT_HEALTH_TUNING, ...parsed.health } : null,
  };
}

/** What is stored: null for the defaults (no restarts, the default log cap), so plain tasks cost nothing. */
export function encodePolicy(policy: TaskPolicy): string | null {
  const defaultLogs = policy.logs.maxBytes === DEFAULT_LOGS.maxBytes && policy.logs.maxFiles === DEFAULT_LOGS.maxFiles;
  return policy.restart.policy === 'no' && defaultLogs && policy.limits === undefined && policy.health === null
    ? null
    : JSON.stringify(policy);
}

/** Resolves and checks limit options (values only: whether this machine can enforce them is checked at launch). */
export function limitSpec(options: LimitOptions | undefined): LimitSpec | undefined {
  if (!options) return undefined;
  const { mode = 'strict', memoryBytes, cpus, maxOpenFiles } = options;
  if (memoryBytes === undefined && cpus === undefined && maxOpenFiles === undefined) return undefined;
  if (mode !== 'strict' && mode !== 'best-effort') throw invalid('limits', mode, `unknown limits mode "${mode}" (strict or best-effort)`);
  if (memoryBytes !== undefined && (!Number.isInteger(memoryBytes) || memoryBytes < 1024 * 1024)) {
    throw invalid('memory', memoryBytes, `invalid memory limit: ${memoryBytes} bytes (at least 1 MiB)`);
  }
  if (cpus !== undefined && (!Number.isFinite(cpus) || cpus < 0.01 || cpus > 4096)) {
    throw invalid('cpus', cpus, `invalid CPU limit: ${cpus} (a number of CPUs, such as 0.5 or 2)`);
  }
  if (maxOpenFiles !== undefined && (!Number.isInteger(maxOpenFiles) || maxOpenFiles < 8 || maxOpenFiles > 1_048_576)) {
    throw invalid('maxOpenFiles', maxOpenFiles, `invalid open files limit: ${maxOpenFiles} (8 to 1048576)`);
  }
  const spec: LimitSpec = { mode };
  if (memoryBytes !== undefined) spec.memoryBytes = memoryBytes;
  if (cpus !== undefined) spec.cpus = cpus;
  if (maxOpenFiles !== undefined) spec.maxOpenFiles = maxOpenFiles;
  return spec;
}

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/**
 * Parses a size as people write it: bytes (`1048576`), or a number with a binary unit (`512k`,
 * `100M`, `1.5G`, also `MB`, `MiB`). Returns bytes; throws INVALID_ARGUMENT.
 */
export function parseSize(text: string, what = 'size', argument = what): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$/i.exec(text.trim());
  if (!match) throw invalid(argument, text, `invalid ${what} "${text}" (expected a size such as 512k, 100M or 2G)`);
  return Math.round(Number(match[1]) * SIZE_UNITS[match[2]!.toLowerCase()]!);
}

/** Limit options as text, as a command line or a project file gives them. */
export interface LimitText {
  memory?: string | undefined;
  cpus?: string | undefined;
  maxOpenFiles?: string | undefined;
  /** `strict` or `best-effort`. */
  limits?: string | undefined;
}

/** Parses limit options given as text; throws INVALID_ARGUMENT naming the bad one. */
export function parseLimitOptions(text: LimitText): LimitOptions | undefined {
  if (text.memory === undefined && text.cpus === undefined && text.maxOpenFiles === undefined) {
    if (text.limits !== undefined && text.limits !== 'strict' && text.limits !== 'best-effort') {
      throw invalid('limits', text.limits, `unknown limits mode "${text.limits}" (strict or best-effort)`);
    }
    return undefined;
  }
  const options: LimitOptions = {};
  if (text.memory !== undefined) options.memoryBytes = parseSize(text.memory, 'memory limit', 'memory');
  if (text.cpus !== undefined) {
    if (!/^\d+(?:\.\d+)?$/.test(text.cpus.trim())) throw invalid('cpus', text.cpus, `invalid CPU limit "${text.cpus}" (a number of CPUs, such as 0.5 or 2)`);
    options.cpus = Number(text.cpus);
  }
  if (text.maxOpenFiles !== undefined) {
    if (!/^\d+$/.test(text.maxOpenFiles.trim())) {
      throw invalid('maxOpenFiles', text.maxOpenFiles, `invalid open files limit "${text.maxOpenFiles}" (a whole number)`);
    }
    options.maxOpenFiles = Number(text.maxOpenFiles);
  }
  if (text.limits !== undefined) {
    if (text.limits !== 'strict' && text.limits !== 'best-effort') throw invalid('limits', text.limits, `unknown limits mode "${text.limits}" (strict or best-effort)`);
    options.mode = text.limits;
  }
  return options;
}

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a duration as people write it: a number of seconds (`30`, `0.5`), or a number with a
 * unit (`500ms`, `30s`, `5m`, `2h`, `1d`). Returns milliseconds; throws INVALID_ARGUMENT.
 */
export function parseDuration(text: string, what = 'duration', argument = what): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) throw invalid(argument, text, `invalid ${what} "${text}" (expected a duration such as 500ms, 30s, 5m, 2h or 1d)`);
  return Number(match[1]) * UNITS[match[2] ?? 's']!;
}

/** Parses a backoff range `MIN..MAX` (e.g. `1s..30s`), or a single duration for both. */
export function parseBackoff(text: string): { backoffMinMs: number; backoffMaxMs: number } {
  const [min, max, extra] = text.split('..');
  if (extra !== undefined || min === undefined || min.trim() === '') {
    throw invalid('backoff', text, `invalid backoff "${text}" (expected MIN..MAX, such as 1s..30s)`);
  }
  const backoffMinMs = parseDuration(min, 'backoff', 'backoff');
  const backoffMaxMs = max === undefined ? backoffMinMs : parseDuration(max, 'backoff', 'backoff');
  if (backoffMaxMs < backoffMinMs) {
    throw invalid('backoff', text, `invalid backoff "${text}": the longest wait is shorter than the first`);
  }
  return { backoffMinMs, backoffMaxMs };
}

function invalid(argument: string, value: unknown, message: string): GhostError {
  return new GhostError('INVALID_ARGUMENT', message, { details: { argument, value } });
}

/** Restart options as text, as a command line or a project file gives them. */
export interface RestartText {
  restart?: string | undefined;
  maxRestarts?: string | undefined;
  /** `MIN..MAX` or one duration. */
  backoff?: string | undefined;
  minUptime?: string | undefined;
}

/** Parses restart options given as text; throws INVALID_ARGUMENT naming the bad one. */
export function parseRestartOptions(text: RestartText): RestartOptions {
  const options: RestartOptions = {};
  if (text.restart !== undefined) {
    if (!(RESTART_POLICIES as readonly string[]).includes(text.restart)) {
      throw invalid('restart', text.restart, `unknown restart policy "${text.restart}" (no, on-failure or always)`);
    }
    options.policy = text.restart as RestartPolicy;
  }
  if (text.maxRestarts !== undefined) {
    if (!/^\d+$/.test(text.maxRestarts.trim())) {
      throw invalid('maxRestarts', text.maxRestarts, `invalid maximum number of restarts "${text.maxRestarts}" (a whole number)`);
    }
    options.maxRestarts = Number(text.maxRestarts);
  }
  if (text.backoff !== undefined) Object.assign(options, parseBackoff(text.backoff));
  if (text.minUptime !== undefined) options.minUptimeMs = parseDuration(text.minUptime, 'minimum uptime', 'minUptime');
  return options;
}

export interface LogCapText {
  /** A size such as `10M`. */
  logMaxSize?: string | undefined;
  logMaxFiles?: string | undefined;
}

/** Parses log cap options given as text; throws INVALID_ARGUMENT naming the bad one. */
export function parseLogCapOptions(text: LogCapText): LogCapOptions {
  const options: LogCapOptions = {};
  if (text.logMaxSize !== undefined) options.maxBytes = parseSize(text.logMaxSize, 'log size cap', 'logMaxSize');
  if (text.logMaxFiles !== undefined) {
    if (!/^\d+$/.test(text.logMaxFiles.trim())) {
      throw invalid('logMaxFiles', text.logMaxFiles, `invalid number of rotated logs "${text.logMaxFiles}" (a whole number)`);
    }
    options.maxFiles = Number(text.logMaxFiles);
  }
  return options;
}

/**
 * What tells that a task is healthy: a command that exits 0 (run with /bin/sh -c in the
 * task's cwd and environment), an HTTP GET answered 2xx or 3xx, a TCP port that accepts a
 * connection, or (`log`) a line of the task's output matching a pattern: ready once it has.
 */
export type HealthProbe =
  | { kind: 'cmd'; command: string }
  | { kind: 'http'; url: string }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'log'; pattern: string };

/** A task's health check with every value resolved (see `HealthOptions` for the meaning). */
export interface HealthSpec {
  probe: HealthProbe;
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
}

/**
 * A health check as a caller gives it: one probe, and tuning (anything left out takes its
 * default). Docker's semantics: the task is `starting` until a probe passes, then `healthy`;
 * `unhealthy` after `retries` failures in a row; failures within `startPeriodMs` of the run's
 * start do not count. With a restart policy, an unhealthy run is stopped (SIGTERM, then
 * SIGKILL at the next failure) and restarted, its reason `unhealthy`. A `readyLog` check only
 * says when the task is ready: it is never unhealthy.
 */
export interface HealthOptions {
  /** A shell command; exit 0 is healthy. */
  command?: string | undefined;
  /** An http:// or https:// URL; a 2xx or 3xx answer is healthy. */
  http?: string | undefined;
  /** `[HOST:]PORT` (host default 127.0.0.1); accepting a connection is healthy. */
  tcp?: string | undefined;
  /** A regular expression (JavaScript syntax): ready once a line of the run's output matches. */
  readyLog?: string | undefined;
  /** Between probes (default 10 s). */
  intervalMs?: number | undefined;
  /** A probe that takes longer has failed (default 5 s). */
  timeoutMs?: number | undefined;
  /** Failures in a row that make the task unhealthy (default 3). */
  retries?: number | undefined;
  /** Failures this soon after the start do not count (default 0). */
  startPeriodMs?: number | undefined;
}

export const DEFAULT_HEALTH_TUNING: Omit<HealthSpec, 'probe'> = {
  intervalMs: 10_000,
  timeoutMs: 5_000,
  retries: 3,
  startPeriodMs: 0,
};

const PROBES = ['command', 'http', 'tcp', 'readyLog'] as const;
const TUNING_WORDS = { intervalMs: 'interval', timeoutMs: 'timeout', retries: 'retries', startPeriodMs: 'start period' } as const;

/** Whether the options name a probe (what a wait until healthy needs). */
export function hasHealthCheck(options: HealthOptions | undefined): boolean {
  return PROBES.some((key) => options?.[key] !== undefined);
}

/** Resolves and checks a health check; null when no probe is given. Throws INVALID_ARGUMENT. */
export function healthSpec(options: HealthOptions = {}): HealthSpec | null {
  const given = PROBES.filter((key) => options[key] !== undefined);
  const tuning = (['intervalMs', 'timeoutMs', 'retries', 'startPeriodMs'] as const).filter((key) => options[key] !== undefined);
  if (given.length === 0) {
    const key = tuning[0];
    if (key) throw invalid(key, options[key], `the health ${TUNING_WORDS[key]} needs a health check (a command, an HTTP URL, a TCP port or a ready-log pattern)`);
    return null;
  }
  if (given.length > 1) throw invalid('health', given, `give one health check, not ${given.length}`);
  const spec: HealthSpec = {
    probe: healthProbe(options),
    intervalMs: options.intervalMs ?? DEFAULT_HEALTH_TUNING.intervalMs,
    timeoutMs: options.timeoutMs ?? DEFAULT_HEALTH_TUNING.timeoutMs,
    retries: options.retries ?? DEFAULT_HEALTH_TUNING.retries,
    startPeriodMs: options.startPeriodMs ?? DEFAULT_HEALTH_TUNING.startPeriodMs,
  };
  for (const key of ['intervalMs', 'timeoutMs'] as const) {
    // Under 10 ms a probe loop would spin: the supervisor counts in milliseconds.
    if (!Number.isFinite(spec[key]) || spec[key] < 10 || spec[key] > MAX_DURATION_MS) {
      throw invalid(key, spec[key], `invalid health ${TUNING_WORDS[key]}: ${spec[key]} ms (10 ms to 24 hours)`);
    }
    spec[key] = Math.round(spec[key]);
  }
  if (!Number.isFinite(spec.startPeriodMs) || spec.startPeriodMs < 0 || spec.startPeriodMs > MAX_DURATION_MS) {
    throw invalid('startPeriodMs', spec.startPeriodMs, `invalid health start period: ${spec.startPeriodMs} ms (0 to 24 hours)`);
  }
  spec.startPeriodMs = Math.round(spec.startPeriodMs);
  if (!Number.isInteger(spec.retries) || spec.retries < 1 || spec.retries > 1_000_000) {
    throw invalid('retries', spec.retries, `invalid health retries: ${spec.retries} (a whole number from 1)`);
  }
  return spec;
}

function healthProbe(options: HealthOptions): HealthProbe {
  if (options.command !== undefined) {
    if (options.command.trim() === '') throw invalid('command', options.command, 'the health command is empty');
    return { kind: 'cmd', command: options.command };
  }
  if (options.http !== undefined) {
    let url: URL;
    try {
      url = new URL(options.http);
    } catch {
      throw invalid('http', options.http, `invalid health URL "${options.http}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw invalid('http', options.http, `cannot probe "${options.http}": only http:// and https:// URLs can be checked`);
    }
    return { kind: 'http', url: url.href };
  }
  if (options.tcp !== undefined) {
    const match = /^(?:(.+):)?(\d+)$/.exec(options.tcp.trim());
    const port = match ? Number(match[2]) : Number.NaN;
    if (!match || port < 1 || port > 65535) throw invalid('tcp', options.tcp, `invalid health TCP address "${options.tcp}" (expected [HOST:]PORT)`);
    const host = (match[1] ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
    if (!/^[A-Za-z0-9.:_-]+$/.test(host)) throw invalid('tcp', options.tcp, `invalid host in health TCP address "${options.tcp}"`);
    return { kind: 'tcp', host, port };
  }
  const pattern = options.readyLog!;
  try {
    new RegExp(pattern);
  } catch (error) {
    throw invalid('readyLog', pattern, `invalid ready-log pattern /${pattern}/: ${(error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '')}`);
  }
  return { kind: 'log', pattern };
}

/** The options that give back `spec` (for a task started again as a new one). */
export function healthOptions(spec: HealthSpec): HealthOptions {
  const { probe, ...tuning } = spec;
  if (probe.kind === 'cmd') return { ...tuning, command: probe.command };
  if (probe.kind === 'http') return { ...tuning, http: probe.url };
  if (probe.kind === 'tcp') return { ...tuning, tcp: `${probe.host.includes(':') ? `[${probe.host}]` : probe.host}:${probe.port}` };
  return { ...tuning, readyLog: probe.pattern };
}

/** A health check as text, as a command line or a project file gives it. */
export interface HealthText {
  healthCmd?: string | undefined;
  healthHttp?: string | undefined;
  healthTcp?: string | undefined;
  readyLog?: string | undefined;
  healthInterval?: string | undefined;
  healthTimeout?: string | undefined;
  healthRetries?: string | undefined;
  healthStartPeriod?: string | undefined;
}

/** Parses a health check given as text; throws INVALID_ARGUMENT naming the bad value. */
export function parseHealthOptions(text: HealthText): HealthOptions {
  const options: HealthOptions = { command: text.healthCmd, http: text.healthHttp, tcp: text.healthTcp, readyLog: text.readyLog };
  if (text.healthInterval !== undefined) options.intervalMs = parseDuration(text.healthInterval, 'health interval', 'healthInterval');
  if (text.healthTimeout !== undefined) options.timeoutMs = parseDuration(text.healthTimeout, 'health timeout', 'healthTimeout');
  if (text.healthStartPeriod !== undefined) options.startPeriodMs = parseDuration(text.healthStartPeriod, 'health start period', 'healthStartPeriod');
  if (text.healthRetries !== undefined) {
    if (!/^\d+$/.test(text.healthRetries.trim())) {
      throw invalid('healthRetries', text.healthRetries, `invalid health retries "${text.healthRetries}" (a whole number from 1)`);
    }
    options.retries = Number(text.healthRetries);
  }
  // Checked here too, so that a bad value fails before anything starts, whoever parses it.
  healthSpec(options);
  return options;
}
