import type { Workspace } from '../context.js';
import type { TaskView } from '../task/catalog.js';
import { initialState, reduce, selectedTask, visibleTasks, type BoardEvent, type BoardState, type Effect } from './model.js';
import { lastActivity, nextAgeChange } from './format.js';
import { TasksFeed } from './tasks-feed.js';
import { DetailSource, type Detail } from './detail.js';
import type { EditorEnv, Outcome } from './actions.js';

/**
 * The actions bring in every op they call (start, merge, remove... ~60 modules): loaded after the
 * first frame, not before it.
 */
const actions = () => import('./actions.js');

export interface Snapshot {
  state: BoardState;
  detail: Detail;
  now: number;
}

/** Why the drawing layer is asked to step aside. */
export type Leave = { kind: 'quit' } | { kind: 'attach'; task: TaskView } | { kind: 'edit'; task: string };

/** The shortest time between two overlap computations (a fixed number of git processes each). */
const OVERLAPS_MS = 5000;

/**
 * The board without its drawing: the model, the live task feed, the selected task's detail and
 * the effects the model asks for. It outlives the screen, so attaching (which hands the terminal
 * to tmux) and coming back keeps the selection, filters and everything loaded.
 */
export class BoardController {
  private snap: Snapshot;
  private readonly listeners = new Set<() => void>();
  private readonly feed: TasksFeed;
  private readonly detail: DetailSource;
  private ticker: NodeJS.Timeout | null = null;
  private tickAt: number | null = null;
  private closed = false;
  private leave: ((why: Leave) => void) | null = null;
  private overlapsTimer: NodeJS.Timeout | null = null;
  private overlapsRunning = false;
  private overlapsAt = 0;
  private overlapsInput = '';
  private detailStarted = false;

  constructor(
    private readonly ws: Workspace,
    private readonly cwd: string,
    private readonly opts: { bell: () => void; editor?: EditorEnv },
  ) {
    this.feed = new TasksFeed(ws, (tasks) => {
      this.snap = { ...this.snap, now: Date.now() }; // new times are shown against the clock now
      this.dispatch({ kind: 'tasks', tasks });
      this.scheduleOverlaps();
    });
    this.detail = new DetailSource(ws, (detail) => this.update({ detail }), () => 60);
    this.snap = { state: initialState([], { canMerge: true }), detail: this.detail.current, now: Date.now() };
  }

  async open(): Promise<void> {
    const tasks = await this.feed.open();
    this.update({ state: initialState(tasks, { listHeight: this.snap.state.listHeight, canMerge: true }) });
    // What the first frame does not need waits until it is drawn (the caller draws as soon as this
    // resolves, before any setImmediate): the selected task's output and diff stat, the overlaps.
    setImmediate(() => {
      if (this.closed) return;
      this.detailStarted = true;
      this.afterChange(null);
      this.scheduleOverlaps();
      void actions();
    });
  }

  /**
   * ls's overlap warning for the rows, computed behind the screen: at most every OVERLAPS_MS,
   * never two at once, and only when some task's tip, base or uncommitted count moved. Rows show
   * the last answer meanwhile.
   */
  private scheduleOverlaps(): void {
    if (this.closed || this.overlapsTimer || this.overlapsRunning) return;
    this.overlapsTimer = setTimeout(() => {
      this.overlapsTimer = null;
      const tasks = this.snap.state.tasks;
      // the first frame's cache-only views have no commits: wait for git's (the full read calls again)
      if (!this.feed.fromGit) return;
      const input = tasks.map((t) => `${t.name} ${t.commit} ${t.base} ${t.ahead} ${t.changedFiles}`).join('\n');
      if (input === this.overlapsInput) return;
      this.overlapsRunning = true;
      this.overlapsAt = Date.now();
      void actions().then(({ overlapsOf }) => overlapsOf(this.ws, tasks)).then((overlaps) => {
        this.overlapsRunning = false;
        this.overlapsInput = input;
        if (this.closed) return;
        this.dispatch({ kind: 'overlaps', overlaps });
        this.scheduleOverlaps(); // tasks that moved meanwhile
      });
    }, Math.max(0, this.overlapsAt + OVERLAPS_MS - Date.now()));
    this.overlapsTimer.unref();
  }

  close(): void {
    this.closed = true;
    if (this.ticker) clearTimeout(this.ticker);
    if (this.overlapsTimer) clearTimeout(this.overlapsTimer);
    this.feed.close();
    this.detail.close();
  }

  /** Which callback gets quit and attach: the screen that is mounted now. */
  onLeave(fn: ((why: Leave) => void) | null): void {
    this.leave = fn;
  }

  readonly subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  readonly snapshot = (): Snapshot => this.snap;

  dispatch(event: BoardEvent): void {
    const before = this.snap.state;
    const step = reduce(before, event);
    this.update({ state: step.state });
    this.afterChange(before);
    for (const e of step.effects) this.perform(e);
  }

  private update(patch: Partial<Snapshot>): void {
    this.snap = { ...this.snap, ...patch };
    for (const fn of this.listeners) fn();
    this.scheduleTick();
  }

  /**
   * "12s ago" moves on by itself: the clock is redrawn when the first visible age text changes
   * (every second under a minute, every minute under an hour...), and not otherwise.
   */
  private scheduleTick(): void {
    if (this.closed) return;
    const s = this.snap.state;
    const rows = visibleTasks(s).slice(s.scroll, s.scroll + s.listHeight);
    const at = nextAgeChange(rows.map(lastActivity), this.snap.now);
    if (at === this.tickAt) return;
    if (this.ticker) clearTimeout(this.ticker);
    this.ticker = null;
    this.tickAt = at;
    if (at === null) return;
    this.ticker = setTimeout(() => {
      this.ticker = null;
      this.tickAt = null;
      this.update({ now: Date.now() });
    }, Math.max(0, at - Date.now()) + 5);
    this.ticker.unref();
  }

  /** Keeps the detail pane on the selected task and loads what the screen now shows. */
  private afterChange(before: BoardState | null): void {
    if (!this.detailStarted) return;
    const s = this.snap.state;
    this.detail.select(selectedTask(s));
    const viewing = s.mode.kind === 'view' ? s.mode.what : s.pane === 'diff' ? 'diff' : null;
    if (viewing) this.detail.ensure(viewing);
    if (before && s.mode.kind === 'view' && before.mode.kind !== 'view') this.detail.want(s.mode.what);
  }

  private perform(e: Effect): void {
    const task = (name: string): TaskView | undefined => this.snap.state.tasks.find((t) => t.name === name);
    const report = (p: Promise<Outcome>, forTask: string) =>
      void p.then((o) => {
        if ('refused' in o) this.dispatch({ kind: 'remove-refused', task: forTask, lost: o.lost });
        else this.dispatch({ kind: 'message', text: o.text });
        this.feed.refresh();
      });
    switch (e.kind) {
      case 'quit':
        this.leave?.({ kind: 'quit' });
        return;
      case 'bell':
        this.opts.bell();
        return;
      case 'attach': {
        const t = task(e.task);
        if (t) this.leave?.({ kind: 'attach', task: t });
        return;
      }
      case 'send':
        return report(actions().then((a) => a.sendTo(this.ws, this.cwd, e.task, e.text)), e.task);
      case 'stop':
        return report(actions().then((a) => a.stopTask(this.ws, e.task)), e.task);
      case 'remove':
        return report(actions().then((a) => a.removeTask(this.ws, e.task, e.force)), e.task);
      case 'start':
        return report(actions().then((a) => a.startTask(this.ws, this.cwd, e.name, e.prompt, e.agent)), e.name);
      case 'merge':
        return report(actions().then((a) => a.mergeTask(this.ws, e.task)), e.task);
      case 'open':
        void actions().then((a) => {
          // A terminal editor needs the screen: the drawing steps aside and calls editTask.
          if (a.editorTakesTerminal(this.ws, this.opts.editor ?? {})) this.leave?.({ kind: 'edit', task: e.task });
          else report(a.openEditor(this.ws, e.task, this.opts.editor ?? {}), e.task);
        });
        return;
    }
  }

  /** Runs the editor while the board is off the screen; its outcome is the next message. */
  async editTask(name: string): Promise<void> {
    const o = await (await actions()).openEditor(this.ws, name, this.opts.editor ?? {});
    this.dispatch({ kind: 'message', text: 'text' in o ? o.text : null });
  }

  /** After an attach: the list may have moved on while the board was away. */
  refresh(): void {
    this.feed.refresh();
  }
}
