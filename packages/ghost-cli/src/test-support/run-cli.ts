import { PassThrough } from 'node:stream';
import { runCli } from '../cli.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** The data directory (GHOST_DATA_DIR). */
  dataDir: string;
  /** Stderr is a terminal (hints appear); stdout stays a pipe. */
  tty?: boolean;
  cwd?: string;
}

/** Runs the CLI in-process with captured streams, as a person at a pipe would, without colour. */
export async function runGhost(argv: readonly string[], { dataDir, tty = false, cwd }: CliRunOptions): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), tty ? { isTTY: true } : {});
  const chunks = { out: '', err: '' };
  stdout.on('data', (chunk) => (chunks.out += chunk));
  stderr.on('data', (chunk) => (chunks.err += chunk));
  const code = await runCli([...argv], { stdout, stderr, cwd, env: { ...process.env, GHOST_DATA_DIR: dataDir, NO_COLOR: '1' } });
  return { code, stdout: chunks.out, stderr: chunks.err };
}
