import { describe, expect, it } from 'vitest';
import { WIDE_CHARS, charWidth, displayWidth, fitText, oneLine, plainEmoji } from './width.js';

describe('displayWidth', () => {
  it('counts wide characters as two cells and combining marks as none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('漢字')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
  });

  // What tmux 3.3a (glibc's wcwidth) draws, checked by printing each and asking for the cursor.
  it.each([
    ['🚀', 2],
    ['😀x', 3],
    ['✅', 2],
    ['⚡', 2],
    ['⌚', 2],
    ['中文', 4],
    ['가', 2],
    ['𠀀', 2],
    ['ｱ', 1],
    ['★', 1],
    ['❤', 1],
    ['🇫🇷', 2],
    ['👍🏽', 4],
    ['a\u20dd', 1],
    ['\u200b', 0],
    ['\u1100\u1161', 2],
  ])('%s takes %i cells', (text, cells) => expect(displayWidth(text)).toBe(cells));

  it('counts the joiner and the emoji-style selector as nothing', () => {
    expect(displayWidth('👨\u200d👩\u200d👧')).toBe(6);
    expect(displayWidth('❤\ufe0f')).toBe(1);
  });

  it('agrees with the wide-character pattern given to blessed, for every code point', () => {
    const disagree: string[] = [];
    for (let point = 0; point < 0x40000; point++) {
      if (point >= 0xd800 && point <= 0xdfff) continue;
      const char = String.fromCodePoint(point);
      WIDE_CHARS.lastIndex = 0;
      if (WIDE_CHARS.test(char) !== (charWidth(point) === 2)) disagree.push(point.toString(16));
    }
    expect(disagree).toEqual([]);
  });
});

describe('plainEmoji', () => {
  it('drops joiners between pictographs and emoji-style selectors, which terminals draw differently', () => {
    expect(plainEmoji('👨\u200d👩\u200d👧 family')).toBe('👨👩👧 family');
    expect(plainEmoji('👩\u200d❤\ufe0f\u200d👨')).toBe('👩❤👨');
    expect(plainEmoji('❤\ufe0f')).toBe('❤');
  });

  it('keeps joiners elsewhere (they shape Indic scripts) and text without emoji', () => {
    expect(plainEmoji('क्\u200dष')).toBe('क्\u200dष');
    expect(plainEmoji('plain')).toBe('plain');
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
  it('shows control and bidi characters escaped instead of letting them act on the terminal', () => {
    expect(oneLine('a\nb\tc\x1b[2Jd\u202ee\x9b')).toBe('a\\nb\\tc\\e[2Jd\\u202ee\\u009b');
  });
});
