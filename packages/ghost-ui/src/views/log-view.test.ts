import { describe, expect, it } from 'vitest';
import { LogViewState } from '../state/log-view-state.js';
import { fakeTask } from '../test-support/tasks.js';
import { taggedWidth } from '../text/tags.js';
import { logTitle } from './log-view.js';

describe('logTitle', () => {
  const task = fakeTask({ name: 'web-frontend' });
  const lines = (length: number, dropped: number) => ({ length, dropped, line: () => '' });
  const atStart = () => {
    const state = new LogViewState();
    state.setHeight(37);
    state.setLineCount(10_000);
    state.toStart();
    return state;
  };

  it('numbers the lines in view as in the log, and says how many older ones were dropped', () => {
    const title = logTitle(task, { lines: lines(10_000, 10_000), fromStart: true, state: atStart() }, 200);
    expect(title).toContain('lines 10,001-10,037 of 20,000 · first 10,000 dropped');
  });

  it('says when the log has older lines the view never read', () => {
    expect(logTitle(task, { lines: lines(10_000, 0), fromStart: false, state: atStart() }, 200)).toContain('lines 1-37 of 10,000 · older not loaded');
    expect(logTitle(task, { lines: lines(10_000, 5), fromStart: false, state: atStart() }, 200)).toContain('first 5 dropped, older not loaded');
  });

  it('fits 80 columns by saying less, never by leaving out where the view is', () => {
    const title = logTitle(task, { lines: lines(10_000, 10_000), fromStart: true, state: atStart() }, 80);
    expect(taggedWidth(title)).toBeLessThanOrEqual(80);
    expect(title).toContain('10,001-10,037');
    expect(title).toContain('first 10,000 dropped');
  });
});
