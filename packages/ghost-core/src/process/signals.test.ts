import { describe, expect, it } from 'vitest';
import { GhostError } from '../errors.js';
import { parseSignal, signalName } from './signals.js';

describe('parseSignal', () => {
  it.each(['TERM', 'SIGTERM', 'term', 'sigterm', '15', ' Term '])('reads %j as SIGTERM', (input) => {
    expect(parseSignal(input)).toEqual({ name: 'SIGTERM', number: 15 });
  });

  it('reads numbers as the platform defines them', () => {
    expect(parseSignal(9).name).toBe('SIGKILL');
    expect(parseSignal('2').name).toBe('SIGINT');
  });

  it.each(['FOO', 'SIGFOO', '0', '-1', '999', '', '1.5'])('rejects %j', (input) => {
    expect(() => parseSignal(input)).toThrow(GhostError);
  });
});

describe('signalName', () => {
  it('prefers the common name over aliases', () => {
    expect(signalName(6)).toBe('SIGABRT');
    expect(signalName(11)).toBe('SIGSEGV');
    expect(signalName(0)).toBeUndefined();
  });
});
