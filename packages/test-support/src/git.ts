import { execFileSync } from 'node:child_process';

/**
 * Runs git in `dir` and returns what it prints, trimmed. Commits are made as a test author: a
 * commit needs an identity, and the machine running the tests may have none.
 */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=ghost test', '-c', 'user.email=test@ghost.invalid', '-C', dir, ...args], { encoding: 'utf8' }).trim();
}
