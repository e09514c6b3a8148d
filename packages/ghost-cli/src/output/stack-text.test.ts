import { describe, expect, it } from 'vitest';
import { failureLogText, progressLine } from './stack-text.js';
import type { Style } from './style.js';

const plain: Style = { status: (_status, text) => text, dim: (text) => text, bold: (text) => text };

describe('stack progress text', () => {
  it('lines up service names and names what a service waits for', () => {
    expect(progressLine({ project: 'shop', service: 'api', state: 'waiting-for', dependencies: ['db', 'migrate'] }, plain, 7)).toBe(
      'api      waiting for db, migrate\n',
    );
    expect(progressLine({ project: 'shop', service: 'migrate', state: 'completed' }, plain, 7)).toBe('migrate  completed\n');
    expect(progressLine({ project: 'shop', service: 'api', state: 'restarted' }, plain)).toBe('api  restarted (its definition changed)\n');
  });

  it('shows a failed service log tail, escaped, or says it is empty', () => {
    expect(failureLogText({ service: 'migrate', logTail: ['boom', 'evil \x1b[2J'] }, plain)).toBe('  | boom\n  | evil \\e[2J\n');
    expect(failureLogText({ service: 'migrate', logTail: [] }, plain)).toBe('(migrate wrote nothing to its log)\n');
  });
});
