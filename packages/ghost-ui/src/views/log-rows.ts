import { sliceColumns, wrapColumns } from '../text/ansi.js';
import { colorsEnabled } from '../text/colors.js';
import { displayWidth } from '../text/width.js';

/** The lines the viewer draws from: core's LogLines (already sanitised). */
export interface LineSource {
  readonly length: number;
  line(index: number): string;
}

/**
 * A row the viewer draws above a line that is none of the log's bytes: where a run started or
 * ended, or that older lines are not in the view. `run` is the run that starts there.
 */
export interface LogMark {
  text: string;
  run?: number;
}

export interface LogRowsInput {
  lines: LineSource;
  width: number;
  wrapped: boolean;
  /** The first column shown (cut lines only). */
  left: number;
  /** Marks drawn above each line, by line index; those at `lines.length` come after the last. */
  marks: ReadonlyMap<number, readonly LogMark[]>;
  /** A line as it is drawn: its colours kept or dropped, search matches marked. */
  decorate(index: number, line: string): string;
}

const RULE = '─';

/**
 * The screen rows each line takes: its marks, then the line itself (one row cut to the window,
 * or as many as it wraps to), and after the last line the marks that follow it. Wrapped lines
 * are wrapped once per layout; a new layout is made whenever what it depends on changes.
 */
export class LogRows {
  readonly #input: LogRowsInput;
  readonly #wraps = new Map<number, string[]>();

  constructor(input: LogRowsInput) {
    this.#input = input;
  }

  marksBefore(index: number): readonly LogMark[] {
    return this.#input.marks.get(index) ?? [];
  }

  rowsOf(index: number): number {
    return this.marksBefore(index).length + this.#textRows(index).length + this.#marksAfter(index).length;
  }

  /** Row `row` of line `index`, ready to draw (its escape sequences are SGR only). */
  row(index: number, row: number): string {
    const before = this.marksBefore(index);
    if (row < before.length) return markRow(before[row]!.text, this.#input.width);
    const text = this.#textRows(index);
    const own = row - before.length;
    if (own < text.length) return text[own]!;
    const after = this.#marksAfter(index)[own - text.length];
    return after ? markRow(after.text, this.#input.width) : '';
  }

  #textRows(index: number): readonly string[] {
    const { lines, width, wrapped, left, decorate } = this.#input;
    if (index < 0 || index >= lines.length) return [''];
    if (!wrapped) return [sliceColumns(decorate(index, lines.line(index)), left, width)];
    let rows = this.#wraps.get(index);
    if (!rows) {
      rows = wrapColumns(decorate(index, lines.line(index)), width);
      this.#wraps.set(index, rows);
    }
    return rows;
  }

  #marksAfter(index: number): readonly LogMark[] {
    const { lines, marks } = this.#input;
    return index === lines.length - 1 ? (marks.get(lines.length) ?? []) : [];
  }
}

/** "── run 2 started at 14:02:11 ─────": dim where colours are on, a rule either way. */
export function markRow(text: string, width: number): string {
  const head = `${RULE}${RULE} ${text} `;
  const row = sliceColumns(head + RULE.repeat(Math.max(0, width - displayWidth(head))), 0, width);
  return colorsEnabled() ? `\x1b[90m${row}\x1b[0m` : row;
}
