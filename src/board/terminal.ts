import type { KeyPress } from './model.js';
import { parseKeys } from './keys.js';
import { paint } from './screen.js';

/**
 * The board's terminal: raw keys in, frames out, and stepping aside for a program that takes the
 * terminal (tmux attach, a terminal editor) and coming back. Only the lines that changed since
 * the last frame are written (screen.ts `paint`), so a clock tick rewrites one age cell's line,
 * not the screen.
 */

const ENTER_ALT = '\x1b[?1049h\x1b[?25l';
const LEAVE_ALT = '\x1b[0m\x1b[?1049l\x1b[?25h'; // and the cursor back

type TtyHandle = { reading?: boolean; readStart?: () => number; readStop?: () => number };
const handleOf = (stdin: NodeJS.ReadStream): TtyHandle | undefined => (stdin as unknown as { _handle?: TtyHandle })._handle;

/**
 * Another program is to read the terminal: Node must not. A tty stream keeps its read started
 * even when paused, so keys typed into tmux would land in the board's buffer: the read itself is
 * stopped, and started again for the board's return (the stream still waits on the read it asked
 * for, so it would not ask again by itself).
 */
function stopReading(stdin: NodeJS.ReadStream): void {
  const handle = handleOf(stdin);
  if (handle?.readStop && handle.reading !== false) {
    handle.reading = false;
    handle.readStop();
  }
}

function resumeReading(stdin: NodeJS.ReadStream): void {
  const handle = handleOf(stdin);
  if (handle?.readStart && handle.reading === false) {
    handle.reading = true;
    handle.readStart();
  }
}

export class Terminal {
  private shown: string[] | null = null;
  private onData: ((d: string) => void) | null = null;
  private onResize: (() => void) | null = null;
  private on = false;

  constructor(
    private readonly stdin: NodeJS.ReadStream,
    private readonly stdout: NodeJS.WriteStream,
  ) {}

  /** Whether the board has the terminal (not handed to tmux or an editor). */
  get active(): boolean {
    return this.on;
  }

  get width(): number {
    return this.stdout.columns || 80;
  }

  get height(): number {
    return this.stdout.rows || 24;
  }

  /** Takes the screen (alternate buffer, no cursor) and the keys; the next draw paints everything. */
  enter(onKeys: (keys: KeyPress[]) => void, onResize: () => void): void {
    this.on = true;
    this.shown = null;
    this.stdout.write(ENTER_ALT);
    this.stdin.setRawMode(true);
    this.stdin.setEncoding('utf8');
    this.onData = (d) => onKeys(parseKeys(d));
    this.onResize = () => {
      this.shown = null;
      onResize();
    };
    this.stdin.on('data', this.onData);
    this.stdout.on('resize', this.onResize);
    resumeReading(this.stdin);
    this.stdin.resume();
  }

  draw(lines: readonly string[]): void {
    if (!this.on) return;
    const out = paint(this.shown, lines);
    if (out) this.stdout.write(out);
    this.shown = [...lines];
  }

  /** Gives the terminal back as it was: cooked mode, main screen, cursor; Node reads no more keys. */
  leave(): void {
    if (!this.on) return;
    this.on = false;
    if (this.onData) this.stdin.off('data', this.onData);
    if (this.onResize) this.stdout.off('resize', this.onResize);
    this.onData = this.onResize = null;
    this.stdin.setRawMode(false);
    this.stdin.pause();
    stopReading(this.stdin);
    this.stdout.write(LEAVE_ALT);
  }
}
