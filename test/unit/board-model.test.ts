import { describe, expect, it } from 'vitest';
import { countByStatus, initialState, reduce, selectedTask, sortTasks, visibleTasks, type BoardState, type Effect, type KeyPress } from '../../src/board/model.js';
import { ago, cleanLines, headerText, markStat, nextAgeChange, rowText, tail, columns } from '../../src/board/format.js';
import { mergeStates } from '../../src/board/tasks-feed.js';
import type { TaskView } from '../../src/task/catalog.js';
import type { TaskState, TaskStatus } from '../../src/task/state.js';

const NOW = Date.parse('2026-01-02T12:00:00.000Z');

function view(name: string, status: TaskStatus, over: Partial<TaskView> = {}): TaskView {
  return {
    name, branch: `superset/${name}`, worktree: `/w/${name}`, agent: 'claude', runner: 'tmux', status,
    exitCode: null, signal: null, startedAt: new Date(NOW - 90_000).toISOString(), endedAt: null, base: 'main',
    commit: 'abc', ahead: 2, changedFiles: 1, lastActivity: null, reason: null, pid: 1, tmuxSession: `superset-x-${name}`, parent: null, ports: null,
    ...over,
  };
}

const MIXED = [
  view('e-done', 'done'), view('a-stopped', 'stopped'), view('z-wait', 'waiting'), view('b-run', 'running'),
  view('c-idle', 'idle'), view('d-fail', 'failed'), view('a-start', 'starting'), view('y-wait', 'waiting'),
];

/** Feeds keys one by one; returns the final state and every effect asked for. */
function press(state: BoardState, ...keys: (string | KeyPress)[]): { state: BoardState; effects: Effect[] } {
  let s = state;
  const effects: Effect[] = [];
  for (const k of keys) {
    const step = reduce(s, { kind: 'key', key: typeof k === 'string' ? { input: k } : k });
    s = step.state;
    effects.push(...step.effects);
  }
  return { state: s, effects };
}

const names = (s: BoardState): string[] => visibleTasks(s).map((t) => t.name);

describe('board order', () => {
  it('is waiting, running (starting with it), idle, failed, done, stopped; by name within each', () => {
    expect(sortTasks(MIXED).map((t) => t.name)).toEqual(['y-wait', 'z-wait', 'a-start', 'b-run', 'c-idle', 'd-fail', 'e-done', 'a-stopped']);
  });
  it('counts finishing as running, and puts queued and blocked last (filter 7)', () => {
    const tasks = [view('q', 'queued'), view('b', 'blocked'), view('f', 'finishing'), view('s', 'stopped')];
    expect(sortTasks(tasks).map((t) => t.name)).toEqual(['f', 's', 'b', 'q']);
    expect(names(press(initialState(tasks), '7').state)).toEqual(['b', 'q']);
    expect(names(press(initialState(tasks), '2').state)).toEqual(['f']);
  });
  it('counts every task by status, whatever the filter', () => {
    const s = press(initialState(MIXED), '1').state;
    expect(names(s)).toEqual(['y-wait', 'z-wait']);
    expect(countByStatus(s.tasks)).toEqual({ waiting: 2, running: 2, idle: 1, failed: 1, done: 1, stopped: 1, queued: 0 });
    expect(headerText(s)).toBe('8 tasks  ! 2 waiting  ▶ 2 running  · 1 idle  ✗ 1 failed  ✓ 1 done  ■ 1 stopped  [filter: status waiting]');
  });
});

describe('selection', () => {
  it('starts on the first row and moves with j/k and arrows, clamped at both ends', () => {
    let s = initialState(MIXED);
    expect(s.selected).toBe('y-wait');
    s = press(s, 'k').state;
    expect(s.selected).toBe('y-wait');
    s = press(s, 'j', { input: '', down: true }).state;
    expect(s.selected).toBe('a-start');
    s = press(s, 'G').state;
    expect(s.selected).toBe('a-stopped');
    s = press(s, 'j').state;
    expect(s.selected).toBe('a-stopped');
    s = press(s, { input: '', up: true }, 'g').state;
    expect(s.selected).toBe('y-wait');
  });

  it('survives a refresh by name, even when the task moves to another place in the order', () => {
    let s = press(initialState(MIXED), 'j', 'j', 'j').state;
    expect(s.selected).toBe('b-run');
    const refreshed = MIXED.map((t) => (t.name === 'b-run' ? { ...t, status: 'done' as const } : t));
    s = reduce(s, { kind: 'tasks', tasks: refreshed }).state;
    expect(s.selected).toBe('b-run');
    expect(names(s).indexOf('b-run')).toBe(5);
  });

  it('goes to the row at the same place when its task is removed', () => {
    let s = press(initialState(MIXED), 'j', 'j').state;
    expect(s.selected).toBe('a-start');
    s = reduce(s, { kind: 'tasks', tasks: MIXED.filter((t) => t.name !== 'a-start') }).state;
    expect(s.selected).toBe('b-run');
    s = reduce(s, { kind: 'tasks', tasks: [] }).state;
    expect(s.selected).toBeNull();
    expect(press(s, 'x').state.message).toBe('no task selected');
  });

  it('scrolls the list so the selection stays in view with 100 tasks', () => {
    const many = Array.from({ length: 100 }, (_, i) => view(`t${String(i).padStart(3, '0')}`, 'running'));
    let s = reduce(initialState(many), { kind: 'resize', listHeight: 10 }).state;
    s = press(s, ...Array(15).fill('j')).state;
    expect(s.selected).toBe('t015');
    expect(s.scroll).toBe(6);
    s = press(s, { input: '', pageDown: true }).state;
    expect(s.selected).toBe('t024');
    expect(s.scroll).toBe(15);
    s = press(s, 'G').state;
    expect([s.selected, s.scroll]).toEqual(['t099', 90]);
    s = press(s, 'g').state;
    expect([s.selected, s.scroll]).toEqual(['t000', 0]);
    // a smaller terminal keeps the selection visible
    s = press(s, 'G').state;
    s = reduce(s, { kind: 'resize', listHeight: 5 }).state;
    expect(s.scroll).toBe(95);
  });

  it('takes keys typed faster than the terminal is read one by one', () => {
    const s = press(initialState(MIXED), 'jjj').state;
    expect(s.selected).toBe('b-run');
    expect(press(initialState(MIXED), '/wait').state.nameFilter).toBe('wait');
  });
});

describe('filters', () => {
  it('/ filters by name as you type; Enter keeps it, Esc clears it', () => {
    let s = press(initialState(MIXED), '/', 'w', 'a').state;
    expect(s.mode.kind).toBe('filter');
    expect(names(s)).toEqual(['y-wait', 'z-wait']);
    s = press(s, { input: '', backspace: true }, { input: '', backspace: true }, 'r', 'u', 'n', { input: '', enter: true }).state;
    expect(s.mode.kind).toBe('list');
    expect(names(s)).toEqual(['b-run']);
    expect(s.selected).toBe('b-run');
    s = press(s, { input: '', escape: true }).state;
    expect(names(s)).toHaveLength(8);
    expect(s.selected).toBe('b-run');
  });

  it('1..6 filter by status, the same digit again or 0 clears', () => {
    const s = initialState(MIXED);
    expect(names(press(s, '2').state)).toEqual(['a-start', 'b-run']);
    expect(names(press(s, '3').state)).toEqual(['c-idle']);
    expect(names(press(s, '4').state)).toEqual(['d-fail']);
    expect(names(press(s, '5').state)).toEqual(['e-done']);
    expect(names(press(s, '6').state)).toEqual(['a-stopped']);
    expect(names(press(s, '6', '6').state)).toHaveLength(8);
    expect(names(press(s, '6', '0').state)).toHaveLength(8);
    // name and status filters combine
    expect(names(press(s, '1', '/', 'z', { input: '', enter: true }).state)).toEqual(['z-wait']);
  });

  it('keeps the selection on a row that is still visible, else the first', () => {
    const s = press(initialState(MIXED), 'G', '1').state;
    expect(s.selected).toBe('z-wait');
    expect(selectedTask(press(s, '/', 'q', 'q', 'q').state)).toBeNull();
  });
});

describe('keys', () => {
  it('q quits; ? shows help and any key leaves it', () => {
    expect(press(initialState(MIXED), 'q').effects).toEqual([{ kind: 'quit' }]);
    const help = press(initialState(MIXED), '?').state;
    expect(help.mode.kind).toBe('help');
    const back = press(help, 'q');
    expect(back.state.mode.kind).toBe('list');
    expect(back.effects).toEqual([]);
  });

  it('Enter attaches to a live tmux task only', () => {
    expect(press(initialState([view('a', 'running')]), { input: '', enter: true }).effects).toEqual([{ kind: 'attach', task: 'a' }]);
    const headless = press(initialState([view('h', 'running', { runner: 'headless', tmuxSession: null })]), { input: '', enter: true });
    expect(headless.effects).toEqual([]);
    expect(headless.state.message).toBe('h has no live tmux session: l shows its log');
    expect(press(initialState([view('d', 'done')]), { input: '', enter: true }).effects).toEqual([]);
  });

  it('s opens an input line and sends its text on Enter; Esc cancels; empty sends nothing', () => {
    const s = initialState([view('a', 'waiting')]);
    const typed = press(s, 's', 'y', 'e', 's', ' ', 'p', 'l', 'z');
    expect(typed.state.mode).toEqual({ kind: 'send', task: 'a', text: 'yes plz' });
    // while typing, letters are text, not commands
    expect(typed.effects).toEqual([]);
    expect(press(typed.state, { input: '', enter: true }).effects).toEqual([{ kind: 'send', task: 'a', text: 'yes plz' }]);
    expect(press(typed.state, { input: '', escape: true }).effects).toEqual([]);
    expect(press(s, 's', { input: '', enter: true }).effects).toEqual([]);
    // an ended task is resumed with the message; a live headless one reads no input
    expect(press(initialState([view('d', 'done')]), 's').state.mode.kind).toBe('send');
    expect(press(initialState([view('h', 'running', { runner: 'headless' })]), 's').state.mode.kind).toBe('list');
  });

  it('x asks y/N before stopping, and only a live task', () => {
    const s = initialState([view('a', 'running'), view('b', 'done')]);
    const asked = press(s, 'x').state;
    expect(asked.mode).toMatchObject({ kind: 'confirm', action: 'stop', question: 'stop a? (y/N)' });
    expect(press(asked, 'y').effects).toEqual([{ kind: 'stop', task: 'a' }]);
    expect(press(asked, 'n').effects).toEqual([]);
    expect(press(asked, { input: '', enter: true }).effects).toEqual([]);
    expect(press(s, 'j', 'x').state.message).toBe('b is not running (done)');
  });

  it('r asks, removes without force, and only a second y after a refusal saying what is lost forces', () => {
    const s = initialState([view('a', 'done')]);
    const asked = press(s, 'r');
    expect(asked.state.mode).toMatchObject({ kind: 'confirm', action: 'remove' });
    const first = press(asked.state, 'y');
    expect(first.effects).toEqual([{ kind: 'remove', task: 'a', force: false }]);
    const refused = reduce(first.state, { kind: 'remove-refused', task: 'a', lost: 'it has 2 uncommitted files; it has 1 commit not in main' }).state;
    expect(refused.mode).toMatchObject({ kind: 'confirm', action: 'force-remove', question: 'not removed: a: it has 2 uncommitted files; it has 1 commit not in main. Remove it anyway and lose that? (y/N)' });
    expect(press(refused, 'N').effects).toEqual([]);
    expect(press(refused, 'N').state.message).toBe('remove cancelled');
    expect(press(refused, 'y').effects).toEqual([{ kind: 'remove', task: 'a', force: true }]);
  });

  it('n asks for name, prompt and agent, then starts', () => {
    const enter: KeyPress = { input: '', enter: true };
    const s = initialState([]);
    expect(press(s, 'n', enter).state.message).toBe('a task needs a name');
    const done = press(s, 'n', 'f', 'i', 'x', enter, 'g', 'o', enter, 'c', 'o', 'd', 'e', 'x', enter);
    expect(done.effects).toEqual([{ kind: 'start', name: 'fix', prompt: 'go', agent: 'codex' }]);
    expect(done.state.mode.kind).toBe('list');
    expect(press(s, 'n', 'a', { input: '', escape: true }).state.mode.kind).toBe('list');
  });

  it('Tab switches the right pane; d and l open full views that Esc closes; J/K scroll', () => {
    const s = initialState([view('a', 'running')]);
    expect(press(s, { input: '', tab: true }).state.pane).toBe('diff');
    expect(press(s, { input: '', tab: true }, { input: '', tab: true }).state.pane).toBe('tail');
    const diff = press(s, 'd', 'j', 'j', { input: '', pageDown: true }).state;
    expect(diff.mode).toEqual({ kind: 'view', what: 'diff', task: 'a' });
    expect(diff.paneScroll).toBe(2 + 18);
    expect(press(diff, { input: '', escape: true }).state.mode.kind).toBe('list');
    expect(press(s, 'l', 'l').state.mode.kind).toBe('list');
    expect(press(s, 'J', 'J', 'K').state.paneScroll).toBe(1);
  });

  it('m asks, then merges (only where a merge operation is offered)', () => {
    expect(press(initialState([view('a', 'done')]), 'm').state.mode.kind).toBe('list');
    const asked = press(initialState([view('a', 'done')], { canMerge: true }), 'm').state;
    expect(asked.mode).toMatchObject({ kind: 'confirm', action: 'merge', question: 'merge a into main (test gate, then clean up)? (y/N)' });
    expect(press(asked, 'y').effects).toEqual([{ kind: 'merge', task: 'a' }]);
    expect(press(asked, 'n').state.message).toBe('merge cancelled');
  });

  it('o opens the selected task in the editor, unless it has no worktree', () => {
    expect(press(initialState([view('a', 'running')]), 'o').effects).toEqual([{ kind: 'open', task: 'a' }]);
    const gone = press(initialState([view('a', 'done', { worktree: null })]), 'o');
    expect(gone.effects).toEqual([]);
    expect(gone.state.message).toBe('a has no worktree to open');
    expect(press(initialState([]), 'o').state.message).toBe('no task selected');
  });
});

describe('waiting', () => {
  it('rings the bell once per transition to waiting, not for tasks waiting at open', () => {
    let s = initialState([view('a', 'waiting'), view('b', 'running')]);
    let step = reduce(s, { kind: 'tasks', tasks: [view('a', 'waiting'), view('b', 'waiting')] });
    expect(step.effects).toEqual([{ kind: 'bell' }]);
    s = step.state;
    step = reduce(s, { kind: 'tasks', tasks: [view('a', 'waiting'), view('b', 'waiting')] });
    expect(step.effects).toEqual([]);
    step = reduce(step.state, { kind: 'tasks', tasks: [view('a', 'running'), view('b', 'waiting')] });
    expect(step.effects).toEqual([]);
    step = reduce(step.state, { kind: 'tasks', tasks: [view('a', 'waiting'), view('b', 'waiting')] });
    expect(step.effects).toEqual([{ kind: 'bell' }]);
  });

  it('closes a prompt about a task that disappeared', () => {
    const s = press(initialState([view('a', 'running'), view('b', 'running')]), 's').state;
    expect(reduce(s, { kind: 'tasks', tasks: [view('b', 'running')] }).state.mode.kind).toBe('list');
  });
});

describe('rows and text', () => {
  it('shows status (symbol and word), name, agent, ahead/changed and last activity', () => {
    const t = view('fix-login', 'waiting', { lastActivity: new Date(NOW - 12_000).toISOString(), ahead: 3, changedFiles: 2 });
    expect(rowText(t, NOW, columns(60))).toBe('! waiting   fix-login         claude     +3 ~2      12s ago');
    expect(rowText({ ...t, ahead: null, changedFiles: null, status: 'starting' }, NOW, columns(60))).toMatch(/^▶ starting  fix-login .* \+\? ~0 /);
    expect(rowText({ ...t, status: 'finishing' }, NOW, columns(60))).toMatch(/^▶ finishing fix-login /);
    expect(rowText({ ...t, status: 'queued', queuePosition: 2 }, NOW, columns(60))).toMatch(/^… queued #2 fix-login /);
    expect(rowText({ ...t, status: 'blocked' }, NOW, columns(60))).toMatch(/^… blocked   fix-login /);
  });

  it('marks a task that overlaps another with " !" after its name, as ls does', () => {
    const t = view('fix-login', 'running', { lastActivity: new Date(NOW - 12_000).toISOString(), ahead: 3, changedFiles: 2 });
    expect(rowText(t, NOW, columns(60), 1)).toBe('▶ running   fix-login !       claude     +3 ~2      12s ago');
    // a name as long as its column is cut to keep the mark
    expect(rowText({ ...t, name: 'a-very-long-task-name' }, NOW, columns(50), 2)).toBe('▶ running   a-very-long-ta… ! +3 ~2      12s ago');
    const s = reduce(initialState([t]), { kind: 'overlaps', overlaps: { 'fix-login': [{ task: 'other', files: ['a.ts'] }] } }).state;
    expect(s.overlaps['fix-login']).toEqual([{ task: 'other', files: ['a.ts'] }]);
    // a refresh of the tasks keeps the last overlaps until the next computation
    expect(reduce(s, { kind: 'tasks', tasks: [t] }).state.overlaps).toEqual(s.overlaps);
  });

  it.each([
    [0, '0s ago'], [59_000, '59s ago'], [60_000, '1m ago'], [3_600_000, '1h ago'], [86_400_000, '1d ago'],
  ])('ago(%i ms) is %s', (ms, text) => {
    expect(ago(new Date(NOW - ms).toISOString(), NOW)).toBe(text);
  });

  it('knows when the next "ago" text changes, so an idle board redraws only then', () => {
    const at = (msAgo: number) => new Date(NOW - msAgo).toISOString();
    expect(nextAgeChange([at(12_300)], NOW)).toBe(NOW + 700);
    expect(nextAgeChange([at(5 * 60_000 + 10_000)], NOW)).toBe(NOW + 50_000);
    expect(nextAgeChange([at(2 * 3_600_000), at(5 * 60_000 + 10_000)], NOW)).toBe(NOW + 50_000);
    expect(nextAgeChange([at(3 * 86_400_000 + 1000)], NOW)).toBe(NOW + 86_399_000);
    expect(nextAgeChange([null, 'garbage'], NOW)).toBeNull();
  });

  it('marks uncommitted files in the diff stat and lists untracked ones', () => {
    const stat = ' src/a.ts | 3 ++-\n src/b.ts | 1 +\n 2 files changed, 3 insertions(+), 1 deletion(-)\n';
    expect(markStat(stat, ['src/b.ts', 'new.txt'])).toEqual([
      '  src/a.ts | 3 ++-',
      '* src/b.ts | 1 +',
      '* new.txt (untracked)',
      '  2 files changed, 3 insertions(+), 1 deletion(-)',
    ]);
  });

  it('cleans agent output: no cursor movement, carriage returns resolved; tail drops the blank end', () => {
    expect(cleanLines('a\x1b[2Kb\x1b[1;31mred\x1b[0m\nprogress 10%\rprogress 99%\n\x1b]0;title\x07x')).toEqual(['ab\x1b[1;31mred\x1b[0m', 'progress 99%', 'x']);
    expect(tail(['1', '2', '3', '', ' '], 2)).toEqual(['2', '3']);
  });
});

describe('mergeStates', () => {
  const state = (name: string, status: TaskStatus): TaskState => ({
    v: 1, name, branch: `superset/${name}`, worktree: `/w/${name}`, agent: 'claude', argv: [], runner: 'tmux', base: 'main', baseCommit: 'abc', startedAt: 'x', status,
  });
  it('lays the cache records over the last full read without git', () => {
    const merged = mergeStates([view('a', 'running'), view('b', 'running')], [state('a', 'waiting'), state('b', 'running')]);
    expect(merged.changedSet).toBe(false);
    expect(merged.views.map((v) => [v.name, v.status, v.ahead])).toEqual([['a', 'waiting', 2], ['b', 'running', 2]]);
  });
  it('asks for a full read when a task appears or vanishes', () => {
    expect(mergeStates([view('a', 'running')], [state('a', 'running'), state('b', 'running')]).changedSet).toBe(true);
    expect(mergeStates([view('a', 'running'), view('b', 'running')], [state('a', 'running')]).changedSet).toBe(true);
    // a task known only from git (no runtime record) is not a vanished record
    expect(mergeStates([view('a', 'running'), view('g', 'stopped', { runner: null })], [state('a', 'running')]).changedSet).toBe(false);
  });
});
