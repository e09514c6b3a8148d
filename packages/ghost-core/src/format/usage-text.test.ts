import { describe, expect, it } from 'vitest';
import { formatBytes, formatPercent } from './usage-text.js';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1536, '1.5 KiB'],
    [12.3 * 1024 * 1024, '12.3 MiB'],
    [312 * 1024 * 1024, '312 MiB'],
    [1023.99 * 1024, '1.0 MiB'],
    [3 * 1024 ** 3, '3.0 GiB'],
  ])('%d bytes read %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('formatPercent', () => {
  it('keeps one decimal', () => {
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(199.96)).toBe('200.0%');
  });
});
