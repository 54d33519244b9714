import { UserError } from '../errors.js';
import * as msg from '../messages.js';

/**
 * Splits a command line into words the way a POSIX shell would quote it — '...' literal,
 * "..." with \" \\ \$ \` escapes, a backslash outside quotes escapes the next character —
 * but with no expansion of any kind: the words are run directly, never through a shell.
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < line.length && '"\\$`\n'.includes(line[i + 1]!)) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 < line.length) word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new UserError(msg.agent.unterminatedQuote(quote, line));
  if (inWord) words.push(word);
  return words;
}

/** Quotes one word for a POSIX shell (left bare when it is plainly safe). The inverse of splitCommandLine. */
export function shWord(word: string): string {
  return /^[A-Za-z0-9_./=:@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export const PROMPT_WORD = '{prompt}';

/** `{prompt:-i}`: the prompt with the option that carries it (`-i <prompt>`), or neither when there is no prompt. */
const FLAGGED_SLOT = /^\{prompt:(-[^\s{}]*)\}$/;
/** `{prompt=--prompt}`: one word `--prompt=<prompt>`, so a prompt that starts with `-` is never read as an option. */
const JOINED_SLOT = /^\{prompt=(-[^\s{}=]*)\}$/;

const isSlot = (w: string): boolean => w === PROMPT_WORD || FLAGGED_SLOT.test(w) || JOINED_SLOT.test(w);

/**
 * Puts the prompt in place of its slot — `{prompt}`, `{prompt:FLAG}` (FLAG and the prompt) or
 * `{prompt=FLAG}` (one word FLAG=prompt) — else appends it. With no prompt the slot is dropped,
 * with its flag, and with a `--` just before it: `opencode {prompt:--prompt}` never becomes a
 * dangling `opencode --prompt`, nor `claude -- {prompt}` a bare `claude --`.
 */
export function withPrompt(words: readonly string[], prompt: string | undefined): string[] {
  const given = prompt !== undefined && prompt !== '';
  const hasSlot = words.some(isSlot);
  const out = words.flatMap((w, i) => {
    if (w === '--' && !given && isSlot(words[i + 1] ?? '')) return [];
    if (w === PROMPT_WORD) return given ? [prompt] : [];
    const flagged = FLAGGED_SLOT.exec(w);
    if (flagged) return given ? [flagged[1]!, prompt] : [];
    const joined = JOINED_SLOT.exec(w);
    if (joined) return given ? [`${joined[1]}=${prompt}`] : [];
    return [w];
  });
  if (!hasSlot && given) out.push(prompt);
  return out;
}

/** Inserts words right after the binary (flags such as a permission bypass). */
export function withFlags(words: readonly string[], flags: readonly string[]): string[] {
  if (flags.length === 0 || words.length === 0) return [...words];
  return [words[0]!, ...flags, ...words.slice(1)];
}
