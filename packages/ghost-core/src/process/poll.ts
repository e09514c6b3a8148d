/**
 * Polls `condition` (first at once, then after 2, 4, … up to 50 ms) until it holds or
 * `timeoutMs` passes; true if it held. For conditions nothing announces, such as a process
 * being gone.
 */
export async function pollUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
    if (condition()) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, left)));
  }
}
