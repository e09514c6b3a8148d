// Commands declare their options by key (`status = option('status')`); this makes the clipanion
// option from the table's entry and remembers the key, so that help and completion can find
// the entry behind each option of a command.
import { statusWords } from '@ghost/core/format';
import { type CommandClass, Option } from 'clipanion';
import { UsageError } from '../commands/base.js';
import type { GhostContext } from '../context.js';
import { OPTIONS, type OptionKey, type OptionSpec } from './table.js';

/** What a command's field holds once clipanion has parsed the command line. */
export type OptionValue<S> = S extends { value: infer V }
  ? V extends { repeatable: true }
    ? string[] | undefined
    : V extends { default: string }
      ? string
      : string | undefined
  : boolean;

const KEY = Symbol('ghost option');

/** The option `key` of the table, as a command declares it: `status = option('status')`. */
export function option<K extends OptionKey>(key: K): OptionValue<(typeof OPTIONS)[K]> {
  const spec: OptionSpec = OPTIONS[key];
  const names = flagNames(spec).join(',');
  const { description, value } = spec;
  const made =
    value === undefined
      ? Option.Boolean(names, false, { description })
      : value.repeatable
        ? Option.Array(names, { description })
        : value.default !== undefined
          ? Option.String(names, value.default, { description })
          : Option.String(names, { description });
  return Object.assign(made as object, { [KEY]: key }) as never;
}

/** An option's flags as clipanion and the shells see them: the short one first. */
export function flagNames(spec: OptionSpec): string[] {
  return spec.short === undefined ? [spec.long] : [spec.short, spec.long];
}

const declared = new WeakMap<object, OptionKey[]>();

/** The keys of the options `command` declares, in its order (as clipanion finds them: on an instance). */
export function optionsOf(command: CommandClass<GhostContext>): OptionKey[] {
  let keys = declared.get(command);
  if (keys === undefined) {
    const fields = Object.values(new (command as unknown as new () => object)()) as unknown[];
    keys = fields.flatMap((field) => (typeof field === 'object' && field !== null && KEY in field ? [(field as { [KEY]: OptionKey })[KEY]] : []));
    declared.set(command, keys);
  }
  return keys;
}

/** The options whose value is a comma-separated list of words. */
type ListKey = { [K in OptionKey]: (typeof OPTIONS)[K] extends { value: { list: true } } ? K : never }[OptionKey];
type ListWord<K extends ListKey> = (typeof OPTIONS)[K]['value']['complete'][number];

/** The words of a list option as given (`-s exited,killed`), each one checked; undefined if not given. */
export function listValue<K extends ListKey>(key: K, text: string | undefined): ListWord<K>[] | undefined {
  if (text === undefined) return undefined;
  const spec = OPTIONS[key];
  const valid: readonly string[] = spec.value.complete;
  const words = text.split(',').map((word) => word.trim());
  const bad = words.find((word) => !valid.includes(word));
  if (bad !== undefined) throw new UsageError(`invalid ${spec.long} "${bad}" (${statusWords(valid)})`);
  return words as ListWord<K>[];
}
