import type { Repo } from '../git/repo.js';
import { appendNotes } from '../git/notes.js';
import type { NewNoteEvent } from '../git/note-line.js';
import { git, gitResult } from '../git/git.js';
import { TASK_TRAILER } from '../git/trailers.js';
import { anchorRef, anchorText, blobId, type AnchorInfo } from './anchor.js';
import type { TaskState } from './state.js';
import * as msg from '../messages.js';

/**
 * The task events Node writes to refs/notes/superset (the hook writes `commit`). Each goes on the
 * object it is about: `started` on the task's anchor (task/anchor.ts), never on the base commit;
 * the others on the branch tip when it is a commit of the task, else on the anchor too.
 */

/** An event to write on a task's anchor: a new anchor from `anchor`, or the one it has when `keepAnchor`. */
export interface AnchoredEvent {
  anchor: AnchorInfo;
  keepAnchor: boolean;
  event: NewNoteEvent;
}

/**
 * Events on their tasks' anchors, a whole batch in one notes commit: the new anchors are written by
 * the same fast-import and their refs by one update-ref, and the anchors kept are read by one
 * for-each-ref (none when nothing is kept): 100 tasks from one file cost three git processes. A
 * task meant to keep its anchor that has none gets a new one.
 */
export async function appendOnAnchors(repo: Repo, items: readonly AnchoredEvent[]): Promise<void> {
  if (items.length === 0) return;
  const kept = items.filter((i) => i.keepAnchor).map((i) => anchorRef(i.anchor.task));
  const anchors = new Map<string, string>();
  if (kept.length) {
    const listed = await gitResult(['for-each-ref', '--format=%(refname) %(objectname)', ...kept], { cwd: repo.root });
    for (const l of listed.stdout.split('\n').filter(Boolean)) anchors.set(l.split(' ')[0]!, l.split(' ')[1]!);
  }
  const blobs: string[] = [];
  const updates: string[] = [];
  const entries = items.map(({ anchor, keepAnchor, event }) => {
    let oid = keepAnchor ? anchors.get(anchorRef(anchor.task)) : undefined;
    if (!oid) {
      const text = anchorText(anchor);
      // the base commit's id tells the repository's object format without asking git
      oid = blobId(text, anchor.baseCommit.length === 64 ? 'sha256' : 'sha1');
      blobs.push(text);
      updates.push(`update ${anchorRef(anchor.task)} ${oid}\n`);
    }
    return { commit: oid, event };
  });
  await appendNotes(repo, entries, { blobs });
  if (updates.length) await git(['update-ref', '--stdin'], { cwd: repo.root, input: updates.join('') });
}

/** Pure: what a task's anchor says of it. */
export const anchorOf = (s: TaskState, when: string, queued = false): AnchorInfo => ({
  task: s.name,
  branch: s.branch,
  base: s.base,
  baseCommit: s.baseCommit,
  agent: s.agent,
  startedAt: when,
  prompt: s.prompt,
  ...(queued ? { queued: true } : {}),
});

/**
 * `started` events, each at its task's startedAt, with the prompt: on a new anchor per task (a
 * relaunch, and a task launched from the queue, whose anchor holds the `queued` event, keep theirs).
 */
export async function recordStarted(repo: Repo, started: readonly (TaskState & { relaunched: boolean })[]): Promise<void> {
  await appendOnAnchors(
    repo,
    started.map((state) => ({
      anchor: anchorOf(state, state.startedAt),
      keepAnchor: state.relaunched || Boolean(state.queuedAt),
      event: {
        t: state.startedAt,
        task: state.name,
        event: 'started',
        agent: state.agent,
        branch: state.branch,
        base: state.base,
        baseCommit: state.baseCommit,
        runner: state.runner,
        ...(state.parent ? { parent: state.parent } : {}),
        ...(state.ports ? { ports: state.ports } : {}),
        ...(state.prompt !== undefined ? { prompt: state.prompt } : {}),
        ...(state.relaunched ? { relaunch: true } : {}),
        ...(state.queuedAt ? { queuedAt: state.queuedAt } : {}),
        ...(state.after?.length ? { after: state.after } : {}),
      } satisfies NewNoteEvent,
    })),
  );
}

/**
 * An event on the task branch's current tip when that is a commit of the task (its Superset-Task
 * trailer), else on the task's anchor, so a task with no commits of its own writes nothing on its
 * base; false when the branch is gone. One git process to decide.
 */
export async function recordOnTip(repo: Repo, branch: string, event: NewNoteEvent): Promise<boolean> {
  const tipRef = `refs/heads/${branch}`;
  const task = String(event.task);
  const refs = await gitResult(['for-each-ref', `--format=%(refname)%00%(objectname)%00%(trailers:key=${TASK_TRAILER},valueonly,separator=%x2C)`, tipRef, anchorRef(task)], {
    cwd: repo.root,
  });
  const byRef = new Map(refs.stdout.split('\n').filter(Boolean).map((l) => {
    const [ref, oid, tasks] = l.split('\0');
    return [ref!, { oid: oid!, tasks: (tasks ?? '').split(',').map((s) => s.trim()) }];
  }));
  const tip = byRef.get(tipRef);
  if (!tip) return false;
  const anchor = byRef.get(anchorRef(task));
  const on = tip.tasks.includes(task) || !anchor ? tip.oid : anchor.oid;
  await appendNotes(repo, [{ commit: on, event }]);
  return true;
}

/** Bookkeeping must never fail the user's command: say what went wrong and go on. */
export async function bestEffort(what: string, fn: () => Promise<unknown>, warn: (text: string) => void = (t) => process.stderr.write(t)): Promise<void> {
  try {
    await fn();
  } catch (e) {
    warn(msg.line(msg.record.failed(what, (e as Error).message.split('\n')[0] ?? '')));
  }
}
