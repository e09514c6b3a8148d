import { describe, expect, it } from 'vitest';
import { formatAddress, parseLsof } from './ports.js';

describe('formatAddress', () => {
  it('reads /proc/net hex addresses', () => {
    expect(formatAddress('0100007F')).toBe('127.0.0.1');
    expect(formatAddress('00000000')).toBe('0.0.0.0');
    expect(formatAddress('00000000000000000000000000000000')).toBe('::');
    expect(formatAddress('00000000000000000000000001000000')).toBe('::1');
    expect(formatAddress('0000000000000000FFFF00000100007F')).toBe('127.0.0.1');
    expect(formatAddress('B80D0120000000000000000001000000')).toBe('2001:db8::1');
  });
});

describe('parseLsof', () => {
  it('reads lsof -F pn output', () => {
    const output = 'p123\nn*:3000\nn127.0.0.1:9229\np456\nn[::1]:8080\nn10.0.0.1:5000->10.0.0.2:6000\n';
    expect(parseLsof(output, 'tcp')).toEqual([
      { protocol: 'tcp', address: '0.0.0.0', port: 3000, pid: 123 },
      { protocol: 'tcp', address: '127.0.0.1', port: 9229, pid: 123 },
      { protocol: 'tcp', address: '::1', port: 8080, pid: 456 },
    ]);
  });
});
