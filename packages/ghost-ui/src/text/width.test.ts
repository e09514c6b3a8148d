import { describe, expect, it } from 'vitest';
import { displayWidth, fitText, oneLine } from './width.js';

describe('displayWidth', () => {
  it('counts wide characters as two cells and combining marks as none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('漢字')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
  });
});

describe('fitText', () => {
  it('pads short text, left or right', () => {
    expect(fitText('ab', 4)).toBe('ab  ');
    expect(fitText('42', 4, { align: 'right' })).toBe('  42');
  });

  it('cuts long text with an ellipsis, at the end or (for paths) at the start', () => {
    expect(fitText('abcdefgh', 5)).toBe('abcd…');
    expect(fitText('/home/me/project', 8, { keep: 'end' })).toBe('…project');
  });

  it('never splits a wide character: the cell it would straddle becomes a space', () => {
    expect(fitText('漢字漢字', 4)).toBe('漢 …');
    expect(displayWidth(fitText('漢字漢字', 4))).toBe(4);
  });
});

describe('oneLine', () => {
  it('makes control characters visible instead of letting them move the cursor', () => {
    expect(oneLine('a\nb\tc\x1b[2Jd')).toBe('a↵b c�[2Jd');
  });
});
