// A problem in a project file, as data: where it is and what is wrong. Readers collect every
// problem instead of stopping at the first, so one `ghost config --validate` shows them all.
import { relative } from 'node:path';
import { type Document, LineCounter, isMap, isPair, isScalar, parseDocument } from 'yaml';

export interface Problem {
  /** The file the problem is in (absolute). */
  file: string;
  /** 1-based. */
  line: number;
  col: number;
  message: string;
}

/** `file:line:col: message`, the file relative to `from` when given (as compilers print it). */
export function formatProblem(problem: Problem, from?: string): string {
  const file = from === undefined ? problem.file : relative(from, problem.file) || problem.file;
  return `${file}:${problem.line}:${problem.col}: ${problem.message}`;
}

/** The closest of `candidates` to a misspelt `word`, if one is close enough to be a likely typo. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

export type PathKey = string | number;

/** Finds nodes of a parsed YAML document by path, for problems that point at their line. */
export class YamlLocator {
  constructor(
    readonly file: string,
    readonly doc: Document.Parsed,
    readonly lines: LineCounter,
  ) {}

  /** A problem at the offset. */
  at(offset: number, message: string): Problem {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, col, message };
  }

  /** A problem at the value at `path`, or at the nearest enclosing node that exists. */
  value(path: readonly PathKey[], message: string): Problem {
    for (let n = path.length; n >= 0; n--) {
      const node = this.doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return this.at(node.range[0], message);
    }
    return this.at(0, message);
  }

  /** A problem at the key `key` of the map at `path` (an unknown key), else at the map. */
  key(path: readonly PathKey[], key: string, message: string): Problem {
    const map = path.length === 0 ? this.doc.contents : this.doc.getIn(path, true);
    if (isMap(map)) {
      for (const pair of map.items) {
        if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === key && pair.key.range) {
          return this.at(pair.key.range[0], message);
        }
      }
    }
    return this.value(path, message);
  }
}

/** A new line counter and the options that make `parseDocument` fill it. */
function yamlOptions(): { lineCounter: LineCounter; prettyErrors: false; merge: true; uniqueKeys: true } {
  return { lineCounter: new LineCounter(), prettyErrors: false, merge: true, uniqueKeys: true };
}

/**
 * A YAML file parsed with positions: its document, a locator for its keys' lines, and its
 * syntax errors as problems (when there are any, nothing else in it is to be trusted).
 */
export function parseYaml(file: string, text: string): { doc: Document; at: YamlLocator; problems: Problem[] } {
  const options = yamlOptions();
  const doc = parseDocument(text, options);
  const problems: Problem[] = doc.errors.map((error) => {
    const pos = error.linePos?.[0] ?? { line: 1, col: 1 };
    return { file, line: pos.line, col: pos.col, message: error.message.split('\n')[0]! };
  });
  return { doc, at: new YamlLocator(file, doc, options.lineCounter), problems };
}
