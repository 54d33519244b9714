import React, { useEffect, useSyncExternalStore } from 'react';
import { Box, Text, useInput, useStdout, type Key } from 'ink';
import type { BoardController, Snapshot } from './controller.js';
import { boardStatus, selectedTask, visibleTasks, type BoardState, type KeyPress } from './model.js';
import { columns, COLOUR, footerText, headerText, helpLines, rowText, tail } from './format.js';

/**
 * The drawing: a thin layer over the controller's snapshot. Only this module (loaded by the
 * board command alone) imports React and Ink. No JSX, so `tsc` stays the only build step.
 */
const h = React.createElement;

export function toKeyPress(input: string, key: Key): KeyPress {
  return {
    input,
    up: key.upArrow,
    down: key.downArrow,
    pageUp: key.pageUp,
    pageDown: key.pageDown,
    home: key.home,
    end: key.end,
    enter: key.return,
    escape: key.escape,
    tab: key.tab,
    // Most terminals send DEL (0x7f) for Backspace, which Ink reports as delete.
    backspace: key.backspace || key.delete,
    ctrl: key.ctrl,
  };
}

export interface Layout {
  width: number;
  height: number;
  /** Lines between the header and the prompt line. */
  body: number;
  left: number;
  right: number;
}

export function layout(width: number, height: number): Layout {
  // One line short of the terminal: a frame as tall as the screen makes Ink clear it on every render.
  const body = Math.max(3, height - 4);
  const left = width < 90 ? width : Math.min(Math.max(50, Math.floor(width * 0.42)), width - 40);
  return { width, height, body, left, right: width - left - 1 };
}

const line = (text: string, props: Record<string, unknown> = {}) => h(Text, { wrap: 'truncate-end', ...props }, text.length ? text : ' ');

function List({ s, now, lay }: { s: BoardState; now: number; lay: Layout }) {
  const rows = visibleTasks(s).slice(s.scroll, s.scroll + s.listHeight);
  const cols = columns(lay.left);
  const total = visibleTasks(s).length;
  const children = [
    line(`  ${'STATUS'.padEnd(9)} ${'NAME'.padEnd(cols.name)}${cols.agent ? ` ${'AGENT'.padEnd(cols.agent)}` : ''} ${'WORK'.padEnd(9)} ${'LAST'.padStart(8)}`, { dimColor: true, key: 'head' }),
    ...rows.map((t) => {
      const st = boardStatus(t.status);
      const selected = t.name === s.selected;
      // waiting needs the user: the whole row stands out, with or without the selection
      const props = st === 'waiting' ? { backgroundColor: 'yellow', color: 'black', bold: true } : { color: COLOUR[st] };
      return line(`${selected ? '>' : ' '}${rowText(t, now, cols)}`, { key: t.name, ...props, inverse: selected });
    }),
  ];
  if (total === 0) children.push(line(s.tasks.length ? '  (no task matches the filter: Esc clears it)' : '  no tasks yet: n starts one', { key: 'empty', dimColor: true }));
  if (total > s.listHeight) children.push(line(`  ${s.scroll + 1}-${Math.min(total, s.scroll + s.listHeight)} of ${total}`, { key: 'more', dimColor: true }));
  return h(Box, { flexDirection: 'column', width: lay.left, height: lay.body }, ...children);
}

/** Lines from `scroll`, clamped so the last screenful stays full. */
function page(lines: readonly string[], scroll: number, height: number): string[] {
  const top = Math.min(scroll, Math.max(0, lines.length - height));
  return lines.slice(top, top + height);
}

function Right({ snap, lay }: { snap: Snapshot; lay: Layout }) {
  const { state: s, detail } = snap;
  const t = selectedTask(s);
  if (!t) return h(Box, { width: lay.right, height: lay.body }, line(''));
  const title = `${t.name} · ${t.branch} · ${t.status}${t.reason ? ` (${t.reason})` : ''}${t.exitCode !== null && t.status === 'failed' ? ` exit ${t.exitCode}` : ''}`;
  const inner = lay.body - 1;
  let body: React.ReactNode[];
  if (s.pane === 'diff') {
    body = page(detail.diff ?? ['loading diff…'], s.paneScroll, inner).map((l, i) => line(l, { key: i }));
  } else {
    const stat = detail.stat.slice(-Math.max(3, Math.floor(inner / 3)));
    const outHeight = Math.max(1, inner - stat.length - 1);
    const out = tail(detail.output, outHeight + s.paneScroll).slice(0, outHeight);
    body = [
      ...out.map((l, i) => line(l, { key: `o${i}` })),
      ...Array.from({ length: outHeight - out.length }, (_, i) => line('', { key: `p${i}` })),
      line(`── diff --stat vs ${t.base ?? 'HEAD'} (* uncommitted) ──`, { key: 'sep', dimColor: true }),
      ...stat.map((l, i) => line(l, { key: `s${i}`, color: l.startsWith('*') ? 'yellow' : undefined })),
    ];
  }
  return h(Box, { flexDirection: 'column', width: lay.right, height: lay.body, marginLeft: 1 }, line(title, { bold: true }), ...body);
}

function FullView({ snap, lay }: { snap: Snapshot; lay: Layout }) {
  const { state: s, detail } = snap;
  if (s.mode.kind !== 'view') return null;
  const lines = (s.mode.what === 'diff' ? detail.diff : detail.log) ?? [`loading ${s.mode.what}…`];
  const shown = page(lines, s.paneScroll, lay.body - 1);
  return h(
    Box,
    { flexDirection: 'column', width: lay.width, height: lay.body },
    line(`${s.mode.what === 'diff' ? 'diff' : 'log'} of ${s.mode.task} (${lines.length} lines)`, { bold: true }),
    ...shown.map((l, i) => line(l, { key: i })),
  );
}

function promptText(s: BoardState): string {
  const m = s.mode;
  switch (m.kind) {
    case 'filter':
      return `/${m.text}▏  (Enter keeps it, Esc clears)`;
    case 'send':
      return `send to ${m.task}: ${m.text}▏  (Enter sends, Esc cancels)`;
    case 'confirm':
      return m.question;
    case 'new':
      return `new task ${m.step === 'name' ? 'name' : m.step === 'prompt' ? `${m.name}: prompt` : `${m.name}: agent (empty: the configured default)`}: ${m.text}▏  (Esc cancels)`;
    default:
      return s.message ?? '';
  }
}

export function Board({ controller }: { controller: BoardController }) {
  const snap = useSyncExternalStore(controller.subscribe, controller.snapshot);
  const { stdout } = useStdout();
  const [size, setSize] = React.useState({ width: stdout.columns || 80, height: stdout.rows || 24 });
  useEffect(() => {
    const onResize = () => setSize({ width: stdout.columns || 80, height: stdout.rows || 24 });
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [stdout]);
  const lay = layout(size.width, size.height);
  const listHeight = lay.body - 2; // column header + the "1-40 of 100" line
  useEffect(() => {
    if (snap.state.listHeight !== listHeight) controller.dispatch({ kind: 'resize', listHeight });
  }, [listHeight, snap.state.listHeight, controller]);
  useInput((input, key) => {
    if (key.ctrl && input === 'c') return controller.dispatch({ kind: 'key', key: { input: 'q' } });
    // Typed-ahead or pasted text can arrive in one read with its Enter: split it into keys.
    if (input.length > 1 && /[\r\n]/.test(input) && !key.meta) {
      input.split(/(\r\n|\r|\n)/).forEach((part) => {
        if (/^[\r\n]+$/.test(part)) controller.dispatch({ kind: 'key', key: { input: '', enter: true } });
        else if (part) controller.dispatch({ kind: 'key', key: { input: part } });
      });
      return;
    }
    controller.dispatch({ kind: 'key', key: toKeyPress(input, key) });
  });
  const s = snap.state;
  const main =
    s.mode.kind === 'view'
      ? h(FullView, { snap, lay })
      : s.mode.kind === 'help'
        ? h(Box, { flexDirection: 'column', height: lay.body }, ...helpLines(s.canMerge).map((l, i) => line(l, { key: i })))
        : h(Box, { flexDirection: 'row', height: lay.body }, h(List, { s, now: snap.now, lay }), lay.right > 10 ? h(Right, { snap, lay }) : null);
  const prompt = promptText(s);
  const asking = s.mode.kind === 'confirm';
  return h(
    Box,
    { flexDirection: 'column', width: lay.width, height: lay.height - 1 },
    line(`git superset board · ${headerText(s)}`, { bold: true, color: s.tasks.some((t) => t.status === 'waiting') ? 'yellow' : undefined }),
    main,
    line(prompt, { color: asking ? 'yellow' : undefined, bold: asking }),
    line(footerText(s), { dimColor: true }),
  );
}
