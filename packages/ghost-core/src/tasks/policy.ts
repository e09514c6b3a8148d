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
  if (text === null) return { restart: { ...DEFAULT_RESTART }, logs: { ...DEFAULT_LOGS } };
  const parsed = JSON.parse(text) as Partial<TaskPolicy>;
  return { ...parsed, restart: { ...DEFAULT_RESTART, ...parsed.restart }, logs: { ...DEFAULT_LOGS, ...parsed.logs } };
}

/** What is stored: null for the defaults (no restarts, the default log cap), so plain tasks cost nothing. */
export function encodePolicy(policy: TaskPolicy): string | null {
  const defaultLogs = policy.logs.maxBytes === DEFAULT_LOGS.maxBytes && policy.logs.maxFiles === DEFAULT_LOGS.maxFiles;
  return policy.restart.policy === 'no' && defaultLogs && policy.limits === undefined ? null : JSON.stringify(policy);
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
export function parseSize(text: string, what = 'size'): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$/i.exec(text.trim());
  if (!match) throw invalid(what, text, `invalid ${what} "${text}" (expected a size such as 512k, 100M or 2G)`);
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
  if (text.memory !== undefined) options.memoryBytes = parseSize(text.memory, 'memory limit');
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
export function parseDuration(text: string, what = 'duration'): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) throw invalid(what, text, `invalid ${what} "${text}" (expected a duration such as 500ms, 30s, 5m, 2h or 1d)`);
  return Number(match[1]) * UNITS[match[2] ?? 's']!;
}

/** Parses a backoff range `MIN..MAX` (e.g. `1s..30s`), or a single duration for both. */
export function parseBackoff(text: string): { backoffMinMs: number; backoffMaxMs: number } {
  const [min, max, extra] = text.split('..');
  if (extra !== undefined || min === undefined || min.trim() === '') {
    throw invalid('backoff', text, `invalid backoff "${text}" (expected MIN..MAX, such as 1s..30s)`);
  }
  const backoffMinMs = parseDuration(min, 'backoff');
  const backoffMaxMs = max === undefined ? backoffMinMs : parseDuration(max, 'backoff');
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
  if (text.minUptime !== undefined) options.minUptimeMs = parseDuration(text.minUptime, 'minimum uptime');
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
  if (text.logMaxSize !== undefined) options.maxBytes = parseSize(text.logMaxSize, 'log size cap');
  if (text.logMaxFiles !== undefined) {
    if (!/^\d+$/.test(text.logMaxFiles.trim())) {
      throw invalid('logMaxFiles', text.logMaxFiles, `invalid number of rotated logs "${text.logMaxFiles}" (a whole number)`);
    }
    options.maxFiles = Number(text.logMaxFiles);
  }
  return options;
}
