import path from 'node:path';
import { ellipsis, renderTable, type Column, type FitStep } from '../table.js';
import type { TaskView } from './catalog.js';
import type { TaskStatus } from './state.js';

/** "45s", "12m", "3h", "2d": how long ago an ISO time was. Pure. */
export function age(iso: string | null, now = Date.now()): string {
  if (!iso) return '-';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

const ORDER: Record<TaskStatus, number> = { waiting: 0, failed: 1, running: 2, starting: 2, finishing: 2, idle: 3, blocked: 4, queued: 4, done: 5, stopped: 6 };

/** Tasks that need the user come first: waiting for input, then failed. Pure. */
export function byUrgency(a: TaskView, b: TaskView): number {
  return ORDER[a.status] - ORDER[b.status] || a.name.localeCompare(b.name);
}

/** Long command-line agents would push every other column off screen. */
export function clip(text: string, max = 28): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The status cell. A task after others says what it still waits for (`queued (after a, c)`), a
 * blocked one why (`blocked (a failed)`); `statusOf` is every listed task's status.
 */
function statusText(t: TaskView, statusOf: ReadonlyMap<string, TaskStatus> = new Map()): string {
  if (t.status === 'queued' && t.after?.length) {
    const waiting = t.after.filter((a) => statusOf.get(a) !== 'done');
    if (waiting.length) return `queued (after ${waiting.join(', ')})`;
  }
  if (t.status === 'blocked' && t.blockedReason) return `blocked (${t.blockedReason})`;
  if (t.status === 'failed' && t.signal) return `failed (${t.signal})`;
  if (t.status === 'failed' && t.exitCode !== null) return `failed (${t.exitCode})`;
  if (t.status === 'queued' && t.queuePosition) return `queued #${t.queuePosition}`;
  return t.status;
}

/** Below the table: which tasks touch the same files (`!` after their names). Pure. */
export function overlapNote(tasks: readonly (TaskView & { overlaps?: { task: string; files: string[] }[] })[]): string {
  const lines: string[] = [];
  for (const t of tasks) {
    for (const o of t.overlaps ?? []) {
      if (t.name < o.task) lines.push(`! ${t.name} and ${o.task} both change ${clip(o.files.join(', '), 60)}\n`);
    }
  }
  return lines.join('');
}

export interface TableOptions {
  /** Terminal width to fit; ignored with `wide`. */
  columns?: number;
  /** Every column in full: absolute worktree paths, whole agent command lines, every branch. */
  wide?: boolean;
  now?: number;
  /** Worktrees are shown relative to this directory when that is shorter. */
  cwd?: string;
  /** A branch named `<branchPrefix><name>` says nothing the name does not: shown only when it differs. */
  branchPrefix?: string;
}

function shownPath(worktree: string | null, cwd: string | undefined): string {
  if (!worktree) return '(no worktree)';
  if (!cwd) return worktree;
  const rel = path.relative(cwd, worktree) || '.';
  return rel.length < worktree.length ? rel : worktree;
}

/**
 * The `ls` table. Full width it has every column; to fit `columns` the branch shows only where
 * it is not the task's own, the worktree is relative and cut from the left, a long agent command
 * line is cut, and then whole columns go (FIT below). `!` marks a task that overlaps another. Pure.
 */
export function taskTable(tasks: (TaskView & { overlaps?: { task: string; files: string[] }[] })[], opts: TableOptions = {}): string {
  const now = opts.now ?? Date.now();
  const wide = opts.wide === true;
  const prefix = opts.branchPrefix ?? 'superset/';
  const ownBranch = (t: TaskView) => t.branch === `${prefix}${t.name}`;
  const showBranch = wide || tasks.some((t) => !ownBranch(t));
  const statusOf = new Map(tasks.map((t) => [t.name, t.status]));
  const columns: Column[] = [
    // `!`: the task changes files another unmerged task changes (listed under the table)
    { header: 'NAME', cells: tasks.map((t) => (t.overlaps?.length ? `${t.name} !` : t.name)) },
    { header: 'AGENT', cells: tasks.map((t) => (wide ? t.agent ?? '-' : clip(t.agent ?? '-'))) },
    { header: 'STATUS', cells: tasks.map((t) => statusText(t, statusOf)) },
    ...(showBranch ? [{ header: 'BRANCH', cells: tasks.map((t) => (wide || !ownBranch(t) ? t.branch : '')) }] : []),
    { header: 'AHEAD', cells: tasks.map((t) => (t.ahead === null ? '-' : String(t.ahead))) },
    { header: 'CHANGED', cells: tasks.map((t) => (t.changedFiles === null ? '-' : String(t.changedFiles))) },
    { header: 'AGE', cells: tasks.map((t) => age(t.startedAt, now)) },
    { header: 'WORKTREE', cells: tasks.map((t) => (wide ? t.worktree ?? '(no worktree)' : shownPath(t.worktree, opts.cwd))), keep: 'end' },
  ];
  const width = wide ? Infinity : opts.columns ?? 80;
  const note = overlapNote(tasks).split('\n').filter(Boolean).map((l) => `${ellipsis(l, width)}\n`).join('');
  return renderTable(columns, width, FIT) + note;
}

/** How a table too wide for the terminal gives way: cut the long cells, then drop the least needed. */
const FIT: FitStep[] = [
  { shrink: 'WORKTREE', to: 24 },
  { shrink: 'AGENT', to: 14 },
  { shrink: 'BRANCH', to: 16 },
  { shrink: 'NAME', to: 24 },
  // a blocked task's reason, a waiting one's prerequisites: the word itself survives
  { shrink: 'STATUS', to: 24 },
  { drop: 'WORKTREE' },
  { drop: 'AGE' },
  { shrink: 'AGENT', to: 8 },
  { drop: 'BRANCH' },
  { drop: 'CHANGED' },
  { drop: 'AHEAD' },
  { shrink: 'NAME', to: 12 },
  { shrink: 'STATUS', to: 12 },
  { drop: 'AGENT' },
];
