import { describe, expect, it } from 'vitest';
import { waitFor } from './wait-for.js';

describe('waitFor', () => {
  it('returns the first truthy value the condition gives', async () => {
    let tries = 0;
    const value = await waitFor(() => (++tries < 3 ? undefined : { tries }));
    expect(value).toEqual({ tries: 3 });
  });

  it('awaits a condition that returns a promise, one try at a time', async () => {
    let running = 0;
    let mostAtOnce = 0;
    let tries = 0;
    const value = await waitFor(
      async () => {
        mostAtOnce = Math.max(mostAtOnce, ++running);
        await new Promise((resolve) => setTimeout(resolve, 15));
        running -= 1;
        return ++tries === 3 && 'done';
      },
      { interval: 1 },
    );
    expect(value).toBe('done');
    expect(mostAtOnce).toBe(1);
  });

  it('at the deadline, says what it waited for and what the last try returned', async () => {
    let tries = 0;
    const waited = waitFor(() => ++tries > 1e9 || 0, { timeout: 50, message: 'the moon to rise' });
    await expect(waited).rejects.toThrow('timed out after 50 ms waiting for the moon to rise; the last try returned 0');
    expect(tries).toBeGreaterThan(1);
  });

  it('without a message, names the condition by its source', async () => {
    const empty: string[] = [];
    await expect(waitFor(() => empty.length > 0, { timeout: 20 })).rejects.toThrow(
      /waiting for \(\) => empty\.length > 0; the last try returned false$/,
    );
  });

  it('takes a try that throws as "not yet"', async () => {
    let tries = 0;
    const value = await waitFor(() => {
      if (++tries < 3) throw new Error('not written yet');
      return tries;
    });
    expect(value).toBe(3);
  });

  it('at the deadline, reports the error the last try threw, as its cause', async () => {
    const lastError = new Error('ENOENT: the file is not there');
    const waited = waitFor(
      () => {
        throw lastError;
      },
      { timeout: 30, message: 'the file' },
    );
    await expect(waited).rejects.toThrow('waiting for the file; the last try threw Error: ENOENT: the file is not there');
    await expect(waited).rejects.toHaveProperty('cause', lastError);
  });

  it('tries once even with no time at all', async () => {
    await expect(waitFor(() => 'at once', { timeout: 0 })).resolves.toBe('at once');
  });
});
