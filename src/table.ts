/**
 * Plain-text tables that fit a terminal: columns are sized to their content, then the caller's
 * steps (shrink this column to N with an ellipsis, drop that one) are applied in order until the
 * rows fit `width`. A row never wraps: the last resort cuts it at the width. Pure.
 */
export interface Column {
  header: string;
  cells: string[];
  /** Which end survives an ellipsis: 'start' for names and command lines, 'end' for paths. */
  keep?: 'start' | 'end';
}

export type FitStep = { shrink: string; to: number } | { drop: string };

const GAP = 2;

/** "abcdef" -> "abc…" (keep 'start') or "…def" (keep 'end'), `max` characters in all. */
export function ellipsis(text: string, max: number, keep: 'start' | 'end' = 'start'): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, Math.max(0, max));
  return keep === 'start' ? `${text.slice(0, max - 1)}…` : `…${text.slice(text.length - (max - 1))}`;
}

export function renderTable(columns: Column[], width = Infinity, steps: FitStep[] = []): string {
  let cols = columns.map((c) => {
    const natural = Math.max(c.header.length, ...c.cells.map((x) => x.length));
    return { ...c, natural, width: natural };
  });
  const total = () => cols.reduce((sum, c) => sum + c.width, 0) + GAP * (cols.length - 1);
  const shrunk: typeof cols = [];
  for (const step of steps) {
    const excess = total() - width;
    if (excess <= 0) break;
    if ('drop' in step) cols = cols.filter((c) => c.header !== step.drop);
    else {
      const c = cols.find((x) => x.header === step.shrink);
      if (c) c.width = Math.min(c.width, Math.max(step.to, c.header.length, c.width - excess));
      if (c) shrunk.unshift(c);
    }
  }
  // A drop may free more than it had to: give it back to the columns cut last, up to their content.
  for (const c of shrunk) {
    const room = width - total();
    if (room <= 0) break;
    if (cols.includes(c)) c.width = Math.min(c.natural, c.width + room);
  }
  const rowCount = columns[0]?.cells.length ?? 0;
  const lines: string[] = [];
  for (let r = -1; r < rowCount; r++) {
    const cells = cols.map((c, i) => {
      const text = ellipsis(r < 0 ? c.header : c.cells[r]!, c.width, c.keep);
      return i === cols.length - 1 ? text : text.padEnd(c.width);
    });
    lines.push(ellipsis(cells.join(' '.repeat(GAP)).trimEnd(), width));
  }
  return lines.join('\n') + '\n';
}
