// How CPU and memory figures read in tables: short, fixed precision, binary units.

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB'];

/** "512 B", "1.5 KiB", "12.3 MiB", "312 MiB": at most four digits. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.max(0, Math.round(bytes))} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  // 1023.96 KiB would round to "1024 KiB": show the next unit instead.
  if (value >= 999.95 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 99.95 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}

/** "0.0%", "12.5%", "200.0%" (of one core). */
export function formatPercent(percent: number): string {
  return `${percent.toFixed(1)}%`;
}
