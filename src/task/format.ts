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

function statusText(t: TaskView): string {
  if (t.status === 'failed' && t.signal) return `failed (${t.signal})`;
  if (t.status === 'failed' && t.exitCode !== null) return `failed (${t.exitCode})`;
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

/** The `ls` table, columns sized to their content; `!` marks a task that overlaps another. Pure. */
export function taskTable(tasks: (TaskView & { overlaps?: { task: string; files: string[] }[] })[], now = Date.now()): string {
  const header = ['NAME', 'AGENT', 'STATUS', 'BRANCH', 'AHEAD', 'CHANGED', 'AGE', 'WORKTREE'];
  const rows = tasks.map((t) => [
    t.overlaps?.length ? `${t.name} !` : t.name,
    clip(t.agent ?? '-'),
    statusText(t),
    t.branch,
    t.ahead === null ? '-' : String(t.ahead),
    t.changedFiles === null ? '-' : String(t.changedFiles),
    age(t.startedAt, now),
    t.worktree ?? '(no worktree)',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n') + '\n' + overlapNote(tasks);
}
