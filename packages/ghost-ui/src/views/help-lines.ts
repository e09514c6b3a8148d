import { type Binding, KEYMAP, type View, primaryKey } from '../keys/keymap.js';
import { escapeTags } from '../text/tags.js';

const SECTIONS: { view: View; title: string }[] = [
  { view: 'list', title: 'Task list' },
  { view: 'log', title: 'Log viewer' },
  { view: 'details', title: 'Details' },
];

const KEY_WIDTH = 10;
const ALSO_WIDTH = 20;

/**
 * The help overlay's text, built from the keymap: every binding of every view, each listed
 * once (a binding already described for an earlier view is only named, on an "also" line).
 */
export function helpLines(): string[] {
  const lines: string[] = [];
  const listed = new Set<string>();
  for (const { view, title } of SECTIONS) {
    if (lines.length > 0) lines.push('');
    lines.push(`{bold}{underline}${title}{/underline}{/bold}`);
    const same: string[] = [];
    for (const binding of KEYMAP[view]) {
      const id = bindingId(binding);
      if (listed.has(id)) {
        same.push(primaryKey(binding));
        continue;
      }
      listed.add(id);
      lines.push(`{bold}${escapeTags(binding.label.padEnd(KEY_WIDTH))}{/bold} ${escapeTags(binding.help)}`);
    }
    // Wrapped, so that a long list does not widen its column past the others.
    for (const [i, keys] of wrapWords(same, ALSO_WIDTH).entries()) {
      lines.push(`{bold}${(i === 0 ? 'also' : '').padEnd(KEY_WIDTH)}{/bold} ${escapeTags(keys)}`);
    }
  }
  lines.push('', `{bold}${'mouse'.padEnd(KEY_WIDTH)}{/bold} scroll, click to select`);
  return lines;
}

function bindingId(binding: Binding): string {
  return `${binding.label}\u0000${binding.help}`;
}

/** Words joined by spaces into lines of at most `width` characters (a longer word gets its own line). */
function wrapWords(words: readonly string[], width: number): string[] {
  const lines: string[] = [];
  for (const word of words) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}
