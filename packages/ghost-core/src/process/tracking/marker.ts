import { readFileSync, readdirSync } from 'node:fs';

/**
 * The inherited marker: every run's command starts with `GHOST_RUN=<launch-id>` in its
 * environment, and every process it starts inherits it unless it is given another
 * environment. Found on Linux in /proc/<pid>/environ (the environment a process was exec'd
 * with: changing it later does not hide it; exec'ing with a cleared one does), elsewhere in
 * `ps -E` output. Only processes this user may read are seen.
 */
export const MARKER_VARIABLE = 'GHOST_RUN';

/** The live pids carrying each of `markers`, from one pass over the process table. */
export function markedProcesses(markers: ReadonlySet<string>): Map<string, number[]> {
  const found = new Map<string, number[]>();
  if (markers.size === 0) return found;
  const add = (marker: string, pid: number) => {
    if (!markers.has(marker)) return;
    const pids = found.get(marker);
    if (pids) pids.push(pid);
    else found.set(marker, [pid]);
  };
  if (process.platform === 'linux') {
    for (const [pid, marker] of procMarkers()) add(marker, pid);
  } else {
    for (const [pid, marker] of psMarkers()) add(marker, pid);
  }
  return found;
}

const NEEDLE = `${MARKER_VARIABLE}=`;

function* procMarkers(): Generator<[number, string]> {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return;
  }
  for (const entry of entries) {
    const code = entry.charCodeAt(0);
    if (code < 48 || code > 57) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
    } catch {
      continue; // gone, or another user's
    }
    const marker = markerIn(environ);
    if (marker !== null) yield [Number(entry), marker];
  }
}

/** The marker's value in a NUL-separated environment block, or null. */
export function markerIn(environ: string): string | null {
  let start = NEEDLE.length;
  if (!environ.startsWith(NEEDLE)) {
    const at = environ.indexOf(`\0${NEEDLE}`);
    if (at < 0) return null;
    start += at + 1;
  }
  const end = environ.indexOf('\0', start);
  return environ.slice(start, end < 0 ? environ.length : end);
}

/**
 * macOS and other Unixes: `ps -E` appends each process's environment to its command line.
 * Untested (ghost's CI runs on Linux); a value is a launch id, so it never contains a space.
 */
function* psMarkers(): Generator<[number, string]> {
  let output: string;
  try {
    const { execFileSync } = process.getBuiltinModule('node:child_process');
    output = execFileSync('ps', ['-A', '-ww', '-E', '-o', 'pid=,command='], {
      encoding: 'latin1',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch {
    return;
  }
  const pattern = new RegExp(`^\\s*(\\d+)\\s.*\\s${NEEDLE}(\\S+)`);
  for (const line of output.split('\n')) {
    const match = pattern.exec(line);
    if (match) yield [Number(match[1]), match[2]!];
  }
}
