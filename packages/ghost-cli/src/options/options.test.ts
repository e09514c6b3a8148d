// The option table is the one place options are declared: help, completion and the README's
// table of short flags are checked against it here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../cli.js';
import { commandSpecs } from '../commands/completion.js';
import { runGhost } from '../test-support/run-cli.js';

const specs = commandSpecs(COMMANDS);
// Help and completion never open the data directory (e2e checks that it is not created).
const dataDir = '/nonexistent/ghost-options-test';

describe('the option table', () => {
  it('gives no command two options with the same flag', () => {
    for (const spec of specs) {
      const flags = spec.flags.flatMap((flag) => flag.names);
      expect(flags, spec.names[0]).toEqual([...new Set(flags)]);
    }
  });

  it('is what --help shows: every option with its flags, its value and its description', async () => {
    for (const spec of specs) {
      const help = await runGhost([...spec.names.slice(0, 1), ...spec.words.slice(0, 1), '--help'], { dataDir });
      for (const { names, spec: option } of spec.flags) {
        const definition = `${names.join(',')}${option.value ? ` ${option.value.name}` : ''}`;
        expect(help.stdout, `${spec.names[0]} ${definition}`).toMatch(new RegExp(`^  ${escape(definition)} +${escape(option.description)}$`, 'm'));
      }
      expect(help.stdout).not.toContain('#0');
    }
  });

  it.for(['bash', 'zsh', 'fish'])('is what the %s completion offers, values included', async (shell) => {
    const { stdout: script } = await runGhost(['completion', shell], { dataDir });
    for (const spec of specs) {
      for (const { names, spec: option } of spec.flags) {
        for (const name of names) expect(script, `${spec.names[0]} ${name}`).toContain(shell === 'fish' ? (name.startsWith('--') ? `-l ${name.slice(2)}` : `-s ${name.slice(1)}`) : name);
        const complete = option.value?.complete;
        if (Array.isArray(complete)) expect(script).toContain(complete.join(' '));
      }
    }
  });

  it("matches the README's table of short flags, row for row", () => {
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### Short flags'));
    const rows = [...section.slice(0, section.indexOf('\n\n', section.indexOf('| ---'))).matchAll(/^\| `(-\w)` \| `(--[\w-]+)` \| ([^|]+) \|/gm)];
    const documented = rows.flatMap(([, short, long, commands]) => [...commands!.matchAll(/`([\w ]+)`/g)].map(([, command]) => `${command} ${short} ${long}`));
    const declared = specs.flatMap((spec) =>
      spec.flags.flatMap(({ names, spec: option }) => (option.short ? [`${[spec.names[0], ...spec.words].join(' ')} ${option.short} ${option.long}`] : [])),
    );
    expect(documented.sort()).toEqual(declared.sort());
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
