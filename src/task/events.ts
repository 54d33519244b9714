import type { Repo } from '../git/repo.js';
import { appendNotes } from '../git/notes.js';
import type { NewNoteEvent } from '../git/note-line.js';
import { gitResult } from '../git/git.js';
import type { TaskState } from './state.js';

/**
 * The task events Node writes to refs/notes/superset (the hook writes `commit`). Each goes on the
 * commit it is about: `started` on the base commit, the others on the branch tip at that moment.
 */

/**
 * `started` events, on the base commit (a relaunch, on the tip it resumes from), each at its task's
 * startedAt. A whole batch is one notes commit: 100 tasks from one file cost one write, not 100.
 */
export async function recordStarted(repo: Repo, started: readonly (TaskState & { relaunched: boolean })[]): Promise<void> {
  await appendNotes(
    repo,
    started.map((state) => ({
      commit: state.relaunched ? `refs/heads/${state.branch}` : state.baseCommit,
      event: {
        t: state.startedAt,
        task: state.name,
        event: 'started',
        agent: state.agent,
        branch: state.branch,
        base: state.base,
        runner: state.runner,
        ...(state.parent ? { parent: state.parent } : {}),
        ...(state.ports ? { ports: state.ports } : {}),
        ...(state.relaunched ? { relaunch: true } : {}),
      } satisfies NewNoteEvent,
    })),
  );
}

/** An event on the task branch's current tip; false when the branch is gone. */
export async function recordOnTip(repo: Repo, branch: string, event: NewNoteEvent): Promise<boolean> {
  const tip = await gitResult(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], { cwd: repo.root });
  if (tip.code !== 0) return false;
  await appendNotes(repo, [{ commit: tip.stdout.trim(), event }]);
  return true;
}

/** Bookkeeping must never fail the user's command: say what went wrong and go on. */
export async function bestEffort(what: string, fn: () => Promise<unknown>, warn: (text: string) => void = (t) => process.stderr.write(t)): Promise<void> {
  try {
    await fn();
  } catch (e) {
    warn(`git-superset: could not record ${what}: ${(e as Error).message.split('\n')[0]}\n`);
  }
}
