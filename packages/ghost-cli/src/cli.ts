import { Ghost } from '@ghost/core';
import { escapeForTerminal } from '@ghost/core/format';
import { Builtins, type Cli } from 'clipanion';
import { CleanupCommand } from './commands/cleanup.js';
import { ConfigCommand } from './commands/config.js';
import { CompleteCommand, CompletionCommand, commandFlags, valuedFlags } from './commands/completion.js';
import { DoctorCommand } from './commands/doctor.js';
import { PortsCommand } from './commands/ports.js';
import { RestartCommand, StartCommand } from './commands/restart.js';
import { RmCommand } from './commands/rm.js';
import { RunsCommand } from './commands/runs.js';
import { WaitCommand } from './commands/wait.js';
import { KillCommand } from './commands/kill.js';
import { ListCommand } from './commands/list.js';
import { LogCommand } from './commands/log.js';
import { RunCommand, splitRunWords } from './commands/run.js';
import { DownCommand, PsCommand, UpCommand } from './commands/stack.js';
import { HistoryCommand, RollbackCommand } from './commands/history.js';
import { StatsCommand } from './commands/stats.js';
import { StatusCommand } from './commands/status.js';
import { StopCommand } from './commands/stop.js';
import { UiCommand } from './commands/ui.js';
import { EventsCommand } from './commands/events.js';
import { ExportSystemdCommand } from './commands/export.js';
import { McpCommand } from './commands/mcp.js';
import { USAGE_EXIT } from './commands/base.js';
import { RUN_USAGE, errorLine } from './output/error-text.js';
import type { GhostContext } from './context.js';
import { GhostCli } from './options/help.js';
import { wantsColor } from './output/style.js';
import { VERSION, VERSION_FLAGS } from './version.js';

export const COMMANDS = [
  RunCommand,
  ListCommand,
  StatusCommand,
  LogCommand,
  StopCommand,
  KillCommand,
  WaitCommand,
  RestartCommand,
  StartCommand,
  RunsCommand,
  PortsCommand,
  StatsCommand,
  RmCommand,
  CleanupCommand,
  CompletionCommand,
  CompleteCommand,
  EventsCommand,
  DoctorCommand,
  ConfigCommand,
  UpCommand,
  DownCommand,
  PsCommand,
  ExportSystemdCommand,
  HistoryCommand,
  RollbackCommand,
  McpCommand,
  UiCommand,
] as const;

export interface CliOptions {
  binaryName?: string;
  colors?: boolean;
  /** When given, only the command argv names is registered (see below). */
  argv?: readonly string[];
}

export function createCli({ binaryName = 'ghost', colors = false, argv }: CliOptions = {}): Cli<GhostContext> {
  const cli = new GhostCli({
    binaryLabel: 'ghost: background tasks without a daemon',
    binaryName,
    binaryVersion: VERSION,
    enableColors: colors,
  });
  // Clipanion compiles a parser for every registered command on each run; registering only
  // the one asked for keeps start-up fast. The overview and unknown commands get them all.
  const first = argv?.[0];
  const named = first === undefined ? [] : COMMANDS.filter((command) => command.paths.some((path) => path[0] === first));
  const version = first !== undefined && VERSION_FLAGS.includes(first);
  if (!version) for (const command of named.length > 0 ? named : COMMANDS) cli.register(command);
  cli.register(Builtins.HelpCommand);
  cli.register(Builtins.VersionCommand);
  return cli;
}

export type CliEnvironment = Partial<GhostContext> & Pick<GhostContext, 'stdout' | 'stderr'>;

/**
 * Runs ghost's command line and resolves to the exit status. Parse errors become one line on
 * stderr (clipanion would print them with usage on stdout).
 */
export async function runCli(argv: string[], environment: CliEnvironment): Promise<number> {
  const env = environment.env ?? process.env;
  const context: GhostContext = {
    stdin: environment.stdin ?? process.stdin,
    stdout: environment.stdout,
    stderr: environment.stderr,
    env,
    cwd: environment.cwd ?? process.cwd(),
    colorDepth: 1,
    openGhost: environment.openGhost ?? (() => Ghost.open({ env })),
    commands: COMMANDS,
  };
  // `ghost` alone shows the overview.
  const args = argv.length === 0 ? ['--help'] : argv;
  const cli = createCli({ colors: wantsColor(context.stdout, env), argv: args });
  let command;
  try {
    command = parse(cli, args, context);
  } catch (error) {
    context.stderr.write(`ghost: ${escapeForTerminal(parseErrorLine(error, argv))}\n`);
    return USAGE_EXIT;
  }
  return cli.run(command, context);
}

/**
 * Clipanion's parse, except for the command words of `ghost run`: its parser copies the
 * positionals on every word (20,000 words took 42 s, 40,000 ran out of memory), so it sees only
 * ghost's options and the program, and the program's arguments are attached afterwards.
 */
function parse(cli: Cli<GhostContext>, args: string[], context: GhostContext) {
  if (args[0] !== 'run') return cli.process(args, context);
  const { options, command } = splitRunWords(args.slice(1), new Set(valuedFlags(commandFlags(RunCommand))));
  const parsed = cli.process(['run', ...options, ...command.slice(0, 1).flatMap((program) => ['--', program])], context);
  if (parsed instanceof RunCommand) parsed.args = command.slice(1);
  return parsed;
}

/** Clipanion's parse errors, reduced to one line that says what to do next. */
function parseErrorLine(error: unknown, argv: readonly string[]): string {
  const known = new Set(COMMANDS.flatMap((command) => command.paths.map((path) => path[0])));
  const commandName = argv.find((word) => !word.startsWith('-'));
  const help = commandName && known.has(commandName) ? `ghost ${commandName} --help` : 'ghost --help';
  const message = errorLine(error);
  if (commandName === 'run' && /^Not enough positional/i.test(message)) {
    return `no command given (${RUN_USAGE})`;
  }
  if (/^Command not found/i.test(message)) {
    return commandName && !known.has(commandName)
      ? `unknown command "${commandName}" (see ${help})`
      : `invalid arguments (see ${help})`;
  }
  const text = message.replace(/[.:]+$/, '').replace(/^\w/, (c) => c.toLowerCase());
  return `${text} (see ${help})`;
}
