/**
 * Commit trailers that tie a commit to its task. The hook adds them with `git interpret-trailers`;
 * Node builds them with these pure functions (exit checkpoints), with the same rules: appended to
 * the message's trailer block, a key+value already there is not added twice.
 */
export const TASK_TRAILER = 'Superset-Task';
export const AGENT_TRAILER = 'Superset-Agent';
export const CHECKPOINT_TRAILER = 'Superset-Checkpoint';

export type Trailer = readonly [key: string, value: string];

/**
 * The agent as trailers, notes and the hook name it: one safe word (the hook writes it into JSON
 * and trailers without escaping). `claude` stays `claude`; `/opt/bin/my agent` -> `my_agent`.
 */
export function agentWord(label: string): string {
  const word = label.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[_.-]+|_+$/g, '').slice(0, 64);
  return word || 'agent';
}

export function taskTrailers(task: string, agent: string, extra: Trailer[] = []): Trailer[] {
  return [[TASK_TRAILER, task], [AGENT_TRAILER, agentWord(agent)], ...extra];
}

const TRAILER_LINE = /^([A-Za-z0-9][A-Za-z0-9-]*):\s*(.*)$/;

function paragraphs(message: string): string[] {
  return message
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n\s*\n/);
}

/** The trailers of a message: its last paragraph, when every line of it is `Key: value`. */
export function parseTrailers(message: string): Trailer[] {
  const parts = paragraphs(message);
  if (parts.length < 2) return [];
  const lines = parts[parts.length - 1]!.split('\n');
  const trailers: Trailer[] = [];
  for (const line of lines) {
    const m = TRAILER_LINE.exec(line);
    if (!m) return [];
    trailers.push([m[1]!, m[2]!.trim()]);
  }
  return trailers;
}

/** The message with the trailers added to its trailer block (or a new one); idempotent. */
export function withTrailers(message: string, trailers: readonly Trailer[]): string {
  const body = message.replace(/\r\n?/g, '\n').replace(/\s+$/, '');
  const existing = parseTrailers(body);
  const missing = trailers.filter(([k, v]) => !existing.some(([ek, ev]) => ek.toLowerCase() === k.toLowerCase() && ev === v));
  if (missing.length === 0) return body + '\n';
  const lines = missing.map(([k, v]) => `${k}: ${v}`).join('\n');
  const separator = existing.length ? '\n' : '\n\n';
  return `${body}${separator}${lines}\n`;
}
