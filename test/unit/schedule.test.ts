import { describe, expect, it } from 'vitest';
import { holdsSlot, queuePositions, schedule, type Readiness, type SchedTask } from '../../src/task/schedule.js';

const T = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
const q = (name: string, at: number, index = 0, extra: Partial<SchedTask> = {}): SchedTask => ({ name, status: 'queued', queuedAt: T(at), queueIndex: index, ...extra });
const live = (name: string, status: SchedTask['status'] = 'running', extra: Partial<SchedTask> = {}): SchedTask => ({ name, status, ...extra });
const opts = { maxRunning: 3, queueCountsIdle: true };

describe('schedule: which queued tasks launch now', () => {
  it('fills the free slots in queue order: when queued, then the place in the batch', () => {
    const tasks = [q('late', 2000), q('b2', 1000, 2), q('b0', 1000, 0), q('b1', 1000, 1), live('r1')];
    expect(schedule(tasks, opts).launch).toEqual(['b0', 'b1']);
    expect(schedule(tasks, { ...opts, maxRunning: 10 }).launch).toEqual(['b0', 'b1', 'b2', 'late']);
  });

  it('launches nothing while the limit is reached, and everything without a limit', () => {
    const tasks = [live('a'), live('b', 'waiting'), live('c', 'starting'), q('d', 0)];
    expect(schedule(tasks, opts).launch).toEqual([]);
    expect(schedule(tasks, { ...opts, maxRunning: null }).launch).toEqual(['d']);
  });

  it('ended tasks free their slot; an agent that exited frees it while its exit is recorded', () => {
    const tasks = [live('a', 'done'), live('b', 'failed'), live('c', 'stopped'), live('d', 'finishing'), live('e'), q('x', 0), q('y', 1), q('z', 2)];
    expect(schedule(tasks, opts).launch).toEqual(['x']);
    const exited = tasks.map((t) => (t.name === 'd' ? { ...t, agentExited: true } : t));
    expect(schedule(exited, opts).launch).toEqual(['x', 'y']);
  });

  it('an idle agent holds its slot unless queueCountsIdle is off', () => {
    const tasks = [live('a', 'idle'), live('b', 'idle'), live('c'), q('x', 0)];
    expect(schedule(tasks, opts).launch).toEqual([]);
    expect(schedule(tasks, { ...opts, queueCountsIdle: false }).launch).toEqual(['x']);
    expect(holdsSlot(live('w', 'waiting'), false)).toBe(true);
  });

  it("a batch's own --max-running wins over config", () => {
    const tasks = [live('a'), q('small', 0, 0, { maxRunning: 1 }), q('big', 1, 0, { maxRunning: 5 })];
    expect(schedule(tasks, opts).launch).toEqual(['big']);
  });

  it('tasks with prerequisites ask readiness; waiting ones do not hold up the queue, blocked ones are named', () => {
    const tasks = [q('waits', 0, 0, { after: ['a'] }), q('fails', 1, 0, { after: ['b'] }), q('ready', 2, 0, { after: ['c'] }), q('plain', 3)];
    const readiness = (t: SchedTask): Readiness => (t.name === 'waits' ? 'wait' : t.name === 'fails' ? { blocked: 'b failed' } : 'ready');
    expect(schedule(tasks, { ...opts, readiness })).toEqual({ launch: ['ready', 'plain'], block: [{ name: 'fails', reason: 'b failed' }] });
    // without a readiness answer a task with prerequisites waits
    expect(schedule(tasks, opts).launch).toEqual(['plain']);
  });

  it('blocked, stopped and live tasks are never launched', () => {
    const tasks = [live('b', 'blocked'), live('s', 'stopped'), live('r')];
    expect(schedule(tasks, { ...opts, maxRunning: null }).launch).toEqual([]);
  });
});

describe('queuePositions', () => {
  it('numbers queued tasks from 1 in the order they will start', () => {
    const pos = queuePositions([q('c', 5), q('a', 1, 1), q('b', 1, 0), live('r'), live('x', 'blocked')]);
    expect([...pos]).toEqual([['b', 1], ['a', 2], ['c', 3]]);
  });
});
