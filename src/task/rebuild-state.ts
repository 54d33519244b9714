import type { Repo } from '../git/repo.js';
import type { SupersetConfig } from '../config/schema.js';
import { readNotes } from '../git/notes.js';
import { latestEvent } from '../git/note-line.js';
import { loadTasks } from './catalog.js';
import type { TaskState } from './state.js';

/**
 * A live task's runtime record rebuilt from git (its worktree, branch and the notes), for when
 * `.git/superset` was deleted while its agent ran: the exit handler still needs to know where the
 * leftovers go and what to record. Null when git knows no worktree for it.
 */
export async function stateFromGit(repo: Repo, config: SupersetConfig, name: string): Promise<TaskState | null> {
  const [tasks, notes] = await Promise.all([loadTasks(repo, config, { ahead: false }), readNotes(repo).catch(() => [])]);
  const task = tasks.find((t) => t.name === name);
  if (!task?.worktree) return null;
  const events = notes.filter((n) => n.task === name);
  const started = latestEvent(events, (e) => e.event === 'started');
  const latest = latestEvent(events);
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return {
    v: 1,
    name,
    branch: task.branch,
    worktree: task.worktree,
    agent: task.agent ?? str(started?.agent) ?? 'agent',
    argv: [],
    runner: str(started?.runner) === 'tmux' ? 'tmux' : 'headless',
    base: str(started?.base) ?? task.base ?? 'HEAD',
    baseCommit: str(started?.baseCommit) ?? task.base ?? '',
    ...(str(started?.prompt) !== undefined ? { prompt: str(started?.prompt) } : {}),
    startedAt: started?.t ?? new Date().toISOString(),
    // a stop recorded before the cache went still wins over the exit code
    status: latest?.event === 'stopped' ? 'stopped' : 'running',
    reason: 'runtime record rebuilt from git',
  };
}
