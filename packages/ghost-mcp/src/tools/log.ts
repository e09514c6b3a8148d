import { z } from 'zod';
import { cursorAt, logScope, scopeArgs, scopeJSON, scopeShape, scopeText, statusNote } from '../log-scope.js';
import { DEFAULT_LOG_BYTES, DEFAULT_LOG_LINES, MAX_LOG_BYTES, MAX_LOG_LINES, logExcerpt, pageNotes, runsInPage } from '../log-text.js';
import { defineTool } from '../tool.js';

export const logTool = defineTool({
  name: 'log',
  title: "Read a task's output",
  description:
    `A task's output (stdout and stderr together), by default its current run's only, bounded in lines and bytes: the last ${DEFAULT_LOG_LINES} lines within the last ${DEFAULT_LOG_BYTES} bytes. ` +
    '`run` reads an earlier run\'s output, `all_runs` the whole log (then `runs` says which lines are which run\'s). ' +
    'Page with cursors: earlier_cursor reads the lines before a page, next_cursor those after it, including output written since (call again later to see only what is new). ' +
    'Control characters and terminal escape sequences are removed and very long lines are cut. ' +
    'The text is the lines; a last text item says what they are: which run, which bytes, what was left out, the task status.',
  input: {
    ...scopeArgs,
    lines: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(`How many lines to return at most (default ${DEFAULT_LOG_LINES}; more than ${MAX_LOG_LINES} returns ${MAX_LOG_LINES})`),
    max_bytes: z
      .number()
      .int()
      .min(1)
      .max(MAX_LOG_BYTES)
      .optional()
      .describe(`How many bytes of the log to read at most (default ${DEFAULT_LOG_BYTES}, at most ${MAX_LOG_BYTES})`),
  },
  output: z.object({
    ...scopeShape,
    lines: z.array(z.string()).describe('The lines, oldest first, as plain text'),
    start: z.number().int().describe('Where the lines start in the log, in bytes'),
    end: z.number().int().describe('Where they end'),
    earlier_cursor: z.string().nullable().describe('Pass as cursor to read the lines before these; null: there are none'),
    truncated: z.boolean().describe('max_bytes cut the page'),
    long_lines: z.number().int().describe('How many lines were cut to 2000 characters'),
    runs: z.array(z.object({ run: z.number().int(), line: z.number().int() })).describe('Which run each part of lines is from: from index line on, run\'s output'),
  }),
  annotations: { readOnlyHint: true },
  async call(args, server) {
    const scope = logScope(server.ghost, args);
    const maxBytes = args.max_bytes ?? DEFAULT_LOG_BYTES;
    const lines = Math.min(args.lines ?? DEFAULT_LOG_LINES, MAX_LOG_LINES);
    const from = scope.from;
    const page = server.ghost.readLogPage(scope.task, {
      range: scope.range,
      lines,
      maxBytes,
      ...(from === undefined ? {} : from.before ? { before: from.offset } : { offset: from.offset }),
    });
    const excerpt = logExcerpt(page.data);
    const outputStart = scope.range?.start ?? 0;
    const forward = from !== undefined && !from.before;
    const notes = [
      scopeText(scope),
      ...pageNotes(page, excerpt, { forward, maxBytes, linesCapped: args.lines !== undefined && args.lines > MAX_LOG_LINES, outputStart }),
      ...scope.notes,
      statusNote(scope.task),
    ];
    return {
      value: {
        ...scopeJSON(scope, page.size, page.end),
        lines: excerpt.lines,
        start: page.start,
        end: page.end,
        earlier_cursor: page.start > outputStart ? cursorAt(scope, page.start, true) : null,
        truncated: page.truncated,
        long_lines: excerpt.longLines,
        runs: runsInPage(page, scope.runs),
      },
      text: excerpt.lines.length > 0 ? `${excerpt.lines.join('\n')}\n` : '',
      notes,
    };
  },
});
