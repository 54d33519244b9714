import type { Snapshot } from './controller.js';
import type { TaskView } from '../task/catalog.js';
import { boardStatus, selectedTask, visibleTasks, type BoardState } from './model.js';
import { columns, COLOUR, footerText, headerText, helpLines, rowText, tail } from './format.js';
import { line, type Segment, type Style } from './screen.js';
import * as msg from '../messages.js';

/**
 * The drawing, pure: a snapshot of the controller and the terminal's size in, the lines of the
 * screen out (styled, each exactly as wide as the terminal). src/board/terminal.ts puts them on
 * the screen, rewriting only the lines that changed.
 */

export interface Layout {
  width: number;
  height: number;
  /** Lines between the header and the prompt line. */
  body: number;
  left: number;
  right: number;
}

export function layout(width: number, height: number): Layout {
  // One line short of the terminal: writing the bottom line's last cell would scroll some terminals.
  const body = Math.max(3, height - 4);
  const left = width < 90 ? width : Math.min(Math.max(50, Math.floor(width * 0.42)), width - 40);
  return { width, height, body, left, right: width - left - 1 };
}

/** Rows the list shows in this layout: the body less the column header and the "1-40 of 100" line. */
export const listHeightOf = (lay: Layout): number => lay.body - 2;

/** One styled piece of text; the body's lines are a left piece and, beside it, a right one. */
type Piece = { text: string; style?: Style };
const blank: Piece = { text: '' };

function listPieces(s: BoardState, now: number, lay: Layout): Piece[] {
  const all = visibleTasks(s);
  const rows = all.slice(s.scroll, s.scroll + s.listHeight);
  const cols = columns(lay.left);
  const out: Piece[] = [
    { text: `  ${'STATUS'.padEnd(9)} ${'NAME'.padEnd(cols.name)}${cols.agent ? ` ${'AGENT'.padEnd(cols.agent)}` : ''} ${'WORK'.padEnd(9)} ${'LAST'.padStart(8)}`, style: { dim: true } },
    ...rows.map((t): Piece => {
      const st = boardStatus(t.status);
      const selected = t.name === s.selected;
      // waiting needs the user: the whole row stands out, with or without the selection
      const style: Style = st === 'waiting' ? { bg: 'yellow', color: 'black', bold: true } : { color: COLOUR[st] };
      return { text: `${selected ? '>' : ' '}${rowText(t, now, cols, s.overlaps[t.name]?.length ?? 0)}`, style: { ...style, inverse: selected } };
    }),
  ];
  if (all.length === 0) out.push({ text: `  ${s.tasks.length ? msg.board.noMatch : msg.board.noTasks}`, style: { dim: true } });
  if (all.length > s.listHeight) out.push({ text: `  ${s.scroll + 1}-${Math.min(all.length, s.scroll + s.listHeight)} of ${all.length}`, style: { dim: true } });
  return out;
}

/** Lines from `scroll`, clamped so the last screenful stays full. */
function page(lines: readonly string[], scroll: number, height: number): string[] {
  const top = Math.min(scroll, Math.max(0, lines.length - height));
  return lines.slice(top, top + height);
}

/** What a task not launched yet waits for (`--after` tasks not done), or why it is blocked; the row's 9 columns cannot say it. */
function pendingLine(t: TaskView, tasks: readonly TaskView[]): string | null {
  if (t.status === 'blocked') return t.blockedReason ? msg.board.blocked(t.name, t.blockedReason) : null;
  if (t.status !== 'queued') return null;
  const waiting = (t.after ?? []).filter((a) => tasks.find((x) => x.name === a)?.status !== 'done');
  return waiting.length ? msg.board.waitsFor(waiting) : null;
}

function rightPieces(snap: Snapshot, lay: Layout): Piece[] {
  const { state: s, detail } = snap;
  const t = selectedTask(s);
  if (!t) return [];
  const title = `${t.name} · ${t.branch} · ${t.status}${t.reason ? ` (${t.reason})` : ''}${t.exitCode !== null && t.status === 'failed' ? ` exit ${t.exitCode}` : ''}`;
  const overlaps = s.overlaps[t.name] ?? [];
  const head: Piece[] = [{ text: title, style: { bold: true } }];
  if (overlaps.length) head.push({ text: msg.board.overlaps(overlaps), style: { color: 'yellow' } });
  const pending = pendingLine(t, s.tasks);
  if (pending) head.push({ text: pending, style: { color: 'magenta' } });
  const inner = lay.body - head.length;
  if (s.pane === 'diff') return [...head, ...page(detail.diff ?? [msg.board.loading('diff')], s.paneScroll, inner).map((text) => ({ text }))];
  const stat = detail.stat.slice(-Math.max(3, Math.floor(inner / 3)));
  const outHeight = Math.max(1, inner - stat.length - 1);
  const out = tail(detail.output, outHeight + s.paneScroll).slice(0, outHeight);
  return [
    ...head,
    ...out.map((text) => ({ text })),
    ...Array.from({ length: outHeight - out.length }, () => blank),
    { text: msg.board.statHeading(t.base ?? 'HEAD'), style: { dim: true } },
    ...stat.map((l): Piece => ({ text: l, style: l.startsWith('*') ? { color: 'yellow' } : undefined })),
  ];
}

function fullPieces(snap: Snapshot, lay: Layout): Piece[] {
  const { state: s, detail } = snap;
  if (s.mode.kind !== 'view') return [];
  const lines = (s.mode.what === 'diff' ? detail.diff : detail.log) ?? [msg.board.loading(s.mode.what)];
  return [{ text: msg.board.viewTitle(s.mode.what, s.mode.task, lines.length), style: { bold: true } }, ...page(lines, s.paneScroll, lay.body - 1).map((text) => ({ text }))];
}

function promptText(s: BoardState): string {
  const m = s.mode;
  switch (m.kind) {
    case 'filter':
      return msg.board.filterPrompt(m.text);
    case 'send':
      return msg.board.sendPrompt(m.task, m.text);
    case 'confirm':
      return m.question;
    case 'new':
      return msg.board.newPrompt(m.step, m.name, m.text);
    default:
      return s.message ?? '';
  }
}

const seg = (p: Piece, width: number): Segment => ({ text: p.text, width, style: p.style });

/** The whole screen: header, body (list and pane, a full view, or the help), prompt line, footer. */
export function frame(snap: Snapshot, width: number, height: number): string[] {
  const lay = layout(width, height);
  const s = snap.state;
  const out: string[] = [];
  out.push(line({ text: `git superset board · ${headerText(s)}`, width, style: { bold: true, color: s.tasks.some((t) => t.status === 'waiting') ? 'yellow' : undefined } }));
  if (s.mode.kind === 'view' || s.mode.kind === 'help') {
    const pieces = s.mode.kind === 'view' ? fullPieces(snap, lay) : helpLines(s.canMerge).map((text) => ({ text }));
    for (let i = 0; i < lay.body; i++) out.push(line(seg(pieces[i] ?? blank, width)));
  } else {
    const left = listPieces(s, snap.now, lay);
    const right = lay.right > 10 ? rightPieces(snap, lay) : null;
    for (let i = 0; i < lay.body; i++) {
      out.push(right ? line(seg(left[i] ?? blank, lay.left), { text: ' ', width: 1 }, seg(right[i] ?? blank, lay.right)) : line(seg(left[i] ?? blank, width)));
    }
  }
  const asking = s.mode.kind === 'confirm';
  out.push(line({ text: promptText(s), width, style: asking ? { color: 'yellow', bold: true } : undefined }));
  out.push(line({ text: footerText(s), width, style: { dim: true } }));
  return out;
}
