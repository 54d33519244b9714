import { eastAsianWidth } from 'get-east-asian-width';

/**
 * The board's drawing primitives, pure: text cut to a width in terminal cells, styled with SGR
 * codes, and the escape sequence that turns the last frame on screen into the next one by
 * rewriting only the lines that differ. This is all the board needs of a UI library: its screen
 * is a fixed grid of lines (a list, a pane, a header and a footer), so there is no layout engine.
 */

export type Colour = 'black' | 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'white' | 'gray';

export interface Style {
  color?: Colour;
  bg?: Colour;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
}

const FG: Record<Colour, number> = { black: 30, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, white: 37, gray: 90 };

export function sgr(style: Style | undefined): string {
  if (!style) return '';
  const codes: number[] = [];
  if (style.bold) codes.push(1);
  if (style.dim) codes.push(2);
  if (style.inverse) codes.push(7);
  if (style.color) codes.push(FG[style.color]);
  if (style.bg) codes.push(FG[style.bg] + 10);
  return codes.length ? `\x1b[${codes.join(';')}m` : '';
}

const RESET = '\x1b[0m';

/** Cells a code point takes: 0 for combining marks and other zero-width ones, 2 for wide (CJK, most emoji). */
export function codePointWidth(cp: number): number {
  if (cp < 0x300) return 1; // the common case, controls are removed before
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x20d0 && cp <= 0x20ff) || (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0xfeff || (cp >= 0xe0100 && cp <= 0xe01ef)) return 0;
  return eastAsianWidth(cp);
}

// eslint-disable-next-line no-control-regex
const TOKEN = /\x1b\[[0-9;:]*m|\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[^[]?|\t|[\x00-\x08\x0a-\x1f\x7f-\x9f]|[^\x00-\x1f\x7f-\x9f]/gsu;

/**
 * `text` in at most `width` cells, cut with "…" when longer, and how many cells that is. Colour
 * codes in the text (a diff with --color) are kept and closed; tabs become spaces to the next
 * stop of 8; other control characters and escape sequences, which would move the cursor, go.
 */
export function fit(text: string, width: number): { text: string; cells: number } {
  if (width <= 0) return { text: '', cells: 0 };
  // The usual line is plain printable ASCII that fits: no work.
  // eslint-disable-next-line no-control-regex
  if (text.length <= width && !/[^\x20-\x7e]/.test(text)) return { text, cells: text.length };
  const parts: { s: string; w: number }[] = [];
  let total = 0;
  let coloured = false;
  for (const m of text.matchAll(TOKEN)) {
    const s = m[0];
    if (s.length > 1 && s.charCodeAt(0) === 0x1b) {
      if (s.endsWith('m') && s.startsWith('\x1b[')) {
        parts.push({ s, w: 0 });
        coloured = true;
      }
      continue;
    }
    if (s === '\t') {
      const w = 8 - (total % 8);
      parts.push({ s: ' '.repeat(w), w });
      total += w;
      continue;
    }
    const cp = s.codePointAt(0)!;
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) continue;
    const w = codePointWidth(cp);
    parts.push({ s, w });
    total += w;
  }
  let out = '';
  let cells = 0;
  if (total <= width) {
    for (const p of parts) out += p.s;
    cells = total;
  } else {
    for (const p of parts) {
      if (cells + p.w > width - 1) break;
      out += p.s;
      cells += p.w;
    }
    out += '…';
    cells += 1;
  }
  return { text: coloured ? out + RESET : out, cells };
}

/** One piece of a line: text in a column `width` cells wide, styled; the rest of the column is blank. */
export interface Segment {
  text: string;
  width: number;
  style?: Style;
}

/** A line of segments side by side, exactly as wide as their widths together. */
export function line(...segments: Segment[]): string {
  let out = '';
  for (const seg of segments) {
    const { text, cells } = fit(seg.text, seg.width);
    const open = sgr(seg.style);
    out += (open && text ? open + text + RESET : text) + ' '.repeat(Math.max(0, seg.width - cells));
  }
  return out;
}

/**
 * What to write to turn `before` (null: unknown, after a resize or a return) into `after`: each
 * line that differs is rewritten in place, whole (erased first, so a full-width line never
 * leaves the cursor where an erase would eat its last cell). An unchanged frame writes nothing.
 */
export function paint(before: readonly string[] | null, after: readonly string[]): string {
  let out = before ? '' : '\x1b[H\x1b[2J';
  for (let i = 0; i < after.length; i++) {
    if (before && before[i] === after[i]) continue;
    out += `\x1b[${i + 1};1H\x1b[2K${after[i]}`;
  }
  if (before) for (let i = after.length; i < before.length; i++) out += `\x1b[${i + 1};1H\x1b[2K`;
  return out;
}
