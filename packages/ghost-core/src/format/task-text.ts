import { homedir } from 'node:os';
import { type Task, TASK_STATUSES } from '../tasks/types.js';
import { dollarQuote, escapeForTerminal, hasTerminalControls } from './terminal-text.js';

// Plain-text renderings of task facts, shared by every front end (no colour, no layout). Each
// is safe to write to a terminal: control and bidi characters come out escaped.

/** The first 8 characters of an id: enough to be unique among a person's tasks. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** "3f2a9c1b (web)", or "3f2a9c1b" for a task without a name: how messages name a task. */
export function taskLabel(task: Pick<Task, 'id' | 'name'>): string {
  return task.name ? `${shortId(task.id)} (${escapeForTerminal(task.name)})` : shortId(task.id);
}

/**
 * "running", "running (healthy)", "exited 0", "killed SIGTERM", "unknown" or "restarting in 4.0s (exited 1)"; with
 * " · 1 process left" when processes of the task outlived its command, and the reason when
 * one was recorded (" · gave up after 10 restarts").
 */
export function statusText(
  task: Pick<Task, 'status' | 'exitCode' | 'signal'> & Partial<Pick<Task, 'leftoverProcesses' | 'reason' | 'restarts' | 'restartAt' | 'health'>>,
  now: number = Date.now(),
): string {
  const left = task.leftoverProcesses ?? 0;
  const notes: string[] = [];
  if (left > 0) notes.push(`${left} ${left === 1 ? 'process' : 'processes'} left`);
  const reason = task.reason ? REASON_TEXT[task.reason] : undefined;
  if (reason) notes.push(reason(task.restarts));
  const suffix = notes.map((note) => ` · ${note}`).join('');
  const ended = task.signal !== null ? `killed ${task.signal}` : task.exitCode !== null ? `exited ${task.exitCode}` : 'unknown';
  switch (task.status) {
    case 'exited':
      return `exited ${task.exitCode ?? '?'}${suffix}`;
    case 'killed':
      return `killed ${task.signal ?? '?'}${suffix}`;
    case 'restarting': {
      const due = task.restartAt ? Math.max(0, task.restartAt.getTime() - now) : 0;
      return `restarting in ${formatDuration(due)} (${ended})${suffix}`;
    }
    default:
      return `${task.status}${task.health ? ` (${task.health})` : ''}${suffix}`;
  }
}

/** Words for the reasons core records (END_REASONS), as the status line shows them. */
const REASON_TEXT: Readonly<Record<string, (restarts: number | undefined) => string>> = {
  launch_aborted: () => 'never started (launch aborted)',
  restart_limit: (restarts) =>
    restarts === undefined ? 'gave up: restart limit' : `gave up after ${restarts} ${restarts === 1 ? 'restart' : 'restarts'}`,
  supervisor_lost: () => 'its supervisor was killed before restarting it',
  out_of_memory: () => 'out of memory',
  unhealthy: () => 'ended for failing its health check',
};

/** Statuses as a message names them: "running, restarting, exited, killed or unknown". */
export function statusWords(statuses: readonly string[] = TASK_STATUSES): string {
  return statuses.length < 2 ? statuses.join('') : `${statuses.slice(0, -1).join(', ')} or ${statuses[statuses.length - 1]}`;
}

/** A compact duration: "0.4s", "12s", "3m05s", "2h07m", "3d04h". */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${pad(seconds % 60)}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h${pad(minutes % 60)}m`;
  return `${Math.floor(hours / 24)}d${pad(hours % 24)}h`;
}

/** How long ago `date` was: "just now", "5s ago", "3m ago", "2h ago", "4d ago". */
export function formatAgo(date: Date, now: number = Date.now()): string {
  const seconds = Math.floor((now - date.getTime()) / 1000);
  if (seconds < 1) return 'just now';
  if (seconds < 60) return `${seconds}s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ago`;
  return `${Math.floor(hours / 24)}d ago`;
}

/** A path with the home directory shown as "~", as a shell prompt does (a home of "/" is not). */
export function displayPath(path: string, home: string = homedir()): string {
  if (home.length > 1 && (path === home || path.startsWith(`${home}/`))) return escapeForTerminal(`~${path.slice(home.length)}`);
  return escapeForTerminal(path);
}

/**
 * An argv as a person would type it in sh: words with special characters are quoted, and words
 * with control or bidi characters are written $'…' with those escaped (as bash, zsh and ksh read
 * them), so the text is exact and safe to show.
 */
export function commandText(argv: readonly string[]): string {
  return argv.map(quoteWord).join(' ');
}

function quoteWord(word: string): string {
  if (word !== '' && /^[\w@%+=:,./-]+$/.test(word)) return word;
  if (hasTerminalControls(word)) return dollarQuote(word);
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
