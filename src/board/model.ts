import type { TaskView } from '../task/catalog.js';
import { LIVE_STATUSES, type TaskStatus } from '../task/state.js';
import * as msg from '../messages.js';

/**
 * The board's state and every transition of it, pure: (state, event) -> (state, effects).
 * Nothing here draws or does I/O, so the rules are tested without a terminal and another view
 * (a web page, say) could drive the same model. Effects are requests the I/O layer carries out.
 */

/**
 * The status groups in board order; `1`..`7` filter by these. starting and finishing count as
 * running (an agent process is there); queued and blocked (not launched yet) come last.
 */
export const STATUS_ORDER = ['waiting', 'running', 'idle', 'failed', 'done', 'stopped', 'queued'] as const;
export type BoardStatus = (typeof STATUS_ORDER)[number];

export function boardStatus(s: TaskStatus): BoardStatus {
  if (s === 'starting' || s === 'finishing') return 'running';
  if (s === 'blocked') return 'queued';
  return s;
}

export type Mode =
  | { kind: 'list' }
  | { kind: 'filter'; text: string }
  | { kind: 'send'; task: string; text: string }
  | { kind: 'confirm'; action: 'stop' | 'remove' | 'force-remove' | 'merge'; task: string; question: string }
  | { kind: 'new'; step: 'name' | 'prompt' | 'agent'; name: string; prompt: string; text: string }
  | { kind: 'help' }
  | { kind: 'view'; what: 'diff' | 'log'; task: string };

export interface BoardState {
  /** Every task, in board order. */
  tasks: TaskView[];
  selected: string | null;
  nameFilter: string;
  statusFilter: BoardStatus | null;
  mode: Mode;
  /** Index of the first visible row of the list. */
  scroll: number;
  /** Rows the list can show (set by the view from the terminal size). */
  listHeight: number;
  /** The right pane: the agent's tail + diff stat, or the full diff. */
  pane: 'tail' | 'diff';
  /** First line shown of a scrollable pane (full diff, full log). */
  paneScroll: number;
  /** One line of feedback (an action's result or refusal). */
  message: string | null;
  /** Names already announced as waiting (bell once per transition). */
  waitingSeen: string[];
  /** Whether a merge operation exists to offer `m`. */
  canMerge: boolean;
  /** Per task, the other unmerged tasks that change the same files (ls's early warning), as last computed. */
  overlaps: Record<string, Overlap[]>;
}

export interface Overlap {
  task: string;
  files: string[];
}

export type Effect =
  | { kind: 'quit' }
  | { kind: 'bell' }
  | { kind: 'attach'; task: string }
  | { kind: 'send'; task: string; text: string }
  | { kind: 'stop'; task: string }
  | { kind: 'remove'; task: string; force: boolean }
  | { kind: 'merge'; task: string }
  | { kind: 'open'; task: string }
  | { kind: 'start'; name: string; prompt: string; agent: string };

/** The keys the model understands, independent of the terminal library. */
export interface KeyPress {
  input: string;
  up?: boolean;
  down?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  enter?: boolean;
  escape?: boolean;
  tab?: boolean;
  backspace?: boolean;
  ctrl?: boolean;
}

export type BoardEvent =
  | { kind: 'key'; key: KeyPress }
  | { kind: 'tasks'; tasks: TaskView[] }
  | { kind: 'resize'; listHeight: number }
  | { kind: 'message'; text: string | null }
  | { kind: 'overlaps'; overlaps: Record<string, Overlap[]> }
  /** rm refused without --force: `lost` says what removing would lose (rm's reasons). */
  | { kind: 'remove-refused'; task: string; lost: string };

export interface Step {
  state: BoardState;
  effects: Effect[];
}

const RANK: Record<BoardStatus, number> = { waiting: 0, running: 1, idle: 2, failed: 3, done: 4, stopped: 5, queued: 6 };

/** Board order: waiting first, then running, idle, failed, done, stopped (queued last); by name within each. */
export function sortTasks(tasks: readonly TaskView[]): TaskView[] {
  return [...tasks].sort((a, b) => RANK[boardStatus(a.status)] - RANK[boardStatus(b.status)] || a.name.localeCompare(b.name));
}

export function initialState(tasks: readonly TaskView[] = [], opts: { listHeight?: number; canMerge?: boolean } = {}): BoardState {
  const sorted = sortTasks(tasks);
  return {
    tasks: sorted,
    selected: sorted[0]?.name ?? null,
    nameFilter: '',
    statusFilter: null,
    mode: { kind: 'list' },
    scroll: 0,
    listHeight: opts.listHeight ?? 20,
    pane: 'tail',
    paneScroll: 0,
    message: null,
    // Tasks already waiting when the board opens are counted in the header, not rung for.
    waitingSeen: sorted.filter((t) => t.status === 'waiting').map((t) => t.name),
    canMerge: opts.canMerge ?? false,
    overlaps: {},
  };
}

/** The rows the list shows: the filters applied to the board order. */
export function visibleTasks(state: Pick<BoardState, 'tasks' | 'nameFilter' | 'statusFilter'>): TaskView[] {
  const needle = state.nameFilter.toLowerCase();
  return state.tasks.filter((t) => (!needle || t.name.toLowerCase().includes(needle)) && (!state.statusFilter || boardStatus(t.status) === state.statusFilter));
}

export function selectedTask(state: BoardState): TaskView | null {
  return visibleTasks(state).find((t) => t.name === state.selected) ?? null;
}

/** Tasks per status, over every task (filters do not change the header). */
export function countByStatus(tasks: readonly TaskView[]): Record<BoardStatus, number> {
  const counts = { waiting: 0, running: 0, idle: 0, failed: 0, done: 0, stopped: 0, queued: 0 };
  for (const t of tasks) counts[boardStatus(t.status)]++;
  return counts;
}

/** Keeps the selection on a visible row (by name when it still shows, else the same position) and in view. */
function settle(state: BoardState, previousIndex: number): BoardState {
  const rows = visibleTasks(state);
  let index = rows.findIndex((t) => t.name === state.selected);
  if (index < 0) index = Math.min(Math.max(previousIndex, 0), rows.length - 1);
  const selected = rows[index]?.name ?? null;
  const height = Math.max(1, state.listHeight);
  let scroll = Math.min(state.scroll, Math.max(0, rows.length - height));
  if (index >= 0 && index < scroll) scroll = index;
  if (index >= scroll + height) scroll = index - height + 1;
  const paneScroll = selected === state.selected ? state.paneScroll : 0;
  return { ...state, selected, scroll: Math.max(0, scroll), paneScroll };
}

function indexOfSelected(state: BoardState): number {
  return visibleTasks(state).findIndex((t) => t.name === state.selected);
}

function moveTo(state: BoardState, index: number): BoardState {
  const rows = visibleTasks(state);
  if (rows.length === 0) return state;
  const i = Math.min(Math.max(index, 0), rows.length - 1);
  return settle({ ...state, selected: rows[i]!.name }, i);
}

const isLive = (t: TaskView): boolean => LIVE_STATUSES.includes(t.status);

export function reduce(state: BoardState, event: BoardEvent): Step {
  switch (event.kind) {
    case 'tasks':
      return onTasks(state, event.tasks);
    case 'resize':
      return { state: settle({ ...state, listHeight: Math.max(1, event.listHeight) }, indexOfSelected(state)), effects: [] };
    case 'message':
      return { state: { ...state, message: event.text }, effects: [] };
    case 'overlaps':
      return { state: { ...state, overlaps: event.overlaps }, effects: [] };
    case 'remove-refused':
      return {
        state: {
          ...state,
          mode: { kind: 'confirm', action: 'force-remove', task: event.task, question: msg.board.confirmForceRemove(event.task, event.lost) },
          message: null,
        },
        effects: [],
      };
    case 'key':
      return typeAhead(state, event.key) ?? onKey(state, event.key);
  }
}

const TEXT_MODES: Mode['kind'][] = ['filter', 'send', 'new'];

/** Keys typed faster than the terminal is read arrive as one string: outside a text prompt, one key each. */
function typeAhead(state: BoardState, key: KeyPress): Step | null {
  const chars = [...key.input];
  if (chars.length < 2 || key.ctrl || TEXT_MODES.includes(state.mode.kind)) return null;
  let step: Step = { state, effects: [] };
  for (const input of chars) {
    const next = reduce(step.state, { kind: 'key', key: { input } });
    step = { state: next.state, effects: [...step.effects, ...next.effects] };
  }
  return step;
}

function onTasks(state: BoardState, tasks: readonly TaskView[]): Step {
  const before = indexOfSelected(state);
  const sorted = sortTasks(tasks);
  const waiting = sorted.filter((t) => t.status === 'waiting').map((t) => t.name);
  // Ring once when some task becomes waiting; one that stays waiting does not ring again.
  const rings = waiting.some((n) => !state.waitingSeen.includes(n));
  let next = settle({ ...state, tasks: sorted, waitingSeen: waiting }, before);
  // A view or prompt about a task that was removed meanwhile has nothing left to act on.
  const modeTask = 'task' in next.mode ? next.mode.task : null;
  if (modeTask && !sorted.some((t) => t.name === modeTask)) next = { ...next, mode: { kind: 'list' } };
  return { state: next, effects: rings ? [{ kind: 'bell' }] : [] };
}

/** Editing keys shared by every text prompt: returns the new text, or null when the key is not an edit. */
function edit(text: string, key: KeyPress): string | null {
  if (key.backspace) return text.slice(0, -1);
  if (key.ctrl && key.input === 'u') return '';
  if (key.input && !key.ctrl && !key.tab && !key.enter && !key.escape && !key.up && !key.down) return text + key.input;
  return null;
}

const list = (state: BoardState, message: string | null = state.message): BoardState => ({ ...state, mode: { kind: 'list' }, message });

function onKey(state: BoardState, key: KeyPress): Step {
  const mode = state.mode;
  const none = (s: BoardState): Step => ({ state: s, effects: [] });
  switch (mode.kind) {
    case 'help':
      return none(list(state));
    case 'filter': {
      if (key.escape) return none(settle(list({ ...state, nameFilter: '' }), indexOfSelected(state)));
      if (key.enter) return none(list(state));
      const text = edit(mode.text, key);
      if (text === null) return none(state);
      return none(settle({ ...state, mode: { kind: 'filter', text }, nameFilter: text }, indexOfSelected(state)));
    }
    case 'send': {
      if (key.escape) return none(list(state, msg.board.sendCancelled));
      if (key.enter) {
        if (!mode.text) return none(list(state, msg.board.nothingSent));
        return { state: list(state, msg.board.sending(mode.task)), effects: [{ kind: 'send', task: mode.task, text: mode.text }] };
      }
      const text = edit(mode.text, key);
      return none(text === null ? state : { ...state, mode: { ...mode, text } });
    }
    case 'confirm': {
      if (key.input !== 'y' && key.input !== 'Y') return none(list(state, msg.board.cancelled(mode.action === 'force-remove' ? 'remove' : mode.action)));
      if (mode.action === 'stop') return { state: list(state, msg.board.stopping(mode.task)), effects: [{ kind: 'stop', task: mode.task }] };
      if (mode.action === 'merge') return { state: list(state, msg.board.merging(mode.task)), effects: [{ kind: 'merge', task: mode.task }] };
      const force = mode.action === 'force-remove';
      return { state: list(state, msg.board.removing(mode.task)), effects: [{ kind: 'remove', task: mode.task, force }] };
    }
    case 'new': {
      if (key.escape) return none(list(state, msg.board.newCancelled));
      if (key.enter) {
        const text = mode.text.trim();
        if (mode.step === 'name') {
          if (!text) return none({ ...state, message: msg.board.needsName });
          return none({ ...state, mode: { ...mode, step: 'prompt', name: text, text: '' }, message: null });
        }
        if (mode.step === 'prompt') return none({ ...state, mode: { ...mode, step: 'agent', prompt: mode.text, text: '' } });
        return { state: list(state, msg.board.starting(mode.name)), effects: [{ kind: 'start', name: mode.name, prompt: mode.prompt, agent: text }] };
      }
      const text = edit(mode.text, key);
      return none(text === null ? state : { ...state, mode: { ...mode, text } });
    }
    case 'view': {
      if (key.escape || key.input === 'q' || (key.input === 'd' && mode.what === 'diff') || (key.input === 'l' && mode.what === 'log')) return none({ ...list(state), paneScroll: 0 });
      return none(scrollPane(state, key) ?? state);
    }
    case 'list':
      return onListKey(state, key);
  }
}

/** j/k, arrows, PgUp/PgDn, g/G in a full-screen view; J/K scroll the right pane from the list. */
function scrollPane(state: BoardState, key: KeyPress, page = Math.max(1, state.listHeight - 2)): BoardState | null {
  const by = (n: number): BoardState => ({ ...state, paneScroll: Math.max(0, state.paneScroll + n) });
  if (key.down || key.input === 'j' || key.input === 'J') return by(1);
  if (key.up || key.input === 'k' || key.input === 'K') return by(-1);
  if (key.pageDown || key.input === ' ') return by(page);
  if (key.pageUp) return by(-page);
  if (key.home || key.input === 'g') return { ...state, paneScroll: 0 };
  // The view clamps: it knows how long its text is.
  if (key.end || key.input === 'G') return { ...state, paneScroll: Number.MAX_SAFE_INTEGER };
  return null;
}

function onListKey(state: BoardState, key: KeyPress): Step {
  const none = (s: BoardState): Step => ({ state: s, effects: [] });
  const s = { ...state, message: null };
  const index = indexOfSelected(s);
  const task = selectedTask(s);
  const page = Math.max(1, s.listHeight - 1);
  if (key.up || key.input === 'k') return none(moveTo(s, index - 1));
  if (key.down || key.input === 'j') return none(moveTo(s, index + 1));
  if (key.pageUp) return none(moveTo(s, index - page));
  if (key.pageDown) return none(moveTo(s, index + page));
  if (key.home || key.input === 'g') return none(moveTo(s, 0));
  if (key.end || key.input === 'G') return none(moveTo(s, visibleTasks(s).length - 1));
  if (key.input === 'J' || key.input === 'K') return none(scrollPane(s, key) ?? s);
  if (key.tab) return none({ ...s, pane: s.pane === 'tail' ? 'diff' : 'tail', paneScroll: 0 });
  if (key.escape) return none(settle({ ...s, nameFilter: '', statusFilter: null }, index));
  if (key.ctrl) return none(s);
  const digit = Number(key.input);
  if (key.input.length === 1 && digit >= 1 && digit <= STATUS_ORDER.length) {
    const status = STATUS_ORDER[digit - 1]!;
    return none(settle({ ...s, statusFilter: s.statusFilter === status ? null : status }, index));
  }
  if (key.input === '0') return none(settle({ ...s, statusFilter: null }, index));
  switch (key.input) {
    case 'q':
      return { state: s, effects: [{ kind: 'quit' }] };
    case '?':
      return none({ ...s, mode: { kind: 'help' } });
    case '/':
      return none({ ...s, mode: { kind: 'filter', text: s.nameFilter } });
    case 'n':
      return none({ ...s, mode: { kind: 'new', step: 'name', name: '', prompt: '', text: '' } });
  }
  if (!task) return none(key.input && 'sdlxrmo'.includes(key.input) ? { ...s, message: msg.board.noSelection } : s);
  if (key.enter) {
    if (task.runner !== 'tmux' || !task.tmuxSession || !isLive(task)) return none({ ...s, message: msg.board.noLiveSession(task.name) });
    return { state: s, effects: [{ kind: 'attach', task: task.name }] };
  }
  switch (key.input) {
    case 's':
      // A live tmux agent gets the text typed in; an ended one is resumed with it (as `send` does).
      if (isLive(task) && task.runner !== 'tmux') return none({ ...s, message: msg.board.headlessNoInput(task.name) });
      return none({ ...s, mode: { kind: 'send', task: task.name, text: '' } });
    case 'd':
      return none({ ...s, mode: { kind: 'view', what: 'diff', task: task.name }, paneScroll: 0 });
    case 'l':
      return none({ ...s, mode: { kind: 'view', what: 'log', task: task.name }, paneScroll: 0 });
    case 'x':
      if (!isLive(task)) return none({ ...s, message: msg.stop.notRunning(task.name, task.status) });
      return none({ ...s, mode: { kind: 'confirm', action: 'stop', task: task.name, question: msg.board.confirmStop(task.name) } });
    case 'r':
      return none({ ...s, mode: { kind: 'confirm', action: 'remove', task: task.name, question: msg.board.confirmRemove(task.name) } });
    case 'o':
      if (!task.worktree) return none({ ...s, message: msg.board.noWorktreeToOpen(task.name) });
      return { state: { ...s, message: msg.board.opening(task.name) }, effects: [{ kind: 'open', task: task.name }] };
    case 'm':
      if (!s.canMerge) return none(s);
      return none({ ...s, mode: { kind: 'confirm', action: 'merge', task: task.name, question: msg.board.confirmMerge(task.name, task.base ?? null) } });
  }
  return none(s);
}
