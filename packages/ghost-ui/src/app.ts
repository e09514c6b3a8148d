import { type Ghost } from '@ghost/core';
import type { Widgets } from 'blessed';
import { watch } from 'node:fs';
import { EMPTY_MESSAGE, HEADER, taskRows } from './task-rows.js';

type Blessed = typeof import('blessed');

/**
 * The terminal UI: a live list of tasks. It re-reads state through core when the data
 * directory changes (another terminal ran or stopped a task) and every few seconds for the
 * durations; `q`, Esc or Ctrl-C quits and restores the terminal.
 */
export function startApp(blessed: Blessed, ghost: Ghost): Promise<void> {
  const screen = blessed.screen({ smartCSR: true, title: 'ghost', warnings: false });
  const table: Widgets.ListTableElement = blessed.listtable({
    parent: screen,
    top: 0,
    left: 0,
    width: '100%',
    height: '100%-1',
    keys: true,
    vi: true,
    mouse: true,
    tags: false,
    align: 'left',
    style: { header: { bold: true }, cell: { selected: { inverse: true } } },
  });
  const footer = blessed.box({ parent: screen, bottom: 0, left: 0, width: '100%', height: 1, content: ' q quit  j/k move' });

  const refresh = () => {
    const tasks = ghost.list();
    if (tasks.length === 0) table.setData([HEADER, [EMPTY_MESSAGE, '', '', '', '', '', '']]);
    else table.setData([HEADER, ...taskRows(tasks, Date.now())]);
    footer.setContent(` ${tasks.length} task${tasks.length === 1 ? '' : 's'}   q quit  j/k move`);
    screen.render();
  };

  return new Promise((resolve) => {
    let pending: NodeJS.Timeout | undefined;
    const soon = () => {
      pending ??= setTimeout(() => {
        pending = undefined;
        refresh();
      }, 100);
    };
    const watchers = [ghost.paths.root, ghost.paths.exits].map((dir) => watch(dir, { persistent: false }, soon));
    const ticker = setInterval(refresh, 2000);
    screen.key(['q', 'escape', 'C-c'], () => {
      clearInterval(ticker);
      for (const watcher of watchers) watcher.close();
      screen.destroy();
      resolve();
    });
    table.focus();
    refresh();
  });
}
