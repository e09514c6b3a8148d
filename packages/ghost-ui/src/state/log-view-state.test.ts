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

  describe('with lines that take several rows', () => {
    // Line 5 takes three rows, every other line one: rows 0 1 2 3 4 5.0 5.1 5.2 6.
    const rowsOf = (line: number) => (line === 5 ? 3 : 1);
    const at = (line: number, row = 0) => ({ line, row });

    function state(lines = 7, height = 4): LogViewState {
      const view = new LogViewState();
      view.setRows(rowsOf);
      view.setHeight(height);
      view.setLineCount(lines);
      return view;
    }

    it('follows with the last row at the bottom', () => {
      const view = state();
      expect(view.rowsInView()).toEqual([at(5, 0), at(5, 1), at(5, 2), at(6)]);
      view.setHeight(3);
      expect(view.topRow).toEqual(at(5, 1));
      expect([view.top, view.bottom]).toEqual([5, 6]);
    });

    it('scrolls by rows, no further than the first row or the last screen', () => {
      const view = state();
      view.scrollBy(-1);
      expect(view.rowsInView()).toEqual([at(4), at(5, 0), at(5, 1), at(5, 2)]);
      view.scrollBy(-100);
      expect(view.topRow).toEqual(at(0));
      view.scrollBy(5);
      expect(view.topRow).toEqual(at(5, 0));
      view.scrollBy(1);
      expect(view.topRow).toEqual(at(5, 0));
      expect(view.bottom).toBe(6);
    });

    it('goes to a row (as near the top as the end allows) and anchors there until scrolled by hand', () => {
      const view = state(20);
      view.goTo(at(5, 2));
      expect([view.following, view.topRow, view.anchor]).toEqual([false, at(5, 2), at(5, 2)]);
      view.goTo(at(19));
      expect([view.topRow, view.anchor]).toEqual([at(16), at(19)]);
      // Already on screen: anchored where the view is.
      view.goTo(at(17), { ifHidden: true });
      expect([view.topRow, view.anchor]).toEqual([at(16), at(17)]);
      expect(view.shows(at(19))).toBe(true);
      expect(view.shows(at(15))).toBe(false);
      view.setLineCount(20, 10);
      expect([view.topRow, view.anchor]).toEqual([at(6), at(7)]);
      view.scrollBy(-1);
      expect(view.anchor).toBeUndefined();
    });

    it('turns wrapping on and off, keeping the top line and leaving sideways scrolling', () => {
      const view = state(20);
      view.scrollSideways(8, 100, 80);
      view.goTo(at(5, 2));
      expect(view.toggleWrap()).toBe(true);
      expect([view.topRow, view.left]).toEqual([at(5, 0), 0]);
      view.scrollSideways(8, 100, 80);
      expect(view.left).toBe(0);
      expect(view.toggleWrap()).toBe(false);
    });
  });
});
