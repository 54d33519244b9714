import type { Workspace } from '../context.js';
import { UserError, throwIfAborted } from '../errors.js';
import { gitResult } from '../git/git.js';
import type { Repo } from '../git/repo.js';
import { readNotes, type NoteRecord } from '../git/notes.js';
import { loadTasks } from '../task/catalog.js';
import { assertTaskName } from '../task/name.js';
import { recordMissingCommits } from '../task/missing-commits.js';
import * as msg from '../messages.js';

export interface LogOptions {
  /** Only this task's events. */
  task?: string;
  signal?: AbortSignal;
}

export interface LogEntry extends NoteRecord {
  commit: string;
  subject: string | null;
}

export interface LogResult {
  /** Oldest first: each event once, with the commit it is about and that commit's subject. */
  entries: LogEntry[];
  /** With `task`: what it was asked at its latest start (null when no prompt was recorded). */
  prompt: string | null;
}

/** One `commit` event per commit and task: the hook's, when a scan raced it and added its own. Pure. */
export function dedupeCommitEvents(records: NoteRecord[]): NoteRecord[] {
  const best = new Map<string, NoteRecord>();
  for (const r of records) {
    if (r.event !== 'commit') continue;
    const key = `${r.on}\0${r.task}`;
    const seen = best.get(key);
    if (!seen || (seen.via === 'scan' && r.via !== 'scan')) best.set(key, r);
  }
  return records.filter((r) => r.event !== 'commit' || best.get(`${r.on}\0${r.task}`) === r);
}

/** Pure: the prompt of the latest `started` event that has one, or null. */
export function latestPrompt(records: readonly NoteRecord[]): string | null {
  const started = records.filter((r) => r.event === 'started' && typeof r.prompt === 'string' && r.prompt !== '');
  const last = started[started.length - 1];
  return last ? String(last.prompt) : null;
}

async function subjects(repo: Repo, commits: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(commits)];
  if (unique.length === 0) return new Map();
  const res = await gitResult(['log', '--no-walk=unsorted', '--stdin', '--ignore-missing', '--format=%H%x00%s'], { cwd: repo.root, input: unique.join('\n') + '\n' });
  return new Map(res.stdout.split('\n').filter(Boolean).map((l) => l.split('\0') as [string, string]));
}

/**
 * `started` sits on the task's anchor, not a commit: its commit is the base it started from, and
 * its subject the prompt's first line. Every other event shows the subject of its commit.
 */
async function withSubjects(repo: Repo, records: NoteRecord[]): Promise<LogEntry[]> {
  const commitOf = (r: NoteRecord): string => (r.event === 'started' && typeof r.baseCommit === 'string' ? r.baseCommit : r.on);
  const subjectOf = await subjects(repo, records.map(commitOf));
  return records.map((r) => {
    const commit = commitOf(r);
    const prompt = r.event === 'started' && typeof r.prompt === 'string' ? r.prompt.trim().split('\n')[0] : undefined;
    return { ...r, commit, subject: prompt ?? subjectOf.get(commit) ?? null };
  });
}

/**
 * The timeline of every task (or one) from refs/notes/superset. Commits that skipped the
 * post-commit hook get their event first, so the timeline is complete.
 */
export async function taskLog(ws: Workspace, opts: LogOptions = {}): Promise<LogResult> {
  const { repo, config } = ws;
  if (opts.task !== undefined) assertTaskName(opts.task);
  const tasks = await loadTasks(repo, config, { ahead: false });
  throwIfAborted(opts.signal);
  let records = await readNotes(repo);
  const added = await recordMissingCommits(repo, tasks.map((t) => ({ name: t.name, branch: t.branch, base: t.base })), records).catch(() => 0);
  if (added) records = await readNotes(repo);
  records = dedupeCommitEvents(records);
  if (opts.task !== undefined) {
    const name = opts.task;
    records = records.filter((r) => r.task === name);
    if (records.length === 0 && !tasks.some((t) => t.name === name)) throw new UserError(msg.task.noSuch(name));
  }
  throwIfAborted(opts.signal);
  return { entries: await withSubjects(repo, records), prompt: opts.task !== undefined ? latestPrompt(records) : null };
}
