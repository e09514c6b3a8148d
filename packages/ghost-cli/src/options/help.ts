import { Cli } from 'clipanion';
import type { GhostContext } from '../context.js';
import { flagNames, optionsOf } from './option.js';
import { OPTIONS, type OptionSpec } from './table.js';

type Usage = ReturnType<Cli<GhostContext>['getUsageByIndex']>;

/**
 * Clipanion's command line, with options' values named in usage lines and help as the option
 * table names them (`--tail N`, `-C,--cwd DIR`) where clipanion would write `#0`.
 */
export class GhostCli extends Cli<GhostContext> {
  protected override getUsageByIndex(n: number, opts?: { detailed?: boolean; inlineOptions?: boolean }): Usage {
    const { usage, options } = super.getUsageByIndex(n, opts);
    const command = [...this.registrations].find(([, registration]) => registration.index === n)?.[0];
    if (command === undefined) return { usage, options };
    let line = usage;
    const named = new Map<string, string>();
    for (const key of optionsOf(command)) {
      const spec: OptionSpec = OPTIONS[key];
      if (spec.value === undefined) continue;
      const flags = flagNames(spec).join(',');
      named.set(`${flags} #0`, `${flags} ${spec.value.name}`);
      line = line.replace(`[${flags} #0]`, `[${flags} ${spec.value.name}]`);
    }
    return { usage: line, options: options.map((option) => ({ ...option, definition: named.get(option.definition) ?? option.definition })) };
  }
}
