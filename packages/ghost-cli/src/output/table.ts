import { cutToWidth, visibleLength } from './style.js';

export interface Column {
  header: string;
  /** Right-align (numbers). */
  right?: boolean;
  /** This column may be cut to fit the terminal (the last such column is cut first). */
  shrink?: boolean;
}

/**
 * Lays out rows as aligned columns separated by two spaces. With a `width` (a terminal),
 * shrinkable columns are cut with "…" so that lines do not wrap; without one, nothing is cut.
 */
export function renderTable(columns: readonly Column[], rows: readonly string[][], width?: number): string {
  const widths = columns.map((column, index) =>
    Math.max(visibleLength(column.header), ...rows.map((row) => visibleLength(row[index] ?? ''))),
  );
  if (width !== undefined) {
    let excess = widths.reduce((sum, w) => sum + w, 0) + 2 * (columns.length - 1) - width;
    for (let index = columns.length - 1; index >= 0 && excess > 0; index--) {
      if (!columns[index]!.shrink) continue;
      const cut = Math.min(excess, widths[index]! - Math.min(widths[index]!, 12));
      widths[index]! -= cut;
      excess -= cut;
    }
  }
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) => {
        const w = widths[index]!;
        const text = visibleLength(cell) > w ? `${cutToWidth(cell, w - 1)}…` : cell;
        const pad = ' '.repeat(Math.max(0, w - visibleLength(text)));
        if (index === cells.length - 1 && !columns[index]!.right) return text;
        return columns[index]!.right ? pad + text : text + pad;
      })
      .join('  ');
  return [line(columns.map((column) => column.header)), ...rows.map(line)].join('\n') + '\n';
}
