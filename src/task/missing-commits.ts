import type { Repo } from '../git/repo.js';
import { gitResult } from '../git/git.js';
import { appendNotes, readNotes, type NoteEntry, type NoteRecord } from '../git/notes.js';
import { TASK_TRAILER } from '../git/trailers.js';
import { statusesFromNotes } from './note-status.js';

export interface TaskBranch {
  name: string;
  branch: string;
  /** Where the task's own commits start (a commit or ref); else its `started` event's commit, else HEAD. */
  base?: string | null;
}

interface CommitInfo {
  parents: string[];
  time: number;
  trailerTask: string | null;
}

/** Pure: `git log --format=%H%x00%P%x00%ct%x00<Superset-Task>` output by commit. */
export function parseCommitLog(text: string): Map<string, CommitInfo> {
  const commits = new Map<string, CommitInfo>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [hash, parents, time, trailer] = line.split('\0');
    commits.set(hash!, { parents: parents ? parents.split(' ') : [], time: Number(time), trailerTask: trailer?.trim() || null });
  }
  return commits;
}

/** Pure: which task each listed commit belongs to (its Superset-Task trailer, else the first tip that reaches it). */
export function assignCommits(commits: Map<string, CommitInfo>, tips: { task: string; tip: string }[]): Map<string, string> {
  const known = new Set(tips.map((t) => t.task));
  const owner = new Map<string, string>();
  for (const { task, tip } of tips) {
    const stack = commits.has(tip) ? [tip] : [];
    while (stack.length) {
      const c = stack.pop()!;
      if (owner.has(c)) continue;
      const trailer = commits.get(c)!.trailerTask;
      owner.set(c, trailer && known.has(trailer) ? trailer : task);
      for (const p of commits.get(c)!.parents) if (commits.has(p) && !owner.has(p)) stack.push(p);
    }
  }
  return owner;
}

/**
 * Gives every task commit that has no `commit` event one (made with hooks bypassed, by
 * `commit-tree`, or in a clone without git superset), so the record is complete. A constant
 * number of git processes for any number of tasks: the notes are read once, one `git log` lists
 * the commits of every task branch since its base, one notes commit adds what is missing.
 * Called by `log` and by the watcher. Returns the number of events added.
 */
export async function recordMissingCommits(repo: Repo, tasks: TaskBranch[], notes?: NoteRecord[]): Promise<number> {
  if (tasks.length === 0) return 0;
  const records = notes ?? (await readNotes(repo));
  const recorded = new Set(records.filter((r) => r.event === 'commit').map((r) => r.on));
  const fromNotes = statusesFromNotes(records);
  const bases = tasks.map((t) => t.base ?? fromNotes.get(t.name)?.baseCommit ?? 'HEAD');
  const input = [...tasks.map((t) => `refs/heads/${t.branch}`), ...new Set(bases.map((b) => `^${b}`))].join('\n') + '\n';
  const log = await gitResult(['log', '--stdin', '--ignore-missing', `--format=%H%x00%P%x00%ct%x00%(trailers:key=${TASK_TRAILER},valueonly,separator=%x2C)`], {
    cwd: repo.root,
    input,
  });
  if (log.code !== 0) return 0;
  const commits = parseCommitLog(log.stdout);
  const refs = await gitResult(['for-each-ref', '--format=%(refname)%00%(objectname)', ...tasks.map((t) => `refs/heads/${t.branch}`)], { cwd: repo.root });
  const tipOf = new Map(refs.stdout.split('\n').filter(Boolean).map((l) => l.split('\0') as [string, string]));
  const owner = assignCommits(
    commits,
    tasks.map((t) => ({ task: t.name, tip: tipOf.get(`refs/heads/${t.branch}`) ?? '' })).filter((t) => t.tip),
  );
  const entries: NoteEntry[] = [];
  for (const [commit, task] of owner) {
    if (recorded.has(commit)) continue;
    // the commit's own time, so the line is the same whoever adds it (duplicates then read as one)
    const t = new Date(commits.get(commit)!.time * 1000).toISOString();
    entries.push({ commit, event: { t, task, event: 'commit', via: 'scan' } });
  }
  await appendNotes(repo, entries);
  return entries.length;
}
