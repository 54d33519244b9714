import { createHash } from 'node:crypto';

/**
 * A task's anchor: a blob naming the task, its base and agent, with the prompt, kept alive by
 * `refs/superset/tasks/<task>`. Task-level events that have no commit of the task to sit on
 * (`started`, and any event while the branch has no commit of its own) are notes on this blob, so
 * they never pile up on the base branch's tip, where plain `git log main` would show them all.
 * Plain git reads it: `git cat-file -p superset/tasks/<task>` (the prompt),
 * `git notes --ref=superset show superset/tasks/<task>` (its events).
 */
export const ANCHOR_PREFIX = 'refs/superset/tasks/';
export const anchorRef = (task: string): string => `${ANCHOR_PREFIX}${task}`;

export interface AnchorInfo {
  task: string;
  branch: string;
  base: string;
  baseCommit: string;
  agent: string;
  startedAt: string;
  prompt?: string;
  /** Written when the task was queued (not launched yet): `startedAt` is when it was queued. */
  queued?: boolean;
}

/** Pure: the blob's text. Header lines, a blank line, then the prompt as given. Unique per start (the time). */
export function anchorText(a: AnchorInfo): string {
  const head = [`git superset task ${a.task}`, `branch ${a.branch}`, `base ${a.base} ${a.baseCommit}`, `agent ${a.agent.replace(/\n/g, ' ')}`, `${a.queued ? 'queued' : 'started'} ${a.startedAt}`];
  return `${head.join('\n')}\n\n${a.prompt ?? ''}${a.prompt && !a.prompt.endsWith('\n') ? '\n' : ''}`;
}

/** Pure: the object id git gives a blob of this text (sha1, or sha256 in a sha256 repository). */
export function blobId(text: string, format: 'sha1' | 'sha256'): string {
  const body = Buffer.from(text, 'utf8');
  return createHash(format).update(`blob ${body.length}\0`).update(body).digest('hex');
}
