import { describe, expect, it } from 'vitest';
import { GhostError } from '../errors.js';
import { testContext, taskRow } from '../test-support/store.js';
import { resolveTarget, resolveTask, resolveTasks } from './resolve.js';

function thrown(act: () => unknown): GhostError {
  try {
    act();
  } catch (error) {
    if (error instanceof GhostError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

function fixture() {
  const ctx = testContext();
  const a = taskRow({ id: 'aaaa1111-0000-4000-8000-000000000001', name: 'web', startedAt: 1 });
  const b = taskRow({ id: 'aaab2222-0000-4000-8000-000000000002', name: 'web', startedAt: 2 });
  const c = taskRow({ id: 'cccc3333-0000-4000-8000-000000000003', name: 'worker', startedAt: 3 });
  for (const row of [a, b, c]) ctx.store.insert(row);
  return { ctx, a, b, c };
}

describe('resolveTask', () => {
  it('finds a task by full id, unique prefix or name (newest wins)', () => {
    const { ctx, a, b, c } = fixture();
    expect(resolveTask(ctx, a.id).id).toBe(a.id);
    expect(resolveTask(ctx, 'aaab').id).toBe(b.id);
    expect(resolveTask(ctx, 'CCCC').id).toBe(c.id);
    expect(resolveTask(ctx, 'web').id).toBe(b.id);
    expect(() => resolveTask(ctx, 'd')).toThrow(/no task matches/);
    expect(() => resolveTask(ctx, '  ')).toThrow(/required/);
    // LIKE-style wildcards mean nothing in a reference.
    expect(() => resolveTask(ctx, '%')).toThrow(/no task matches/);
  });

  it('says what did not match as data: the reference, and an ambiguous one\'s candidates', () => {
    const { ctx, a, b } = fixture();
    const ambiguous = thrown(() => resolveTask(ctx, 'aaa'));
    expect(ambiguous).toMatchObject({ code: 'TASK_AMBIGUOUS', message: '"aaa" matches several tasks' });
    expect(ambiguous.details).toEqual({
      ref: 'aaa',
      candidates: [
        { id: b.id, name: 'web' },
        { id: a.id, name: 'web' },
      ],
      more: false,
    });
    const missing = thrown(() => resolveTask(ctx, 'nothing'));
    expect(missing).toMatchObject({ code: 'TASK_NOT_FOUND', message: 'no task matches "nothing"', details: { ref: 'nothing' } });
  });

  it('takes a task object by its id alone, never as a name or a prefix', () => {
    const { ctx, c } = fixture();
    expect(resolveTarget(ctx, { id: c.id }).id).toBe(c.id);
    expect(thrown(() => resolveTarget(ctx, { id: 'web' }))).toMatchObject({ code: 'TASK_NOT_FOUND', details: { id: 'web' } });
  });
});

describe('resolveTasks', () => {
  it('resolves every reference once, in order, each task once', () => {
    const { ctx, a, b, c } = fixture();
    expect(resolveTasks(ctx, ['worker', 'web', b.id, { id: a.id }, 'cccc']).map((task) => task.id)).toEqual([c.id, b.id, a.id]);
    expect(resolveTasks(ctx, [])).toEqual([]);
  });

  it('reports every reference that does not resolve, with the first one\'s code', () => {
    const { ctx, a, b } = fixture();
    const one = thrown(() => resolveTasks(ctx, ['web', 'nope']));
    expect(one).toMatchObject({ code: 'TASK_NOT_FOUND', message: 'no task matches "nope"' });
    expect(one.details.unresolved).toEqual([{ ref: 'nope', code: 'TASK_NOT_FOUND', message: 'no task matches "nope"' }]);

    const several = thrown(() => resolveTasks(ctx, ['nope', 'web', 'aaa', 'gone']));
    expect(several.code).toBe('TASK_NOT_FOUND');
    expect(several.message).toBe('no task matches "nope"; "aaa" matches several tasks; no task matches "gone"');
    expect(several.details.unresolved).toEqual([
      { ref: 'nope', code: 'TASK_NOT_FOUND', message: 'no task matches "nope"' },
      {
        ref: 'aaa',
        code: 'TASK_AMBIGUOUS',
        message: '"aaa" matches several tasks',
        candidates: [
          { id: b.id, name: 'web' },
          { id: a.id, name: 'web' },
        ],
        more: false,
      },
      { ref: 'gone', code: 'TASK_NOT_FOUND', message: 'no task matches "gone"' },
    ]);
  });
});

describe('a reference within a project', () => {
  it("means the project's service of that name first, else what the plain reference means", () => {
    const { ctx, b, c } = fixture();
    const api = taskRow({ id: 'dddd4444-0000-4000-8000-000000000004', name: 'web', startedAt: 0, project: 'shop', service: 'web' });
    ctx.store.insert(api);
    // `web` alone is the newest task named web; within shop, shop's web service.
    expect(resolveTarget(ctx, 'web').id).toBe(b.id);
    expect(resolveTarget(ctx, { ref: 'web', project: 'shop' }).id).toBe(api.id);
    expect(resolveTarget(ctx, { ref: 'web', project: 'other' }).id).toBe(b.id);
    expect(resolveTasks(ctx, [{ ref: 'worker', project: 'shop' }]).map((task) => task.id)).toEqual([c.id]);
    expect(thrown(() => resolveTasks(ctx, [{ ref: 'nope', project: 'shop' }])).details.unresolved).toEqual([
      { ref: 'nope', code: 'TASK_NOT_FOUND', message: 'no task matches "nope"' },
    ]);
  });
});
