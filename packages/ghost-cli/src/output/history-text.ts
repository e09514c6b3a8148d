import { type StackRevision } from '@ghost/core';
import { displayPath, escapeForTerminal, formatAgo } from '@ghost/core/format';
import { relative } from 'node:path';
import { type Column, renderTable } from './table.js';

/** The start of a digest or commit, as git shortens commits. */
const short = (hex: string) => hex.slice(0, 12);

/** A revision's commit: short, `+dirty` when the file differed from it; `-` outside git. */
export function commitText(revision: StackRevision): string {
  return revision.git ? `${short(revision.git.commit)}${revision.git.dirty ? '+dirty' : ''}` : '-';
}

/** "revision 2 (commit 1a2b3c4d5e6f)", for a line about one revision. */
export function revisionText(revision: StackRevision): string {
  return revision.git ? `revision ${revision.revision} (commit ${commitText(revision)})` : `revision ${revision.revision}`;
}

const COLUMNS: readonly Column[] = [
  { header: 'REV', right: true },
  { header: 'APPLIED' },
  { header: 'DIGEST' },
  { header: 'COMMIT' },
  { header: 'FILE', shrink: true },
];

/** `ghost history`: one row per revision, oldest first; files relative to `cwd` when under it. */
export function revisionTable(history: readonly StackRevision[], cwd: string, now: number, width?: number): string {
  const rows = history.map((revision) => {
    const path = relative(cwd, revision.file);
    return [
      String(revision.revision),
      formatAgo(new Date(revision.appliedAt), now),
      short(revision.digest),
      commitText(revision),
      path.startsWith('..') ? displayPath(revision.file) : escapeForTerminal(path),
    ];
  });
  return renderTable(COLUMNS, rows, width);
}
