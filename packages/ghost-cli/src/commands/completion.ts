import { resolveDataDir } from '@ghost/core';
import { shortId, statusText } from '@ghost/core/format';
import { Cli, Command, type CommandClass, Option } from 'clipanion';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { GhostContext } from '../context.js';
import { flagNames, optionsOf } from '../options/option.js';
import { type Completion, OPTIONS, type OptionSpec } from '../options/table.js';
import { GhostCommand, UsageError } from './base.js';

/** What a shell needs to know about one command to complete it. */
export interface CommandSpec {
  names: string[];
  description: string;
  /** Its options, each with its flags and its entry in the option table. */
  flags: FlagSpec[];
  /** It takes task references (ids, prefixes, names). */
  tasks: boolean;
  /** The fixed words after the name, for a command of two words (`export systemd`). */
  words: string[];
}

/** One option of a command: its flags (`-n`, `--name`) and its entry in the option table. */
export interface FlagSpec {
  names: string[];
  spec: OptionSpec;
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;

export class CompletionCommand extends GhostCommand {
  static override paths = [['completion']];

  static override usage = Command.Usage({
    description: 'print a shell completion script (bash, zsh, fish)',
    details: `
      Prints a script that completes ghost's commands, their options, and task ids and names (asked of ghost as you type, so they are always current) in bash, zsh or fish.

      Install it once (start a new shell afterwards):

      - bash: \`ghost completion bash > ~/.local/share/bash-completion/completions/ghost\`
      - zsh: \`ghost completion zsh > ~/.zfunc/_ghost\`, with \`fpath=(~/.zfunc $fpath)\` before \`compinit\` in ~/.zshrc
      - fish: \`ghost completion fish > ~/.config/fish/completions/ghost.fish\`

      Output: the script on stdout.

      Exit codes: 0 success; 2 an unknown shell or bad usage.
    `,
    examples: [
      ['Install for bash', 'ghost completion bash > ~/.local/share/bash-completion/completions/ghost'],
      ['Try it in this zsh session', 'source <(ghost completion zsh)'],
      ['Install for fish', 'ghost completion fish > ~/.config/fish/completions/ghost.fish'],
    ],
  });

  shell = Option.String({ name: 'shell' });

  protected override async run(): Promise<void> {
    if (!(SHELLS as readonly string[]).includes(this.shell)) {
      throw new UsageError(`unknown shell "${this.shell}" (bash, zsh or fish)`);
    }
    const specs = commandSpecs(this.context.commands);
    const script = { bash: bashScript, zsh: zshScript, fish: fishScript }[this.shell as (typeof SHELLS)[number]](specs);
    this.print(script);
  }
}

/** `ghost __complete tasks`: task names and short ids for completion scripts (hidden). */
export class CompleteCommand extends GhostCommand {
  static override paths = [['__complete']];

  what = Option.String({ name: 'what' });

  protected override async run(): Promise<void> {
    if (this.what !== 'tasks') throw new UsageError(`nothing to complete for "${this.what}"`);
    // A completion must never create the data directory.
    if (!existsSync(join(this.context.env.GHOST_DATA_DIR || resolveDataDir(this.context.env), 'tasks.db'))) return;
    const lines: string[] = [];
    const names = new Set<string>();
    for (const task of this.ghost.list({ limit: 200 })) {
      const about = `${statusText(task)}: ${task.command.join(' ')}`.replace(/[\t\n]/g, ' ').slice(0, 60);
      if (task.name !== null && !names.has(task.name)) {
        names.add(task.name);
        lines.push(`${task.name}\t${about}`);
      }
      lines.push(`${shortId(task.id)}\t${task.name ? `${task.name}, ` : ''}${about}`);
    }
    if (lines.length > 0) this.print(lines.join('\n'));
  }
}

export function commandSpecs(commands: readonly CommandClass<GhostContext>[]): CommandSpec[] {
  return commands.flatMap((command) => {
    if (command.usage === undefined || command.paths === undefined) return [];
    const cli = new Cli({ binaryName: 'ghost' });
    cli.register(command as never);
    const definition = cli.definitions()[0]!;
    return [
      {
        // A shell completes the first word as the command; the rest of the path is its argument.
        names: [...new Set(command.paths.map((path) => path[0]!))],
        words: command.paths.flatMap((path) => path.slice(1)),
        description: (command.usage.description ?? '').trim(),
        tasks: (command as { completeTasks?: boolean }).completeTasks ?? /[<[]task[>\]]/.test(definition.usage),
        flags: commandFlags(command),
      },
    ];
  });
}

/** A command's options, in its order (read off the class alone: `ghost run` asks it on every start). */
export function commandFlags(command: CommandClass<GhostContext>): FlagSpec[] {
  return optionsOf(command).map((key) => {
    const spec: OptionSpec = OPTIONS[key];
    return { names: flagNames(spec), spec };
  });
}

/** The flags of options that take a value. */
export function valuedFlags(flags: readonly FlagSpec[]): string[] {
  return flags.filter((flag) => flag.spec.value !== undefined).flatMap((flag) => flag.names);
}

// What each shell offers for an option's value (see `Completion`); a list's words one at a time.

function bashValues(complete: Completion, list = false): string {
  if (complete === 'directories') return 'compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur"))';
  if (complete === 'files') return 'compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur"))';
  return list ? `_ghost_list "${complete.join(' ')}"` : `COMPREPLY=($(compgen -W "${complete.join(' ')}" -- "$cur"))`;
}

function zshValues(name: string, complete: Completion | undefined, list = false): string {
  if (complete === undefined) return `:${name}: `;
  if (complete === 'directories') return `:${name}:_directories`;
  if (complete === 'files') return `:${name}:_files`;
  return list ? `:${name}:_values -s , ${name} ${complete.join(' ')}` : `:${name}:(${complete.join(' ')})`;
}

function fishValues(complete: Completion | undefined, list = false): string {
  if (complete === undefined) return ' -x';
  if (complete === 'directories') return ` -x -a '(__fish_complete_directories)'`;
  if (complete === 'files') return ' -r -F';
  return list ? ` -x -a '(__fish_complete_list , "__ghost_words ${complete.join(' ')}")'` : ` -x -a ${fishQuote(complete.join(' '))}`;
}

function bashScript(specs: readonly CommandSpec[]): string {
  const commands = specs.flatMap((spec) => spec.names).join(' ');
  const flagCases = specs
    .map((spec) => `    ${spec.names.join('|')}) flags="${spec.flags.flatMap((flag) => flag.names).join(' ')} --help"; valued="${valuedFlags(spec.flags).join(' ')}"; tasks=${spec.tasks ? 1 : 0}; words="${spec.words.join(' ')}" ;;`)
    .join('\n');
  // Each command's options with values worth offering, as `"command flag"` patterns.
  const valueCases = specs
    .flatMap((spec) =>
      spec.flags.flatMap(({ names, spec: { value } }) => {
        if (value?.complete === undefined) return [];
        const patterns = spec.names.flatMap((name) => names.map((flag) => `"${name} ${flag}"`));
        return [`      ${patterns.join('|')}) ${bashValues(value.complete, value.list)} ;;`];
      }),
    )
    .join('\n');
  return `# bash completion for ghost. Install:
#   ghost completion bash > ~/.local/share/bash-completion/completions/ghost

# One word of a comma-separated list: what comes before the last comma stays as typed.
_ghost_list() {
  local typed=""
  [[ $cur == *,* ]] && typed="\${cur%,*},"
  COMPREPLY=($(compgen -P "$typed" -W "$1" -- "\${cur##*,}"))
}

_ghost() {
  local cur prev cmd="" i word program=0 flags="" valued="" tasks=0 words=""
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) ;; *) cmd="\${COMP_WORDS[i]}"; break ;; esac
  done
  if [[ -z $cmd ]]; then
    COMPREPLY=($(compgen -W "${commands} --help --version" -- "$cur"))
    return
  fi
  case "$cmd" in
${flagCases}
    *) return ;;
  esac
  # A flag's value.
  if [[ $prev == -* && " $valued " == *" $prev "* ]]; then
    case "$cmd $prev" in
${valueCases}
    esac
    return
  fi
  if [[ $cmd == run ]]; then
    # Everything from the program on belongs to it.
    for ((i = i + 1; i < COMP_CWORD; i++)); do
      word="\${COMP_WORDS[i]}"
      if [[ $word == -- ]]; then program=1; continue; fi
      if [[ $program == 1 || $word != -* ]]; then
        if [[ $program == 1 || " $valued " != *" \${COMP_WORDS[i-1]} "* ]]; then program=2; break; fi
      fi
    done
    if [[ $program == 2 ]]; then compopt -o default 2>/dev/null; COMPREPLY=(); return; fi
    if [[ $cur != -* || $program == 1 ]]; then COMPREPLY=($(compgen -c -- "$cur")); return; fi
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  elif [[ $cmd == completion ]]; then
    COMPREPLY=($(compgen -W "bash zsh fish" -- "$cur"))
  elif [[ -n $words ]]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  elif [[ $tasks == 1 ]]; then
    local IFS=$'\\n'
    COMPREPLY=($(compgen -W "$(ghost __complete tasks 2>/dev/null | cut -f1)" -- "$cur"))
  fi
}
complete -F _ghost ghost ghost-cli
`;
}

const zshQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

function zshScript(specs: readonly CommandSpec[]): string {
  const commandList = specs
    .flatMap((spec) => spec.names.map((name) => zshQuote(`${name}:${spec.description.replace(/:/g, '\\:')}`)))
    .join(' ');
  const cases = specs
    .map((spec) => {
      const flags = spec.flags
        .map((flag) => {
          const names = flag.names.length > 1 ? `(${flag.names.join(' ')})'{${flag.names.join(',')}}'` : flag.names[0]!;
          const { long, description, value } = flag.spec;
          const action = value === undefined ? '' : zshValues(long.slice(2), value.complete, value.list);
          return `'${names}[${description.replace(/[[\]']/g, '')}]${action}'`;
        })
        .join(' ');
      const rest =
        spec.names[0] === 'run'
          ? `':command:_command_names -e' '*::args:_normal'`
          : spec.names[0] === 'completion'
            ? `':shell:(bash zsh fish)'`
            : spec.tasks
              ? `'*:task:_ghost_tasks'`
              : spec.words.length > 0
                ? `':what:(${spec.words.join(' ')})'`
                : '';
      return `    ${spec.names.join('|')}) _arguments -s ${flags} ${rest} ;;`;
    })
    .join('\n');
  return `#compdef ghost ghost-cli
# zsh completion for ghost. Install:
#   ghost completion zsh > ~/.zfunc/_ghost    (with fpath=(~/.zfunc $fpath) before compinit in ~/.zshrc)
# or, for this session only: source <(ghost completion zsh)

_ghost_tasks() {
  local -a tasks
  local line
  for line in \${(f)"$(ghost __complete tasks 2>/dev/null)"}; do
    tasks+=("\${\${line%%$'\\t'*}//:/\\\\:}:\${line#*$'\\t'}")
  done
  _describe -t tasks 'task' tasks
}

_ghost() {
  local -a commands
  commands=(${commandList})
  if (( CURRENT == 2 )); then
    _describe -t commands 'ghost command' commands
    return
  fi
  local cmd=\${words[2]}
  shift words
  (( CURRENT-- ))
  case $cmd in
${cases}
  esac
}

if [[ $zsh_eval_context[-1] == loadautoload ]]; then
  _ghost "$@"
else
  compdef _ghost ghost ghost-cli
fi
`;
}

const fishQuote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function fishScript(specs: readonly CommandSpec[]): string {
  const lines = [
    '# fish completion for ghost. Install:',
    '#   ghost completion fish > ~/.config/fish/completions/ghost.fish',
    // The words of a list, one a line, for __fish_complete_list.
    `function __ghost_words; printf '%s\\n' $argv; end`,
    'complete -c ghost -f',
    `complete -c ghost -n '__fish_use_subcommand' -l help -d 'Show help'`,
    `complete -c ghost -n '__fish_use_subcommand' -l version -d 'Show the version'`,
  ];
  for (const spec of specs) {
    for (const name of spec.names) {
      lines.push(`complete -c ghost -n '__fish_use_subcommand' -a ${fishQuote(name)} -d ${fishQuote(spec.description)}`);
    }
    const when = `'__fish_seen_subcommand_from ${spec.names.join(' ')}'`;
    for (const flag of spec.flags) {
      const parts = flag.names.map((name) => (name.startsWith('--') ? `-l ${name.slice(2)}` : `-s ${name.slice(1)}`));
      const { description, value } = flag.spec;
      const values = value === undefined ? '' : fishValues(value.complete, value.list);
      lines.push(`complete -c ghost -n ${when} ${parts.join(' ')}${values} -d ${fishQuote(description)}`);
    }
    if (spec.names[0] === 'run') lines.push(`complete -c ghost -n ${when} -F -a '(__fish_complete_command)'`);
    if (spec.names[0] === 'completion') lines.push(`complete -c ghost -n ${when} -a 'bash zsh fish'`);
    if (spec.words.length > 0) lines.push(`complete -c ghost -n ${when} -a ${fishQuote(spec.words.join(' '))}`);
    if (spec.tasks) lines.push(`complete -c ghost -n ${when} -a '(ghost __complete tasks 2>/dev/null)'`);
  }
  lines.push(`complete -c ghost-cli -w ghost`);
  return `${lines.join('\n')}\n`;
}
