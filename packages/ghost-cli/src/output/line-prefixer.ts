/**
 * Prefixes whole lines of one stream of bytes: `push` returns the complete lines seen so far,
 * each with the prefix, and keeps a partial last line until its newline arrives (or `end`).
 */
export class LinePrefixer {
  readonly #prefix: Buffer;
  #partial: Buffer = Buffer.alloc(0);

  constructor(prefix: string) {
    this.#prefix = Buffer.from(prefix);
  }

  push(chunk: Buffer): Buffer {
    const data = this.#partial.length > 0 ? Buffer.concat([this.#partial, chunk]) : chunk;
    const parts: Buffer[] = [];
    let start = 0;
    for (let newline = data.indexOf(0x0a); newline !== -1; newline = data.indexOf(0x0a, start)) {
      parts.push(this.#prefix, data.subarray(start, newline + 1));
      start = newline + 1;
    }
    this.#partial = Buffer.from(data.subarray(start));
    return Buffer.concat(parts);
  }

  /** The partial last line, if any, prefixed and ended with a newline. */
  end(): Buffer {
    if (this.#partial.length === 0) return Buffer.alloc(0);
    const rest = Buffer.concat([this.#prefix, this.#partial, Buffer.from('\n')]);
    this.#partial = Buffer.alloc(0);
    return rest;
  }
}
