import { UserError } from '../errors.js';
import * as msg from '../messages.js';

export interface TaskSpecLine {
  name: string;
  prompt: string;
}

/**
 * Parses a task file: either markdown `## name` headings with the prompt below each, or one task
 * per line as `name: prompt`. Blank lines and `#` comments (in line form) are skipped. Pure.
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
    tasks.push({ name: line.slice(0, colon).trim(), prompt: line.slice(colon + 1).trim() });
  });
  return tasks;
}

function parseHeadings(lines: string[]): TaskSpecLine[] {
  const tasks: TaskSpecLine[] = [];
  let current: { name: string; body: string[] } | null = null;
  const flush = () => {
    if (current) tasks.push({ name: current.name, prompt: current.body.join('\n').trim() });
  };
  for (const line of lines) {
    const heading = /^##\s+(.+?)\s*$/.exec(line);
    if (heading) {
      flush();
      current = { name: heading[1]!, body: [] };
    } else if (current) {
      current.body.push(line);
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
