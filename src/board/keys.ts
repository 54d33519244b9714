import type { KeyPress } from './model.js';

/**
 * What the terminal sent (one read of a raw-mode tty) as the model's key presses, pure. A run of
 * printable characters stays one press (text typed ahead or pasted goes into a prompt whole; the
 * model splits it into single keys outside prompts); Enter, Tab, Backspace, Esc, control keys
 * and the cursor keys' escape sequences (both the CSI and the SS3 forms) are one press each.
 * An Esc followed by a character that starts no sequence is an Esc and then that character
 * (keys typed quickly arrive in one read; the board has no Alt bindings).
 */
const CSI: Record<string, Partial<KeyPress>> = {
  A: { up: true },
  B: { down: true },
  H: { home: true },
  F: { end: true },
  '1~': { home: true },
  '7~': { home: true },
  '4~': { end: true },
  '8~': { end: true },
  '5~': { pageUp: true },
  '6~': { pageDown: true },
  '3~': { backspace: true }, // Delete: the prompts have no cursor, so it deletes what Backspace does
};

// eslint-disable-next-line no-control-regex
const SEQUENCE = /^\x1b(?:\[([0-9;]*)([A-Za-z~])|O([A-Za-z]))/;
// eslint-disable-next-line no-control-regex
const PRINTABLE = /^[^\x00-\x1f\x7f]+/u;

export function parseKeys(data: string): KeyPress[] {
  const keys: KeyPress[] = [];
  let rest = data;
  while (rest.length) {
    const c = rest[0]!;
    if (c === '\x1b') {
      const m = SEQUENCE.exec(rest);
      if (m) {
        rest = rest.slice(m[0].length);
        // modifiers (`1;5A`) do not change what a cursor key means here
        const params = (m[1] ?? '').split(';')[0]!;
        const name = m[3] ?? (m[2] === '~' ? `${params}~` : m[2]!);
        const known = CSI[name];
        if (known) keys.push({ input: '', ...known });
        continue;
      }
      keys.push({ input: '', escape: true });
      rest = rest.slice(1);
      continue;
    }
    if (c === '\r' || c === '\n') {
      keys.push({ input: '', enter: true });
      rest = rest.slice(rest.startsWith('\r\n') ? 2 : 1);
      continue;
    }
    if (c === '\t') keys.push({ input: '', tab: true });
    else if (c === '\x7f' || c === '\b') keys.push({ input: '', backspace: true });
    else if (c < ' ') keys.push({ input: String.fromCharCode(c.charCodeAt(0) + 96), ctrl: true });
    else {
      const run = PRINTABLE.exec(rest)![0];
      keys.push({ input: run });
      rest = rest.slice(run.length);
      continue;
    }
    rest = rest.slice(1);
  }
  return keys;
}
