const pad = (n: number) => String(n).padStart(2, '0');

/** "2024-05-01 14:02:11", in the local time zone. */
export function localTime(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${clockTime(date)}`;
}

/** "14:02:11" for a time of the same day as `now`, else as localTime. */
export function shortLocalTime(date: Date, now: number): string {
  return new Date(now).toDateString() === date.toDateString() ? clockTime(date) : localTime(date);
}

function clockTime(date: Date): string {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
