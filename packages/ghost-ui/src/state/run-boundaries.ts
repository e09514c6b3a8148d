import type { Run } from '@ghost/core';

/** What the viewer's buffer knows of offsets (core's LogLines). */
export interface OffsetLines {
  readonly length: number;
  /** Where the first byte the buffer read stands in the log. */
  readonly origin: number;
  lineAt(offset: number): number;
}

/**
 * A place in the buffer where one run's output ends and/or the next one's begins: before line
 * `line` (`length`: after the last line, where the last run ended).
 */
export interface RunBoundary {
  line: number;
  ended?: Run;
  started?: Run;
}

/** Why the start of a run's output is not in the buffer. */
export type MissingStart = 'dropped' | 'not loaded' | 'rotated' | 'unrecorded';

/** Where each run's output starts in the buffer, or why it is not there. */
export type RunStart = { run: Run; line: number } | { run: Run; missing: MissingStart };

/**
 * Maps a task's runs (each with the offset its output starts at) onto the buffer's lines. The
 * log's bytes carry no times: these boundaries are the only times the log view can show.
 */
export function runBoundaries(runs: readonly Run[], lines: OffsetLines): { boundaries: RunBoundary[]; starts: RunStart[] } {
  const ordered = [...runs].sort((a, b) => a.run - b.run);
  const boundaries: RunBoundary[] = [];
  const starts: RunStart[] = [];
  for (const [index, run] of ordered.entries()) {
    const missing = missingStart(run.logOffset, lines);
    if (missing !== undefined) {
      starts.push({ run, missing });
      continue;
    }
    const line = lines.lineAt(run.logOffset!);
    starts.push({ run, line });
    const previous = ordered[index - 1];
    boundaries.push({ line, started: run, ...(previous ? { ended: previous } : {}) });
  }
  const last = ordered.at(-1);
  if (last && last.status !== 'running' && lines.length > 0) boundaries.push({ line: lines.length, ended: last });
  return { boundaries, starts };
}

function missingStart(offset: number | null, lines: OffsetLines): MissingStart | undefined {
  if (offset === null) return 'unrecorded';
  if (offset < 0) return 'rotated';
  if (lines.lineAt(offset) >= 0) return undefined;
  return offset >= lines.origin ? 'dropped' : 'not loaded';
}
