import { UserError } from '../errors.js';
import * as msg from '../messages.js';

export interface TaskSpecLine {
  name: string;
  prompt: string;
  /** Prerequisites (`(after: a, c)` at the end of a line, an `after: a` line under a heading); only when some. */
  after?: string[];
}

/** `(after: a, c)` at the end of a `name: prompt` line. */
const TRAILING_AFTER = /\s*\(after:\s*([^()]*)\)\s*$/i;
/** An `after: a, c` line in a heading's body: names only, so prose that starts "after: the ..." stays prompt. */
const AFTER_LINE = /^\s*after:\s*([^\s,()]+(?:\s*,\s*[^\s,()]+)*)\s*,?\s*$/i;

/** The names of an `after:` list (comma-separated, blanks dropped); validated later with the others. */
export function splitAfter(list: string): string[] {
  return list.split(',').map((s) => s.trim()).filter(Boolean);
}

const withAfter = (name: string, prompt: string, after: string[]): TaskSpecLine => (after.length ? { name, prompt, after: [...new Set(after)] } : { name, prompt });

/**
 * Parses a task file: either markdown `## name` headings with the prompt below each, or one task
 * per line as `name: prompt`. Blank lines and `#` comments (in line form) are skipped. Prerequisites:
 * `name: prompt (after: a, c)`, or an `after: a, c` line under a heading; both are taken out of
 * the prompt. Pure.
 */
export function parseTaskFile(text: string, file = 'tasks file'): TaskSpecLine[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.some((l) => /^##\s+\S/.test(l))) return parseHeadings(lines);
  const tasks: TaskSpecLine[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new UserError(msg.task.badTaskFileLine(file, i + 1, line));
    let prompt = line.slice(colon + 1).trim();
    const after = TRAILING_AFTER.exec(prompt);
    if (after) prompt = prompt.slice(0, after.index).trim();
    tasks.push(withAfter(line.slice(0, colon).trim(), prompt, after ? splitAfter(after[1]!) : []));
  });
  return tasks;
}

function parseHeadings(lines: string[]): TaskSpecLine[] {
  const tasks: TaskSpecLine[] = [];
  let current: { name: string; body: string[]; after: string[] } | null = null;
  const flush = () => {
    if (current) tasks.push(withAfter(current.name, current.body.join('\n').trim(), current.after));
  };
  for (const line of lines) {
    const heading = /^##\s+(.+?)\s*$/.exec(line);
    if (heading) {
      flush();
      current = { name: heading[1]!, body: [], after: [] };
    } else if (current) {
      const after = AFTER_LINE.exec(line);
      if (after) current.after.push(...splitAfter(after[1]!));
      else current.body.push(line);
    }
  }
  flush();
  return tasks;
}

/**
 * Best-of-N: the same task once per agent, named `<task>-<agent>`. Agents that share a label (two
 * `sh -c '...'` command lines, or `claude,claude` for two tries) are numbered in the order given:
 * `<task>-sh-1`, `<task>-sh-2`.
 */
export function fanOut<T extends { name: string }>(tasks: T[], agents: string[], label: (agent: string) => string): (T & { agent?: string })[] {
  if (agents.length === 0) return tasks;
  const labels = agents.map(label);
  const seen = new Map<string, number>();
  const unique = labels.map((l) => {
    if (labels.indexOf(l) === labels.lastIndexOf(l)) return l;
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    return `${l}-${n}`;
  });
  return tasks.flatMap((t) => agents.map((agent, i) => ({ ...t, name: `${t.name}-${unique[i]}`, agent })));
}

export function duplicateNames(names: string[]): string[] {
  const seen = new Set<string>();
  return [...new Set(names.filter((n) => (seen.has(n) ? true : (seen.add(n), false))))];
}
