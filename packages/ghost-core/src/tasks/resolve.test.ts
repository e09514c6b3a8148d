import { describe, expect, it } from 'vitest';
import { testContext, taskRow } from '../test-support/store.js';
import { resolveTask } from './resolve.js';

describe('resolveTask', () => {
  it('finds a task by full id, unique prefix or name (newest wins)', () => {
    const ctx = testContext();
    const a = taskRow({ id: 'aaaa1111-0000-4000-8000-000000000001', name: 'web', startedAt: 1 });
    const b = taskRow({ id: 'aaab2222-0000-4000-8000-000000000002', name: 'web', startedAt: 2 });
    const c = taskRow({ id: 'cccc3333-0000-4000-8000-000000000003', name: 'worker', startedAt: 3 });
    for (const row of [a, b, c]) ctx.store.insert(row);
    expect(resolveTask(ctx, a.id).id).toBe(a.id);
    expect(resolveTask(ctx, 'aaab').id).toBe(b.id);
    expect(resolveTask(ctx, 'CCCC').id).toBe(c.id);
    expect(resolveTask(ctx, 'web').id).toBe(b.id);
    expect(() => resolveTask(ctx, 'aaa')).toThrow(/"aaa" matches several tasks: aaab2222 \(web\), aaaa1111 \(web\); use more of the id/);
    expect(() => resolveTask(ctx, 'nothing')).toThrow('no task matches "nothing" (see ghost list)');
    expect(() => resolveTask(ctx, 'd')).toThrow(/no task matches/);
    expect(() => resolveTask(ctx, '  ')).toThrow(/required/);
    // LIKE-style wildcards mean nothing in a reference.
    expect(() => resolveTask(ctx, '%')).toThrow(/no task matches/);
  });
});
