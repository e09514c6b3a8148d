// Runs in every test file's worker: after the file, kill whatever its tasks left running and
// remove its temporary directories.
import { afterAll } from 'vitest';
import { cleanupAll } from './harness.js';

afterAll(async () => {
  await cleanupAll();
});
