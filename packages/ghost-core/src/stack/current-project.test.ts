import { tempDir } from '@ghost/test-support';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentProject } from './current-project.js';
import { loadStack } from './load-stack.js';

describe('currentProject', () => {
  it('names the project as loadStack does, from the nearest file, without parsing it', () => {
    const root = join(tempDir(), 'My Shop');
    mkdirSync(join(root, 'api', 'src'), { recursive: true });
    expect(currentProject(root)).toBeUndefined();
    writeFileSync(join(root, 'ghost.yaml'), 'services:\n  api:\n    command: [x]\n    name: not-this\n');
    expect(currentProject(join(root, 'api', 'src'))).toBe('myshop');
    for (const line of ['name: shop', 'name: "shop"  # the shop', "name: 'shop'"]) {
      writeFileSync(join(root, 'ghost.yaml'), `# a comment\n${line}\nservices:\n  api:\n    command: [x]\n`);
      expect([line, currentProject(join(root, 'api'))]).toEqual([line, loadStack({ cwd: join(root, 'api') }).stack!.project]);
    }
  });
});
