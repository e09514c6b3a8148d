import { MAX_SEARCH_BYTES } from '@ghost/core';
import { z } from 'zod';
import { logScope, cursorAt, scopeArgs, scopeJSON, scopeShape, scopeText, statusNote } from '../log-scope.js';
import { clipLine } from '../log-text.js';
import { DEFAULT_SEARCH_CONTEXT, DEFAULT_SEARCH_MATCHES, MAX_SEARCH_CONTEXT, MAX_SEARCH_MATCHES } from '../limits.js';
import { defineTool, plural } from '../tool.js';

const MiB = 1024 * 1024;

const clip = (line: string) => clipLine(line).text;

export const searchTool = defineTool({
  name: 'search',
  title: "Search a task's output",
  description:
    `The lines of a task's output that match a pattern (a JavaScript regular expression, or with literal the text itself), each with context lines around it, by default in its current run's output; \`run\` or \`all_runs\` as for log. ` +
    `One call reads at most the last ${MAX_SEARCH_BYTES / MiB} MiB of it and returns at most max_matches matches (default ${DEFAULT_SEARCH_MATCHES}), in log order; ` +
    'next_cursor goes on after what was searched (also later, for new output), earlier_cursor searches what came before from its start. ' +
    'Lines are matched as plain text: colours and escape sequences do not split a word. Each match gives its byte offset, which the log tool takes as offset to read from there.',
  input: {
    ...scopeArgs,
    pattern: z.string().min(1).describe('What to look for: a regular expression (JavaScript syntax), e.g. "error|warn(ing)?"'),
    literal: z.boolean().optional().describe('Take the pattern as plain text, not a regular expression'),
    ignore_case: z.boolean().optional().describe('Match upper and lower case alike'),
    context: z
      .number()
      .int()
      .min(0)
      .max(MAX_SEARCH_CONTEXT)
      .optional()
      .describe(`Lines of context before and after each match (default ${DEFAULT_SEARCH_CONTEXT}, at most ${MAX_SEARCH_CONTEXT})`),
    max_matches: z
      .number()
      .int()
      .min(1)
      .max(MAX_SEARCH_MATCHES)
      .optional()
      .describe(`The most matches to return (default ${DEFAULT_SEARCH_MATCHES}, at most ${MAX_SEARCH_MATCHES})`),
  },
  output: z.object({
    ...scopeShape,
    matches: z.array(
      z.object({
        offset: z.number().int().describe('Where the line starts in the log (the log tool reads from there with offset)'),
        line: z.string(),
        before: z.array(z.string()),
        after: z.array(z.string()),
      }),
    ),
    start: z.number().int().describe('The bytes searched start here'),
    end: z.number().int().describe('and end here'),
    stopped_by: z.enum(['matches', 'bytes']).nullable().describe('Why the search stopped before the end of the output: max_matches reached, or the most one call reads; null: it searched to the end'),
    earlier_cursor: z.string().nullable().describe('Pass as cursor to search the output before start, from its beginning; null: all of it was searched'),
  }),
  annotations: { readOnlyHint: true },
  async call(args, server) {
    const scope = logScope(server.ghost, args);
    if (scope.from?.before) throw new Error('that cursor reads backwards; search goes forwards: pass a next_cursor or earlier_cursor from a search, or a next_cursor from log');
    const found = server.ghost.searchLog(scope.task, args.pattern, {
      literal: args.literal,
      ignoreCase: args.ignore_case,
      context: args.context ?? DEFAULT_SEARCH_CONTEXT,
      maxMatches: args.max_matches ?? DEFAULT_SEARCH_MATCHES,
      offset: scope.from?.offset,
      range: scope.range,
    });
    const outputStart = scope.range?.start ?? 0;
    const matches = found.matches.map((match) => ({ offset: match.offset, line: clip(match.line), before: match.before.map(clip), after: match.after.map(clip) }));
    const notes = [`${plural(matches.length, 'match', 'matches')} in ${scopeText(scope)}, bytes ${found.start}-${found.end} of ${outputStart}-${found.size}`];
    if (found.stoppedBy === 'matches') notes.push(`stopped at ${plural(matches.length, 'match', 'matches')} (max_matches): next_cursor goes on`);
    if (found.stoppedBy === 'bytes') notes.push(`stopped after ${MAX_SEARCH_BYTES / MiB} MiB, the most one call reads: next_cursor goes on`);
    if (found.start > outputStart) notes.push(`the ${found.start - outputStart} bytes before were not searched: earlier_cursor searches them`);
    notes.push(...scope.notes, statusNote(scope.task));
    const text = matches
      .map((match) => [`@${match.offset}`, ...match.before.map((line) => `  ${line}`), `> ${match.line}`, ...match.after.map((line) => `  ${line}`)].join('\n'))
      .join('\n');
    return {
      value: {
        ...scopeJSON(scope, found.size, found.end),
        matches,
        start: found.start,
        end: found.end,
        stopped_by: found.stoppedBy,
        earlier_cursor: found.start > outputStart ? cursorAt(scope, outputStart) : null,
      },
      text: text === '' ? '' : `${text}\n`,
      notes,
    };
  },
});
