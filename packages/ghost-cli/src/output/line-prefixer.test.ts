import { describe, expect, it } from 'vitest';
import { LinePrefixer } from './line-prefixer.js';

describe('LinePrefixer', () => {
  it('prefixes whole lines only, keeping a partial line until it ends', () => {
    const lines = new LinePrefixer('web | ');
    expect(lines.push(Buffer.from('one\ntw')).toString()).toBe('web | one\n');
    expect(lines.push(Buffer.from('o')).toString()).toBe('');
    expect(lines.push(Buffer.from('\nthree\nfour')).toString()).toBe('web | two\nweb | three\n');
    expect(lines.end().toString()).toBe('web | four\n');
    expect(lines.end().toString()).toBe('');
  });

  it('passes bytes through unchanged, even a UTF-8 character split across chunks', () => {
    const lines = new LinePrefixer('> ');
    const text = Buffer.from('é\n');
    expect(Buffer.concat([lines.push(text.subarray(0, 1)), lines.push(text.subarray(1))]).toString()).toBe('> é\n');
  });
});
