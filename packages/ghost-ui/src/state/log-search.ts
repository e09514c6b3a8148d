import { plainText } from '../text/ansi.js';

/** What a search reads: lines by index (core's LogLines, sanitised). */
export interface SearchLines {
  readonly length: number;
  line(index: number): string;
}

/**
 * A plain-text search of a log as it shows (its colour sequences left out). Smartcase: the
 * case is ignored unless the text has an upper-case letter. Each look reads the buffer's lines
 * once, with one regular expression, so a search over 10,000 lines takes a few milliseconds.
 */
export class LogSearch {
  readonly text: string;
  readonly #pattern: RegExp;

  constructor(text: string) {
    this.text = text;
    const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    this.#pattern = new RegExp(escaped, text === text.toLowerCase() ? 'giu' : 'gu');
  }

  /** Where the text occurs in a line's plain text: [start, end) pairs, in order. */
  ranges(line: string): [number, number][] {
    const text = plainText(line);
    this.#pattern.lastIndex = 0;
    return Array.from(text.matchAll(this.#pattern), (match): [number, number] => [match.index, match.index + match[0].length]);
  }

  matches(line: string): boolean {
    this.#pattern.lastIndex = 0;
    return this.#pattern.test(plainText(line));
  }

  /**
   * The nearest line with a match from line `from` on (`direction` 1) or back (-1), `from`
   * included, going round the end of the buffer if need be (`wrapped` says so); with its rank
   * among the lines that match, and how many do.
   */
  find(lines: SearchLines, from: number, direction: 1 | -1): { line: number; wrapped: boolean; rank: number; count: number } | undefined {
    const matching: number[] = [];
    for (let index = 0; index < lines.length; index++) if (this.matches(lines.line(index))) matching.push(index);
    if (matching.length === 0) return undefined;
    const start = Math.min(Math.max(from, -1), lines.length);
    let rank = direction === 1 ? matching.findIndex((line) => line >= start) : matching.findLastIndex((line) => line <= start);
    const wrapped = rank < 0;
    if (wrapped) rank = direction === 1 ? 0 : matching.length - 1;
    return { line: matching[rank]!, wrapped, rank: rank + 1, count: matching.length };
  }
}

