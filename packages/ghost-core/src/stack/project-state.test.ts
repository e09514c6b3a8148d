import { describe, expect, it } from 'vitest';
import type { Task } from '../tasks/types.js';
import { projectSummaries, stackState } from './project-state.js';

type Facts = Pick<Task, 'project' | 'service' | 'status' | 'exitCode' | 'health' | 'reason'>;

const running = (service: string, health: Task['health'] = null): Facts => ({ project: 'shop', service, status: 'running', exitCode: null, health, reason: null });
const exited = (service: string, exitCode: number): Facts => ({ project: 'shop', service, status: 'exited', exitCode, health: null, reason: null });
const killed = (service: string): Facts => ({ project: 'shop', service, status: 'killed', exitCode: null, health: null, reason: null });
const restarting = (service: string): Facts => ({ project: 'shop', service, status: 'restarting', exitCode: 1, health: null, reason: null });

describe('stackState', () => {
  it('is up when every service runs healthy or completed, starting while a check has not passed', () => {
    expect(stackState([running('db', 'healthy'), exited('migrate', 0), running('api')])).toEqual({ state: 'up', active: 2, completed: 1, failing: 0 });
    expect(stackState([running('db', 'starting'), running('api')]).state).toBe('starting');
  });

  it('is degraded when something runs and a service is unhealthy, crash-looping or failed', () => {
    expect(stackState([running('db', 'unhealthy'), running('api')])).toMatchObject({ state: 'degraded', failing: 1 });
    expect(stackState([running('db'), restarting('api')])).toMatchObject({ state: 'degraded', active: 2, failing: 1 });
    expect(stackState([running('db'), exited('migrate', 3)]).state).toBe('degraded');
    expect(stackState([running('db'), { ...killed('api'), status: 'unknown' }]).state).toBe('degraded');
    expect(stackState([running('db'), { ...killed('api'), reason: 'out_of_memory' }]).state).toBe('degraded');
  });

  it('is partial when something runs and a service was stopped, down when nothing runs', () => {
    expect(stackState([running('db'), killed('api')]).state).toBe('partial');
    expect(stackState([killed('db'), exited('migrate', 0), exited('api', 1)])).toEqual({ state: 'down', active: 0, completed: 1, failing: 1 });
    expect(stackState([]).state).toBe('down');
  });
});

describe('projectSummaries', () => {
  it('groups the tasks of each project by name, services sorted, and leaves out tasks of none', () => {
    const tasks = [running('web'), { ...running('db'), project: 'blog' }, { ...running('x'), project: null, service: null }, killed('api')];
    const summaries = projectSummaries(tasks);
    expect(summaries.map((summary) => [summary.project, summary.tasks.map((task) => task.service), summary.state])).toEqual([
      ['blog', ['db'], 'up'],
      ['shop', ['api', 'web'], 'partial'],
    ]);
  });
});
