import type { TaskView } from '../task/catalog.js';
import { boardStatus, countByStatus, STATUS_ORDER, type BoardState, type BoardStatus } from './model.js';
import type { Colour } from './screen.js';

/** Text for the board, pure. Colour is added by the view; everything here reads without it. */

export const SYMBOL: Record<BoardStatus, string> = { waiting: '!', running: '▶', idle: '·', failed: '✗', done: '✓', stopped: '■', queued: '…' };
export const COLOUR: Record<BoardStatus, Colour> = { waiting: 'yellow', running: 'green', idle: 'cyan', failed: 'red', done: 'blue', stopped: 'gray', queued: 'magenta' };

/** "12s ago", "5m ago", "3h ago", "2d ago"; "-" when never. */
export function ago(iso: string | null, now: number): string {
  if (!iso) return '-';
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return '-';
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

/**
 * When the soonest of these "ago" texts changes: the next second under a minute, the next minute
 * under an hour, and so on. The board redraws then and only then, so an idle board sleeps.
 */
export function nextAgeChange(times: readonly (string | null)[], now: number): number | null {
  let next: number | null = null;
  for (const iso of times) {
    const t = iso ? Date.parse(iso) : NaN;
    if (!Number.isFinite(t)) continue;
    const s = Math.max(0, Math.floor((now - t) / 1000));
    const unit = s < 60 ? 1 : s < 3600 ? 60 : s < 86400 ? 3600 : 86400;
    const at = t + (Math.floor(s / unit) + 1) * unit * 1000;
    if (next === null || at < next) next = at;
  }
  return next;
}

/** The last thing that happened to a task. */
export const lastActivity = (t: TaskView): string | null => t.lastActivity ?? t.endedAt ?? t.startedAt;

function fit(text: string, width: number): string {
  if (width <= 0) return '';
  const chars = [...text];
  return chars.length <= width ? text.padEnd(width + text.length - chars.length) : `${chars.slice(0, width - 1).join('')}…`;
}

export interface RowColumns {
  name: number;
  agent: number;
}

/** Column widths for a list of the given width: the name gets what is left. */
export function columns(width: number): RowColumns {
  const fixed = 2 + 9 + 1 + 9 + 1 + 8; // symbol, status, work, ago
  const agent = width >= 60 ? 10 : 0;
  return { name: Math.max(8, width - fixed - agent - 3), agent };
}

/**
 * One list row: `! waiting  fix-login !  claude     +2 ~3   12s ago`. A ` !` after the name, as in
 * `ls`, says the task changes files another unmerged task also changes (`overlaps` of them).
 */
export function rowText(t: TaskView, now: number, cols: RowColumns, overlaps = 0): string {
  const st = boardStatus(t.status);
  const work = `${t.ahead === null ? '+?' : `+${t.ahead}`} ~${t.changedFiles ?? 0}`;
  const mark = overlaps > 0 ? ' !' : '';
  // the real status word (finishing, blocked...) next to its group's symbol; a queued task's place in the queue
  const word = t.status === 'queued' && t.queuePosition ? `queued #${t.queuePosition}` : t.status;
  const parts = [`${SYMBOL[st]} ${fit(word, 9)}`, fit(`${fit(t.name, cols.name - mark.length).trimEnd()}${mark}`, cols.name)];
  if (cols.agent) parts.push(fit(t.agent ?? '-', cols.agent));
  parts.push(fit(work, 9), ago(lastActivity(t), now).padStart(8));
  return parts.join(' ');
}

/** `12 tasks  ! 2 waiting  ▶ 3 running ...`, the statuses with none left out. */
export function headerText(state: Pick<BoardState, 'tasks' | 'nameFilter' | 'statusFilter'>): string {
  const counts = countByStatus(state.tasks);
  const parts = STATUS_ORDER.filter((s) => counts[s] > 0).map((s) => `${SYMBOL[s]} ${counts[s]} ${s}`);
  const filters = [state.statusFilter ? `status ${state.statusFilter}` : '', state.nameFilter ? `name ~ "${state.nameFilter}"` : ''].filter(Boolean);
  return [`${state.tasks.length} task${state.tasks.length === 1 ? '' : 's'}`, ...parts, ...(filters.length ? [`[filter: ${filters.join(', ')}]`] : [])].join('  ');
}

export function footerText(state: Pick<BoardState, 'canMerge' | 'mode'>): string {
  if (state.mode.kind === 'view') return 'j/k PgUp/PgDn g/G scroll · Esc back';
  const keys = ['Enter attach', 's send', 'Tab diff', 'd diff', 'l log', 'x stop', 'r remove', ...(state.canMerge ? ['m merge'] : []), 'o editor', 'n new', '/ filter', '1-7 status', '? help', 'q quit'];
  return keys.join(' · ');
}

export function helpLines(canMerge: boolean): string[] {
  return [
    'git superset board: every task, live',
    '',
    '  ↑/↓ j/k       select a task        PgUp/PgDn g/G  page, first, last',
    '  Enter         attach to its tmux session (detach with Ctrl-b d to come back)',
    '  s             a message: typed into a live agent (Enter appended), or an ended one resumed with it',
    '  Tab           right pane: agent output + diff stat, or the full diff',
    '  J/K           scroll the right pane',
    '  d / l         full diff / full log (Esc to come back)',
    '  x             stop the agent (asks; the worktree is kept)',
    '  r             remove the task (asks; refuses to lose work unless you confirm again)',
    ...(canMerge ? ['  m             merge the task into its base'] : []),
    '  o             open its worktree in your editor (config editor, $VISUAL, $EDITOR, else code, zed...)',
    '  n             new task (name, prompt, agent)',
    '  NAME !        it changes files another unmerged task changes too (named in the right pane)',
    '  /             filter by name     1-7 by status (waiting running idle failed done stopped queued), 0 or Esc clears',
    '  q             quit (tasks keep running)',
    '',
    'press any key',
  ];
}

/** Terminal control sequences other than colour, which would move the board's cursor. */
// eslint-disable-next-line no-control-regex
const CONTROL = /\x1b\[[0-9;?]*[A-Za-ln-z@`]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Za-z0-9]|\x1b[=>78DEHMNOZc]|[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]/g;

/** Lines of agent output fit for the board: no cursor movement, carriage returns resolved. */
export function cleanLines(text: string): string[] {
  return text
    .replace(CONTROL, '')
    .split('\n')
    .map((l) => {
      const parts = l.split('\r').filter((p) => p.length > 0);
      return parts.length ? parts[parts.length - 1]! : '';
    });
}

/** The last `n` lines, trailing blank lines dropped (a tmux pane pads its screen with them). */
export function tail(lines: readonly string[], n: number): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1]!.trim() === '') end--;
  return lines.slice(Math.max(0, end - n), end);
}

/** `git diff --stat` lines with the uncommitted files marked `*`, untracked ones added. */
export function markStat(stat: string, uncommitted: readonly string[]): string[] {
  const dirty = new Set(uncommitted);
  const seen = new Set<string>();
  const lines = stat
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const m = /^ (.*?)\s+\|/.exec(l);
      const file = m?.[1]?.trim();
      if (!file) return `  ${l.trim()}`;
      // --stat shortens long paths with "...": match on the suffix it kept.
      const hit = [...dirty].find((p) => p === file || (file.startsWith('...') && p.endsWith(file.slice(3))));
      if (hit) seen.add(hit);
      return `${hit ? '*' : ' '} ${l.trim()}`;
    });
  const extra = uncommitted.filter((p) => !seen.has(p)).map((p) => `* ${p} (untracked)`);
  if (extra.length) {
    const summary = lines.length && !lines[lines.length - 1]!.includes('|') ? lines.pop()! : null;
    lines.push(...extra);
    if (summary) lines.push(summary);
  }
  return lines;
}
