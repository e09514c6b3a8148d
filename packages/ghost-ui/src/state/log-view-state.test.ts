import { describe, expect, it } from 'vitest';
import { LogViewState } from './log-view-state.js';

describe('LogViewState', () => {
  it('follows the end as lines arrive', () => {
    const state = new LogViewState();
    state.setHeight(10);
    state.setLineCount(5);
    expect(state.top).toBe(0);
    state.setLineCount(25);
    expect(state.top).toBe(15);
    expect(state.following).toBe(true);
  });

  it('pauses on any manual scroll, and stays put while lines arrive', () => {
    const state = new LogViewState();
    state.setHeight(10);
    state.setLineCount(25);
    state.scrollBy(-1);
    expect(state.following).toBe(false);
    expect(state.top).toBe(14);
    state.setLineCount(40);
    expect(state.top).toBe(14);
  });

  it('keeps a paused view on its lines when old lines are dropped from the buffer', () => {
    const state = new LogViewState();
    state.setHeight(10);
    state.setLineCount(100);
    state.toStart();
    state.scrollBy(30);
    state.setLineCount(100, 20);
    expect(state.top).toBe(10);
  });

  it('resumes following at the end', () => {
    const state = new LogViewState();
    state.setHeight(10);
    state.setLineCount(50);
    state.toStart();
    expect(state.following).toBe(false);
    state.resume();
    expect([state.following, state.top]).toEqual([true, 40]);
  });

  it('scrolls sideways no further than the widest line allows', () => {
    const state = new LogViewState();
    state.scrollSideways(8, 100, 80);
    state.scrollSideways(8, 100, 80);
    state.scrollSideways(8, 100, 80);
    expect(state.left).toBe(20);
    state.scrollSideways(-8, 100, 80);
    expect(state.left).toBe(12);
    state.scrollSideways(-80, 100, 80);
    expect(state.left).toBe(0);
  });
});
