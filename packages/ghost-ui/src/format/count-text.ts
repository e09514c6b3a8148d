/**
 * A count with thousands separators, as the UI's titles and notes write it: 12345 → "12,345".
 * (Not toLocaleString: it goes through Intl, too slow to call on every key.)
 */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}
