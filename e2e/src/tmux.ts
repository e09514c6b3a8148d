// Drives a full-screen program the way a person does: in a real terminal (tmux), typing keys and
// reading the screen. Every session runs on its own tmux server (-L), so tests never touch
// anyone's sessions, and closing kills only that server.
import { type ScreenPattern, waitForScreen } from '@ghost/test-support';
import { execa } from 'execa';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';

export interface TmuxOptions {
  /** The shell command line to run in the pane. */
  command: string;
  env?: Record<string, string>;
  term?: string;
  width?: number;
  height?: number;
}

export class TmuxSession {
  readonly socket = `ghost-e2e-${randomUUID().slice(0, 8)}`;

  private constructor() {}

  static async start(options: TmuxOptions): Promise<TmuxSession> {
    const session = new TmuxSession();
    const env = Object.entries(options.env ?? {}).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
    // tmux sets TERM in its panes itself; setting it on the command line is what sticks.
    const command = `TERM=${options.term ?? 'xterm-256color'} ${options.command}`;
    const size = ['-x', String(options.width ?? 80), '-y', String(options.height ?? 24)];
    await session.tmux(['new-session', '-d', '-s', 'main', ...size, ...env, command]);
    return session;
  }

  /** Types keys, in tmux's key names ("j", "Enter", "C-c", "Tab", "Escape", "/"). */
  async send(...keys: string[]): Promise<void> {
    await this.tmux(['send-keys', '-t', 'main', ...keys]);
  }

  /** Types text literally. */
  async type(text: string): Promise<void> {
    await this.tmux(['send-keys', '-t', 'main', '-l', text]);
  }

  /** What the screen shows now, one string per row. */
  async screen(): Promise<string> {
    return (await this.tmux(['capture-pane', '-p', '-t', 'main'])).stdout;
  }

  /** The same with each cell's attributes, as tmux writes them: SGR sequences where they change. */
  async styledScreen(): Promise<string> {
    return (await this.tmux(['capture-pane', '-p', '-e', '-t', 'main'])).stdout;
  }

  /** tmux's view of the pane: is the alternate screen on, is the cursor visible. */
  async paneState(): Promise<{ alternate: boolean; cursorVisible: boolean }> {
    const { stdout } = await this.tmux(['display-message', '-p', '-t', 'main', '#{alternate_on} #{cursor_flag}']);
    const [alternate, cursor] = stdout.trim().split(' ');
    return { alternate: alternate === '1', cursorVisible: cursor === '1' };
  }

  /** The pid of the shell that runs the pane's command. */
  async panePid(): Promise<number> {
    return Number((await this.tmux(['display-message', '-p', '-t', 'main', '#{pane_pid}'])).stdout.trim());
  }

  /** Writes bytes to the pane's terminal as another program would, behind the UI's back. */
  async scribble(text: string): Promise<void> {
    const tty = (await this.tmux(['display-message', '-p', '-t', 'main', '#{pane_tty}'])).stdout.trim();
    writeFileSync(tty, text);
  }

  /** Waits until the screen shows `pattern`, polling with a deadline; returns the screen. */
  waitFor(pattern: ScreenPattern, timeout?: number): Promise<string> {
    // Each look at the screen is a tmux process.
    return waitForScreen(() => this.screen(), pattern, { timeout, interval: 50 });
  }

  async close(): Promise<void> {
    await execa('tmux', ['-L', this.socket, 'kill-server'], { reject: false });
  }

  private tmux(args: string[]) {
    return execa('tmux', ['-L', this.socket, '-f', '/dev/null', ...args]);
  }
}
