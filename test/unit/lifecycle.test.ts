import { describe, expect, it } from 'vitest';
import { FINAL_STATUSES, LIVE_STATUSES, PENDING_STATUSES, STATUSES, statusFromNote, transition, type LifecycleEvent, type LifecycleEventType, type TaskStatus } from '../../src/task/lifecycle.js';
import type { TaskState } from '../../src/task/state.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** A task in `status`, last changed long ago (so idle is due), never signalled by its agent. */
const stateIn = (status: TaskStatus): TaskState => ({
  v: 1,
  name: 't',
  branch: 'superset/t',
  worktree: '/w/t',
  agent: 'sh',
  argv: ['sh'],
  runner: 'headless',
  base: 'main',
  baseCommit: 'a'.repeat(40),
  startedAt: iso(T0),
  status,
  pid: 100,
  changedFiles: 2,
});

const exit0 = { exitCode: 0, endedAt: iso(T0 + 9000) };
const exit1 = { exitCode: 1, endedAt: iso(T0 + 9000) };

/** One column per kind of event, variants that decide differently in columns of their own. */
const EVENTS: Record<string, LifecycleEvent> = {
  queued: { type: 'queued' },
  blocked: { type: 'blocked', on: 'other' },
  'launch-failed': { type: 'launch-failed', at: iso(T0 + 2), reason: 'no such agent' },
  launching: { type: 'launching', at: iso(T0 + 1) },
  launched: { type: 'launched', pid: 200 },
  'sig:running': { type: 'agent-signal', status: 'running', at: iso(T0 + 5000) },
  'sig:waiting': { type: 'agent-signal', status: 'waiting', at: iso(T0 + 5000) },
  'sig:idle': { type: 'agent-signal', status: 'idle', at: iso(T0 + 5000) },
  'sig:done': { type: 'agent-signal', status: 'done', at: iso(T0 + 5000) },
  activity: { type: 'activity', at: T0 + 6000, changedFiles: 3 },
  quiet: { type: 'quiet', now: T0 + 60_000, idleSeconds: 30 },
  'agent-exited': { type: 'agent-exited', exit: exit0 },
  'exited:0': { type: 'exited', exit: exit0 },
  'exited:1': { type: 'exited', exit: exit1 },
  'vanished:alive': { type: 'wrapper-vanished', agentAlive: true },
  'vanished:gone': { type: 'wrapper-vanished', agentAlive: false },
  stop: { type: 'stop-requested', at: iso(T0 + 7000) },
};

// The whole lifecycle on one page: the status after each event (columns) in each status (rows).
// `=` means unchanged (the very same object comes back: nothing to write).
const COLUMNS = Object.keys(EVENTS);
const TABLE = `
          queued blocked launch-failed launching launched  sig:running sig:waiting sig:idle sig:done  activity  quiet agent-exited exited:0 exited:1 vanished:alive vanished:gone stop
queued    =      blocked failed        starting  running   =           =           =        =         =         =     =            =        =        =              =             stopped
blocked   queued =       failed        starting  running   =           =           =        =         =         =     =            =        =        =              =             stopped
starting  =      =       =             =         running   running     waiting     idle     finishing starting  =     finishing    done     failed   starting       failed        stopped
running   =      =       =             =         running   running     waiting     idle     finishing running   idle  finishing    done     failed   running        failed        stopped
idle      =      =       =             =         idle      running     waiting     idle     finishing running   =     finishing    done     failed   idle           failed        stopped
waiting   =      =       =             =         waiting   running     waiting     idle     finishing running   =     finishing    done     failed   waiting        failed        stopped
finishing =      =       =             =         finishing running     waiting     idle     finishing finishing =     =            done     failed   finishing      failed        stopped
done      queued blocked =             starting  done      =           =           =        =         =         =     =            =        =        =              =             =
failed    queued blocked =             starting  failed    =           =           =        =         =         =     =            =        =        =              =             =
stopped   queued blocked =             starting  stopped   =           =           =        =         =         =     =            stopped  stopped  =              =             =
`;

const rows = TABLE.trim()
  .split('\n')
  .map((l) => l.trim().split(/\s+/));
const header = rows[0]!;
const cells = new Map(rows.slice(1).map((r) => [r[0] as TaskStatus, r.slice(1)]));

describe('the lifecycle table', () => {
  it('has a row for every status and a column for every kind of event', () => {
    expect(header).toEqual(COLUMNS);
    expect([...cells.keys()].sort()).toEqual([...STATUSES].sort());
    for (const [, r] of cells) expect(r).toHaveLength(COLUMNS.length);
    const kinds: LifecycleEventType[] = ['queued', 'blocked', 'launch-failed', 'launching', 'launched', 'agent-signal', 'activity', 'quiet', 'agent-exited', 'exited', 'wrapper-vanished', 'stop-requested'];
    expect([...new Set(Object.values(EVENTS).map((e) => e.type))].sort()).toEqual(kinds.sort());
  });

  for (const status of STATUSES) {
    for (const [i, column] of COLUMNS.entries()) {
      const want = cells.get(status)![i]!;
      it(`${status} + ${column} -> ${want === '=' ? status : want}`, () => {
        const before = stateIn(status);
        const after = transition(before, EVENTS[column]!);
        if (want === '=') {
          expect(after).toBe(before);
        } else {
          expect(after.status).toBe(want);
        }
        expect(before.status, 'the input is never changed').toBe(status);
      });
    }
  }
});

describe('what the transitions record besides the status', () => {
  it("an agent's done is a finishing task, not a done one: done comes with the recorded exit", () => {
    const fin = transition(stateIn('running'), EVENTS['sig:done']!);
    expect(fin).toMatchObject({ status: 'finishing', statusBy: 'agent' });
    expect(fin.exitCode).toBeUndefined();
    expect(transition(fin, { type: 'exited', exit: { exitCode: 4, endedAt: iso(T0) } })).toMatchObject({ status: 'failed', exitCode: 4 });
  });

  it('an exit takes its code, signal, end time and the count after the exit commit', () => {
    const s = transition(stateIn('running'), { type: 'exited', exit: { exitCode: 143, endedAt: iso(T0 + 1) }, changedFiles: 0 });
    expect(s).toMatchObject({ status: 'failed', exitCode: 143, signal: 'SIGTERM', endedAt: iso(T0 + 1), changedFiles: 0 });
  });

  it('a stop learns the exit code once, and keeps its status', () => {
    const stopped = transition(stateIn('running'), EVENTS.stop!);
    expect(stopped).toMatchObject({ status: 'stopped', endedAt: iso(T0 + 7000) });
    const exited = transition(stopped, { type: 'exited', exit: exit1, changedFiles: 0 });
    expect(exited).toMatchObject({ status: 'stopped', exitCode: 1, changedFiles: 0 });
    expect(transition(exited, { type: 'exited', exit: exit0 })).toBe(exited);
  });

  it('a vanished wrapper whose agent lives on keeps the task live, and says why', () => {
    const s = transition(stateIn('running'), EVENTS['vanished:alive']!);
    expect(s.status).toBe('running');
    expect(s.reason).toMatch(/wrapper is gone but the agent still runs/);
    expect(transition(s, EVENTS['vanished:alive']!)).toBe(s);
    expect(transition(stateIn('running'), EVENTS['vanished:gone']!)).toMatchObject({ status: 'failed', exitCode: null });
  });

  it('activity counts files and time only while live; a write older than the agent signal does not undo it', () => {
    const idle = { ...stateIn('idle'), signaledAt: iso(T0 + 6500) };
    expect(transition(idle, EVENTS.activity!)).toMatchObject({ status: 'idle', changedFiles: 3, lastActivity: iso(T0 + 6000) });
    expect(transition(stateIn('running'), { type: 'activity', at: null, changedFiles: 2 })).toEqual(stateIn('running'));
    expect(transition(stateIn('running'), { type: 'activity', at: null, changedFiles: 0 })).toMatchObject({ changedFiles: 0, status: 'running' });
  });

  it('quiet makes a running task idle only when nothing happened for idleSeconds and the agent did not say running', () => {
    expect(transition(stateIn('running'), { type: 'quiet', now: T0 + 10_000, idleSeconds: 30 }).status).toBe('running');
    const agentSaid = { ...stateIn('running'), statusBy: 'agent' as const };
    expect(transition(agentSaid, EVENTS.quiet!)).toBe(agentSaid);
  });

  it('launched records the pid, even on a task that ended already', () => {
    expect(transition(stateIn('starting'), { type: 'launched', pid: 7, tmuxSession: 's' })).toMatchObject({ status: 'running', pid: 7, tmuxSession: 's' });
    expect(transition(stateIn('done'), { type: 'launched', pid: 7 })).toMatchObject({ status: 'done', pid: 7 });
  });

  it('a queued task launches (starting, then running with its pid), or is stopped before it ever ran', () => {
    const queued = { ...stateIn('queued'), pid: undefined };
    const starting = transition(queued, { type: 'launching', at: iso(T0 + 1) });
    expect(starting).toMatchObject({ status: 'starting', startedAt: iso(T0 + 1) });
    expect(transition(starting, { type: 'launched', pid: 9 })).toMatchObject({ status: 'running', pid: 9 });
    expect(transition(queued, EVENTS.stop!)).toMatchObject({ status: 'stopped', endedAt: iso(T0 + 7000) });
  });

  it('blocked carries its reason, and queued again drops it; a failed launch says why', () => {
    const blocked = transition(stateIn('queued'), { type: 'blocked', on: 'a', reason: 'a failed' });
    expect(blocked).toMatchObject({ status: 'blocked', reason: 'a failed' });
    expect(transition(blocked, { type: 'blocked', on: 'a', reason: 'a failed' })).toBe(blocked);
    expect(transition(blocked, { type: 'blocked', on: 'a', reason: 'a was removed' }).reason).toBe('a was removed');
    expect(transition(blocked, EVENTS.queued!).reason).toBeUndefined();
    expect(transition(stateIn('queued'), EVENTS['launch-failed']!)).toMatchObject({ status: 'failed', exitCode: null, reason: 'no such agent', endedAt: iso(T0 + 2) });
  });

  it('the groups of statuses cover every status once', () => {
    expect([...LIVE_STATUSES, ...PENDING_STATUSES, ...FINAL_STATUSES].sort()).toEqual([...STATUSES].sort());
  });
});

describe('status from a note', () => {
  it('reads an exit by its recorded status, else its code; anything else is not running', () => {
    expect(statusFromNote({ event: 'exited', status: 'stopped', exitCode: 0 })).toBe('stopped');
    expect(statusFromNote({ event: 'exited', status: 'running', exitCode: 0 })).toBe('done');
    expect(statusFromNote({ event: 'exited', exitCode: 2 })).toBe('failed');
    expect(statusFromNote({ event: 'merged' })).toBe('done');
    for (const event of ['started', 'commit', 'stopped', 'removed']) expect(statusFromNote({ event })).toBe('stopped');
    expect(statusFromNote({ event: 'queued' })).toBe('queued');
    expect(statusFromNote({ event: 'blocked' })).toBe('blocked');
    expect(statusFromNote({ event: 'launch-failed' })).toBe('failed');
  });
});
